"""The import templates: ``/import/template/<kind>.xlsx`` (with drop-down lists of
the codes and of the units the signed-in user may import for) and ``.csv``;
and the stored rows of the user's area in that same form,
``/import/export/<kind>.xlsx`` and ``.csv`` (``?year=`` for one year), to edit
and import back.  Only roles that import get one; incident cases and indicator
values only roles that see exact counts (``data.fact_import.export``).  Every
download is audited."""

from __future__ import annotations

import io

from flask import Flask, Response, abort, request, send_file
from flask.typing import ResponseReturnValue

from callbacks import context
from callbacks.context import conn as get_conn
from data import fact_import
from data.fact_import import export
from data.problems import ProblemError

MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def init_app(server: Flask) -> None:
    server.add_url_rule(
        "/import/template/<kind>.<fmt>", "import_template", view_func=template
    )
    server.add_url_rule(
        "/import/export/<kind>.<fmt>", "import_export", view_func=stored_rows
    )


def template(kind: str, fmt: str) -> ResponseReturnValue:
    scope = context.scope()
    if scope is None:
        abort(401)
    spec = fact_import.KINDS.get(kind)
    if spec is None or fmt not in MIME:
        abort(404)
    try:
        offered = fact_import.units(get_conn(), scope, spec)
    except ProblemError:
        abort(403)
    listed = fact_import.choices(get_conn(), spec)
    data = fact_import.template(spec, fmt, offered, listed)
    context.audit(
        "facts_template", {"kind": spec.name, "format": fmt, "units": len(offered)}
    )
    return send_file(
        io.BytesIO(data),
        mimetype=MIME[fmt],
        as_attachment=True,
        download_name=f"bieu-mau_{spec.name}.{fmt}",
    )


def stored_rows(kind: str, fmt: str) -> ResponseReturnValue:
    """The stored rows of ``kind`` in the user's area, in the import's form; a
    refusal (a role that does not import, a protected kind, too many rows) is
    a 403 saying why, in the page's language."""
    scope = context.scope()
    if scope is None:
        abort(401)
    spec = fact_import.KINDS.get(kind)
    if spec is None or fmt not in MIME:
        abort(404)
    lang = context.language(request.args.get("lang"))
    year = request.args.get("year", type=int)
    conn = get_conn()
    try:
        found = export.rows(conn, scope, spec, year)
        offered = fact_import.units(conn, scope, spec) if fmt == "xlsx" else []
    except ProblemError as exc:
        return Response(exc.message(lang), 403, mimetype="text/plain")
    data = export.file(found, fmt, offered, fact_import.choices(conn, spec))
    context.audit(export.AUDIT, export.detail(found, fmt))
    when = "" if year is None else f"_{year}"
    return send_file(
        io.BytesIO(data),
        mimetype=MIME[fmt],
        as_attachment=True,
        download_name=f"du-lieu_{spec.name}{when}.{fmt}",
    )
