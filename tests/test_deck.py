"""The quarterly review's deck: the PowerPoint reads back with the slides in order
and the review's numbers, the PDF has one page per slide, a cancelled job leaves
no file, and only its owner may download a deck."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading

import pytest
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader
from sqlalchemy import Engine, text

from callbacks import deck_job as deck_jobs
from data import export_jobs, review
from data.db import make_engine
from data.periods import Period
from data.scope import FULL
from geo.geojson import level_geojson
from layouts import deck, ids, review_slides
from layouts.legend import NO_DATA_COLOUR
from tests.conftest import TEST_USERS, post_callback, signed_client
from tests.test_review import Q3, TODAY, small  # noqa: F401 - the fixture


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 60, 30)).save(out, format="PNG")
    return out.getvalue()


def _slides(engine: Engine, lang: str = "vi") -> list:
    with engine.connect() as conn:
        r = review.review(conn, province="64", quarter=Q3, today=TODAY, scope=FULL)
    return review_slides.slides(r, lang, lambda theme: None)


def _texts(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            for row in shape.table.rows:
                parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_the_pptx_reads_back_in_order_with_the_reviews_numbers(small: Engine) -> None:  # noqa: F811
    slides = _slides(small)
    pictures = {i: _png() for i, s in enumerate(slides) if s.key.startswith("map_")}
    data = deck.pptx_bytes(slides, pictures)
    pages = list(Presentation(io.BytesIO(data)).slides)
    assert len(pages) == len(slides) == 13
    texts = [_texts(page) for page in pages]
    for page, slide in zip(texts, slides, strict=True):
        assert slide.title in page  # in order
        assert "Số liệu đến" in page and "Nguồn:" in page  # the footer everywhere
    assert "1,5 tỷ đồng" in texts[5]  # the fund to 30/9: 1.520.000.000 đ
    assert "TNTT: Đuối nước | 2 | 1 | +1 | 2 | 1" in texts[7]  # cùng kỳ
    pictured = [
        i
        for i, page in enumerate(pages)
        if any(shape.shape_type == 13 for shape in page.shapes)  # a picture
    ]
    assert pictured == sorted(pictures)


def test_the_pdf_has_one_page_per_slide(small: Engine) -> None:  # noqa: F811
    slides = _slides(small)
    data = deck.pdf_bytes(slides, {1: _png()})
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) == len(slides)
    assert "Sơ kết công tác trẻ em Quý 3/2024" in pages[0].extract_text()
    assert "Những vấn đề cần chỉ đạo" in pages[-1].extract_text()
    english = deck.pdf_bytes(_slides(small, "en"), {})
    assert (
        "Child protection review"
        in PdfReader(io.BytesIO(english)).pages[0].extract_text()
    )


def test_the_map_slides_are_drawn_by_the_printed_maps_renderer(seeded_sqlite) -> None:
    """Each map slide carries the printed map ("Tải bản đồ"), its units in the
    colours the screen's figure gives them, and is drawn without Chromium to a
    picture of the slide's size."""
    engine = make_engine(seeded_sqlite["DATABASE_URL"])
    with engine.connect() as conn:
        r = review.review(conn, province="64", quarter=Q3, today=TODAY, scope=FULL)
        collection = level_geojson(conn, tree=r.tree, level=r.level, parent_code="64")
    engine.dispose()
    assert len(collection["features"]) == 17  # Gia Lai's districts
    slides = deck_jobs.with_maps(r, collection, "vi")
    maps = [s for s in slides if s.key.startswith("map_")]
    assert len(maps) == 4
    for slide in maps:
        assert slide.figure is None and slide.printed is not None
        theme = slide.key.removeprefix("map_")
        view = ({"lat": 14.0, "lon": 108.0}, 7.0)
        screen = review_slides.map_figure(r, theme, collection, view, "vi").data[1]
        scale = screen.colorscale
        expected = {
            code: NO_DATA_COLOUR if z is None else scale[2 * z][1]
            for code, z in zip(screen.locations, screen.z, strict=True)
        }
        assert {u.code: u.colour for u in slide.printed.units} == expected
        assert slide.printed.legend_title == screen.colorbar.title.text
    pictures = deck_jobs.pictures(maps, lambda: None)
    assert sorted(pictures) == [0, 1, 2, 3]
    for png in pictures.values():
        size = Image.open(io.BytesIO(png)).size
        assert abs(size[0] - deck.PICTURE_PIXELS[0]) <= 1
        assert abs(size[1] - deck.PICTURE_PIXELS[1]) <= 1


