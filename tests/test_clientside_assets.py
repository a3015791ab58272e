"""No JavaScript inside Python strings: every clientside callback names a
function of ``dashboard/assets/*.js`` (``ClientsideFunction``), which Dash serves
from the app's own origin, so the browser code reads, and is checked, as
JavaScript and the pages carry no inline callback scripts."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from dash import ClientsideFunction

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "dashboard" / "assets"
PACKAGES = ("dashboard", "callbacks", "layouts")
JS_FUNCTION = re.compile(r"\bfunction\s*\(|=>")  # a function or an arrow function


def _javascript_in_strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and JS_FUNCTION.search(node.value)
    ]


def test_no_python_module_holds_a_javascript_function() -> None:
    found = [
        where
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        for where in _javascript_in_strings(path)
    ]
    assert found == []


def clientside_source(function: ClientsideFunction) -> str:
    """The JavaScript of ``window.dash_clientside.<namespace>.<name>``, from the
    asset that defines it ('' when none does)."""
    for path in sorted(ASSETS.glob("*.js")):
        text = path.read_text(encoding="utf-8")
        if f"window.dash_clientside.{function.namespace} = " not in text:
            continue
        start = re.search(rf"\n\s*{function.function_name}: function\b", text)
        if start is None:
            continue
        depth, body = 0, text.index("{", start.end())
        for end in range(body, len(text)):
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            if depth == 0:
                return text[start.start() : end + 1]
    return ""


def declared_functions() -> list[ClientsideFunction]:
    """The functions the clientside callbacks name."""
    from callbacks import MODULES

    return [
        item.clientside
        for module in MODULES
        for item in module.CALLBACKS
        if item.clientside is not None
    ]


def test_every_clientside_callback_names_a_function_in_the_assets() -> None:
    declared = declared_functions()
    assert len(declared) >= 7
    for function in declared:
        assert isinstance(function, ClientsideFunction), function
        assert clientside_source(function), function


def test_the_number_format_is_written_once_in_the_assets() -> None:
    """The tables' cells and the map's ranking format numbers with one helper."""
    users = [
        path.name
        for path in ASSETS.glob("*.js")
        if "Intl.NumberFormat" in path.read_text(encoding="utf-8")
        or "toLocaleString" in path.read_text(encoding="utf-8")
    ]
    assert users == ["numbers.js"]
