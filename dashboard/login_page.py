"""The sign-in page and the busy page: plain HTML (no Dash), Vietnamese first."""

from __future__ import annotations

from flask import Response, render_template_string
from markupsafe import escape

from layouts.i18n import t

BUSY_PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<link rel="stylesheet" href="/assets/bootstrap.min.css"></head>
<body class="bg-light"><main class="container" style="max-width: 26rem">
<div class="alert alert-warning mt-5" role="alert">{message}</div>
</main></body></html>"""

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


def login_page(
    lang: str,
    *,
    csrf: str,
    next_path: str,
    message: str | None = None,
    username: str = "",
    status: int = 200,
) -> Response:
    """The sign-in form (with ``message`` in an alert when given); never cached."""
    html = render_template_string(
        LOGIN_PAGE,
        lang=lang,
        title=t("app_title", lang),
        heading=t("login_heading", lang),
        message=message,
        csrf=csrf,
        next=next_path,
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


def busy_page(lang: str, retry_after: int) -> Response:
    """503: the server is busy.  No Jinja template: rendering one asks
    flask-login for the user, which needs the database that is busy."""
    html = BUSY_PAGE.format(lang=lang, message=escape(t("server_busy", lang)))
    response = Response(html, status=503, mimetype="text/html")
    response.headers["Retry-After"] = str(retry_after)
    response.headers["Cache-Control"] = "no-store"
    return response
