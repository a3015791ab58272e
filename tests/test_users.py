"""Accounts, password hashing, lockout, the audit log and the demo accounts."""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading

import pytest
from sqlalchemy import Engine, select

from data import audit, users
from data.db import transaction
from data.inventory import row_counts
from data.models import AdminUnit, Base
from data.vocabulary import ROLES

PASSWORD = "Đúng-mật-khẩu-42"
NOW = dt.datetime(2025, 3, 14, 8, 30, tzinfo=dt.UTC)


def everything(engine: Engine) -> str:
    """Every value of every row of every table, as one string."""
    parts = []
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                parts.extend(str(value) for value in row)
    return "\n".join(parts)


def new_user(engine: Engine, **kwargs: object) -> users.Account:
    args: dict = {"username": "alice", "password": PASSWORD, "role": "admin"}
    with transaction(engine) as session:
        return users.create_user(session, **{**args, **kwargs})


# --- hashing --------------------------------------------------------------------------


def test_hash_round_trip() -> None:
    stored = users.hash_password(PASSWORD)
    scheme, n, r, p, salt, key = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert len(base64.b64decode(salt)) == 16
    assert len(base64.b64decode(key)) == 64
    assert PASSWORD not in stored
    assert users.check_password(stored, PASSWORD)
    assert not users.check_password(stored, PASSWORD + " ")
    assert not users.check_password(stored, "")
    assert users.hash_password(PASSWORD) != stored  # a fresh salt every time


def test_malformed_hashes_never_match() -> None:
    good = users.hash_password(PASSWORD)
    scheme, n, r, p, salt, key = good.split("$")
    tampered_key = key[:-4] + ("AAA=" if not key.endswith("AAA=") else "BBB=")
    malformed = [
        "",
        "plain",
        PASSWORD,
        "bcrypt$16384$8$1$" + salt + "$" + key,
        f"scrypt$16384$8$1${salt}",
        f"scrypt$x$8$1${salt}${key}",
        f"scrypt$16000$8$1${salt}${key}",  # N not a power of two
        f"scrypt$1048576$8$1${salt}${key}",  # too costly to try
        f"scrypt$16384$8$1$not*base64${key}",
        f"scrypt$16384$8$1${salt}$",
        f"scrypt$16384$8$1${salt}${tampered_key}",
        good + "$",
    ]
    for stored in malformed:
        assert users.check_password(stored, PASSWORD) is False, stored
    assert users.check_password(None, PASSWORD) is False
    assert users.check_password(good, None) is False  # type: ignore[arg-type, unused-ignore]


@pytest.mark.parametrize("password", ["", "short", "123456789"])
def test_short_passwords_are_refused(password: str) -> None:
    with pytest.raises(users.UserError, match="Mật khẩu phải có ít nhất 10 ký tự"):
        users.hash_password(password)
    assert issubclass(users.UserError, ValueError)


def test_dummy_check_costs_as_much_as_a_real_check(monkeypatch) -> None:
    """A check for a username that does not exist does the work of a real one:
    one scrypt derivation with the same cost parameters and key length (the
    work, not a stopwatch: timings on a shared machine prove nothing)."""
    stored = users.hash_password(PASSWORD)
    assert users.dummy_check(PASSWORD) is False  # the first call prepares its hash
    derivations: list[tuple[int, int, int, int]] = []
    derive = users._scrypt

    def counted(password: str, salt: bytes, n: int, r: int, p: int, dklen: int):
        derivations.append((n, r, p, dklen))
        return derive(password, salt, n, r, p, dklen)

    monkeypatch.setattr(users, "_scrypt", counted)
    assert users.check_password(stored, "wrong password") is False
    real = list(derivations)
    derivations.clear()
    assert users.dummy_check("wrong password") is False
    assert real == derivations
    assert real == [(users.SCRYPT_N, users.SCRYPT_R, users.SCRYPT_P, users.KEY_BYTES)]


# --- accounts -------------------------------------------------------------------------


