"""Accounts, passwords and lockout (the audit log: ``data.audit``).

Passwords are hashed with scrypt from the standard library and stored as
``scrypt$N$r$p$<salt b64>$<key b64>``; no table ever holds a plaintext password,
and audit details refuse any key that mentions one.  Usernames are kept in lower
case, so they are unique regardless of case.

Functions that write take a Session and only flush: the caller owns the transaction
(``data.db.transaction``).  Functions that read take a Connection (or a Session).
A ``UserError`` is a problem of ``data.problems`` (a code of the message table and
its values), whose text names the field at fault; ``str()`` gives it in Vietnamese.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, case, func, select, update
from sqlalchemy.orm import Session

from data import audit
from data import vocabulary as v
from data.db import (
    AnySelect,
    as_utc,
    lock,
    read_one,
    read_rows,
    read_scalar,
    read_scalars,
    write,
)
from data.models import AdminUnit, User
from data.problems import ProblemError

# --- passwords ------------------------------------------------------------------------

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES, KEY_BYTES = 16, 64
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
_SCHEME = "scrypt"


class UserError(ProblemError):
    """A request about accounts that cannot be carried out; nothing was written."""


def validate_password(password: str) -> None:
    """Raise UserError unless ``password`` is acceptable as a new password."""
    if not isinstance(password, str):
        raise UserError("user_password_invalid")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError("user_password_short", minimum=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserError("user_password_long", maximum=MAX_PASSWORD_LENGTH)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        dklen=dklen,
        maxmem=128 * r * (n + p + 2) + 2**20,
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_password(password: str) -> str:
    """A salted scrypt hash of ``password`` (UserError when it is too short)."""
    validate_password(password)
    salt = secrets.token_bytes(SALT_BYTES)
    key = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES)
    return f"{_SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    """(n, r, p, salt, key) of a stored hash, or None when it is malformed or its
    parameters are outside sane bounds (a bad row must not cost unbounded work)."""
    if not isinstance(stored, str):
        return None
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != _SCHEME:
        return None
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt = base64.b64decode(parts[4], validate=True)
        key = base64.b64decode(parts[5], validate=True)
    except ValueError:
        return None
    if not (2**10 <= n <= 2**16 and n & (n - 1) == 0 and 1 <= r <= 16 and 1 <= p <= 4):
        return None
    if not (8 <= len(salt) <= 64 and 16 <= len(key) <= 128):
        return None
    return n, r, p, salt, key


def check_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches the stored hash (False for a malformed hash)."""
    parsed = _parse(stored) if stored is not None else None
    if parsed is None or not isinstance(password, str):
        return False
    n, r, p, salt, key = parsed
    return hmac.compare_digest(_scrypt(password, salt, n, r, p, len(key)), key)


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(24))


def dummy_check(password: str) -> bool:
    """Spend the time of one password check, for a username that does not exist, so
    that the answer's timing does not tell whether the account exists.  Always False.
    """
    check_password(_dummy_hash(), password if isinstance(password, str) else "")
    return False


# --- accounts -------------------------------------------------------------------------

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")

# Level of the unit each role is scoped to; None: the role takes no unit.
_SCOPE_LEVEL = {
    "admin": None,
    "province": "province",
    "district": "district",
    "commune": "commune",
    "viewer": None,
}
_UNIT_REQUIRED = ("district", "commune")


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    role: str
    scope_unit_id: int | None
    scope_tree: str | None
    scope_code: str | None
    scope_level: str | None
    active: bool
    failed_logins: int
    locked_until: dt.datetime | None
    session_generation: int = 0


def normalise_username(username: str) -> str:
    return username.strip().lower() if isinstance(username, str) else ""


def _account_select() -> AnySelect:
    return select(
        User.id,
        User.username,
        User.role,
        User.scope_unit_id,
        AdminUnit.tree.label("scope_tree"),
        AdminUnit.code.label("scope_code"),
        AdminUnit.level.label("scope_level"),
        User.active,
        User.failed_logins,
        User.locked_until,
        User.session_generation,
    ).select_from(
        User.__table__.outerjoin(AdminUnit, User.scope_unit_id == AdminUnit.id)
    )


def _account(row: Any) -> Account:
    return Account(
        id=row.id,
        username=row.username,
        role=row.role,
        scope_unit_id=row.scope_unit_id,
        scope_tree=row.scope_tree,
        scope_code=row.scope_code,
        scope_level=row.scope_level,
        active=bool(row.active),
        failed_logins=row.failed_logins or 0,
        locked_until=as_utc(row.locked_until),
        session_generation=row.session_generation or 0,
    )


