"""The repository stands alone: nothing in the suite or the app reads a file beside it.

The real boundary files are shipped in ``geo/boundaries/``.  Two checks: no tracked
test or app file names a path outside the checkout, and the tests that read the
boundary files pass in a copy of the tracked files with nothing beside it.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo.shipped import (
    BINH_DINH_COMMUNES,
    BOUNDARY_DIR,
    GIA_LAI_COMMUNES,
    GIA_LAI_DISTRICTS,
)

REPO = Path(__file__).resolve().parents[1]
# Benchmarks may read the national file beside the checkout; nothing else may.
CHECKED = ("tests/", "dashboard/", "layouts/", "callbacks/", "data/", "geo/")
CHECKED_FILES = {"Makefile", ".ci/run", "pyproject.toml", "Procfile"}
OUTSIDE = re.compile(r"\.\./shared|shared/geo|SHARED_GEO|/work/")
PARENTS = re.compile(r"parents\[(\d+)\]")


def tracked_files() -> list[str]:
    """The files git tracks in this checkout (paths relative to the repository)."""
    if shutil.which("git") is None:
        pytest.fail("git is needed to list the repository's files")
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    )
    return [name for name in out.stdout.decode().split("\0") if name]


def boundary_readers(path: Path) -> list[str]:
    """The tests of a module that call ``boundary_file``, directly or through one of
    the module's fixtures (by parameter name)."""
    functions = [
        node
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef)
    ]
    readers = {
        node.name
        for node in functions
        if any(
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id == "boundary_file"
            for call in ast.walk(node)
        )
    }
    grown = True
    while grown:
        before = len(readers)
        readers |= {
            node.name
            for node in functions
            if any(arg.arg in readers for arg in node.args.args)
        }
        grown = len(readers) > before
    return sorted(name for name in readers if name.startswith("test_"))


def test_boundary_files_are_tracked_with_their_licence() -> None:
    tracked = set(tracked_files())
    folder = BOUNDARY_DIR.relative_to(REPO).as_posix()
    shipped = (GIA_LAI_COMMUNES, GIA_LAI_DISTRICTS, BINH_DINH_COMMUNES)
    for path in (*shipped, BOUNDARY_DIR / "LICENSE"):
        assert f"{folder}/{path.name}" in tracked
    assert "MIT" in (BOUNDARY_DIR / "LICENSE").read_text(encoding="utf-8")


def test_no_test_or_app_file_names_a_path_outside_the_repository() -> None:
    this = Path(__file__).resolve().relative_to(REPO).as_posix()
    offences = []
    for name in tracked_files():
        if name == this or not (name.startswith(CHECKED) or name in CHECKED_FILES):
            continue
        path = REPO / name
        if path.suffix not in {".py", ".toml", ".cfg", ".ini", ""} or not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        offences += [f"{name}: {m.group(0)}" for m in OUTSIDE.finditer(text)]
        # tests/x.py: parents[1] is the checkout, parents[2] is beside it
        depth = len(Path(name).parts)
        offences += [
            f"{name}: {m.group(0)}"
            for m in PARENTS.finditer(text)
            if int(m.group(1)) >= depth
        ]
    assert offences == []


@pytest.mark.slow
def test_boundary_tests_pass_in_a_copy_with_nothing_beside_it(tmp_path: Path) -> None:
    """Copy the tracked files alone and run there every test that reads the boundary
    files (SQLite half only: the backend does not change where files are)."""
    copy = tmp_path / "alone" / "repo"
    for name in tracked_files():
        source = REPO / name
        if source.is_file():  # a tracked file deleted in the work tree is skipped
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    this = Path(__file__).resolve().relative_to(REPO).as_posix()
    users = [
        f"{name}::{test}"
        for name in sorted(tracked_files())
        if name.startswith("tests/test_") and name != this
        for test in boundary_readers(REPO / name)
    ]
    # the import, import-error, GeoJSON and CLI tests
    assert len({user.split("::")[0] for user in users}) >= 4, users
    assert not (copy.parent / "shared").exists()
    env = {
        k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "SHARED_GEO_DIR"}
    }
    env["SHARED_GEO_DIR"] = str(tmp_path / "nowhere")  # read by nothing any more

    # the copy's own packages are the ones imported, not an installed checkout
    where = subprocess.run(
        [sys.executable, "-c", "import geo.shipped as s; print(s.BOUNDARY_DIR)"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()) == copy.resolve() / "geo" / "boundaries"

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-x",
            "-p",
            "no:cacheprovider",
            f"--basetemp={tmp_path / 'inner'}",
            "-k",
            "not postgresql",
            *users,
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    summary = result.stdout.strip().splitlines()[-1:] if result.stdout else []
    print(f"in the copy: {len(users)} tests -> {' '.join(summary)}")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " failed" not in result.stdout
