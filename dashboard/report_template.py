"""The report template download: ``/reports/template/<schedule>/<unit>.xlsx``,
for a unit the signed-in user may submit for, and that owes the report.  Every
download is audited, and so is a refusal for a unit outside the user's area.

``/reports/countdown.xlsx?year=&lang=``: the reports of a year's deadlines not
sent yet in the signed-in user's own area (``data.freshness.countdown``), for
the telephone calls of the office; the area comes from the account, never from
the link, and the download is audited as an export."""

from __future__ import annotations

import io

import pandas as pd
from flask import Flask, Response, abort, request, send_file
from flask.typing import ResponseReturnValue

from callbacks import context
from callbacks import status as status_callbacks
from callbacks.context import conn as get_conn
from data import report_forms, submissions
from data.export import Sheet, write_xlsx
from data.tables import Column, Table
from layouts.i18n import t

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def init_app(server: Flask) -> None:
    server.add_url_rule(
        "/reports/template/<int:schedule_id>/<int:unit_id>.xlsx", view_func=template
    )
    server.add_url_rule("/reports/countdown.xlsx", view_func=countdown)


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


COUNTDOWN = Table(
    "countdown",
    (
        Column("report", width=40),
        Column("due_date", "date", 12),
        Column("unit_code", width=10),
        Column("unit", width=28),
        Column("days", "int", 14),
        Column("days_text", width=18),
        Column("office", width=28),
    ),
)
COUNTDOWN_HEADERS = (
    "countdown_col_report",
    "countdown_col_due",
    "countdown_col_code",
    "countdown_col_unit",
    "countdown_col_days_number",
    "countdown_col_days",
    "countdown_col_office",
)


def countdown() -> ResponseReturnValue:
    """The countdown of the reports page as a workbook."""
    scope = context.scope()
    if scope is None:
        abort(401)
    if not scope.sees_tables:
        abort(403)
    lang = context.language(request.args.get("lang"))
    year_text = str(request.args.get("year") or "")
    if not year_text.isdigit() or len(year_text) != 4:
        text = t("countdown_bad_year", lang, value=year_text[:10])
        return Response(text, status=400, mimetype="text/plain; charset=utf-8")
    year = int(year_text)
    try:
        rows, place = status_callbacks.countdown_rows(scope, year, lang)
    except ValueError:
        abort(404)
    frame = pd.DataFrame(
        [
            {
                "report": status_callbacks.deadline_text(r, lang),
                "due_date": r["due_date"],
                "unit_code": r["unit_code"],
                "unit": r["unit_name"],
                "days": r["days"],
                "days_text": status_callbacks.days_text(r["days"], lang),
                "office": r["office"] or "",
            }
            for r in rows
        ],
        columns=COUNTDOWN.keys,
    )
    context.audit(
        "export",
        {"table": "countdown", "format": "xlsx", "year": year, "rows": len(rows)},
    )
    sheet = Sheet(
        table=COUNTDOWN,
        title=t("countdown_file_title", lang, year=year, place=place),
        name=t("countdown_sheet", lang),
        headers=tuple(t(key, lang) for key in COUNTDOWN_HEADERS),
        lines=(
            t(
                "countdown_file_as_of",
                lang,
                at=status_callbacks.when(status_callbacks.now()),
            ),
        ),
        frames=[frame],
    )
    out = io.BytesIO()
    write_xlsx(out, [sheet], lambda n: t("countdown_file_total", lang, n=n))
    out.seek(0)
    return send_file(
        out,
        mimetype=MIME,
        as_attachment=True,
        download_name=f"chua-nop-bao-cao_{year}.xlsx",
    )
