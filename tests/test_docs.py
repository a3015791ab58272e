"""The documentation stays true to the code: the commands it names exist, its links
lead somewhere, the Procfile it quotes is the Procfile, and the README stays short."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = [
    README,
    *sorted((ROOT / "docs").glob("*.md")),
    ROOT / "benchmarks" / "README.md",
]
README_LIMIT = 12_000  # bytes

FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"`([^`]+)`")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6} (.+)$", re.MULTILINE)


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _code(path: Path) -> list[str]:
    """The fenced blocks and the inline code spans of a Markdown file, with the
    line breaks inside a span read as spaces."""
    text = path.read_text(encoding="utf-8")
    blocks = FENCE.findall(text)
    prose = FENCE.sub("", text)
    return blocks + [" ".join(span.split()) for span in INLINE.findall(prose)]


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {_slug(h) for h in HEADING.findall(text)}


def _make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*):(?!=)", text, re.MULTILINE))


def test_the_documentation_files_are_there() -> None:
    assert all(path.is_file() for path in DOCS) and len(DOCS) >= 8


@pytest.mark.parametrize("path", DOCS, ids=_name)
def test_every_named_command_exists(path: Path) -> None:
    named = {
        command
        for code in _code(path)
        for command in re.findall(r"python -m dashboard ([a-z][a-z0-9-]*)", code)
    }
    assert named - set(main.commands) == set()


def test_the_command_table_lists_every_command() -> None:
    text = (ROOT / "docs" / "administration.md").read_text(encoding="utf-8")
    table = text.split("## Command line", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `([a-z][a-z0-9-]*)", table, re.MULTILINE))
    assert listed == set(main.commands)


@pytest.mark.parametrize("path", DOCS, ids=_name)
def test_every_named_make_target_exists(path: Path) -> None:
    named = {
        target
        for code in _code(path)
        for target in re.findall(r"(?:^|\s)make ([a-z][\w-]*)", code, re.MULTILINE)
    }
    assert named - _make_targets() == set()


def test_the_readme_names_the_two_commands() -> None:
    code = " ".join(_code(README))
    assert "make run" in code and "make test" in code
    assert {"run", "test"} <= _make_targets()


@pytest.mark.parametrize("path", DOCS, ids=_name)
def test_every_relative_link_leads_to_a_file(path: Path) -> None:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    broken = []
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.is_file():
            broken.append(target)
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(target)
    assert broken == []


def test_the_readme_links_every_documentation_file() -> None:
    text = README.read_text(encoding="utf-8")
    linked = {(ROOT / t.partition("#")[0]).resolve() for t in LINK.findall(text)}
    assert {path.resolve() for path in DOCS[1:]} <= linked
    assert (ROOT / "docs" / "screenshot-map.png").resolve() in linked


def test_the_quoted_procfile_is_the_procfile() -> None:
    procfile = (ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    quoted = [
        line
        for path in DOCS
        for block in FENCE.findall(path.read_text(encoding="utf-8"))
        for line in block.splitlines()
        if re.match(r"(web|release|worker):", line)
    ]
    assert quoted, "the documentation no longer quotes the Procfile"
    assert set(quoted) == {line for line in procfile if line.strip()}


def test_the_readme_stays_short() -> None:
    assert README.stat().st_size < README_LIMIT
