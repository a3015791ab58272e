"""Sign-in: flask-login sessions, the login page, and the guard on every request.

- Every request needs a signed-in user, except the login page, static files (CSS,
  the Dash JavaScript bundles: no data) and ``/healthz``.  Anonymous requests for a
  page are sent to the login page; anything else gets 401 and no data.
- Passwords are checked in ``data.users`` (scrypt); one message for every failed
  sign-in (unknown user, wrong password, locked or deactivated account), so the
  page never tells which accounts exist.  Each attempt on an account is counted
  in one atomic UPDATE before its password is checked, so concurrent attempts
  cannot overrun the lockout (15 minutes after 5 failures).  A client address
  gets ``LOGIN_ADDRESS_LIMIT`` sign-in attempts per 15 minutes (flask-limiter;
  refused with 429 before any database work).
- Sessions end: the session and the "remember me" cookie carry the account's
  session generation (``get_id`` is "<id>:<generation>"), checked on every
  request; signing out, a new password and deactivation raise it, which ends
  every earlier session and remember cookie of the account.  Signing out also
  deletes this browser's remember cookie.  A session restored from the remember
  cookie is audited.
- A session ends after ``SESSION_HOURS`` without a request and 12 hours after
  signing in; "remember me" (7 days) is off unless ticked.
- CSRF: flask-wtf's CSRFProtect checks every form POST (login, logout).  Dash's
  callback POSTs are exempt from it (``extensions.DASH_CALLBACK_VIEW``) and
  accepted only as JSON from this origin: a cross-site form cannot send JSON, and
  a cross-site script cannot without a CORS preflight, which the app never grants.
  The session cookie is HttpOnly and SameSite=Lax (Secure when
  ``SESSION_COOKIE_SECURE``).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from urllib.parse import quote, urlsplit

from flask import (
    Flask,
    Response,
    current_app,
    jsonify,
    redirect,
    request,
    session,
)
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask.typing import ResponseReturnValue
from flask_limiter import Limiter
from flask_login import (
    LoginManager,
    current_user,
    login_user,
    logout_user,
    user_loaded_from_cookie,
)
from flask_wtf.csrf import CSRFError, generate_csrf
from sqlalchemy.exc import TimeoutError as PoolTimeout

from callbacks.context import SignedIn, address, audit_as, engine, user
from callbacks.context import conn as get_conn
from dashboard.extensions import DASH_CALLBACK_VIEW, csrf
from dashboard.login_page import busy_page, login_page
from data import audit, users
from data.db import transaction
from layouts.i18n import LANGUAGES, t

login_manager = LoginManager()

# Paths anyone may fetch: the login page, static files, the health check.
PUBLIC_PATHS = ("/login", "/healthz", "/_favicon.ico")
PUBLIC_PREFIXES = ("/assets/", "/_dash-component-suites/")
# Dash's callback POSTs (exempt from CSRFProtect; JSON from this origin only).
DASH_POSTS = ("/_dash-update-component",)
# Machine routes: an anonymous request gets 401, not the login page.
API_PREFIXES = ("/_", "/geo/")
ABSOLUTE_HOURS = 12
ADDRESS_WINDOW_MINUTES = 15
BUSY_RETRY_SECONDS = 5
PASSWORD_CHECKS = 2  # password hashes computed at once, per process
_HASHING = "cpd_password_checks"


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that a response a shared cache may
    keep (``Cache-Control: public``: scripts, styles and assets served through
    the app) never carries the session cookie: a proxy keeping one would hand a
    user's session to whoever asks next.  Only the cookie's refresh on every
    request is left out there; a request that changed the session keeps its
    cookie and its response becomes ``private``."""

    def save_session(
        self, app: Flask, session: SessionMixin, response: Response
    ) -> None:
        control = response.cache_control
        if control.public:
            if not session.modified:
                return
            control.public = False
            control.private = True
        super().save_session(app, session, response)


