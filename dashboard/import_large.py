"""``/import/large``: a file of facts too large for the page's upload box.

GET: a plain HTML form (the kind, the file; no Dash: a file input posting a
multipart body that is streamed to disk, not a callback's JSON).  POST: the
body may be up to ``IMPORT_MAX_BYTES`` (only here: every other address keeps
``MAX_CONTENT_LENGTH``); the CSRF token is checked once that limit is set
(flask-wtf's ``validate_csrf``: the automatic check would read the form under
the smaller limit first), the role is checked, the file is kept in the
instance folder and its check queued as a background job
(``callbacks.import_job``); the user is sent back to ``/import``, which follows
the job.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    redirect,
    render_template_string,
    request,
)
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from wtforms import ValidationError  # type: ignore[import-untyped]

from callbacks import context, import_job
from dashboard.extensions import csrf
from data import export_jobs, fact_import
from data.fact_import.spec import LARGE
from data.problems import ProblemError
from layouts.i18n import t

PAGE = """<!doctype html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<link rel="stylesheet" href="/assets/bootstrap.min.css">
</head>
<body class="bg-light">
<main class="container" style="max-width: 40rem">
  <h1 class="h4 mt-4 mb-2">{{ title }}</h1>
  <p class="small">{{ intro }}</p>
  {% if message %}
  <div class="alert alert-danger" role="alert">{{ message }}</div>
  {% endif %}
  <form method="post" action="/import/large" enctype="multipart/form-data">
    <input type="hidden" name="csrf_token" value="{{ csrf }}">
    <input type="hidden" name="lang" value="{{ lang }}">
    <div class="mb-3">
      <label class="form-label" for="kind">{{ kind_label }}</label>
      <select class="form-select" id="kind" name="kind">
        {% for key, label in kinds %}
        <option value="{{ key }}"{% if key == kind %} selected{% endif %}>
          {{ label }}</option>
        {% endfor %}
      </select>
    </div>
    <div class="mb-3">
      <label class="form-label" for="file">{{ file_label }}</label>
      <input class="form-control" id="file" name="file" type="file"
             accept=".csv,.xlsx" required>
    </div>
    <button class="btn btn-primary" id="import-large-submit" type="submit">
      {{ submit }}
    </button>
    <a class="btn btn-link" href="/import?{{ back }}">{{ back_label }}</a>
  </form>
</main>
</body>
</html>"""


def init_app(server: Flask) -> None:
    server.add_url_rule(
        "/import/large", "import_large", view_func=large, methods=["GET", "POST"]
    )
    csrf.exempt(large)  # checked in the view, once the larger limit is set


def _page(lang: str, kind: str, message: str = "", status: int = 200) -> Response:
    kinds = [(key, t(f"import_kind_{key}", lang)) for key in fact_import.KINDS]
    limit = current_app.config["IMPORT_MAX_BYTES"]
    html = render_template_string(
        PAGE,
        lang=lang,
        title=t("import_large_title", lang),
        intro=t(
            "import_large_intro",
            lang,
            rows=LARGE.rows,
            mb=max(1, limit // 2**20),
        ),
        message=message,
        csrf=generate_csrf(),
        kinds=kinds,
        kind=kind,
        kind_label=t("import_kind", lang),
        file_label=t("import_large_file", lang),
        submit=t("import_large_submit", lang),
        back=urlencode({"kind": kind, "lang": lang}),
        back_label=t("import_large_back", lang),
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def large() -> ResponseReturnValue:
    scope = context.scope()
    if scope is None:
        abort(401)
    if request.method == "POST":
        request.max_content_length = current_app.config["IMPORT_MAX_BYTES"]
    lang = context.language(request.values.get("lang"))
    kind = request.values.get("kind", "")
    spec = fact_import.KINDS.get(kind)
    if spec is None:
        kind = next(iter(fact_import.KINDS))
    try:
        fact_import.check_role(scope)
    except ProblemError as exc:
        return Response(exc.message(lang), 403, mimetype="text/plain")
    if request.method == "GET":
        return _page(lang, kind)
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError as exc:
        raise CSRFError(str(exc)) from exc
    upload = request.files.get("file")
    if spec is None or upload is None or not upload.filename:
        return _page(lang, kind, t("import_large_no_file", lang), 400)
    try:
        job_id = import_job.start(spec, upload, upload.filename)
    except export_jobs.TooManyJobs as exc:
        text = t("jobs_too_many", lang, running=exc.running, limit=exc.limit)
        return _page(lang, kind, text, 429)
    return redirect(
        "/import?" + urlencode({"kind": spec.name, "job": job_id, "lang": lang})
    )