def first_commune_of(engine: Engine, district: str) -> str:
    with engine.connect() as conn:
        district_id = conn.execute(
            select(AdminUnit.id).where(
                AdminUnit.tree == "legacy", AdminUnit.code == district
            )
        ).scalar_one()
        return conn.execute(
            select(AdminUnit.code)
            .where(AdminUnit.parent_id == district_id)
            .order_by(AdminUnit.code)
        ).scalar()


def add_2025_commune(engine: Engine, code: str = "99001") -> None:
    with transaction(engine) as session:
        session.add(
            AdminUnit(
                tree="2025",
                code=code,
                level="commune",
                kind="xã",
                name="Xã Thử Nghiệm",
                short_name="Thử Nghiệm",
                source="test",
            )
        )


def test_accounts_of_every_role(gia_lai: Engine) -> None:
    commune = first_commune_of(gia_lai, "633")
    add_2025_commune(gia_lai)
    made = {
        "admin": new_user(gia_lai, username="Admin.One", role="admin"),
        "province": new_user(gia_lai, username="tinh", role="province"),
        "province64": new_user(
            gia_lai, username="tinh64", role="province", unit_code="64"
        ),
        "district": new_user(
            gia_lai, username="chuse", role="district", unit_code="633"
        ),
        "commune": new_user(
            gia_lai, username="xa633", role="commune", unit_code=commune
        ),
        "commune2025": new_user(
            gia_lai, username="xa2025", role="commune", unit_code="99001", tree="2025"
        ),
        "viewer": new_user(gia_lai, username="phonghop", role="viewer"),
    }
    admin = made["admin"]
    assert admin.username == "admin.one"  # kept in lower case
    assert (admin.role, admin.scope_unit_id, admin.scope_code) == ("admin", None, None)
    assert admin.active and admin.failed_logins == 0 and admin.locked_until is None
    assert made["province"].scope_code is None
    scopes = {
        key: (a.role, a.scope_tree, a.scope_code, a.scope_level)
        for key, a in made.items()
        if a.scope_code
    }
    assert scopes == {
        "province64": ("province", "legacy", "64", "province"),
        "district": ("district", "legacy", "633", "district"),
        "commune": ("commune", "legacy", commune, "commune"),
        "commune2025": ("commune", "2025", "99001", "commune"),
    }
    with gia_lai.connect() as conn:
        assert users.get_account(conn, username="  ADMIN.one ") == admin
        assert users.get_account(conn, user_id=admin.id) == admin
        assert users.get_account(conn, username="nobody") is None
        assert users.get_account(conn, user_id=10**6) is None
        with pytest.raises(ValueError):
            users.get_account(conn)
        with pytest.raises(ValueError):
            users.get_account(conn, user_id=admin.id, username="admin.one")
        listed = users.list_accounts(conn)
        stored = users.password_hash_of(conn, "Admin.One")
        assert users.password_hash_of(conn, "nobody") is None
    assert [a.username for a in listed] == sorted(a.username for a in made.values())
    assert users.check_password(stored, PASSWORD)
    with pytest.raises(AttributeError):
        admin.role = "viewer"  # type: ignore[misc, unused-ignore]


def test_no_plaintext_password_is_stored_anywhere(gia_lai: Engine) -> None:
    new_user(gia_lai, username="bob", role="district", unit_code="633")
    with transaction(gia_lai) as session:
        audit.record(
            session, "user_created", detail={"username": "bob"}, remote_addr="cli"
        )
    dump = everything(gia_lai)
    assert "bob" in dump and PASSWORD not in dump

    second = "một-mật-khẩu-khác-99"
    with transaction(gia_lai) as session:
        users.set_password(session, "BOB", second)
        audit.record(session, "password_set", detail={"username": "bob"})
    dump = everything(gia_lai)
    assert PASSWORD not in dump and second not in dump
    with gia_lai.connect() as conn:
        stored = users.password_hash_of(conn, "bob")
    assert users.check_password(stored, second)
    assert not users.check_password(stored, PASSWORD)


