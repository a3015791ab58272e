"""The WSGI entry point gunicorn serves (the Procfile's ``dashboard.wsgi:server``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PROBE = """
import gc
before = gc.get_freeze_count()
from dashboard import wsgi
print(before, gc.get_freeze_count(), type(wsgi.server).__name__)
"""


def test_the_served_app_keeps_what_it_made_at_start_out_of_the_collector(
    tmp_path: Path,
) -> None:
    """Importing the entry point builds the app and freezes what start made
    (``dashboard.serving``): a full collection during a request does not walk
    the app's own objects."""
    env = {
        **os.environ,
        "INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dashboard.db'}",
        "STATIC_DIR": "off",
    }
    env.pop("CACHE_REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    before, after, kind = done.stdout.split()[-3:]
    assert int(before) == 0
    assert int(after) > 50_000  # modules, the app, its layouts and callbacks
    assert kind == "Flask"