def _job(engine: Engine, user: str, path: str, status: str = "running") -> str:
    with engine.connect() as conn:
        user_id = conn.execute(
            text("SELECT id FROM app_user WHERE username = :u"), {"u": user}
        ).scalar_one()
    job_id = export_jobs.create(
        engine,
        user_id=user_id,
        download_name="so-ket.pdf",
        path=path,
        rows_expected=None,
    )
    assert export_jobs.begin(engine, job_id)  # a job worker took it
    if status == "done":
        export_jobs.finish(engine, job_id, 3)
    return job_id


def test_a_cancelled_job_stops_and_leaves_no_file(seeded_sqlite, tmp_path) -> None:
    engine = make_engine(seeded_sqlite["DATABASE_URL"])
    path = tmp_path / "deck.pdf"
    job_id = _job(engine, TEST_USERS["province"][0], str(path))
    export_jobs.finish(engine, job_id, 0, error=deck_jobs.CANCELLED)  # the click
    deck_jobs._run(
        engine,
        job_id,
        FULL,
        Period(2024, 3),
        "64",
        "vi",
        "pdf",
        str(path),
        dt.date(2026, 11, 30),
    )
    assert not path.exists()
    with engine.connect() as conn:
        assert not export_jobs.running(conn, job_id)
        user = conn.execute(
            text("SELECT user_id FROM export_job WHERE id = :j"), {"j": job_id}
        ).scalar_one()
        assert export_jobs.get(conn, job_id, user)["error"] == deck_jobs.CANCELLED
    engine.dispose()


