"""Static files ahead of the app: Dash's component scripts and the app's assets,
served by WhiteNoise from a folder prepared once with their gzip and Brotli forms.

Through Flask every script of a first visit cost a request's whole pipeline
(session, sign-in check, security headers, rate limiter, a lookup in the
compression cache: 2-3 ms of a worker each, 26 files a visit); from the prepared
folder it is a dictionary lookup and a file handed to the server.  The folder is
named by what it holds (every file's address, size and modification time), so an
upgrade of Dash or a changed asset prepares a new one; where there is none (the
setting ``STATIC_DIR`` is ``off``, or tests), the same files come through Flask,
compressed there (``extensions.init_static``).

Addresses served: the component scripts and styles the page names (Dash's
fingerprint in the path: cached for a year), the ones loaded lazily (no
fingerprint: revalidated, answered 304), and the assets when the address carries
Dash's ``?m=`` (cached for a year; without it Flask answers as before).  All are
public (``auth.PUBLIC_PREFIXES``): the same files any Dash app ships.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import brotli
from dash import Dash
from dash.fingerprint import check_fingerprint
from whitenoise import WhiteNoise

from dashboard.extensions import YEAR

# what a page names: the same pattern a browser's parser sees
_NAMED = re.compile(r'(?:src|href)="(/(?:assets|_dash-component-suites)/[^"?]+)')
SUITES = "/_dash-component-suites/"
ASSETS = "/assets/"
# Brotli: 6 takes ~0.25 s for plotly.js (1.27 MB), 9 three times that for 3 %
# fewer bytes, 11 ~12 s for 12 % fewer
BROTLI_QUALITY = 6
GZIP_LEVEL = 9
# compressed forms are kept only when they save at least this share
WORTH = 0.95
# source maps are fetched only by a browser's developer tools: left to Flask
SKIPPED = (".map",)


def folder_setting(conf: dict[str, Any]) -> Path | None:
    """Where prepared folders live (``STATIC_DIR``), None when off."""
    value = str(conf.get("STATIC_DIR") or "")
    if value.lower() == "off" or (not value and conf.get("TESTING")):
        return None
    return Path(value) if value else Path(conf["INSTANCE_PATH"]) / "static"


def wanted(app: Dash) -> dict[str, tuple[Path, bool]]:
    """Address -> (file, fingerprinted) of every script and style the app's pages
    load, as Dash names them."""
    server = app.server
    with server.test_request_context("/"):
        page = str(app.index())  # registers the component scripts it names
    files: dict[str, tuple[Path, bool]] = {}
    for url in _NAMED.findall(page):
        if url.startswith(SUITES):
            namespace, _, name = url[len(SUITES) :].partition("/")
            plain, fingerprinted = check_fingerprint(name)
            files[url] = (_package_file(namespace, plain), fingerprinted)
    named = {path for path, _ in files.values()}
    for namespace, names in app.registered_paths.items():
        for name in sorted(names):  # the lazily loaded chunks, by their own name
            path = _package_file(namespace, name)
            if not name.endswith(SKIPPED) and path not in named:
                files[f"{SUITES}{namespace}/{name}"] = (path, False)
    assets = Path(app.config.assets_folder)
    for path in sorted(assets.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            files[ASSETS + path.relative_to(assets).as_posix()] = (path, True)
    return files


def _package_file(namespace: str, name: str) -> Path:
    """The file Dash serves for ``name`` of the package ``namespace``."""
    module = importlib.import_module(namespace)
    return Path(module.__file__ or "").parent / name


def key(files: dict[str, tuple[Path, bool]]) -> str:
    """A name for the folder holding exactly these files as they are now."""
    digest = hashlib.sha256()
    for url, (path, fingerprinted) in sorted(files.items()):
        stat = path.stat()
        line = f"{url}\0{stat.st_size}\0{stat.st_mtime_ns}\0{fingerprinted}\n"
        digest.update(line.encode())
    digest.update(f"{BROTLI_QUALITY}/{GZIP_LEVEL}".encode())
    return digest.hexdigest()[:16]


def prepare(files: dict[str, tuple[Path, bool]], root: Path) -> Path:
    """The folder ``root/<key>`` with a copy of each file at its address and its
    ``.br`` and ``.gz`` forms beside it; built in a folder of its own and renamed
    into place, so that workers starting together never see half of one."""
    target = root / key(files)
    if target.is_dir():
        return target
    root.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
    try:
        for url, (source, _) in files.items():
            copy = building / url.lstrip("/")
            copy.parent.mkdir(parents=True, exist_ok=True)
            data = source.read_bytes()
            copy.write_bytes(data)
            _compressed(copy, data)
        try:
            os.rename(building, target)
        except OSError:  # another worker finished first: its folder is the same
            if not target.is_dir():
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return target


def _compressed(copy: Path, data: bytes) -> None:
    if len(data) < 1024:
        return
    for suffix, packed in (
        (".br", brotli.compress(data, quality=BROTLI_QUALITY)),
        (".gz", gzip.compress(data, GZIP_LEVEL, mtime=0)),
    ):
        if len(packed) < WORTH * len(data):
            copy.with_name(copy.name + suffix).write_bytes(packed)


class _Files(WhiteNoise):
    FOREVER = YEAR  # as the app's other fingerprinted files


def _nosniff(headers: Any, path: str, url: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"


class StaticFirst:
    """The WSGI app: prepared files by WhiteNoise, everything else (and an
    asset asked for without Dash's ``?m=``) by ``app``."""

    def __init__(
        self,
        app: Callable[..., Iterable[bytes]],
        folder: Path,
        forever: frozenset[str],
    ) -> None:
        """``forever``: the addresses cached for a year (fingerprinted)."""
        self.app = app
        self.files = _Files(
            app,
            max_age=0,  # the lazily loaded chunks: asked again, answered 304
            allow_all_origins=False,
            add_headers_function=_nosniff,
            immutable_file_test=lambda path, url: url in forever,
        )
        for part in (SUITES, ASSETS):
            where = folder / part.strip("/")
            if where.is_dir():
                self.files.add_files(str(where), prefix=part)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith(ASSETS) and "m=" not in environ.get("QUERY_STRING", ""):
            return self.app(environ, start_response)
        return self.files(environ, start_response)


def init_app(app: Dash, conf: dict[str, Any]) -> Path | None:
    """Serve the app's static files from a prepared folder (preparing it when
    missing: about a second, once per installed version); the folder, or None
    when ``STATIC_DIR`` is off or the app is not served at the root."""
    root = folder_setting(conf)
    if root is None or app.config.requests_pathname_prefix != "/":
        return None
    server = app.server
    try:
        files = wanted(app)
        folder = prepare(files, root)
    except OSError as exc:  # e.g. a read-only instance folder: serve as before
        server.logger.warning(
            "static files not prepared in %s (%s): served through the app", root, exc
        )
        return None
    forever = frozenset(
        url for url, (_, fingerprinted) in files.items() if fingerprinted
    )
    server.wsgi_app = StaticFirst(server.wsgi_app, folder, forever)
    server.extensions["static_files"] = folder
    return folder
