"""The message table (layouts/messages/): each key once, in both languages, with
the same placeholders; and data/ says no sentence of the UI."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path
from string import Formatter

import pytest

from layouts.messages import LANGUAGES, MESSAGES, TABLES, _merge, render

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


def test_a_value_given_in_each_language_is_rendered_in_the_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(
        MESSAGES, "test_under", {"vi": "theo {act}", "en": "under {act}"}
    )
    act = {"vi": "Quyết định 06/QĐ-TTg", "en": "Decision 06/QD-TTg"}
    assert render("test_under", "vi", act=act) == "theo Quyết định 06/QĐ-TTg"
    assert render("test_under", "en", act=act) == "under Decision 06/QD-TTg"
    # only a mapping of exactly the UI's languages is one text per language
    odd = {"vi": "một", "en": "một", "fr": "un"}
    assert render("test_under", "en", act=odd) == f"under {odd}"


# Vietnamese letters with a diacritic, beyond what a name in English would use.
VIETNAMESE = re.compile(
    "[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]",
    re.IGNORECASE,
)
# Domain data and document formats, not UI: names of terms and legal acts, the
# demo generator's Vietnamese names, the report template's own sheet texts and
# the fact import template's (headers read back, instructions), the
# official tree's names and unit types as the sources spell them, an Excel number
# format of the exports.
ALLOWED_FILES = {
    "data/vocabulary.py",
    "data/legal_acts.py",
    "data/report_forms.py",
    "data/fact_import/spec.py",
    "data/fact_import/template.py",
    "data/units.py",
    "data/reform/load.py",
    "data/reform/crosswalk.py",
    "data/export.py",
}
ALLOWED_DIRS = ("data/demo/",)
# The name rows give the map's mixed former-district group (a name of the data).
ALLOWED_NAMES = {("data/reform/__init__.py", "MIXED_NAME_VI")}


def _vietnamese_strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(
            node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        )
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    allowed = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(
            isinstance(target, ast.Name)
            and (path.relative_to(ROOT).as_posix(), target.id) in ALLOWED_NAMES
            for target in node.targets
        )
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings | allowed
        and VIETNAMESE.search(node.value)
    ]


def test_data_says_no_sentence_of_the_ui() -> None:
    found = []
    for path in sorted((ROOT / "data").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name in ALLOWED_FILES or name.startswith(ALLOWED_DIRS):
            continue
        found += [(name, line, text) for line, text in _vietnamese_strings(path)]
    assert found == []