REFUSED = [
    ({"role": "superuser"}, "Vai trò"),
    ({"role": ""}, "Vai trò"),
    ({"password": "ngắn"}, "Mật khẩu phải có ít nhất 10 ký tự"),
    ({"username": "ab"}, "Tên đăng nhập"),
    ({"username": "có dấu"}, "Tên đăng nhập"),
    ({"username": ""}, "Tên đăng nhập"),
    ({"username": "x" * 65}, "Tên đăng nhập"),
    ({"username": "ALICE"}, "Tên đăng nhập 'alice' đã được dùng"),
    ({"username": "alice "}, "đã được dùng"),
    ({"role": "admin", "unit_code": "64"}, "Đơn vị"),
    ({"role": "viewer", "unit_code": "633"}, "Đơn vị"),
    ({"role": "district", "unit_code": None}, "phải gắn với một đơn vị"),
    ({"role": "commune", "unit_code": "  "}, "Đơn vị"),
    ({"role": "district", "unit_code": "999"}, "không tìm thấy mã '999'"),
    ({"role": "district", "unit_code": "64"}, "cấp district"),
    ({"role": "district", "unit_code": "633", "tree": "2025"}, "cấp huyện"),
    ({"role": "commune", "unit_code": "633"}, "cấp commune"),
    ({"role": "commune", "unit_code": "99001"}, "không tìm thấy"),  # legacy tree
    ({"role": "commune", "unit_code": "23941", "tree": "2025"}, "không tìm thấy"),
    ({"role": "province", "unit_code": "633"}, "cấp province"),
    ({"role": "commune", "unit_code": "23941", "tree": "1999"}, "Cây đơn vị"),
]


@pytest.mark.parametrize(("change", "message"), REFUSED)
def test_refused_accounts_write_nothing(
    gia_lai: Engine, change: dict, message: str
) -> None:
    new_user(gia_lai)  # "alice"
    add_2025_commune(gia_lai)
    with gia_lai.connect() as conn:
        before = row_counts(conn)
    args = {"username": "carol", "password": PASSWORD, "role": "commune"}
    args["unit_code"] = "23941"
    args.update(change)
    with transaction(gia_lai) as session:  # commits: the refusal itself wrote nothing
        with pytest.raises(users.UserError, match=message):
            users.create_user(session, **args)
    with gia_lai.connect() as conn:
        assert row_counts(conn) == before


def test_the_base_case_of_the_refusals_is_accepted(gia_lai: Engine) -> None:
    account = new_user(gia_lai, username="carol", role="commune", unit_code="23941")
    assert account.scope_code == "23941"


def test_unknown_user_cannot_be_changed(gia_lai: Engine) -> None:
    new_user(gia_lai)
    with gia_lai.connect() as conn:
        before = row_counts(conn)
    with transaction(gia_lai) as session:
        with pytest.raises(users.UserError, match="Tên đăng nhập"):
            users.set_password(session, "nobody", PASSWORD)
        with pytest.raises(users.UserError, match="Tên đăng nhập"):
            users.deactivate_user(session, "nobody")
        with pytest.raises(users.UserError, match="Mật khẩu"):
            users.set_password(session, "alice", "ngắn")
    with gia_lai.connect() as conn:
        assert row_counts(conn) == before


def test_deactivate(engine: Engine) -> None:
    account = new_user(engine)
    with transaction(engine) as session:
        changed = users.deactivate_user(session, "Alice")
        again = users.deactivate_user(session, "alice")
    assert account.active and not changed.active and not again.active
    with engine.connect() as conn:
        assert not users.get_account(conn, username="alice").active


# --- lockout --------------------------------------------------------------------------