def init_app(server: Flask, limiter: Limiter) -> None:
    server.session_interface = SessionCookies()
    hours = int(server.config["SESSION_HOURS"])
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(server.config["SESSION_COOKIE_SECURE"]),
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=hours),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=bool(server.config["SESSION_COOKIE_SECURE"]),
        REMEMBER_COOKIE_DURATION=dt.timedelta(days=7),
        # a form's token lives as long as the session (a map left open all day
        # can still sign out)
        WTF_CSRF_TIME_LIMIT=None,
    )
    server.extensions[_HASHING] = threading.BoundedSemaphore(PASSWORD_CHECKS)
    login_manager.init_app(server)
    login_manager.session_protection = "strong"
    server.before_request(guard)  # first: anonymous requests get 401, not 400
    csrf.init_app(server)
    csrf.exempt(DASH_CALLBACK_VIEW)
    per_address = limiter.limit(
        lambda: (
            f"{int(current_app.config['LOGIN_ADDRESS_LIMIT'])} per "
            f"{ADDRESS_WINDOW_MINUTES} minutes"
        ),
        methods=["POST"],
    )
    server.add_url_rule("/login", view_func=per_address(login), methods=["GET", "POST"])
    server.add_url_rule("/logout", view_func=logout, methods=["POST"])
    server.register_error_handler(CSRFError, _csrf_refused)
    server.register_error_handler(429, _too_many)
    server.register_error_handler(PoolTimeout, _busy)


@login_manager.user_loader
def _load(token: str) -> SignedIn | None:
    """The user of a session or remember cookie, while its generation is current."""
    user_id, _, generation = token.partition(":")
    if not (user_id.isdigit() and generation.isdigit()):
        return None  # e.g. a cookie from before session generations
    account = users.get_account(get_conn(), user_id=int(user_id))
    if account is None or not account.active:
        return None
    if account.session_generation != int(generation):
        return None  # signed out, new password or deactivated since
    return SignedIn(account)


@user_loaded_from_cookie.connect
def _restored(_sender: Flask, user: SignedIn) -> None:
    """Signed in again from the "remember me" cookie: a new session starts now,
    bound to this browser as a sign-in's is (without that, flask-login's strong
    session protection would drop it, and the cookie, on the next request)."""
    session.permanent = True
    session["signed_in_at"] = time.time()
    login_user(user, fresh=False)
    audit_as("login_remembered", user.account.id, user.username, {})


# --- the guard ------------------------------------------------------------------


def _public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def _same_origin() -> bool:
    """A POST from this app: JSON, and no foreign Origin (or Referer)."""
    if not request.is_json:
        return False
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source:
        return True
    own = urlsplit(request.host_url)
    theirs = urlsplit(source)
    return (theirs.scheme, theirs.netloc) == (own.scheme, own.netloc)


def guard() -> ResponseReturnValue | None:
    """Runs before every request: sign-in required, session age, foreign POSTs."""
    if _public(request.path):
        return None
    if current_user.is_authenticated and _expired():
        _end_session("session_expired")
    if not current_user.is_authenticated:
        if request.method == "GET" and not request.path.startswith(API_PREFIXES):
            return redirect(_login_url(request.full_path.rstrip("?")))
        return jsonify({"error": "sign-in required"}), 401
    if request.path in DASH_POSTS and not _same_origin():
        return jsonify({"error": "refused"}), 403
    return None


def _expired() -> bool:
    started = session.get("signed_in_at")
    if not isinstance(started, (int, float)):
        return True
    return time.time() - started > ABSOLUTE_HOURS * 3600


def _login_url(target: str) -> str:
    return "/login" if target in ("", "/") else f"/login?next={quote(target, safe='')}"


def _safe_next(target: str | None) -> str:
    """Only a path of this site (no scheme, no host, no "//")."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return "/"
    return target


def csrf_token() -> str:
    """The session's CSRF token for forms (flask-wtf)."""
    return generate_csrf()


# --- refusals ----------------------------------------------------------------------


def _csrf_refused(_error: CSRFError) -> ResponseReturnValue:
    if request.path == "/login":
        return _page(_lang(), t("login_csrf", _lang()), status=400)
    return jsonify({"error": "CSRF token missing or invalid"}), 400


def _too_many(_error: Exception) -> ResponseReturnValue:
    retry = {"Retry-After": str(ADDRESS_WINDOW_MINUTES * 60)}
    if request.path == "/login":
        response = _page(_lang(), t("login_address_limit", _lang()), status=429)
        response.headers.update(retry)
        return response
    return jsonify({"error": "too many requests"}), 429, retry


