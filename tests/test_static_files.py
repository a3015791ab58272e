"""Static files: compressed for a browser that accepts it, cached for a year under
their fingerprinted URLs; a new browser downloads little, a returning one almost
nothing.  HTML pages are not compressed (a CSRF token beside user text).

Both ways of serving them are tested: from the folder prepared once and served
ahead of the app (``dashboard.static_files``, as deployed), and through the app
itself (``STATIC_DIR=off``; tests' default)."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import brotli
import flask
import pytest

from dashboard import static_files
from dashboard.extensions import YEAR
from layouts import ids
from tests.conftest import sign_in_browser, signed_client

# plotly.js, fetched by the graph's lazy chunk (not named in the page)
LAZY_PLOTLY = "/_dash-component-suites/plotly/package_data/plotly.min.js"
ASSET = re.compile(r'(?:src|href)="(/(?:assets|_dash-component-suites)/[^"]+)"')


WAYS = ["prepared", "through the app"]


@pytest.fixture(scope="session")
def prepared_root(tmp_path_factory) -> Path:
    """One folder of prepared files for the session (about a second each)."""
    return tmp_path_factory.mktemp("static")


def _way(way: str, root: Path) -> dict:
    return {"STATIC_DIR": str(root) if way == "prepared" else "off"}


def _static_urls(client) -> list[str]:
    page = client.get("/").get_data(as_text=True)
    urls = ASSET.findall(page)
    assert len(urls) > 10, page[:500]
    return urls


@pytest.mark.parametrize("way", WAYS)
def test_scripts_and_styles_are_compressed_and_cached_for_a_year(
    way, seeded_sqlite, make_app, prepared_root
) -> None:
    app = make_app(seeded_sqlite, **_way(way, prepared_root))
    assert ("static_files" in app.server.extensions) == (way == "prepared")
    client = signed_client(app, "admin")
    plain = compressed = 0
    for url in _static_urls(client):
        raw = client.get(url)
        packed = client.get(url, headers={"Accept-Encoding": "gzip, br"})
        assert raw.status_code == packed.status_code == 200, url
        assert "Content-Encoding" not in raw.headers  # only when asked for
        assert f"max-age={YEAR}" in packed.headers["Cache-Control"], url
        if len(raw.data) > 1024:
            assert packed.headers["Content-Encoding"] == "br", url
        plain, compressed = plain + len(raw.data), compressed + len(packed.data)
    assert compressed < plain / 3, (plain, compressed)


def test_pages_are_not_compressed_and_callbacks_are(seeded_sqlite, make_app) -> None:
    client = signed_client(make_app(seeded_sqlite), "admin")
    page = client.get("/", headers={"Accept-Encoding": "gzip, br"})
    login = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in page.headers
    assert "Content-Encoding" not in login.headers
    layout = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert layout.headers["Content-Encoding"] == "gzip"


TRANSFERRED = """
return performance.getEntriesByType('resource')
  .concat(performance.getEntriesByType('navigation'))
  .map(e => [e.name, e.transferSize, e.encodedBodySize, e.decodedBodySize]);
