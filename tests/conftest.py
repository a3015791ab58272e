"""Shared fixtures: databases on both backends, loaded units, the app, Chromium options.

Every test that takes ``engine`` (or a fixture built on it) runs twice: on SQLite and
on PostgreSQL.  PostgreSQL comes from TEST_POSTGRES_URL (default: the server these
machines run at 127.0.0.1:5432); each test session creates its own throw-away
database there.  Without a reachable server the PostgreSQL half is skipped locally
and FAILS under CI=true, so CI can never pass without having tested PostgreSQL.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, text, update
from sqlalchemy.engine import make_url

from data.db import make_engine, transaction
from data.inventory import DATABASE_ID
from data.models import Base, Meta
from data.units import load_legacy_tree
from geo.shipped import BOUNDARY_DIR

PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)

CHROME_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--window-size=1280,1024",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-features=NetworkTimeServiceQuerying",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
]


# Under pytest-xdist (``make test`` runs two workers) each worker is numbered.
WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
# Redis database of this worker's tests (they flush it): one per worker.
TEST_REDIS_URL = os.environ.get(
    "TEST_REDIS_URL", f"redis://127.0.0.1:6379/{15 - WORKER}"
)


def pytest_configure(config) -> None:
    """Each worker's Dash test servers on ports of its own."""
    from dash.testing.application_runners import BaseDashRunner

    BaseDashRunner._next_port = 58050 + 500 * WORKER


def pytest_collection_modifyitems(items) -> None:
    """Browser tests run one after another on one worker (``--dist loadgroup``):
    two Chromiums on two cores make their waits flaky."""
    for item in items:
        if "dash_duo" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(autouse=True)
def idle_test_server(request) -> Iterator[None]:
    """A browser test ends with its page closed and no request still being served:
    dash_duo stops the server by raising SystemExit in its threads, and a callback
    still running then (a slow detail panel) fails the test in its teardown."""
    if "dash_duo" not in request.fixturenames:
        yield
        return
    duo = request.getfixturevalue("dash_duo")  # so it is torn down after this
    yield
    import threading

    try:
        duo.driver.get("about:blank")  # no more callbacks from the page
    except Exception:  # noqa: BLE001 - a browser already gone sends nothing
        pass
    end = time.monotonic() + 60
    while time.monotonic() < end and _serving(threading.enumerate()):
        time.sleep(0.1)


def _serving(threads) -> bool:
    """Whether one of the test server's request threads is inside a request (an
    idle keep-alive connection waits outside ``run_wsgi``, and may for minutes)."""
    import sys

    frames = sys._current_frames()
    for thread in threads:
        frame = frames.get(thread.ident) if "process_request" in thread.name else None
        while frame is not None:
            if frame.f_code.co_name == "run_wsgi":
                return True
            frame = frame.f_back
    return False


