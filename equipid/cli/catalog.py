"""``equipid catalog``: keep the catalog healthy."""

from __future__ import annotations

import click


@click.group()
def catalog() -> None:
    """Maintain the catalog: lint, new, fmt, test, stats, schema, export.

    \b
    Example:
      equipid catalog lint --strict
    """
