"""Sign-in: flask-login sessions, the login page, and the guard on every request.

- Every request needs a signed-in user, except the login page, static files (CSS,
  the Dash JavaScript bundles: no data) and ``/healthz``.  Anonymous requests for a
  page are sent to the login page; anything else gets 401 and no data.
- Passwords are checked in ``data.users`` (scrypt); one message for every failed
  sign-in (unknown user, wrong password, locked or deactivated account), so the
  page never tells which accounts exist.  An account is locked for 15 minutes
  after 5 failures; a client address is slowed after each failure and refused
  after ``LOGIN_ADDRESS_LIMIT`` failures in 15 minutes.
- CSRF: the login and logout forms carry a token kept in the session.  Dash's own
  POSTs are JSON; a POST that is not JSON, or that comes from another origin, is
  refused (a cross-site form cannot send JSON, and a cross-site script cannot
  without a CORS preflight, which the app never grants).  The session cookie is
  HttpOnly and SameSite=Lax (Secure when ``SESSION_COOKIE_SECURE``).
- A session ends after ``SESSION_HOURS`` without a request and 12 hours after
  signing in; "remember me" is off unless ticked.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
import time
from urllib.parse import quote, urlsplit

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template_string,
    request,
    session,
)
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from dashboard.database import engine, get_conn
from dashboard.extensions import cache
from data import audit, users
from data.db import transaction
from data.scope import Scope
from layouts.i18n import LANGUAGES, t

login_manager = LoginManager()

# Paths anyone may fetch: the login page, static files, the health check.
PUBLIC_PATHS = ("/login", "/healthz", "/_favicon.ico")
PUBLIC_PREFIXES = ("/assets/", "/_dash-component-suites/")
# Plain HTML forms, each checking its own CSRF token.
FORM_PATHS = ("/logout",)
# Machine routes: an anonymous request gets 401, not the login page.
API_PREFIXES = ("/_", "/geo/")
ABSOLUTE_HOURS = 12
ADDRESS_WINDOW = 15 * 60  # seconds
SLOWDOWN_STEP, SLOWDOWN_CAP = 0.25, 2.0  # seconds per failure from one address
CSRF_KEY = "csrf_token"


class SignedIn(UserMixin):
    """The signed-in user as the app sees it: account, role and area."""

    def __init__(self, account: users.Account) -> None:
        self.account = account
        self.id = str(account.id)

    @property
    def username(self) -> str:
        return self.account.username

    @property
    def role(self) -> str:
        return self.account.role


def init_app(server: Flask) -> None:
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
    )
    login_manager.init_app(server)
    login_manager.session_protection = "strong"
    server.add_url_rule("/login", view_func=login, methods=["GET", "POST"])
    server.add_url_rule("/logout", view_func=logout, methods=["POST"])
    server.before_request(guard)


@login_manager.user_loader
def _load(user_id: str) -> SignedIn | None:
    if not user_id.isdigit():
        return None
    account = users.get_account(get_conn(), user_id=int(user_id))
    if account is None or not account.active:
        return None
    return SignedIn(account)


def user() -> SignedIn | None:
    """The signed-in user of this request, or None."""
    return current_user if current_user.is_authenticated else None  # type: ignore[return-value]


def scope() -> Scope | None:
    """What the signed-in user may see (None: nobody is signed in)."""
    who = user()
    if who is None:
        return None
    return Scope(who.role, who.account.scope_unit_id)


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
    if (
        request.method == "POST"
        and request.path not in FORM_PATHS
        and not _same_origin()
    ):
        abort(403)
    return None


def _expired() -> bool:
    started = session.get("signed_in_at")
    if started is None and session.get("_fresh") is False:
        # restored from the "remember me" cookie: a new session starts now
        session["signed_in_at"] = started = time.time()
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


# --- CSRF -------------------------------------------------------------------------


def csrf_token() -> str:
    """The session's CSRF token for forms (made on first use)."""
    token = session.get(CSRF_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_KEY] = token
    return token


def _csrf_ok() -> bool:
    sent, kept = request.form.get(CSRF_KEY, ""), session.get(CSRF_KEY, "")
    return bool(sent and kept) and hmac.compare_digest(str(sent), str(kept))


# --- per-address throttle ------------------------------------------------------------


def _address() -> str:
    return request.remote_addr or "unknown"


def _address_failures() -> int:
    return int(cache.get(f"login-fail:{_address()}") or 0)


def _count_address_failure() -> int:
    key = f"login-fail:{_address()}"
    count = int(cache.get(key) or 0) + 1
    cache.set(key, count, timeout=ADDRESS_WINDOW)
    return count


def _slow_down(failures: int) -> None:
    if not current_app.config.get("TESTING"):
        time.sleep(min(SLOWDOWN_STEP * failures, SLOWDOWN_CAP))


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
    if not _csrf_ok():
        return _page(lang, t("login_csrf", lang), status=400)
    if _address_failures() >= int(current_app.config["LOGIN_ADDRESS_LIMIT"]):
        return _page(lang, t("login_address_limit", lang), status=429)
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    account = _check(username, password)
    if account is None:
        _slow_down(_count_address_failure())
        return _page(lang, t("login_failed", lang), username=username, status=401)
    session.clear()  # a fresh session: no fixation
    session.permanent = True
    session["signed_in_at"] = time.time()
    login_user(SignedIn(account), remember=request.form.get("remember") == "on")
    csrf_token()
    return redirect(_safe_next(request.form.get("next")))