def test_lockout_after_five_failures_for_fifteen_minutes(engine: Engine) -> None:
    account = new_user(engine)
    for i in range(users.MAX_FAILURES - 1):
        with transaction(engine) as session:
            assert users.record_failure(session, account.id, NOW) is False
        with engine.connect() as conn:
            current = users.get_account(conn, user_id=account.id)
        assert current.failed_logins == i + 1
        assert not users.is_locked(current, NOW)
    with transaction(engine) as session:
        assert users.record_failure(session, account.id, NOW) is True
    with engine.connect() as conn:
        locked = users.get_account(conn, user_id=account.id)
    assert locked.failed_logins == 0
    assert locked.locked_until == NOW + users.LOCKOUT == NOW + dt.timedelta(minutes=15)
    assert locked.locked_until.tzinfo is not None
    assert users.is_locked(locked, NOW)
    assert users.is_locked(locked, NOW + dt.timedelta(minutes=14, seconds=59))
    assert not users.is_locked(locked, NOW + dt.timedelta(minutes=15))
    # a naive "now" means UTC
    assert users.is_locked(locked, NOW.replace(tzinfo=None))

    # after the lock: the count starts again from zero
    later = NOW + dt.timedelta(minutes=16)
    with transaction(engine) as session:
        assert users.record_failure(session, account.id, later) is False
        users.record_success(session, account.id)
    with engine.connect() as conn:
        cleared = users.get_account(conn, user_id=account.id)
    assert (cleared.failed_logins, cleared.locked_until) == (0, None)


def test_success_and_new_password_lift_a_lock(engine: Engine) -> None:
    account = new_user(engine)
    with transaction(engine) as session:
        results = [users.record_failure(session, account.id, NOW) for _ in range(5)]
    assert results == [False, False, False, False, True]
    with transaction(engine) as session:
        users.set_password(session, "alice", "mật-khẩu-mới-123")
    with engine.connect() as conn:
        assert not users.is_locked(users.get_account(conn, user_id=account.id), NOW)
    with transaction(engine) as session:
        for _ in range(5):
            users.record_failure(session, account.id, NOW)
        users.record_success(session, account.id)
    with engine.connect() as conn:
        assert not users.is_locked(users.get_account(conn, user_id=account.id), NOW)


def test_concurrent_attempts_are_counted_at_most_to_the_limit(engine: Engine) -> None:
    """Twelve attempts at once: exactly MAX_FAILURES are let through to a password
    check (the last of them locks the account), the others are refused."""
    account = new_user(engine)
    gate = threading.Barrier(12)
    results: list[int | None] = []

    def attempt() -> None:
        gate.wait()
        with transaction(engine) as session:
            results.append(users.count_attempt(session, account.id, NOW))

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    counted = sorted(r for r in results if r is not None)
    assert counted == list(range(1, users.MAX_FAILURES + 1))
    assert results.count(None) == 12 - users.MAX_FAILURES
    with engine.connect() as conn:
        locked = users.get_account(conn, user_id=account.id)
    assert users.is_locked(locked, NOW)


def test_inactive_accounts_get_no_attempt(engine: Engine) -> None:
    account = new_user(engine)
    with transaction(engine) as session:
        users.deactivate_user(session, "alice")
        assert users.count_attempt(session, account.id, NOW) is None


def test_sign_out_new_password_and_deactivation_raise_the_generation(
    engine: Engine,
) -> None:
    account = new_user(engine)
    assert account.session_generation == 0
    with transaction(engine) as session:
        assert users.end_sessions(session, account.id) == 1
        changed = users.set_password(session, "alice", "mật-khẩu-mới-123")
        assert changed.session_generation == 2
        gone = users.deactivate_user(session, "alice")
        assert gone.session_generation == 3
    with engine.connect() as conn:
        assert users.get_account(conn, user_id=account.id).session_generation == 3


# --- audit ----------------------------------------------------------------------------


def test_audit_rows_newest_first(engine: Engine) -> None:
    account = new_user(engine)
    with transaction(engine) as session:
        audit.record(
            session,
            "login_failed",
            username="alice",
            detail={"reason": "sai mật khẩu", "n": 1},
            remote_addr="10.0.0.1",
            at=NOW,
        )
        audit.record(
            session,
            "login_ok",
            user_id=account.id,
            username="alice",
            remote_addr="10.0.0.1",
            at=NOW + dt.timedelta(seconds=5),
        )
        audit.record(session, "export", user_id=account.id, detail="fund.csv")
    with engine.connect() as conn:
        rows = audit.rows(conn)
        failed = audit.rows(conn, action="login_failed")
        one = audit.rows(conn, limit=1)
    assert [r["action"] for r in rows] == ["export", "login_ok", "login_failed"]
    assert one == rows[:1]
    assert failed == rows[2:]
    assert failed[0]["detail"] == '{"n":1,"reason":"sai mật khẩu"}'
    assert json.loads(failed[0]["detail"]) == {"reason": "sai mật khẩu", "n": 1}
    assert failed[0]["at"] == NOW and failed[0]["user_id"] is None
    assert rows[1]["user_id"] == account.id and rows[1]["remote_addr"] == "10.0.0.1"
    assert rows[1]["detail"] is None and rows[0]["detail"] == "fund.csv"
    assert rows[0]["at"].tzinfo is not None
    assert set(rows[0]) == {
        "id",
        "at",
        "user_id",
        "username",
        "action",
        "detail",
        "remote_addr",
    }