def test_only_the_owner_downloads_the_deck(seeded_sqlite, make_app, tmp_path) -> None:
    engine = make_engine(seeded_sqlite["DATABASE_URL"])
    path = tmp_path / "deck.pdf"
    path.write_bytes(b"%PDF-1.4 test")
    job_id = _job(engine, TEST_USERS["viewer"][0], str(path), status="done")
    engine.dispose()
    app = make_app(seeded_sqlite)
    owner = signed_client(app, "viewer")
    response = owner.get(f"/review/deck/{job_id}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "so-ket.pdf" in response.headers["Content-Disposition"]
    assert owner.get(f"/review/deck/{job_id}.pptx").status_code == 404
    other = signed_client(app, "province")
    assert other.get(f"/review/deck/{job_id}.pdf").status_code == 404
    anonymous = app.server.test_client()
    assert anonymous.get(f"/review/deck/{job_id}.pdf").status_code in (302, 401)


DECK_OUTPUTS = [
    (ids.DECK_JOB, "data"),
    (ids.DECK_PROGRESS, "value"),
    (ids.DECK_STATUS, "children"),
    (ids.DECK_POLL, "disabled"),
    (ids.DECK_CANCEL, "style"),
    ("deck-bar", "style"),
]


def _deck_callback(client, job_id: str, changed: str):
    inputs = [
        (ids.DECK_PPTX, "n_clicks", None),
        (ids.DECK_PDF, "n_clicks", None),
        (ids.DECK_CANCEL, "n_clicks", 1 if changed == ids.DECK_CANCEL else None),
        (ids.DECK_POLL, "n_intervals", 1),
    ]
    state = [
        (ids.DECK_JOB, "data", job_id),
        (ids.PRESENT_QUARTER, "value", "2024-Q3"),
        (ids.PRESENT_PARAMS, "data", {"province": "64", "lang": "vi"}),
    ]
    return post_callback(
        client,
        DECK_OUTPUTS,
        inputs,
        state,
        changed=f"{changed}.n_intervals"
        if changed == ids.DECK_POLL
        else f"{changed}.n_clicks",
    )


def test_someone_elses_job_can_be_neither_followed_nor_cancelled(
    seeded_sqlite, make_app, tmp_path
) -> None:
    engine = make_engine(seeded_sqlite["DATABASE_URL"])
    job_id = _job(engine, TEST_USERS["province"][0], str(tmp_path / "deck.pdf"))
    app = make_app(seeded_sqlite)
    owner = signed_client(app, "province")
    shown = _deck_callback(owner, job_id, ids.DECK_POLL)
    assert shown[(ids.DECK_JOB, "data")] == job_id
    assert "Đang tạo tệp" in str(shown[(ids.DECK_STATUS, "children")])
    stranger = signed_client(app, "district")
    assert _deck_callback(stranger, job_id, ids.DECK_POLL) is None
    assert _deck_callback(stranger, job_id, ids.DECK_CANCEL) is None
    with engine.connect() as conn:
        assert export_jobs.running(conn, job_id)  # the stranger cancelled nothing
    cancelled = _deck_callback(owner, job_id, ids.DECK_CANCEL)
    assert cancelled[(ids.DECK_STATUS, "children")] == "Đã hủy."
    assert cancelled[(ids.DECK_POLL, "disabled")] is True
    engine.dispose()


# --- what one user may have running at once ----------------------------------------


def _at_once(n: int, ask) -> list:
    """``ask()`` from ``n`` threads released together; what each returned."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = ask()
        except export_jobs.TooManyJobs as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _running(engine: Engine, user: str) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT j.id FROM export_job j JOIN app_user u ON u.id = j.user_id "
                    "WHERE u.username = :u AND j.status = 'running'"
                ),
                {"u": user},
            ).scalars()
        )


def _stop_all(engine: Engine, user: str) -> None:
    for job_id in _running(engine, user):
        export_jobs.finish(engine, job_id, 0, error=deck_jobs.CANCELLED)


def test_jobs_asked_for_at_once_start_no_more_than_the_limit(gia_lai: Engine) -> None:  # noqa: F811
    from data import users
    from data.db import transaction

    with transaction(gia_lai) as session:
        users.create_user(session, username="room", password="x" * 16, role="viewer")
    with gia_lai.connect() as conn:
        user_id = users.get_account(conn, username="room").id

    def ask() -> str:
        return export_jobs.create(
            gia_lai,
            user_id=user_id,
            download_name="so-ket.pdf",
            path="/nowhere/so-ket.pdf",
            rows_expected=None,
            limit=1,
        )

    results = _at_once(4, ask)
    started = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, export_jobs.TooManyJobs)]
    assert len(started) == 1 and len(refused) == 3
    assert {(r.running, r.limit) for r in refused} == {(1, 1)}
    assert _running(gia_lai, "room") == started  # the refused left no row
    export_jobs.finish(gia_lai, started[0], 3)  # done: the next one may start
    assert isinstance(ask(), str)
    with pytest.raises(export_jobs.TooManyJobs):
        ask()


def _answer(client, outputs, inputs, state) -> dict:
    """A callback's answer as sent: only the outputs it changed (the first
    input is the one that changed)."""
    key = ".." + "...".join(f"{c}.{p}" for c, p in outputs) + ".."
    response = client.post(
        "/_dash-update-component",
        json={
            "output": key,
            "outputs": [{"id": c, "property": p} for c, p in outputs],
            "inputs": [{"id": c, "property": p, "value": v} for c, p, v in inputs],
            "state": [{"id": c, "property": p, "value": v} for c, p, v in state],
            "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"],
        },
    )
    assert response.status_code == 200, response.data[:300]
    return response.get_json()["response"]


DECK_START = [
    (ids.DECK_PPTX, "n_clicks", 1),
    (ids.DECK_PDF, "n_clicks", None),
    (ids.DECK_CANCEL, "n_clicks", None),
    (ids.DECK_POLL, "n_intervals", None),
]


@pytest.mark.parametrize("allowed", [1, 2])
def test_one_user_starting_four_decks_at_once_gets_the_allowed_number(
    seeded_sqlite, make_app, tmp_path, allowed
) -> None:
    """Four clicks of the same meeting-room account arrive together: JOBS_PER_USER
    start, the others are told why.  (No job worker runs: they stay running.)"""
    engine = make_engine(seeded_sqlite["DATABASE_URL"])
    user = TEST_USERS["viewer"][0]
    _stop_all(engine, user)
    # a queue of its own, left behind with the test's folder
    app = make_app(seeded_sqlite, JOBS_PER_USER=allowed, INSTANCE_PATH=str(tmp_path))
    clients = [signed_client(app, "viewer") for _ in range(4)]
    state = [
        (ids.DECK_JOB, "data", None),
        (ids.PRESENT_QUARTER, "value", "2024-Q3"),
        (ids.PRESENT_PARAMS, "data", {"province": "64", "lang": "vi"}),
    ]
    asked = iter(clients)
    lock = threading.Lock()

    def click() -> dict:
        """The callback's answer: only the outputs it changed."""
        with lock:
            client = next(asked)
        return _answer(client, DECK_OUTPUTS, DECK_START, state)

    try:
        answers = _at_once(4, click)
        running = _running(engine, user)
        assert len(running) == allowed
        started = [a for a in answers if ids.DECK_JOB in a]
        assert sorted(a[ids.DECK_JOB]["data"] for a in started) == sorted(running)
        assert all(  # no worker runs: they wait in the queue
            "Đang chờ đến lượt" in a[ids.DECK_STATUS]["children"] for a in started
        )
        refused = [a[ids.DECK_STATUS]["children"] for a in answers if a not in started]
        assert len(refused) == 4 - allowed
        assert all(
            f"bạn đang có {allowed} tệp đang được tạo" in r
            and f"tối đa {allowed} tệp cùng lúc" in r
            for r in refused
        )
    finally:
        _stop_all(engine, user)
        engine.dispose()


