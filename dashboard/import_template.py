"""The import templates: ``/import/template/<kind>.xlsx`` (with drop-down lists of
the codes and of the units the signed-in user may import for) and ``.csv``.
Only roles that import get one; every download is audited."""

from __future__ import annotations

import io

from flask import Flask, abort, send_file
from flask.typing import ResponseReturnValue

from callbacks import context
from callbacks.context import conn as get_conn
from data import fact_import
from data.problems import ProblemError

MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def init_app(server: Flask) -> None:
    server.add_url_rule(
        "/import/template/<kind>.<fmt>", "import_template", view_func=template
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
    data = fact_import.template(spec, fmt, offered)
    context.audit(
        "facts_template", {"kind": spec.name, "format": fmt, "units": len(offered)}
    )
    return send_file(
        io.BytesIO(data),
        mimetype=MIME[fmt],
        as_attachment=True,
        download_name=f"bieu-mau_{spec.name}.{fmt}",
    )
