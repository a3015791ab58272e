"""Settings: one table of (name, default, help), read from the environment.

Order of precedence (lowest first): the defaults below, environment variables, then
the mapping passed to ``create_app``.  docs/administration.md lists every setting;
a test keeps the two in step.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    kind: type = str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "INSTANCE_PATH",
        str(PROJECT_ROOT / "instance"),
        "Folder for the SQLite database, the generated secret key and other "
        "machine-local files.",
    ),
    Setting(
        "DATABASE_URL",
        "",
        "SQLAlchemy URL of the database. Empty means a SQLite file "
        "`dashboard.db` in INSTANCE_PATH. For PostgreSQL use "
        "`postgresql+psycopg://user@host:5432/dbname`.",
    ),
    Setting(
        "SECRET_KEY",
        "",
        "Key that signs session cookies. Empty means a random key generated once "
        "and kept in INSTANCE_PATH/secret_key. Set it in production.",
    ),
    Setting(
        "PRODUCTION",
        False,
        "Production mode: the app refuses to start without a SECRET_KEY of at "
        "least 32 characters (no generated key, no demo users).",
        bool,
    ),
    Setting(
        "SESSION_COOKIE_SECURE",
        False,
        "Send the session cookie over HTTPS only. Turn on behind HTTPS.",
        bool,
    ),
    Setting(
        "SESSION_HOURS",
        8,
        "A signed-in session ends after this many hours without a request, and "
        "in any case 12 hours after signing in.",
        int,
    ),
    Setting(
        "FORCE_HTTPS",
        False,
        "Redirect every plain-HTTP request to HTTPS and send HSTS. Off by default "
        "(the app is served over local HTTP); turn on behind HTTPS, together with "
        "SESSION_COOKIE_SECURE.",
        bool,
    ),
    Setting(
        "LOGIN_ADDRESS_LIMIT",
        20,
        "Sign-in attempts (right or wrong) from one client address within 15 "
        "minutes; further attempts are refused (429) before any password or "
        "database work. Counted in Redis when CACHE_REDIS_URL is set.",
        int,
    ),
    Setting(
        "PROXY_HOPS",
        0,
        "Number of reverse proxies in front of the app whose X-Forwarded-For and "
        "X-Forwarded-Proto headers are trusted (0: none). Set it behind a proxy, "
        "or every client shares the proxy's address and its sign-in limit.",
        int,
    ),
    Setting(
        "CACHE_REDIS_URL",
        "",
        "Redis URL for the cache shared by all workers (e.g. "
        "`redis://127.0.0.1:6379/0`). Empty means a cache of files in CACHE_DIR, "
        "shared by the web and the job workers of one machine.",
    ),
    Setting(
        "CACHE_DIR",
        "",
        "Folder of the file cache used when CACHE_REDIS_URL is empty. Empty means "
        "the folder `cache` in INSTANCE_PATH (in test mode: an in-process cache "
        "of each app, unless set).",
    ),
    Setting(
        "STATIC_DIR",
        "",
        "Folder where Dash's component scripts and the assets are copied once, "
        "with their Brotli and gzip forms, and served ahead of the app "
        "(WhiteNoise): a script then costs a worker no Python beyond a lookup. "
        "Empty means the folder `static` in INSTANCE_PATH (in test mode: none, "
        "unless set); `off` serves them through the app, compressed there.",
    ),
    Setting(
        "CACHE_WARM",
        True,
        "After the facts change, a background job computes the views a meeting "
        "opens first (each province's map per theme, the ranking, the review of "
        "the last quarter) into the shared cache. Off: they are computed by the "
        "first request that asks. Needs a shared cache (Redis or the file cache).",
        bool,
    ),
    Setting(
        "CACHE_TIMEOUT",
        3600,
        "Seconds a cached aggregate or boundary file is kept.",
        int,
    ),
    Setting(
        "CACHE_ENTRIES",
        5000,
        "Entries the file cache keeps (without Redis) before it drops the "
        "oldest: a quarterly meeting's walk through the map, ranking and review "
        "touches about 1,400.",
        int,
    ),
    Setting(
        "CACHE_LOCAL_MB",
        64,
        "Megabytes of the cached values each process has read that it also keeps "
        "in its own memory, for at most 5 minutes, in front of Redis or the file "
        "cache (a read then costs no round trip). 0: none.",
        int,
    ),
    Setting(
        "PROVINCES",
        "64",
        "Comma-separated GSO codes of the provinces loaded on first run "
        "(legacy tree; 64 = Gia Lai). `all` loads the whole country.",
    ),
    Setting(
        "DEMO",
        True,
        "Seed generated demo data on first run when the database is empty. The "
        "UI then says the figures are demo data.",
        bool,
    ),
    Setting(
        "DEMO_SEED",
        20210101,
        "Seed of the deterministic demo generator.",
        int,
    ),
    Setting(
        "DB_POOL_TIMEOUT",
        3,
        "Seconds a request waits for a free database connection before it is "
        "answered 503 (busy, try again) instead of waiting on.",
        int,
    ),
    Setting(
        "STATEMENT_TIMEOUT_MS",
        15000,
        "Longest a single database statement may run (PostgreSQL: statement_timeout;"
        " SQLite: interrupted by a progress check); slower ones are logged as"
        " warnings.",
        int,
    ),
    Setting(
        "EXPORT_JOB_ROWS",
        100_000,
        "From this many rows the tables page writes an Excel file in the background "
        "with a progress bar (smaller tables download at once; CSV always streams).",
        int,
    ),
    Setting(
        "MAX_CONTENT_LENGTH",
        10 * 1024 * 1024,
        "Largest request body in bytes: a larger one is refused (413) before it is "
        "read. A report upload travels base64-encoded inside a callback's JSON, a "
        "third larger than the file, so the upload box takes files up to about "
        "three quarters of this (and never more than the report form's 5 MB).",
        int,
    ),
    Setting(
        "IMPORT_MAX_BYTES",
        1024 * 1024 * 1024,
        "Largest file of facts sent to the large-file import (/import/large), in "
        "bytes: kept on disk and checked by a background job (at most 2,000,000 "
        "rows). Only that address takes bodies above MAX_CONTENT_LENGTH.",
        int,
    ),
    Setting(
        "JOBS_PER_USER",
        1,
        "Background jobs (large Excel exports, review decks) one user may have "
        "running at once; a further one is refused with a message until one ends.",
        int,
    ),
    Setting(
        "COUNT_UNAPPROVED",
        True,
        "Figures of submitted reports not yet approved (phê duyệt) count on the "
        'map, the ranking and the review, marked "chưa phê duyệt" in the hover '
        "and the detail panel. Off: only approved reports' figures count.",
        bool,
    ),
    Setting(
        "JOB_QUEUE_URL",
        "",
        "Where background jobs wait for a worker (`python -m dashboard worker`): a "
        "Redis URL (e.g. `redis://127.0.0.1:6379/1`; workers may then run on other "
        "machines) or `sqlite:///FILE`. Empty means CACHE_REDIS_URL when that is "
        "set, else the file `jobs.db` in INSTANCE_PATH (web and worker on one "
        "machine).",
    ),
    Setting(
        "JOB_WORKERS",
        2,
        "Jobs one worker process runs at once (threads sharing its one Chromium).",
        int,
    ),
    Setting("HOST", "127.0.0.1", "Address `python -m dashboard serve` listens on."),
    Setting("PORT", 8050, "Port `python -m dashboard serve` listens on.", int),
    Setting(
        "LANGUAGE",
        "vi",
        "Default UI language: `vi` (Vietnamese) or `en` (English).",
    ),
    Setting(
        "TESTING",
        False,
        "Test mode: no secret file is written; without CACHE_REDIS_URL or "
        "CACHE_DIR each app keeps its cache in its own process (tests share one "
        "instance folder).",
        bool,
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(setting: Setting, value: Any) -> Any:
    if setting.kind is bool and isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if setting.kind is int and isinstance(value, str):
        return int(value)
    return value


def load(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Defaults, then environment variables, then ``overrides``."""
    env = os.environ if environ is None else environ
    config: dict[str, Any] = {}
    for s in SETTINGS:
        config[s.name] = _coerce(s, env.get(s.name, s.default))
    for key, value in (overrides or {}).items():
        config[key] = _coerce(_BY_NAME[key], value) if key in _BY_NAME else value
    instance = Path(config["INSTANCE_PATH"])
    config["INSTANCE_PATH"] = str(instance)
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance / 'dashboard.db'}"
    for name in (
        "MAX_CONTENT_LENGTH",
        "IMPORT_MAX_BYTES",
        "JOBS_PER_USER",
        "JOB_WORKERS",
    ):
        if not isinstance(config[name], int) or config[name] < 1:
            raise ValueError(f"{name} must be a positive whole number")
    if config["LANGUAGE"] not in {"vi", "en"}:
        raise ValueError(f"LANGUAGE must be 'vi' or 'en', not {config['LANGUAGE']!r}")
    return config


