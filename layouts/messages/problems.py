"""Problems data/ reports by code (``data.problems``): refused uploads, accounts,
recognition decisions, calendars.  The values named in ``{...}`` are the ones the
problem carries."""

from __future__ import annotations

PROBLEM_MESSAGES: dict[str, dict[str, str]] = {}
