"""``declare``: remember a callback's dependencies without binding it to an app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dash import ClientsideFunction


@dataclass(frozen=True)
class Declared:
    func: Callable[..., Any] | None
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    clientside: ClientsideFunction | None = None  # in dashboard/assets/*.js


def declare(
    registry: list[Declared], *args: Any, **kwargs: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: add ``func`` with Dash dependencies ``args`` to ``registry``."""

    def wrap(func: Callable[..., Any]) -> Callable[..., Any]:
        registry.append(Declared(func, args, kwargs))
        return func

    return wrap


def declare_clientside(
    registry: list[Declared], function: ClientsideFunction, *args: Any, **kwargs: Any
) -> None:
    """Add a clientside callback (runs in the browser, never reaches the server):
    ``function`` names ``window.dash_clientside.<namespace>.<name>``, defined in
    a script of ``dashboard/assets``."""
    registry.append(Declared(None, args, kwargs, clientside=function))
