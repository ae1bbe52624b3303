"""The ``equipid`` command group: assembles the command modules.

Every error equipid raises on purpose is turned into a message here, in one
place: catalog problems one per line as ``path:line:column: field: message``
with exit status 2; bad input with exit status 2; never a traceback.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from equipid import __version__
from equipid.cli.catalog import catalog
from equipid.cli.evaluate import evaluate
from equipid.cli.identify import identify
from equipid.cli.lookup import lookup
from equipid.cli.score import score
from equipid.errors import CatalogError, EquipidError


class EquipidGroup(click.Group):
    """A click group that reports equipid's errors without tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, translating core errors into messages and exit codes."""
        try:
            return super().invoke(ctx)
        except CatalogError as exc:
            for p in exc.problems:
                click.echo(str(p), err=True)
            click.echo(f"equipid: the catalog has {len(exc.problems)} problem(s); fix them or run 'equipid catalog lint'", err=True)
            ctx.exit(2)
        except EquipidError as exc:
            click.echo(f"equipid: error: {exc}", err=True)
            ctx.exit(2)
        except BrokenPipeError:
            # NOTE: `equipid ... | head` closes the pipe early; that is not an error.
            sys.stderr.close()
            ctx.exit(0)


@click.group(cls=EquipidGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="equipid")
def cli() -> None:
    """Identify military equipment and score who most likely fielded it.

    \b
    Examples:
      equipid lookup AK-74M
      equipid identify "AK-74M with thermal sight and suppressor" MIB telnyashka --country SY --date 2016-03-17
      equipid score sightings.jsonl -o scored.jsonl
      equipid catalog lint
      equipid eval benchmarks/cases/*.yaml --cv 5
    """


cli.add_command(lookup)
cli.add_command(identify)
cli.add_command(score)
cli.add_command(catalog)
cli.add_command(evaluate)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="equipid")
