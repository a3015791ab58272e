"""Flask extensions, created unbound here and bound to a server in ``create_app``.

``csrf`` keeps no per-app state and is shared; the rate limiter and
the security headers keep their settings on the object, so each app gets its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cachelib import SimpleCache
from flask import Flask, Response, request
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

from dashboard.redis_cache import SOCKET_TIMEOUT

if TYPE_CHECKING:
    from dash import Dash

csrf = CSRFProtect()

# Dash's callback endpoint (JSON POSTs from the Dash renderer) is exempt from
# CSRFProtect: the renderer would only send a token read from a cookie, and the
# sign-in guard accepts a callback POST only as JSON from this origin, which a
# cross-site form cannot send (dashboard.auth).  The name is the one Dash keeps
# for this purpose (dash/backends/_flask.py).
DASH_CALLBACK_VIEW = "dash.dash.dispatch"

# Everything is served by the app itself (no CDN).  Measured in headless Chromium
# on every page (map with MapLibre, ranking, tables, reports, present, admin):
# Dash's renderer and Pages need their inline scripts (allowed by hash, no
# 'unsafe-inline' and no 'unsafe-eval' for scripts: nothing evaluated a string);
# Dash components, AG Grid and plotly.js set inline styles; Bootstrap draws
# data: SVG icons; MapLibre starts its workers from blob: URLs.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": ["'self'", "blob:"],
    "child-src": ["'self'", "blob:"],
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def cache_config(conf: Mapping[str, Any]) -> dict[str, Any]:
    """Where aggregates are cached: in Redis when CACHE_REDIS_URL is set (shared
    by every process and machine), else in files of CACHE_DIR (shared by the web
    and the job workers of one machine, so that a worker can warm the cache the
    web reads: ``dashboard.warming``).  In test mode without either, each app
    keeps its own cache in its process: tests build many apps on one session's
    instance folder and write to its databases behind the facts version, and
    must not read each other's entries."""
    timeout = int(conf["CACHE_TIMEOUT"])
    # the values a process has read kept in its memory too (dashboard.near_cache)
    local_mb = int(conf["CACHE_LOCAL_MB"])
    near = local_mb > 0
    if conf.get("CACHE_REDIS_URL"):
        waits = ("socket_timeout", "socket_connect_timeout")
        return {
            # an unreachable Redis is a miss, not an error (dashboard.redis_cache)
            "CACHE_TYPE": "dashboard.near_cache.NearRedisCache"
            if near
            else "dashboard.redis_cache.TolerantRedisCache",
            "CACHE_OPTIONS": dict.fromkeys(waits, SOCKET_TIMEOUT),
            "CACHE_REDIS_URL": conf["CACHE_REDIS_URL"],
            "CACHE_KEY_PREFIX": "cpd:",
            "CACHE_DEFAULT_TIMEOUT": timeout,
            "CACHE_LOCAL_MB": local_mb,
        }
    if conf.get("TESTING") and not conf.get("CACHE_DIR"):
        return {
            "CACHE_TYPE": "SimpleCache",
            "CACHE_DEFAULT_TIMEOUT": timeout,
            "CACHE_THRESHOLD": int(conf["CACHE_ENTRIES"]),
        }
    folder = conf.get("CACHE_DIR") or Path(conf["INSTANCE_PATH"]) / "cache"
    return {
        "CACHE_TYPE": "dashboard.near_cache.NearFileSystemCache"
        if near
        else "FileSystemCache",
        "CACHE_DIR": str(folder),
        "CACHE_DEFAULT_TIMEOUT": timeout,
        "CACHE_THRESHOLD": int(conf["CACHE_ENTRIES"]),
        "CACHE_LOCAL_MB": local_mb,
    }


def shared(cache_conf: Mapping[str, Any]) -> bool:
    """Whether another process (a job worker) can fill this cache."""
    return cache_conf["CACHE_TYPE"] != "SimpleCache"


