"""The quarterly review's presentation view: its slides from the review figures
(cached per facts version), and moving to another quarter."""

from __future__ import annotations

from collections.abc import Sequence

from dash import (
    ClientsideFunction,
    Input,
    Output,
    State,
    callback_context,
    html,
    no_update,
)
from dash.exceptions import PreventUpdate

from callbacks import deck_job as deck_jobs
from callbacks import status as status_callbacks
from callbacks import table_export
from callbacks.context import asking, cached
from callbacks.context import conn as request_conn
from callbacks.inputs import preferred_provinces
from callbacks.map_geometry import geojson_index
from callbacks.registry import Declared, declare, declare_clientside
from data import export_jobs, places, review
from data.periods import Period, today_vn
from data.reform import LEGACY_TREE, NEW_TREE, tree_for
from data.scope import Scope
from geo.viewport import VIETNAM_BOUNDS, fit_view
from layouts import ids, present_page, review_slides
from layouts.i18n import language, t
from layouts.present_page import PresentState

CALLBACKS: list[Declared] = []
SLIDE_MAP = (900, 420)  # pixels a map slide's map is fitted to (legend below)


def figures_review(
    scope: Scope, quarter: Period, province: str, lang: str
) -> review.Review:
    """The review as ``scope`` may see it (cached; a new fact makes a new key)."""
    return cached(
        review.review,
        province=province,
        quarter=quarter,
        today=today_vn(),
        scope=scope,
        lang=lang,
    )


def map_view(r: review.Review, size: tuple[int, int]) -> tuple[str, tuple]:
    """The boundary URL of the review's units and the view that fits them."""
    index = geojson_index(r.tree, r.level, r.province["code"])
    view = fit_view(index["bbox"] or VIETNAM_BOUNDS, *size)
    url = f"/geo/{r.tree}/{r.level}/{r.province['code']}.json?v={index['version']}"
    return url, view


def state(
    scope: Scope,
    quarter: Period,
    province: str,
    lang: str,
    quarters: Sequence[tuple[str, str]],
) -> PresentState:
    r = figures_review(scope, quarter, province, lang)
    url, view = map_view(r, SLIDE_MAP)
    slides = review_slides.slides(
        r, lang, lambda theme: review_slides.map_figure(r, theme, url, view, lang)
    )
    return present_page.PresentState(
        lang=lang,
        quarter=quarter.key,
        quarters=quarters,
        province=province,
        slides=slides,
        tree=r.tree,
        banner=status_callbacks.banner(scope, r.tree, province, quarter, lang),
    )


# another quarter: the same page for it (the address says which, and the tree
# of its province: across 1 July 2025 the province becomes its counterpart)
declare_clientside(
    CALLBACKS,
    ClientsideFunction("present", "quarter"),  # dashboard/assets/present.js
    Output(ids.PRESENT_COUNTER, "title"),
    Input(ids.PRESENT_QUARTER, "value"),
    State(ids.PRESENT_PARAMS, "data"),
)


SHOWN: dict[str, str] = {}
HIDDEN = {"display": "none"}


def same_province(code: str, from_tree: object, tree: str, scope: Scope) -> str:
    """The province ``code`` of ``from_tree`` on ``tree``: itself on the same
    tree, else its counterpart (the user's own province first when a new
    province was formed from several); "" when none."""
    source = from_tree if from_tree in (LEGACY_TREE, NEW_TREE) else tree
    moved = places.counterpart(
        request_conn(),
        code=code,
        from_tree=str(source),
        to_tree=tree,
        prefer=preferred_provinces(scope, tree),
    )
    return moved or ""


def _checked(quarter: object, params: object) -> tuple[Period, str, str]:
    """The quarter, province and language a deck is asked for, or no update."""
    try:
        period = Period.parse(str(quarter or ""))
    except ValueError as exc:
        raise PreventUpdate from exc
    params = params if isinstance(params, dict) else {}
    tree = tree_for(period, today_vn())
    province = same_province(
        str(params.get("province") or ""), params.get("tree"), tree, asking()
    )
    place = places.place(request_conn(), tree=tree, code=province)
    if not period.quarter or place is None or place["level"] != "province":
        raise PreventUpdate
    return period, province, language(params.get("lang"))


def _progress(job: dict, lang: str) -> tuple:
    """(value, status text, poll off, cancel style, bar style) of a job."""
    total = job["rows_expected"] or 0
    percent = int(100 * job["rows_done"] / total) if total else 0
    if job["status"] == "running":
        if job["waiting"]:  # no worker took it yet
            return 0, t("jobs_waiting", lang), False, SHOWN, SHOWN
        text = t("review_export_running", lang, percent=percent)
        return percent, text, False, SHOWN, SHOWN
    if job["status"] == "done":
        fmt = "pptx" if job["path"].endswith(".pptx") else "pdf"
        link = html.A(
            t("review_export_download", lang),
            href=f"/review/deck/{job['id']}.{fmt}",
            id="deck-download",
        )
        return 100, [t("review_export_ready", lang), link], True, HIDDEN, HIDDEN
    if job["error"] == deck_jobs.CANCELLED:
        return 0, t("review_export_cancelled", lang), True, HIDDEN, HIDDEN
    reason = job["error"] or ""
    if reason == export_jobs.NO_WORKER:
        reason = t("jobs_no_worker", lang)
    failed = t("review_export_failed", lang, reason=reason)
    return 0, failed, True, HIDDEN, HIDDEN


@declare(
    CALLBACKS,
    Output(ids.DECK_JOB, "data"),
    Output(ids.DECK_PROGRESS, "value"),
    Output(ids.DECK_STATUS, "children"),
    Output(ids.DECK_POLL, "disabled"),
    Output(ids.DECK_CANCEL, "style"),
    Output("deck-bar", "style"),
    Input(ids.DECK_PPTX, "n_clicks"),
    Input(ids.DECK_PDF, "n_clicks"),
    Input(ids.DECK_CANCEL, "n_clicks"),
    Input(ids.DECK_POLL, "n_intervals"),
    State(ids.DECK_JOB, "data"),
    State(ids.PRESENT_QUARTER, "value"),
    State(ids.PRESENT_PARAMS, "data"),
    prevent_initial_call=True,
)
def deck_job(_pptx, _pdf, _cancel, _ticks, job_id, quarter, params):
    """Start the deck (PowerPoint or PDF) in the background, follow it, cancel
    it; the job is the signed-in user's own (``callbacks.deck_job``)."""
    lang = language((params or {}).get("lang") if isinstance(params, dict) else None)
    trigger = callback_context.triggered_id
    if trigger in (ids.DECK_PPTX, ids.DECK_PDF):
        period, province, lang = _checked(quarter, params)
        fmt = "pptx" if trigger == ids.DECK_PPTX else "pdf"
        try:
            job_id = deck_jobs.start(period, province, lang, fmt)
        except export_jobs.TooManyJobs as exc:  # the page's own job, if any, goes on
            text = t("jobs_too_many", lang, running=exc.running, limit=exc.limit)
            return (no_update, no_update, text, no_update, no_update, no_update)
    elif trigger == ids.DECK_CANCEL:
        deck_jobs.cancel(job_id)
    job = table_export.job_status(job_id)
    if job is None:
        raise PreventUpdate
    return (job_id, *_progress(job, lang))
