"""Problems data/ reports to its callers: a code and the values its text needs.

data/ says what went wrong, not how to say it.  A refusal is a ``Problem``: the key
of a message of the UI's table (layouts/messages/problems.py) and the values the
message names (sheet, cell, row, unit, criterion ...; numbers stay numbers).  The
UI renders it in the user's language with ``layouts.i18n.t(problem.code, lang,
**problem.values)`` or ``problem.text(lang)``; a value that is itself a ``Problem``
(where in a file, say) is rendered in the same language.

``str()`` of a problem, and of a ``ProblemError``, is its Vietnamese text (the
first language) for logs, the command line and whatever prints it unasked.  This
is the one module of data/ that reads the message table (plain strings, importing
nothing of the application; see pyproject's import contracts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from layouts.messages import render

__all__ = ["Problem", "ProblemError"]


@dataclass(frozen=True)
class Problem:
    """One problem: ``code`` (a message key) and ``values`` (what it names)."""

    code: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "vi") -> str:
        """The problem in words, in ``lang``."""
        return render(self.code, lang, **self.values)

    def __str__(self) -> str:
        return self.text()


class ProblemError(ValueError):
    """A refusal carrying one ``Problem``, ``issue`` (``code``, ``values``);
    ``str()`` is its Vietnamese text."""

    def __init__(self, code: str, /, **values: Any) -> None:
        self.issue = Problem(code, values)
        super().__init__(code)

    @property
    def code(self) -> str:
        return self.issue.code

    @property
    def values(self) -> Mapping[str, Any]:
        return self.issue.values

    def message(self, lang: str = "vi") -> str:
        """The refusal in words, in ``lang``."""
        return self.issue.text(lang)

    def __str__(self) -> str:
        return self.issue.text()
