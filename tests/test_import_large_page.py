"""A large file of facts through the web: the form at /import/large (its own
body limit, its CSRF check, the roles that import), the file kept and its
check queued as a background job, the page following the job (rows read, then
the summary), the confirmed import as a second job of that same file, and the
job seen only by the user who started it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from callbacks import table_export
from dashboard import jobs
from data.db import make_engine
from data.models import AuditLog, ExportJob, Incident
from layouts import ids
from tests.conftest import CSRF_FIELD, post_callback, signed_client
from tests.test_fact_import import HEADERS
from tests.test_import_page import own_db  # noqa: F401 - the shared database

N = 3_000  # rows: larger than the page's body limit below


def _rows() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for i in range(N):
        writer.writerow(
            [
                f"LG-{i:05d}",
                f"{1 + i % 28:02d}/{1 + i % 12:02d}/2024",
                ("23941", "23944", "23590")[i % 3],
                "Tai nạn thương tích",
                "Đuối nước",
                "Nam" if i % 2 else "Nữ",
                "11–15 tuổi",
                "",
                "Không cố ý",
                "Không tử vong",
                "",
            ]
        )
    return out.getvalue().encode("utf-8-sig")


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, dict]]:
    """The jobs the web puts on the queue (run by the test, as a worker would)."""
    found: list[tuple[str, str, dict]] = []
    monkeypatch.setattr(
        table_export, "enqueue", lambda kind, job_id, p: found.append((kind, job_id, p))
    )
    return found


@pytest.fixture
def app(own_db, make_app):  # noqa: F811 - the module's database
    # the page's own limit far below the file: only /import/large takes it
    return make_app(own_db, MAX_CONTENT_LENGTH=20_000)


def _work(conf: dict, queued: list) -> None:
    """Run the queued jobs as a worker process does."""
    engine = make_engine(conf["DATABASE_URL"])
    while queued:
        kind, job_id, payload = queued.pop(0)
        jobs.KINDS[kind](engine, job_id, payload)
    engine.dispose()


def _send(client, data: bytes, token: str | None = None):
    if token is None:
        page = client.get("/import/large?kind=incidents")
        token = CSRF_FIELD.search(page.get_data(as_text=True)).group(1)
    return client.post(
        "/import/large",
        data={
            "csrf_token": token,
            "kind": "incidents",
            "lang": "vi",
            "file": (io.BytesIO(data), "ca-nuoc-2024.csv"),
        },
        content_type="multipart/form-data",
    )


def poll(client, job_id: str):
    return post_callback(
        client,
        [
            (ids.IMPORT_JOB_STATUS, "children"),
            (ids.IMPORT_JOB_POLL, "disabled"),
            (ids.IMPORT_JOB_CONFIRM, "children"),
            (ids.IMPORT_JOB_CONFIRM, "className"),
            (ids.IMPORT_JOB_CONFIRM, "disabled"),
            (ids.IMPORT_DEMO, "children"),
            (ids.IMPORT_JOB_CANCEL, "className"),
        ],
        [(ids.IMPORT_JOB_POLL, "n_intervals", 1)],
        [(ids.IMPORT_JOB, "data", job_id), (ids.IMPORT_LANG, "data", "vi")],
        partial=True,
    )


def confirm(client, job_id: str):
    """Press "Xác nhận nhập" under a finished check of a large file."""
    return post_callback(
        client,
        [
            (ids.IMPORT_JOB, "data"),
            (ids.IMPORT_JOB_POLL, "disabled"),
            (ids.IMPORT_JOB_CONFIRM, "className"),
            (ids.IMPORT_JOB_CONFIRM, "disabled"),
            (ids.IMPORT_JOB_STATUS, "children"),
        ],
        [(ids.IMPORT_JOB_CONFIRM, "n_clicks", 1)],
        [(ids.IMPORT_JOB, "data", job_id), (ids.IMPORT_LANG, "data", "vi")],
    )


def _count(conf: dict, model, **where) -> int:
    engine = make_engine(conf["DATABASE_URL"])
    with engine.connect() as conn:
        stmt = select(func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        n = conn.execute(stmt).scalar_one()
    engine.dispose()
    return n


def _text(component) -> str:
    return json.dumps(component, ensure_ascii=False)


def test_a_large_file_is_checked_then_imported_by_background_jobs(
    app,
    own_db,  # noqa: F811 - the shared database
    queued,
) -> None:
    data = _rows()
    assert len(data) > 20_000
    client = signed_client(app, "province")
    form = client.get("/import/large?kind=incidents&lang=vi")
    assert form.status_code == 200
    assert "2.000.000 dòng" in form.get_data(as_text=True)

    before = _count(own_db, Incident)
    sent = _send(client, data)
    assert sent.status_code == 302
    job_id = sent.headers["Location"].split("job=")[1].split("&")[0]
    assert [(k, j) for k, j, _p in queued] == [("fact_import", job_id)]
    kept = Path(queued[0][2]["source"])
    assert kept.read_bytes() == data  # streamed to the instance folder

    waiting = poll(client, job_id)
    assert "đang chờ đến lượt" in _text(waiting[(ids.IMPORT_JOB_STATUS, "children")])
    assert waiting[(ids.IMPORT_JOB_POLL, "disabled")] is False

    _work(own_db, queued)  # the check
    checked = poll(client, job_id)
    text = _text(checked[(ids.IMPORT_JOB_STATUS, "children")])
    assert '"Mới"' in text and '"3.000"' in text  # Vietnamese thousands
    assert checked[(ids.IMPORT_JOB_POLL, "disabled")] is True
    assert checked[(ids.IMPORT_JOB_CONFIRM, "disabled")] is False
    assert f"{N:,}".replace(",", ".") in _text(
        checked[(ids.IMPORT_JOB_CONFIRM, "children")]
    )
    assert _count(own_db, Incident) == before  # nothing written by the check

    other = signed_client(app, "admin")  # another user: not their job
    assert poll(other, job_id) is None

    confirmed = confirm(client, job_id)
    second = confirmed[(ids.IMPORT_JOB, "data")]
    assert second != job_id and confirmed[(ids.IMPORT_JOB_POLL, "disabled")] is False
    importing = poll(client, second)
    assert "đang chờ" in _text(importing[(ids.IMPORT_JOB_STATUS, "children")]).lower()
    _work(own_db, queued)  # the import
    done = poll(client, second)
    assert f"Đã ghi: {N:,} vụ".replace(",", ".") in _text(
        done[(ids.IMPORT_JOB_STATUS, "children")]
    )
    assert _count(own_db, Incident) == before + N
    assert _count(own_db, AuditLog, action="facts_import_upload") == 1
    assert _count(own_db, ExportJob) >= 2


def test_the_form_refuses_roles_tokens_and_the_page_limit_elsewhere(
    app,
    own_db,  # noqa: F811 - the shared database
    queued,
) -> None:
    data = _rows()
    viewer = signed_client(app, "viewer")
    assert viewer.get("/import/large").status_code == 403
    assert _send(viewer, data, token="x").status_code == 403
    assert app.server.test_client().get("/import/large").status_code in (302, 401)

    client = signed_client(app, "province")
    assert _send(client, data, token="not-a-token").status_code == 400
    assert queued == []
    # any other address keeps MAX_CONTENT_LENGTH
    assert client.post("/logout", data={"x": "y" * 30_000}).status_code == 413


def test_a_large_import_cancelled_midway_writes_nothing(
    app,
    own_db,  # noqa: F811 - the shared database
    queued,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The user cancels while the import runs: the job stops after the chunk
    it was reading, the transaction rolls back, the page says so; only the
    job's owner may cancel it."""
    import importlib

    from callbacks import import_job

    applying = importlib.import_module("data.fact_import.apply")
    monkeypatch.setattr(applying, "CHUNK_RECORDS", 500)
    client = signed_client(app, "province")
    data = _rows().replace(b"LG-", b"CX-")  # cases of their own
    job_id = _send(client, data).headers["Location"].split("job=")[1].split("&")[0]
    _work(own_db, queued)  # the check
    second = confirm(client, job_id)[(ids.IMPORT_JOB, "data")]
    cancel = [
        (ids.IMPORT_JOB_STATUS, "children"),
        (ids.IMPORT_JOB_POLL, "disabled"),
        (ids.IMPORT_JOB_CANCEL, "className"),
    ]
    clicked = [(ids.IMPORT_JOB_CANCEL, "n_clicks", 1)]
    state = [(ids.IMPORT_JOB, "data", second), (ids.IMPORT_LANG, "data", "vi")]
    assert post_callback(signed_client(app, "admin"), cancel, clicked, state) is None
    before = _count(own_db, Incident)
    told = import_job._tell

    def tell_then_cancel(path: str, rows: int) -> None:  # the user clicks mid-way
        told(path, rows)
        if rows == 1_000:
            assert post_callback(client, cancel, clicked, state) is not None

    monkeypatch.setattr(import_job, "_tell", tell_then_cancel)
    _work(own_db, queued)  # the import, cancelled after its second chunk
    assert _count(own_db, Incident) == before  # rolled back
    shown = poll(client, second)
    assert "Đã hủy; chưa có gì được ghi" in _text(
        shown[(ids.IMPORT_JOB_STATUS, "children")]
    )
    assert "d-none" in shown[(ids.IMPORT_JOB_CANCEL, "className")]