"""


def _downloads(duo) -> list[list]:
    duo.wait_for_element(f"#{ids.MAP} .maplibregl-canvas", timeout=30)
    time.sleep(2.5)  # the map's data and boundaries arrive after its canvas
    return duo.driver.execute_script(TRANSFERRED)


@pytest.mark.browser
@pytest.mark.parametrize("way", WAYS)
def test_a_new_browser_downloads_little_and_a_returning_one_almost_nothing(
    way, dash_duo, seeded_sqlite, make_app, prepared_root
) -> None:
    app = make_app(seeded_sqlite, **_way(way, prepared_root))
    dash_duo.start_server(app, navigate=False)
    sign_in_browser(dash_duo, "admin")  # the first visit of the map page
    first = _downloads(dash_duo)
    dash_duo.driver.get(dash_duo.server_url + "/?unit=64&period=2024")
    again = _downloads(dash_duo)
    static = ("/assets/", "/_dash-component-suites/")
    new_bytes = sum(size for _, size, _, _ in first)
    unpacked = sum(size for _, _, _, size in first)
    fetched = {n: s for n, s, _, _ in again if any(p in n for p in static) and s}
    static_again = sum(fetched.values())
    print(
        f"\nfirst visit {new_bytes:,} B ({unpacked:,} B unpacked); "
        f"static files again {static_again:,} B"
    )
    assert new_bytes <= 2_500_000 and new_bytes < unpacked / 2
    # every script and style from the browser's cache; Dash's lazily loaded chunks
    # (the graph, the dropdown, plotly.js) have no fingerprint in their URL, so the
    # browser asks whether they changed: a few hundred bytes each, answered 304
    assert all("/async-" in n or n.endswith("/plotly.min.js") for n in fetched)
    assert all(size < 1000 for size in fetched.values()), fetched


def test_component_scripts_are_compressed_once_and_callbacks_never_cached(
    seeded_sqlite, make_app, monkeypatch
) -> None:
    """A second browser gets plotly.js from the compression cache (no second
    Brotli pass); a callback answer is compressed every time, never cached."""
    import flask_compress.flask_compress as fc

    calls: list[int] = []
    real = fc._compress_data

    def counted(app, data, algorithm):
        calls.append(len(data))
        return real(app, data, algorithm)

    monkeypatch.setattr(fc, "_compress_data", counted)
    app = make_app(seeded_sqlite)
    client = signed_client(app, "admin")
    plotly = LAZY_PLOTLY
    first = client.get(plotly, headers={"Accept-Encoding": "br"})
    second = signed_client(app, "admin").get(plotly, headers={"Accept-Encoding": "br"})
    assert (
        first.headers["Content-Encoding"] == second.headers["Content-Encoding"] == "br"
    )
    assert first.status_code == 200 and len(first.data) > 1_000_000
    assert first.data == second.data and len(calls) == 1
    del calls[:]
    layout = [
        client.get("/_dash-layout", headers={"Accept-Encoding": "br"}) for _ in "ab"
    ]
    assert all(r.headers.get("Content-Encoding") == "br" for r in layout)
    assert len(calls) == 2  # compressed each time: not a component script


# --- the prepared folder (dashboard.static_files) ---------------------------


def test_prepared_files_are_the_packages_own_bytes_compressed_once(
    seeded_sqlite, make_app, prepared_root
) -> None:
    """Every file a page loads is served from the prepared folder with the bytes
    the app itself serves, in Brotli when asked; no session cookie is read or
    set, and what was not prepared still reaches the app."""
    prepared = signed_client(
        make_app(seeded_sqlite, STATIC_DIR=str(prepared_root)), "admin"
    )
    plain = signed_client(make_app(seeded_sqlite, STATIC_DIR="off"), "admin")
    urls = _static_urls(prepared) + [LAZY_PLOTLY]
    for url in urls:
        ours = prepared.get(url, headers={"Accept-Encoding": "br"})
        theirs = plain.get(url)
        assert ours.status_code == theirs.status_code == 200, url
        body = ours.data
        if ours.headers.get("Content-Encoding") == "br":
            body = brotli.decompress(body)
        assert body == theirs.data, url
        assert ours.headers["X-Content-Type-Options"] == "nosniff"
        assert "Set-Cookie" not in ours.headers, url
        assert "Cookie" not in ours.headers.get("Vary", ""), url
        # the prepared answer carries no security policy: the app's answer does
        assert "Content-Security-Policy" not in ours.headers, url
    # what was not prepared (a source map) still reaches the app
    source_map = prepared.get("/_dash-component-suites/dash/dcc/async-graph.js.map")
    assert source_map.status_code == 200
    assert "Content-Security-Policy" in source_map.headers


def test_an_asset_without_its_fingerprint_and_a_lazy_chunk_are_revalidated(
    seeded_sqlite, make_app, prepared_root
) -> None:
    app = make_app(seeded_sqlite, STATIC_DIR=str(prepared_root))
    client = app.server.test_client()
    bare = client.get("/assets/app.css")  # not cached for a year: the app answers
    assert "immutable" not in bare.headers.get("Cache-Control", "")
    assert "Content-Security-Policy" in bare.headers
    lazy = client.get(LAZY_PLOTLY)
    assert lazy.headers["Cache-Control"] == "max-age=0, public"
    again = client.get(LAZY_PLOTLY, headers={"If-None-Match": lazy.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_a_changed_file_prepares_a_new_folder_and_racing_workers_share_one(
    tmp_path,
) -> None:
    source = tmp_path / "src" / "app.js"
    source.parent.mkdir()
    source.write_text("var a = 1;\n" * 500, encoding="utf-8")
    files = {"/assets/app.js": (source, True)}
    root = tmp_path / "static"
    folders: list[Path] = []
    workers = [
        threading.Thread(
            target=lambda: folders.append(static_files.prepare(files, root))
        )
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(set(folders)) == 1 and [p.name for p in root.iterdir()] == [
        folders[0].name
    ]  # no half-built folder left behind
    copy = folders[0] / "assets" / "app.js"
    assert copy.read_bytes() == source.read_bytes()
    assert brotli.decompress((copy.parent / "app.js.br").read_bytes()) == (
        source.read_bytes()
    )
    source.write_text("var a = 2;\n" * 500, encoding="utf-8")
    changed = static_files.prepare(files, root)
    assert changed != folders[0] and (changed / "assets" / "app.js").read_bytes() == (
        source.read_bytes()
    )


def test_static_dir_setting() -> None:
    base = {"INSTANCE_PATH": "/srv/instance"}
    assert static_files.folder_setting(base) == Path("/srv/instance/static")
    assert static_files.folder_setting({**base, "TESTING": True}) is None
    assert static_files.folder_setting({**base, "STATIC_DIR": "off"}) is None
    assert static_files.folder_setting({**base, "STATIC_DIR": "/x"}) == Path("/x")


def test_a_folder_that_cannot_be_written_leaves_the_files_to_the_app(
    seeded_sqlite, make_app, tmp_path
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder would be", encoding="utf-8")
    app = make_app(seeded_sqlite, STATIC_DIR=str(blocked / "static"))
    assert "static_files" not in app.server.extensions
    answer = app.server.test_client().get(LAZY_PLOTLY)
    assert answer.status_code == 200 and "Content-Security-Policy" in answer.headers


def test_what_a_shared_cache_may_keep_carries_no_session(
    seeded_sqlite, make_app
) -> None:
    """Scripts and assets served through the app are public for a year: none
    carries the session cookie (a proxy keeping one would hand a user's session
    to the next); pages still refresh it; the boundaries, behind the sign-in,
    are the browser's alone."""
    app = make_app(seeded_sqlite, STATIC_DIR="off")
    client = signed_client(app, "admin")
    public = 0
    for url in _static_urls(client):
        response = client.get(url)
        if response.cache_control.public:
            public += 1
            assert "Set-Cookie" not in response.headers, url
    assert public > 10
    assert "session=" in client.get("/").headers.get("Set-Cookie", "")
    boundaries = client.get("/geo/legacy/district/64.json")
    assert boundaries.cache_control.private and not boundaries.cache_control.public
    # a request that changed the session keeps its cookie: its answer turns private
    server = app.server
    with server.test_request_context("/assets/app.css"):
        flask.session["changed"] = True
        response = server.response_class("x")
        response.cache_control.public = True
        response.cache_control.max_age = 60
        server.session_interface.save_session(server, flask.session, response)
    assert "session=" in response.headers.get("Set-Cookie", "")
    assert response.cache_control.private and not response.cache_control.public
