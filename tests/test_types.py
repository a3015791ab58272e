"""The tree passes mypy with the configuration in pyproject.toml.

CI runs only the tests, so this is where the type check runs there too.  The cache
lives in the system's temporary folder, one per checkout: a first run checks every
module (pandas-stubs included, tens of seconds), later ones only what changed.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parent.parent


def _cache_dir() -> Path:
    key = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"mypy-cache-{key}"


@pytest.mark.slow
def test_mypy_reports_no_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the configured ``files`` are relative to the root
    stdout, stderr, status = api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(_cache_dir()),
            "--no-error-summary",
        ]
    )
    assert status == 0, f"mypy found errors:\n{stdout}{stderr}"
