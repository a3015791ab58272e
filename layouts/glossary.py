"""The indicator glossary: the page /chi-so and the "?" beside every indicator.

Pure functions.  An entry's text is in the message table
(``layouts/messages/glossary.py``: ``gloss_<key>_<field>``); every entry has an
anchor (``/chi-so#fund_pct``).  The "?" opens the entry in a new tab, so the page
it sits on (a filtered table, the ranking's weights, the map's view) stays as the
user left it.
"""

from __future__ import annotations

from collections.abc import Sequence

from dash import html

from layouts.i18n import t
from layouts.messages import MESSAGES
from layouts.messages.glossary import ENTRIES, FIELDS
from layouts.shell import PageInfo, navbar

PATH = "/chi-so"
# the fields shown under an entry's name, in order
DETAILS = FIELDS[1:]


def has_entry(key: str) -> bool:
    """Whether ``key`` has a complete entry (every field, both languages)."""
    return all(f"gloss_{key}_{field}" in MESSAGES for field in FIELDS)


# every entry the page shows an anchor for
KEYS = tuple(key for key in ENTRIES if has_entry(key))


def text(key: str, field: str, lang: str) -> str:
    return t(f"gloss_{key}_{field}", lang)


def href(key: str, lang: str) -> str:
    """The entry's address: the page in ``lang``, at the entry's anchor."""
    return f"{PATH}?lang={lang}#{key}"


def link_props(key: str, lang: str) -> dict[str, str]:
    """What a "?" link carries (also for links built in the browser: the map's
    legend, the scorecard grid's cells)."""
    label = t("gloss_help", lang, name=text(key, "name", lang))
    return {"href": href(key, lang), "label": label}


def help_link(key: str, lang: str) -> html.A:
    """A small "?" beside an indicator's name, opening its entry in a new tab."""
    props = link_props(key, lang)
    return html.A(
        "?",
        href=props["href"],
        target="_blank",
        rel="noopener",
        title=props["label"],
        className="gloss-help",
        **{"aria-label": props["label"]},
    )


def named(label: str, key: str, lang: str) -> list:
    """``label`` followed by its "?" link."""
    return [label, " ", help_link(key, lang)]


def entry(key: str, lang: str) -> html.Section:
    """One entry: its name as a heading (the anchor), then its fields."""
    rows: list = []
    for field in DETAILS:
        rows += [
            html.Dt(t(f"gloss_field_{field}", lang)),
            html.Dd(text(key, field, lang)),
        ]
    return html.Section(
        [
            html.H3(text(key, "name", lang), className="h6 fw-semibold mb-1"),
            html.Code(key, className="small text-muted"),
            html.Dl(rows, className="gloss-fields mb-1"),
            html.A(t("gloss_back", lang), href="#gloss-contents", className="small"),
        ],
        id=key,
        className="gloss-entry",
    )


def layout(
    sections: Sequence[tuple[str, Sequence[str]]],
    info: PageInfo,
    ranking: Sequence[str] = (),
) -> html.Div:
    """The page: contents, then each section's entries.  ``sections``: (title
    message key, glossary keys); ``ranking``: the entries the ranking's
    components share with the map (named in the ranking section)."""
    lang = info.lang
    contents = [
        html.Li(
            [
                t(title, lang),
                html.Ul(
                    [
                        html.Li(html.A(text(key, "name", lang), href=f"#{key}"))
                        for key in keys
                    ]
                ),
            ]
        )
        for title, keys in sections
    ]
    body: list = [
        html.H1(t("gloss_title", lang), className="h4 mt-3 mb-1"),
        html.P(t("gloss_intro", lang), className="text-muted"),
        html.Nav(
            [html.H2(t("gloss_contents", lang), className="h5"), html.Ul(contents)],
            id="gloss-contents",
            className="gloss-contents mb-3",
        ),
    ]
    for title, keys in sections:
        body.append(html.H2(t(title, lang), className="h5 mt-4 border-bottom pb-1"))
        if title == "gloss_section_ranking" and ranking:
            names = ", ".join(text(key, "name", lang) for key in ranking)
            body.append(html.P(t("gloss_ranking_uses", lang, names=names)))
        body += [entry(key, lang) for key in keys]
    other = "en" if lang == "vi" else "vi"
    return html.Div(
        [
            navbar(info, lang, f"{PATH}?lang={other}"),
            html.Main(body, className="container-fluid gloss-page"),
        ]
    )