def get_account(
    conn: Connection | Session,
    *,
    user_id: int | None = None,
    username: str | None = None,
) -> Account | None:
    """The account with this id or (case-insensitive) username, or None."""
    if (user_id is None) == (username is None):
        raise ValueError("give exactly one of user_id and username")
    if user_id is not None:
        row = read_one(conn, _account_by_id(), {"account_id": user_id})
    else:
        name = normalise_username(username or "")
        stmt = _account_select().where(func.lower(User.username) == name)
        row = read_one(conn, stmt)
    return _account(row) if row is not None else None


@functools.cache
def _account_by_id() -> AnySelect:
    """The account of ``:account_id``: asked on every request (the sign-in
    check), built once."""
    return _account_select().where(User.id == bindparam("account_id"))


def list_accounts(conn: Connection | Session) -> list[Account]:
    """Every account, by username."""
    rows = read_rows(conn, _account_select().order_by(User.username))
    return [_account(row) for row in rows]


def password_hash_of(conn: Connection | Session, username: str) -> str | None:
    """The stored hash of the account (active or not), or None when there is none."""
    return read_scalar(
        conn,
        select(User.password_hash).where(
            func.lower(User.username) == normalise_username(username)
        ),
    )


def _scope_unit(
    role: str, unit_code: str | None, tree: str, conn: Session
) -> int | None:
    """Id of the unit a new account of ``role`` is scoped to (UserError if unfit)."""
    level = _SCOPE_LEVEL[role]
    code = (unit_code or "").strip()
    if not code:
        if role in _UNIT_REQUIRED:
            raise UserError("user_unit_required", role=role)
        return None
    if level is None:
        raise UserError("user_unit_none", role=role)
    if tree not in v.TREES:
        raise UserError("user_tree_invalid", tree=tree)
    if level == "district" and tree != "legacy":
        raise UserError("user_unit_district_abolished")
    row = read_one(
        conn,
        select(AdminUnit.id, AdminUnit.level).where(
            AdminUnit.tree == tree, AdminUnit.code == code
        ),
    )
    if row is None:
        raise UserError("user_unit_unknown", code=code, tree=tree)
    if row.level != level:
        raise UserError(
            "user_unit_level", code=code, level=row.level, role=role, needed=level
        )
    return row.id