def _check(username: str, password: str) -> users.Account | None:
    """The account when the password is right and the account usable; every
    failure is audited and looks the same from outside."""
    now = dt.datetime.now(dt.UTC)
    account = users.get_account(get_conn(), username=username) if username else None
    if account is None:
        users.dummy_check(password)
        # what was typed is not kept: it may be a password typed in the wrong box
        _audit("login_failed", None, "", {"reason": "unknown user"})
        return None
    if not account.active or users.is_locked(account, now):
        users.dummy_check(password)
        reason = "inactive" if not account.active else "locked"
        _audit("login_failed", account.id, username, {"reason": reason})
        return None
    if not users.check_password(
        users.password_hash_of(get_conn(), account.username) or "", password
    ):
        with transaction(engine()) as s:
            locked = users.record_failure(s, account.id, now)
            audit.record(
                s,
                "lockout" if locked else "login_failed",
                user_id=account.id,
                username=account.username,
                detail={"reason": "wrong password"},
                remote_addr=_address(),
            )
        return None
    with transaction(engine()) as s:
        users.record_success(s, account.id)
        audit.record(
            s,
            "login_ok",
            user_id=account.id,
            username=account.username,
            remote_addr=_address(),
        )
    return account


def record(action: str, detail: dict) -> None:
    """An audit row for what the signed-in user just did (e.g. an export)."""
    who = user()
    if who is None:
        raise PermissionError("nobody is signed in")
    _audit(action, who.account.id, who.username, detail)


def refused_outside_area(what: str, detail: dict) -> None:
    """Audit a request refused because it names a unit outside the signed-in
    user's area (``data.scope``): ``what`` was asked for, and of which unit.
    Every place that refuses on those grounds calls this one."""
    who = user()
    _audit(
        "scope_refused",
        who.account.id if who is not None else None,
        who.username if who is not None else "",
        {"what": what, **detail},
    )


def _audit(action: str, user_id: int | None, username: str, detail: dict) -> None:
    with transaction(engine()) as s:
        audit.record(
            s,
            action,
            user_id=user_id,
            username=username[:64] or None,
            detail=detail,
            remote_addr=_address(),
        )


def _end_session(action: str) -> None:
    who = user()
    if who is not None:
        _audit(action, who.account.id, who.username, {})
    logout_user()
    session.clear()


def logout() -> ResponseReturnValue:
    if not _csrf_ok():
        abort(400)
    lang = _lang()
    _end_session("logout")
    return redirect(f"/login?lang={lang}" if lang != "vi" else "/login")


LOGIN_PAGE = """<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<link rel="stylesheet" href="/assets/bootstrap.min.css">
</head>
<body class="bg-light">
<main class="container" style="max-width: 26rem">
  <h1 class="h4 mt-5 mb-1">{{ title }}</h1>
  <p class="text-muted mb-4">{{ heading }}</p>
  {% if message %}
  <div class="alert alert-danger" role="alert">{{ message }}</div>
  {% endif %}
  <form method="post" action="/login" autocomplete="on">
    <input type="hidden" name="csrf_token" value="{{ csrf }}">
    <input type="hidden" name="next" value="{{ next }}">
    <input type="hidden" name="lang" value="{{ lang }}">
    <div class="mb-3">
      <label class="form-label" for="username">{{ username_label }}</label>
      <input class="form-control" id="username" name="username" value="{{ username }}"
             autocomplete="username" required autofocus>
    </div>
    <div class="mb-3">
      <label class="form-label" for="password">{{ password_label }}</label>
      <input class="form-control" id="password" name="password" type="password"
             autocomplete="current-password" required>
    </div>
    <div class="form-check mb-3">
      <input class="form-check-input" type="checkbox" id="remember" name="remember">
      <label class="form-check-label" for="remember">{{ remember_label }}</label>
    </div>
    <button class="btn btn-primary w-100" id="login-submit" type="submit">
      {{ submit }}
    </button>
  </form>
  <p class="mt-3 small"><a href="/login?lang={{ other }}">{{ other_label }}</a></p>
</main>
</body>
</html>"""


def _page(
    lang: str, message: str | None = None, username: str = "", status: int = 200
) -> Response:
    html = render_template_string(
        LOGIN_PAGE,
        lang=lang,
        title=t("app_title", lang),
        heading=t("login_heading", lang),
        message=message,
        csrf=csrf_token(),
        next=_safe_next(request.values.get("next")),
        username=username,
        username_label=t("login_username", lang),
        password_label=t("login_password", lang),
        remember_label=t("login_remember", lang),
        submit=t("login_submit", lang),
        other="en" if lang == "vi" else "vi",
        other_label=t("other_language", lang),
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response
