"""Options and helpers shared by every command."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from equipid.catalog.compiled import Compiled

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


def load(catalog: str | None, extend: tuple[str, ...]) -> Compiled:
    """The compiled catalog the options select (cached by content hash)."""
    from equipid.catalog.cache import load_compiled
    from equipid.catalog.locate import catalog_dirs

    return load_compiled(catalog_dirs(catalog, extend))


def stdout_is_terminal() -> bool:
    """True when standard output is an interactive terminal."""
    return sys.stdout.isatty()