@pytest.mark.parametrize(
    "detail",
    [
        {"password": PASSWORD},
        {"new_Password": "x"},
        {"form": {"username": "alice", "PASSWORD": PASSWORD}},
        {"forms": [{"old_password": "x"}]},
    ],
)
def test_audit_refuses_passwords(engine: Engine, detail: dict) -> None:
    with transaction(engine) as session:
        with pytest.raises(ValueError, match="password"):
            audit.record(session, "password_set", username="alice", detail=detail)
    with engine.connect() as conn:
        assert audit.rows(conn) == []


def test_audit_refuses_bad_actions(engine: Engine) -> None:
    with transaction(engine) as session:
        for action in ["", "Login", "drop table", "x" * 33]:
            with pytest.raises(ValueError):
                audit.record(session, action)
        with pytest.raises(TypeError):
            audit.record(session, "import", detail=["a"])  # type: ignore[arg-type, unused-ignore]
    with engine.connect() as conn:
        assert audit.rows(conn) == []
    assert {"login_ok", "login_failed", "lockout", "logout"} <= set(audit.ACTIONS)


# --- demo accounts --------------------------------------------------------------------


def test_demo_users_one_per_role(gia_lai: Engine) -> None:
    with transaction(gia_lai) as session:
        created = users.create_demo_users(session)
    assert list(created) == [f"demo_{role}" for role in ROLES]
    assert all(len(p) >= 10 for p in created.values())
    assert len(set(created.values())) == len(created)
    first_district = "622"  # Pleiku: the lowest district code of Gia Lai
    commune = first_commune_of(gia_lai, first_district)
    with gia_lai.connect() as conn:
        accounts = {a.username: a for a in users.list_accounts(conn)}
        for name, password in created.items():
            assert users.check_password(users.password_hash_of(conn, name), password)
        audited = audit.rows(conn, action="user_created")
    scopes = {
        a.role: (a.scope_tree, a.scope_code, a.scope_level) for a in accounts.values()
    }
    assert scopes == {
        "admin": (None, None, None),
        "province": ("legacy", "64", "province"),
        "district": ("legacy", first_district, "district"),
        "commune": ("legacy", commune, "commune"),
        "viewer": (None, None, None),
    }
    assert all(a.active for a in accounts.values())
    assert sorted(json.loads(r["detail"])["username"] for r in audited) == sorted(
        created
    )
    dump = everything(gia_lai)
    assert not any(password in dump for password in created.values())

    with transaction(gia_lai) as session:  # once only
        assert users.create_demo_users(session) == {}
    with gia_lai.connect() as conn:
        assert len(users.list_accounts(conn)) == len(ROLES)


def test_demo_users_skip_when_one_exists(gia_lai: Engine) -> None:
    new_user(gia_lai, username="demo_viewer", role="viewer")
    with transaction(gia_lai) as session:
        assert users.create_demo_users(session) == {}
    with gia_lai.connect() as conn:
        assert len(users.list_accounts(conn)) == 1


def test_demo_users_without_units(engine: Engine) -> None:
    new_user(engine, username="demoxadmin")  # "_" is not a wildcard here
    with transaction(engine) as session:
        created = users.create_demo_users(session)
    assert set(created) == {"demo_admin", "demo_province", "demo_viewer"}
    with engine.connect() as conn:
        province = users.get_account(conn, username="demo_province")
    assert province.scope_unit_id is None