def _busy(_error: PoolTimeout) -> ResponseReturnValue:
    """No database connection came free in DB_POOL_TIMEOUT seconds: answer at
    once that the server is busy, rather than wait on or fail with 500."""
    current_app.logger.warning(
        "database pool exhausted: %s %s", request.method, request.path
    )
    lang = _lang()
    if request.method == "GET" and not request.path.startswith(API_PREFIXES):
        return busy_page(lang, BUSY_RETRY_SECONDS)
    retry = {"Retry-After": str(BUSY_RETRY_SECONDS)}
    return jsonify({"error": t("server_busy", lang)}), 503, retry


# --- the pages ---------------------------------------------------------------------


def _lang() -> str:
    lang = request.values.get("lang") or current_app.config["LANGUAGE"]
    return lang if lang in LANGUAGES else "vi"


def login() -> ResponseReturnValue:
    lang = _lang()
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(_safe_next(request.args.get("next")))
        return _page(lang)
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    account = _check(username, password)
    if account is None:
        return _page(lang, t("login_failed", lang), username=username, status=401)
    session.clear()  # a fresh session: no fixation
    session.permanent = True
    session["signed_in_at"] = time.time()
    login_user(SignedIn(account), remember=request.form.get("remember") == "on")
    return redirect(_safe_next(request.form.get("next")))


def _check(username: str, password: str) -> users.Account | None:
    """The account when the password is right and the account usable; every
    failure is audited and looks the same from outside.  No database connection
    is held while a password is hashed."""
    now = dt.datetime.now(dt.UTC)
    account, stored = None, None
    if username:
        with engine().connect() as conn:
            account = users.get_account(conn, username=username)
            if account is not None:
                stored = users.password_hash_of(conn, account.username)
    if account is None:
        with _hashing():
            users.dummy_check(password)
        # what was typed is not kept: it may be a password typed in the wrong box
        audit_as("login_failed", None, "", {"reason": "unknown user"})
        return None
    with transaction(engine()) as s:
        attempt = users.count_attempt(s, account.id, now)
        if attempt is None:
            reason = "inactive" if not account.active else "locked"
            _record(s, "login_failed", account, {"reason": reason})
    if attempt is None:
        with _hashing():
            users.dummy_check(password)
        return None
    with _hashing():
        right = users.check_password(stored or "", password)
    if not right:
        locked = attempt >= users.MAX_FAILURES
        with transaction(engine()) as s:
            _record(
                s,
                "lockout" if locked else "login_failed",
                account,
                {"reason": "wrong password"},
            )
        return None
    with transaction(engine()) as s:
        users.record_success(s, account.id)
        _record(s, "login_ok", account, None)
    return account


def _hashing() -> threading.BoundedSemaphore:
    """The app's gate for password hashing: at most PASSWORD_CHECKS at a time in
    this process, so that a flood of sign-ins (each hash costs ~16 MiB and a
    tenth of a second of CPU) queues here, holding no database connection, and
    leaves the CPU to signed-in users' requests."""
    return current_app.extensions[_HASHING]


def _record(s, action: str, account: users.Account, detail: dict | None) -> None:
    audit.record(
        s,
        action,
        user_id=account.id,
        username=account.username,
        detail=detail,
        remote_addr=address(),
    )


def _end_session(action: str) -> None:
    """This browser's session ends (its remember cookie, if any, stays: "remember
    me" starts a new session, audited)."""
    who = user()
    if who is not None:
        audit_as(action, who.account.id, who.username, {})
    logout_user()
    session.clear()


def logout() -> ResponseReturnValue:
    lang = _lang()
    who = user()
    if who is not None:
        with transaction(engine()) as s:
            users.end_sessions(s, who.account.id)  # every device, every cookie
            _record(s, "logout", who.account, None)
    session.clear()
    logout_user()  # after clear(): its note to delete the remember cookie stays
    return redirect(f"/login?lang={lang}" if lang != "vi" else "/login")


def _page(
    lang: str, message: str | None = None, username: str = "", status: int = 200
) -> Response:
    return login_page(
        lang,
        csrf=csrf_token(),
        next_path=_safe_next(request.values.get("next")),
        message=message,
        username=username,
        status=status,
    )
