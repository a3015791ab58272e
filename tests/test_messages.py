"""The message table (layouts/messages/): each key once, in both languages, with
the same placeholders."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path
from string import Formatter

import pytest

from layouts.messages import LANGUAGES, MESSAGES, TABLES, _merge

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "layouts" / "messages"


def _literal_keys(path: Path) -> list[str]:
    """The keys of every dict literal at the top of a module of the table (a dict
    display keeps the last of two equal keys without a word)."""
    keys: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(
            node.value, ast.Dict
        ):
            keys += [k.value for k in node.value.keys if isinstance(k, ast.Constant)]
    return keys


def test_no_key_is_defined_twice() -> None:
    everywhere: Counter[str] = Counter()
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name != "__init__.py":
            everywhere.update(_literal_keys(path))
    assert [k for k, n in everywhere.items() if n > 1] == []
    assert len(MESSAGES) == sum(len(table) for table in TABLES.values())
    with pytest.raises(ValueError, match="'app_title' is defined in a and b"):
        _merge({"a": {"app_title": {}}, "b": {"app_title": {}}})


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def test_every_key_has_both_languages_and_the_same_placeholders() -> None:
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(texts[lang].strip() for lang in LANGUAGES), key
        vi, en = (_placeholders(texts[lang]) for lang in LANGUAGES)
        assert vi == en, (key, vi, en)