def init_limiter(server: Flask) -> Limiter:
    """The app's rate limiter, counting per client address: in Redis when
    CACHE_REDIS_URL is set (shared by all workers; in memory while Redis is
    unreachable), else in this process's memory."""
    redis_url = server.config.get("CACHE_REDIS_URL")
    return Limiter(
        get_remote_address,
        app=server,
        storage_uri=redis_url or "memory://",
        strategy="moving-window",
        key_prefix="cpd-limit",
        in_memory_fallback_enabled=bool(redis_url),
    )


def init_headers(server: Flask, dash_app: Dash) -> Talisman:
    """Security headers on every response: the CSP above (plus the hashes of
    Dash's inline scripts), no framing, no MIME sniffing, a same-origin referrer;
    HTTPS redirects and HSTS only when FORCE_HTTPS is on."""
    force_https = bool(server.config["FORCE_HTTPS"])
    talisman = Talisman(
        server,
        force_https=force_https,
        strict_transport_security=force_https,
        session_cookie_secure=bool(server.config["SESSION_COOKIE_SECURE"]),
        session_cookie_http_only=True,
        frame_options="DENY",
        referrer_policy="same-origin",
        content_security_policy=CONTENT_SECURITY_POLICY,  # Talisman copies it
    )
    hashed: list[bool] = []

    def hash_inline_scripts() -> None:
        # Dash adds its last inline scripts (Pages' clientside callbacks) while
        # setting itself up on the first request, in a before_request hook
        # registered before this one: hash them once that has run.
        if not hashed:
            script_src = [*CONTENT_SECURITY_POLICY["script-src"]]
            talisman.content_security_policy["script-src"] = [
                *script_src,
                *dash_app.csp_hashes(),
            ]
            hashed.append(True)

    server.before_request(hash_inline_scripts)
    return talisman


# What is compressed: the scripts, styles, callback answers and boundary files
# (about 3 MB of JavaScript becomes under 1 MB).  Not HTML: a page that carries
# a CSRF token beside text a user typed is what BREACH-style guessing reads.
COMPRESSED_TYPES = [
    "application/javascript",
    "text/javascript",
    "text/css",
    "application/json",
    "image/svg+xml",
]
# A year: these URLs change when the file does (Dash's fingerprint in the path of
# its component scripts, ``?m=<modified time>`` on the assets).
YEAR = 365 * 24 * 3600


# Dash's component scripts: their paths carry the package version, so a path's
# compressed bytes never change while the app runs.
COMPONENT_SUITES = "/_dash-component-suites/"


def _static_key(req: Any) -> str:
    """The compression cache's key of a request: its path for a GET of a
    component script, else "" (never cached: a callback answer or a page)."""
    if req.method == "GET" and req.path.startswith(COMPONENT_SUITES):
        return str(req.path)
    return ""


class StaticCompressed:
    """Flask-Compress's cache, holding only component scripts (``_static_key``):
    compressing plotly.js with Brotli for every new browser cost more CPU than
    any callback, and callback answers must never be served from a cache keyed
    by URL.  Per process, bounded by cachelib."""

    def __init__(self) -> None:
        self._cache = SimpleCache(threshold=200, default_timeout=0)

    @staticmethod
    def _kept(key: str) -> bool:
        return bool(key.split(";", 1)[-1])  # "<algorithm>;<_static_key>"

    def get(self, key: str) -> bytes | None:
        return self._cache.get(key) if self._kept(key) else None

    def set(self, key: str, value: bytes) -> None:
        if self._kept(key):
            self._cache.set(key, value)


def init_static(server: Flask) -> Compress:
    """Compressed responses (gzip or Brotli, as the browser accepts; component
    scripts compressed once per process) and assets cached for a year under
    their fingerprinted URLs."""
    server.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    server.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    server.config.setdefault("COMPRESS_MIN_SIZE", 1024)
    server.config.setdefault("COMPRESS_CACHE_BACKEND", StaticCompressed)
    server.config.setdefault("COMPRESS_CACHE_KEY", _static_key)
    compress = Compress(server)

    def cache_assets(response: Response) -> Response:
        fingerprinted = request.path.startswith("/assets/") and "m" in request.args
        if fingerprinted and response.status_code == 200:
            response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        return response

    server.after_request(cache_assets)
    return compress
