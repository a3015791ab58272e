"""Controls the pages share: options from (value, label) pairs, a control with
its label in front of it, a control with its label above it.

Pure functions, as the rest of ``layouts``."""

from __future__ import annotations

from collections.abc import Iterable

import dash_bootstrap_components as dbc
from dash import html
from dash.development.base_component import Component


def options(pairs: Iterable[tuple[str, str]]) -> list[dict]:
    """A select's or a dropdown's options from (value, label) pairs."""
    return [{"label": label, "value": value} for value, label in pairs]


def input_group(label: str, control: Component, md: int | str) -> dbc.Col:
    """A small control with its label in front, a row of its own on a phone."""
    return dbc.Col(
        dbc.InputGroup([dbc.InputGroupText(label), control], size="sm"), xs=12, md=md
    )


def labelled(
    label: str,
    control: Component,
    label_class: str = "small fw-semibold",
    **widths: int,
) -> dbc.Col:
    """A control with its label above it, in a column ``widths`` wide."""
    return dbc.Col([html.Label(label, className=label_class), control], **widths)