def pytest_setup_options():
    """Chromium flags for dash_duo: headless, and no traffic beyond localhost."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    for arg in CHROME_ARGS:
        options.add_argument(arg)
    return options


@pytest.fixture(autouse=True)
def record_keys(monkeypatch) -> None:
    """Record keys (data.suppression) drawn from a seeded generator: a test's
    perturbed figures are the same on every run."""
    import random

    from data import models

    monkeypatch.setattr(models, "_KEYS", random.Random(2026))


def boundary_file(name: str) -> Path:
    """A real boundary file shipped in the repository (geo/boundaries/)."""
    path = BOUNDARY_DIR / name
    if not path.exists():
        pytest.fail(f"boundary file missing from the checkout: {path}")
    return path


@contextmanager
def new_postgres_database(template: str | None = None) -> Iterator[str]:
    """Create a throw-away PostgreSQL database (a copy of the database
    ``template`` when given: no one may be connected to it); yield its URL;
    drop it afterwards."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "no server"
        admin.dispose()
        message = f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    name = f"cpd_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        copied = "" if template is None else f' TEMPLATE "{template}"'
        conn.execute(text(f'CREATE DATABASE "{name}"{copied}'))
    try:
        yield (
            make_url(PG_ADMIN_URL)
            .set(database=name)
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a PostgreSQL database that lives for this test session."""
    with new_postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request, tmp_path) -> str:
    """An empty database on each backend (SQLite file, or the session's PG db)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def engine(backend_url: str) -> Iterator[Engine]:
    """An engine on an empty schema created from the models."""
    eng = make_engine(backend_url)
    Base.metadata.create_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def gia_lai(engine: Engine) -> Engine:
    """``engine`` with the legacy units of Gia Lai (province 64) loaded."""
    with transaction(engine) as session:
        load_legacy_tree(session, ["64"])
    return engine


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:
    """A SQLite-only engine for tests that are about logic, not the backend."""
    eng = make_engine(f"sqlite:///{tmp_path / 'logic.db'}")
    Base.metadata.create_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def gia_lai_cli(gia_lai: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run a command of ``python -m dashboard`` on the ``gia_lai`` database, in
    Vietnamese; the click result."""
    from click.testing import CliRunner

    from dashboard.cli import main

    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv(
        "DATABASE_URL", gia_lai.url.render_as_string(hide_password=False)
    )
    monkeypatch.setenv("LANGUAGE", "vi")
    return lambda *args, **kwargs: CliRunner().invoke(main, list(args), **kwargs)


# One signed-in user per role in every seeded database: (username, scope unit).
TEST_PASSWORD = "correct-horse-battery-2026"
TEST_USERS = {
    "admin": ("t_admin", None),
    "province": ("t_province", None),
    "district": ("t_district", "633"),  # Huyện Chư Sê
    "commune": ("t_commune", "23941"),  # Thị trấn Chư Sê
    "viewer": ("t_viewer", None),
}


def create_test_users(engine: Engine) -> None:
    from data import users

    with transaction(engine) as session:
        for role, (name, unit) in TEST_USERS.items():
            users.create_user(
                session,
                username=name,
                password=TEST_PASSWORD,
                role=role,
                unit_code=unit,
            )


def _test_settings(url: str, instance: Path) -> dict:
    from dashboard import settings

    return settings.load(
        {"DATABASE_URL": url, "INSTANCE_PATH": str(instance), "TESTING": True}
    )


def seed_database(url: str, instance: Path) -> dict:
    """Run first-run setup (units, approximate boundaries, demo) into ``url``,
    and add the test users (``TEST_USERS``)."""
    from dashboard import first_run

    conf = _test_settings(url, instance)
    engine = make_engine(url)
    try:
        first_run.run(engine, conf, lambda _msg: None)
        create_test_users(engine)
    finally:
        engine.dispose()
    return conf


SEEDED_FILE = "dashboard.db"


@pytest.fixture(scope="session")
def pristine_sqlite(tmp_path_factory) -> Path:
    """The instance folder of a seeded SQLite database that no test opens: the
    source of every seeded SQLite database a test gets (``seeded_copy``)."""
    folder = tmp_path_factory.mktemp("pristine")
    seed_database(f"sqlite:///{folder / SEEDED_FILE}", folder)
    return folder


def seeded_copy(pristine: Path, folder: Path) -> dict:
    """Settings of a seeded SQLite database of the caller's own in ``folder``: a
    copy of ``pristine`` (a second or less, where seeding takes several), with a
    database id of its own so that no cache mixes two copies' figures."""
    shutil.copytree(pristine, folder, dirs_exist_ok=True)
    return _as_a_copy(f"sqlite:///{folder / SEEDED_FILE}", folder)


def _as_a_copy(url: str, folder: Path) -> dict:
    """The settings of the copied database ``url``, given a database id of its
    own so that no cache mixes two copies' figures."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                update(Meta)
                .where(Meta.key == DATABASE_ID)
                .values(value=uuid.uuid4().hex)
            )
    finally:
        engine.dispose()
    return _test_settings(url, folder)


@pytest.fixture(scope="session")
def seeded_sqlite(pristine_sqlite: Path, tmp_path_factory) -> dict:
    """Settings of a SQLite database set up as a newcomer's first run leaves it."""
    return seeded_copy(pristine_sqlite, tmp_path_factory.mktemp("seeded"))


@pytest.fixture(scope="session")
def pristine_postgresql(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """A seeded PostgreSQL database that no test opens and its instance folder:
    the template of every seeded PostgreSQL database a test gets
    (``postgres_copy``)."""
    folder = tmp_path_factory.mktemp("pristine_pg")
    with new_postgres_database() as url:
        seed_database(url, folder)
        yield url, folder


@contextmanager
def postgres_copy(pristine: tuple[str, Path], folder: Path) -> Iterator[dict]:
    """Settings of a seeded PostgreSQL database of the caller's own: a copy of
    ``pristine`` made by the server (a second or so, where seeding takes ten),
    with a database id of its own, as ``seeded_copy``."""
    url, source = pristine
    with new_postgres_database(template=make_url(url).database) as copy:
        shutil.copytree(source, folder, dirs_exist_ok=True)
        yield _as_a_copy(copy, folder)


@pytest.fixture(scope="session")
def seeded_postgresql(pristine_postgresql, tmp_path_factory) -> Iterator[dict]:
    """The same on its own PostgreSQL database."""
    with postgres_copy(
        pristine_postgresql, tmp_path_factory.mktemp("seeded_pg")
    ) as conf:
        yield conf


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded(request) -> dict:
    """Settings of a seeded database, on each backend."""
    return request.getfixturevalue(f"seeded_{request.param}")


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh(request, tmp_path) -> Iterator[dict]:
    """A newly seeded database of its own, on each backend (for tests that
    change what every other test reads)."""
    if request.param == "sqlite":
        yield seeded_copy(request.getfixturevalue("pristine_sqlite"), tmp_path)
        return
    with postgres_copy(
        request.getfixturevalue("pristine_postgresql"), tmp_path
    ) as conf:
        yield conf


@pytest.fixture
def engine_of(fresh) -> Iterator[Engine]:
    engine = make_engine(fresh["DATABASE_URL"])
    yield engine
    engine.dispose()


@pytest.fixture
def redis_url() -> str:
    """This worker's Redis database (``TEST_REDIS_URL``): a test that needs
    Redis fails without it on CI and is skipped elsewhere."""
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL).ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis not reachable at {TEST_REDIS_URL}: {exc}")
        pytest.skip(f"Redis not reachable at {TEST_REDIS_URL}")
    return TEST_REDIS_URL


@pytest.fixture
def make_app():
    """Factory: an app on the given settings (plus TESTING)."""
    from dashboard import create_app

    def make(conf: dict, **overrides):
        return create_app({**conf, "TESTING": True, **overrides})

    return make


CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def sign_in(client, role: str = "admin", password: str = TEST_PASSWORD):
    """Sign a Flask test client in as the test user of ``role``; the response."""
    page = client.get("/login")
    token = CSRF_FIELD.search(page.get_data(as_text=True)).group(1)
    return client.post(
        "/login",
        data={
            "csrf_token": token,
            "username": TEST_USERS[role][0],
            "password": password,
        },
    )


def signed_client(app, role: str):
    """A test client of ``app`` signed in as the test user of ``role``."""
    client = app.server.test_client()
    assert sign_in(client, role).status_code == 302
    client.dash_app = app  # e.g. to read its callback_map
    return client


def post_callback(client, outputs, inputs, state=(), changed=None, partial=False):
    """POST a callback as the browser does: ``outputs`` [(id, prop)], ``inputs``
    and ``state`` [(id, prop, value)]; the first input is the one that changed.
    The response's values keyed (id, prop); None for 204 (nothing to update).
    The callback is found by its outputs (outputs shared with another callback
    carry a suffix in its key, so the key is read from the app).  ``partial``:
    outputs the callback left unchanged are None instead of an error."""
    plain = ".." + "...".join(f"{c}.{p}" for c, p in outputs) + ".."
    names = [f"{c}.{p}" for c, p in outputs]
    key = next(
        (
            k
            for k in client.dash_app.callback_map
            if [part.split("@")[0] for part in k.strip(".").split("...")] == names
        ),
        plain,
    )
    first = inputs[0]
    specs = [{"id": c, "property": p} for c, p in outputs]
    single = not key.startswith("..")  # one Output, not a list: as the browser sends
    payload = {
        "output": key,
        "outputs": specs[0] if single else specs,
        "inputs": [{"id": c, "property": p, "value": v} for c, p, v in inputs],
        "state": [{"id": c, "property": p, "value": v} for c, p, v in state],
        "changedPropIds": [changed or f"{first[0]}.{first[1]}"],
    }
    response = client.post("/_dash-update-component", json=payload)
    if response.status_code == 204:
        return None
    assert response.status_code == 200, response.data[:300]
    body = response.get_json()["response"]
    if partial:
        return {(c, p): body.get(c, {}).get(p) for c, p in outputs}
    return {(c, p): body[c][p] for c, p in outputs}


@pytest.fixture
def signed_in(seeded, make_app):
    """A test client of the seeded app, signed in as the admin."""
    client = make_app(seeded).server.test_client()
    assert sign_in(client).status_code == 302
    return client


def sign_in_browser(duo, role: str = "admin") -> None:
    """Sign the browser of ``dash_duo`` in through the login page (start the server
    with ``navigate=False``: before signing in there is no Dash page to wait for)."""
    base = duo.server.url
    duo.driver.get(base + "/login")
    duo.wait_for_element("#username", timeout=20).send_keys(TEST_USERS[role][0])
    duo.find_element("#password").send_keys(TEST_PASSWORD)
    duo.find_element("#login-submit").click()
    # the sign-in answers after the password check (slow by design): navigating
    # before it arrives would abort it and leave the browser signed out
    end = time.monotonic() + 30
    while "/login" in duo.driver.current_url:
        assert time.monotonic() < end, "the sign-in did not complete"
        time.sleep(0.1)
    duo.server_url = base  # opens the map and waits for the Dash page
    duo.wait_for_element("#map", timeout=30)


def click_when_clear(duo, element, timeout: float = 20) -> None:
    """Scroll ``element`` to the middle of the window and click it once nothing
    covers it where WebDriver clicks (the middle of its first line box): a page
    still laying out (the map loading, a note appearing above) moves the element
    between the scroll and the click, which a user never sees."""
    covered = (
        "const e = arguments[0];"
        "e.scrollIntoView({block: 'center', behavior: 'instant'});"
        "const r = e.getClientRects()[0];"
        "const x = r.left + r.width / 2, y = r.top + r.height / 2;"
        "const top = document.elementFromPoint(x, y);"
        "return !(top && (top === e || e.contains(top)));"
    )
    end = time.monotonic() + timeout
    while duo.driver.execute_script(covered, element):
        assert time.monotonic() < end, "the element stayed covered"
        time.sleep(0.2)
    element.click()


@pytest.fixture
def conn(seeded: dict) -> Iterator[Connection]:
    """A connection to the seeded database (both backends)."""
    engine = make_engine(seeded["DATABASE_URL"])
    with engine.connect() as connection:
        yield connection
    engine.dispose()


@pytest.fixture
def client_as(seeded, make_app):
    """Factory: a test client of an app on ``seeded``, signed in as ``role``."""
    app = make_app(seeded)
    return lambda role: signed_client(app, role)


@pytest.fixture
def db(seeded):
    """A connection to ``seeded``'s database."""
    engine = make_engine(seeded["DATABASE_URL"])
    with engine.connect() as connection:
        yield connection
    engine.dispose()


# --- the job worker ----------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


class Worker:
    """A running ``python -m dashboard worker``: its process and what it printed."""

    def __init__(self, process) -> None:
        self.process = process
        self.lines: list[str] = []

    @property
    def output(self) -> str:
        return "".join(self.lines)


@contextmanager
def job_worker(conf: dict, threads: int = 1) -> Iterator[Worker]:
    """A job worker process on ``conf``'s database and queue (its INSTANCE_PATH,
    JOB_QUEUE_URL), as ``python -m dashboard worker`` runs; waits until it takes
    jobs, and stops it (Ctrl-C) afterwards."""
    import subprocess
    import sys
    import threading

    from callbacks import chromium

    env = {
        **os.environ,
        "DATABASE_URL": conf["DATABASE_URL"],
        "INSTANCE_PATH": conf["INSTANCE_PATH"],
        "JOB_QUEUE_URL": conf.get("JOB_QUEUE_URL") or "",
        "CACHE_REDIS_URL": conf.get("CACHE_REDIS_URL") or "",
        # this checkout's packages first (not an installed copy elsewhere)
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p
        ),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "worker", "--threads", str(threads)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    worker = Worker(process)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            worker.lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        # longer than the worker's own wait for its Chromium (it then goes on
        # without one): a browser slow to start on a busy machine is no failure
        end = time.monotonic() + chromium.TIMEOUT + 60
        while "Worker ready" not in worker.output:
            assert process.poll() is None, f"the worker stopped:\n{worker.output}"
            assert time.monotonic() < end, f"no worker:\n{worker.output}"
            time.sleep(0.1)
        yield worker
    finally:
        process.send_signal(2)  # SIGINT: finish the running jobs, then stop
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=5)