# Keys seen in examples and templates; never accepted in production.
KNOWN_DEFAULT_KEYS = frozenset(
    {"dev", "secret", "changeme", "change-me", "development", "secret-key"}
)
MIN_PRODUCTION_KEY = 32


class ConfigError(RuntimeError):
    """A setting that makes the app unsafe to start."""


def secret_key(config: Mapping[str, Any]) -> str:
    """The configured key, or one generated once and kept on disk (mode 0600).

    In production the key must be configured, at least 32 characters and not a
    well-known default (``ConfigError`` otherwise).
    """
    configured = str(config.get("SECRET_KEY") or "")
    if config.get("PRODUCTION"):
        if (
            len(configured) < MIN_PRODUCTION_KEY
            or configured.lower() in KNOWN_DEFAULT_KEYS
        ):
            raise ConfigError(
                "PRODUCTION is on but SECRET_KEY is missing, a known default or "
                f"shorter than {MIN_PRODUCTION_KEY} characters: set a random one, "
                'e.g. python -c "import secrets; print(secrets.token_hex(32))"'
            )
        return configured
    if configured:
        return configured
    if config.get("TESTING"):
        return secrets.token_hex(32)
    path = Path(config["INSTANCE_PATH"]) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def province_codes(config: Mapping[str, Any]) -> list[str] | None:
    """Province codes to load; ``None`` means the whole country."""
    raw = str(config["PROVINCES"]).strip()
    if raw.lower() == "all":
        return None
    return [c.strip() for c in raw.split(",") if c.strip()]
