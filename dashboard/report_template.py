"""The report template download: ``/reports/template/<schedule>/<unit>.xlsx``,
for a unit the signed-in user may submit for, and that owes the report.  Every
download is audited, and so is a refusal for a unit outside the user's area."""

from __future__ import annotations

import io

from flask import Flask, abort, send_file
from flask.typing import ResponseReturnValue

from callbacks import context
from callbacks.context import conn as get_conn
from data import report_forms, submissions

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def init_app(server: Flask) -> None:
    server.add_url_rule(
        "/reports/template/<int:schedule_id>/<int:unit_id>.xlsx", view_func=template
    )


def template(schedule_id: int, unit_id: int) -> ResponseReturnValue:
    scope = context.scope()
    if scope is None:
        abort(401)
    conn = get_conn()
    if not scope.sees_tables:
        abort(403)
    if not submissions.may_submit(conn, scope, unit_id):
        context.refused_outside_area(
            "report_template", {"schedule": schedule_id, "unit_id": unit_id}
        )
        abort(403)
    try:
        due = submissions.owed(conn, schedule_id, unit_id)
    except submissions.NotOwed:
        abort(404)
    form = due.form
    name = f"bieu-mau_{form.report_type}_{form.start.year}_{form.unit_code}.xlsx"
    context.audit(
        "report_template",
        {
            "schedule": schedule_id,
            "unit": form.unit_code,
            "report": form.report_type,
            "year": form.start.year,
        },
    )
    return send_file(
        io.BytesIO(report_forms.template(form)),
        mimetype=MIME,
        as_attachment=True,
        download_name=name,
    )