def _user_id(session: Session, username: str) -> int:
    found = read_scalar(
        session,
        select(User.id).where(
            func.lower(User.username) == normalise_username(username)
        ),
    )
    if found is None:
        raise UserError("user_unknown", username=username)
    return found


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    unit_code: str | None = None,
    tree: str = "legacy",
) -> Account:
    """Create an active account.  Every check runs before anything is written."""
    name = normalise_username(username)
    if not _USERNAME.fullmatch(name):
        raise UserError("user_name_invalid")
    if role not in v.ROLES:
        raise UserError("user_role_invalid", role=role, roles=", ".join(v.ROLES))
    password_hash = hash_password(password)
    unit_id = _scope_unit(role, unit_code, tree, session)
    lock(session, "app_user", name)  # two creations of one name: one is refused
    taken = read_one(session, select(User.id).where(func.lower(User.username) == name))
    if taken is not None:
        raise UserError("user_name_taken", username=name)
    user = User(
        username=name,
        password_hash=password_hash,
        role=role,
        scope_unit_id=unit_id,
        active=True,
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    account = get_account(session, user_id=user.id)
    assert account is not None
    return account


def set_password(session: Session, username: str, password: str) -> Account:
    """Give the account a new password; this also clears failures and any lock,
    and ends every session signed in with the old one."""
    password_hash = hash_password(password)
    user_id = _user_id(session, username)
    write(
        session,
        update(User)
        .where(User.id == user_id)
        .values(
            password_hash=password_hash,
            failed_logins=0,
            locked_until=None,
            session_generation=User.session_generation + 1,
        ),
    )
    session.flush()
    account = get_account(session, user_id=user_id)
    assert account is not None
    return account


def deactivate_user(session: Session, username: str) -> Account:
    """Mark the account inactive (it can no longer sign in, and its sessions
    end); rows that refer to it stay."""
    user_id = _user_id(session, username)
    write(
        session,
        update(User)
        .where(User.id == user_id)
        .values(active=False, session_generation=User.session_generation + 1),
    )
    session.flush()
    account = get_account(session, user_id=user_id)
    assert account is not None
    return account


def end_sessions(session: Session, account_id: int) -> int:
    """End every session and "remember me" cookie of the account (they carry the
    old generation); the new generation."""
    generation = write(
        session,
        update(User)
        .where(User.id == account_id)
        .values(session_generation=User.session_generation + 1)
        .returning(User.session_generation),
    ).scalar_one_or_none()
    session.flush()
    return int(generation or 0)


# --- lockout --------------------------------------------------------------------------


def is_locked(account: Account, now: dt.datetime) -> bool:
    """Whether the account is locked out at ``now``."""
    until = as_utc(account.locked_until)
    return until is not None and as_utc(now) < until


def count_attempt(session: Session, account_id: int, now: dt.datetime) -> int | None:
    """Count a sign-in attempt as failed BEFORE its password is checked, in one
    atomic UPDATE, so that concurrent attempts cannot all pass a lockout check
    made earlier.  The MAX_FAILURES-th attempt locks the account for LOCKOUT and
    restarts the count (``record_success`` takes a right password's count back).

    Returns the attempt's number (MAX_FAILURES: this attempt locked the account),
    or None when the account is locked or inactive: nothing was counted and the
    password must not be checked."""
    at = as_utc(now)
    counted = func.coalesce(User.failed_logins, 0) + 1
    locks = counted >= MAX_FAILURES
    row = write(
        session,
        update(User)
        .where(
            User.id == account_id,
            User.active.is_(True),
            (User.locked_until.is_(None)) | (User.locked_until <= at),
        )
        .values(
            failed_logins=case((locks, 0), else_=counted),
            locked_until=case((locks, at + LOCKOUT), else_=None),
        )
        .returning(User.failed_logins, User.locked_until),
    ).first()
    session.flush()
    if row is None:
        return None
    return MAX_FAILURES if row.locked_until is not None else int(row.failed_logins)


def record_failure(session: Session, account_id: int, now: dt.datetime) -> bool:
    """Count one failed sign-in (see ``count_attempt``); True when it locked the
    account."""
    return count_attempt(session, account_id, now) == MAX_FAILURES


def record_success(session: Session, account_id: int) -> None:
    """A successful sign-in clears the failure count and any lock."""
    write(
        session,
        update(User)
        .where(User.id == account_id)
        .values(failed_logins=0, locked_until=None),
    )
    session.flush()


# --- demo accounts --------------------------------------------------------------------

DEMO_PREFIX = "demo_"


def _first_child(session: Session, level: str, parent_id: int | None) -> str | None:
    stmt = select(AdminUnit.code).where(
        AdminUnit.tree == "legacy", AdminUnit.level == level
    )
    if parent_id is not None:
        stmt = stmt.where(AdminUnit.parent_id == parent_id)
    return read_scalar(session, stmt.order_by(AdminUnit.code).limit(1))


def _has_legacy_province(session: Session, code: str) -> bool:
    stmt = select(AdminUnit.id).where(
        AdminUnit.tree == "legacy",
        AdminUnit.level == "province",
        AdminUnit.code == code,
    )
    return read_one(session, stmt) is not None


def _unit_id(session: Session, code: str) -> int:
    (unit_id,) = read_scalars(
        session,
        select(AdminUnit.id).where(AdminUnit.tree == "legacy", AdminUnit.code == code),
    )
    return unit_id


def create_demo_users(
    session: Session, province_code: str | None = None
) -> dict[str, str]:
    """One account per role, ``demo_<role>``, each with a random password; returns
    {username: password} for the caller to show once.  The province, district and
    commune accounts are scoped to the legacy province ``province_code`` (default:
    the first by code, also when that one is not loaded), its first district and
    that district's first commune; a role whose unit is not loaded is left out.
    Does nothing (returns {}) when any demo account exists already."""
    exists = read_one(
        session,
        select(User.id).where(User.username.startswith(DEMO_PREFIX, autoescape=True)),
    )
    if exists is not None:
        return {}
    units: dict[str, str | None] = {"admin": None, "viewer": None}
    province = _first_child(session, "province", None)
    if province_code is not None and _has_legacy_province(session, province_code):
        province = province_code
    units["province"] = province
    if province is not None:
        district = _first_child(session, "district", _unit_id(session, province))
        if district is not None:
            units["district"] = district
            commune = _first_child(session, "commune", _unit_id(session, district))
            if commune is not None:
                units["commune"] = commune
    created: dict[str, str] = {}
    for role in v.ROLES:
        if role not in units:
            continue
        password = secrets.token_urlsafe(12)
        account = create_user(
            session,
            username=f"{DEMO_PREFIX}{role}",
            password=password,
            role=role,
            unit_code=units[role],
            tree="legacy",
        )
        audit.record(
            session,
            "user_created",
            detail={
                "username": account.username,
                "role": role,
                "unit": account.scope_code,
                "demo": True,
            },
        )
        created[account.username] = password
    return created
