"""Callbacks, declared per page and attached to an app by ``register_callbacks``.

Dash's global ``@callback`` list is consumed by the first app that starts, so a
process that builds several apps (the tests) would lose them.  Each module declares
its callbacks with ``declare`` instead; the functions stay plain and testable.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from dash import Dash
from dash.exceptions import PreventUpdate

from callbacks import (
    context,
    import_page,
    map_page,
    present_page,
    ranking_page,
    reports_page,
    tables_page,
)
from callbacks.registry import Declared

MODULES = (
    map_page,
    ranking_page,
    tables_page,
    reports_page,
    present_page,
    import_page,
)


def register_callbacks(app: Dash) -> None:
    for module in MODULES:
        declared: tuple[Declared, ...] = module.CALLBACKS
        for item in declared:
            if item.clientside is not None:
                app.clientside_callback(item.clientside, *item.args, **item.kwargs)
            elif item.func is not None:
                app.callback(*item.args, **item.kwargs)(signed_in_only(item.func))


def signed_in_only(func: Callable[..., Any]) -> Callable[..., Any]:
    """Every callback checks who is asking: nothing for nobody (the request guard
    refuses anonymous requests first; this holds even if a route were opened)."""

    @functools.wraps(func)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if context.scope() is None:
            raise PreventUpdate
        return func(*args, **kwargs)

    return checked


def all_callbacks() -> list[Callable[..., Any]]:
    return [
        item.func
        for module in MODULES
        for item in module.CALLBACKS
        if item.func is not None
    ]
