"""Every UI string, in Vietnamese (first) and English: one table for translators.

Each module holds the messages of one page or concern; ``MESSAGES`` merges them
(a key defined twice is an error at import).  Names of domain terms (statuses,
incident types, ...) live in data/vocabulary.py, names of legal acts in
data/legal_acts.py.

``{name}`` placeholders are filled by ``render`` (``layouts.i18n.t``).  A number
written with a thousands separator or a fixed point (``{n:,}``, ``{n:.1f}``,
``{n:,.0f}``) follows the language: 1.000,5 in Vietnamese, 1,000.5 in English.  A value that is itself a problem of data/
(``data.problems.Problem``) is rendered in the same language.  A value that is a
mapping with exactly one text per language (``{"vi": ..., "en": ...}``: a legal
act's name, a status's name) is rendered as its text in the language.

This package is plain strings and imports nothing of the application: it is the
one part of layouts/ that data/ may read (``data.problems`` renders the
Vietnamese text of a problem for ``str()``; pyproject's import contracts).
"""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter

from layouts.messages.demo import DEMO_MESSAGES
from layouts.messages.fact_import import FACT_IMPORT_MESSAGES
from layouts.messages.glossary import GLOSSARY_MESSAGES
from layouts.messages.map import MAP_MESSAGES
from layouts.messages.problems import PROBLEM_MESSAGES
from layouts.messages.ranking import RANKING_MESSAGES
from layouts.messages.recognition import RECOGNITION_MESSAGES
from layouts.messages.reform import REFORM_MESSAGES
from layouts.messages.reports import REPORTS_MESSAGES
from layouts.messages.review import REVIEW_MESSAGES
from layouts.messages.shell import SHELL_MESSAGES
from layouts.messages.status import STATUS_MESSAGES
from layouts.messages.tables import TABLES_MESSAGES

LANGUAGES = ("vi", "en")

TABLES: dict[str, Mapping[str, dict[str, str]]] = {
    "shell": SHELL_MESSAGES,
    "map": MAP_MESSAGES,
    "ranking": RANKING_MESSAGES,
    "reform": REFORM_MESSAGES,
    "reports": REPORTS_MESSAGES,
    "tables": TABLES_MESSAGES,
    "review": REVIEW_MESSAGES,
    "problems": PROBLEM_MESSAGES,
    "recognition": RECOGNITION_MESSAGES,
    "fact_import": FACT_IMPORT_MESSAGES,
    "demo": DEMO_MESSAGES,
    "status": STATUS_MESSAGES,
    "glossary": GLOSSARY_MESSAGES,
}


def _merge(
    tables: Mapping[str, Mapping[str, dict[str, str]]],
) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    where: dict[str, str] = {}
    for name, table in tables.items():
        for key, texts in table.items():
            if key in merged:
                raise ValueError(
                    f"message {key!r} is defined in {where[key]} and {name}"
                )
            merged[key], where[key] = texts, name
    return merged


MESSAGES: dict[str, dict[str, str]] = _merge(TABLES)


class _Formatter(Formatter):
    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        code, values = getattr(value, "code", None), getattr(value, "values", None)
        if isinstance(code, str) and isinstance(values, Mapping):  # a nested problem
            return render(code, self.lang, **values)
        if isinstance(value, Mapping) and set(value) == set(LANGUAGES):
            value = value[self.lang]  # one text per language
        text = format(value, format_spec)
        grouped = "," in format_spec or format_spec.endswith("f")
        if grouped and self.lang == "vi" and isinstance(value, int | float):
            text = text.translate(str.maketrans(",.", ".,"))
        return text


def render(key: str, lang: str = "vi", /, **values: object) -> str:
    """The message ``key`` in ``lang`` (Vietnamese when ``lang`` is not a UI
    language) with ``values`` filled in."""
    lang = lang if lang in LANGUAGES else "vi"
    text = MESSAGES[key][lang]
    return _Formatter(lang).format(text, **values) if values else text