def test_a_running_deck_holds_back_an_excel_export_of_the_same_user(
    seeded_sqlite, make_app, tmp_path
) -> None:
    from urllib.parse import urlencode

    engine = make_engine(seeded_sqlite["DATABASE_URL"])
    user = TEST_USERS["district"][0]
    _stop_all(engine, user)
    deck_job = _job(engine, user, str(tmp_path / "deck.pdf"))  # running
    app = make_app(seeded_sqlite, EXPORT_JOB_ROWS=10)
    client = signed_client(app, "district")
    href = "/export/incidents.xlsx?" + urlencode(
        {"unit": "633", "period": "2024", "lang": "en"}
    )
    outputs = [
        (ids.TABLE_JOB, "data"),
        (ids.TABLE_JOB_POLL, "disabled"),
        (ids.TABLE_JOB_STATUS, "children"),
    ]
    try:
        refused = _answer(
            client,
            outputs,
            [(ids.TABLE_JOB_START, "n_clicks", 1)],
            [
                (ids.TABLE_XLSX, "href", href),
                (ids.TABLE_TOTAL, "data", 50),
                (ids.TABLE_LANG, "data", "en"),
            ],
        )
        assert _running(engine, user) == [deck_job]  # nothing else started
        assert set(refused) == {ids.TABLE_JOB_STATUS}  # its own job, if any, goes on
        shown = json.dumps(refused, ensure_ascii=False)
        assert "Not started: you already have 1 file(s) being built" in shown
    finally:
        _stop_all(engine, user)
        engine.dispose()
