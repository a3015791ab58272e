"""The layers the imports keep (pyproject ``[tool.importlinter]``): the
application composes, callbacks answer requests, layouts draw, geometry and data
below — checked on the source tree, and shown to catch an import that breaks them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("dashboard", "callbacks", "layouts", "geo", "data")


def _lint(where: Path) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(command), "--config", str(where / "pyproject.toml"), "--no-cache"],
        cwd=where,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(where)},
    )


def test_the_tree_keeps_its_layers() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _copy(tmp_path: Path) -> Path:
    for name in PACKAGES:
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("assets")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_an_import_upwards_breaks_the_layers(tmp_path) -> None:
    copy = _copy(tmp_path)
    module = copy / "data" / "periods.py"
    module.write_text(module.read_text() + "\nfrom layouts import formatting\n")
    result = _lint(copy)
    assert result.returncode != 0
    assert "dashboard > callbacks > layouts > geo > data BROKEN" in result.stdout


def test_the_web_below_the_layouts_breaks_a_contract(tmp_path) -> None:
    copy = _copy(tmp_path)
    module = copy / "geo" / "viewport.py"
    module.write_text(module.read_text() + "\nimport flask\n")
    result = _lint(copy)
    assert result.returncode != 0
    assert "data and geo know nothing of the web BROKEN" in result.stdout
