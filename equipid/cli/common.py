"""Options and helpers shared by every command."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from equipid.api import Engine

F = TypeVar("F", bound=Callable[..., Any])


class UsageProblem(click.ClickException):
    """Bad input from the user: printed without a traceback, exit status 2."""

    exit_code = 2

    def format_message(self) -> str:
        """The message alone; click adds the 'Error: ' prefix."""
        return self.message


def catalog_options(f: F) -> F:
    """Add --catalog and --extend to a command."""
    f = click.option(
        "--extend",
        "extend",
        multiple=True,
        metavar="DIR",
        help="Layer a local catalog directory on top (repeatable); a clash of ids is an error.",
    )(f)
    f = click.option(
        "--catalog",
        "catalog",
        envvar="EQUIPID_CATALOG",
        metavar="DIR",
        help="Use this catalog directory instead of the bundled one (also $EQUIPID_CATALOG).",
    )(f)
    return f


def selected(catalog: str | None, extend: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """The catalog and layers chosen: a command's own options, else those given before it (``equipid --catalog X lookup``).

    ``--extend`` given in both places is layered in order: the group's first.
    """
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root().obj if ctx is not None else None
    if isinstance(root, dict):
        catalog = catalog or root.get("catalog")
        extend = tuple(root.get("extend", ())) + tuple(extend)
    return catalog, extend


def load(catalog: str | None, extend: tuple[str, ...]) -> Engine:
    """The engine for the catalog the options select (compiled form cached by content hash)."""
    from equipid.api import open_catalog

    catalog, extend = selected(catalog, extend)
    return open_catalog(catalog, extend)


def clean_arg(value: str) -> str:
    """A command-line argument as valid Unicode: bytes that are not UTF-8 (kept by Python as lone surrogates) become U+FFFD."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return value


def stdout_is_terminal() -> bool:
    """True when standard output is an interactive terminal."""
    return sys.stdout.isatty()
