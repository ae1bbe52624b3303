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
from equipid.cli.common import catalog_options
from equipid.errors import CatalogError, EquipidError

#: The commands, each imported only when it runs (or when help lists them):
#: a one-off ``equipid lookup`` does not pay for the modules of ``score``.
COMMANDS: dict[str, str] = {
    "lookup": "equipid.cli.lookup:lookup",
    "identify": "equipid.cli.identify:identify",
    "score": "equipid.cli.score:score",
    "catalog": "equipid.cli.catalog:catalog",
    "docs": "equipid.cli.docs:docs",
    "eval": "equipid.cli.evaluate:evaluate",
}


class EquipidGroup(click.Group):
    """A click group that loads its commands lazily and reports equipid's errors without tracebacks."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, the lazy ones included, in a stable order."""
        return sorted({*COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command, importing its module on first use."""
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            import importlib

            module, attr = COMMANDS[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module), attr), cmd_name)
        return super().get_command(ctx, cmd_name)

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
        except KeyboardInterrupt:
            # NOTE: Ctrl-C: no traceback, the shell's convention 128 + SIGINT.
            click.echo("\nequipid: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            # NOTE: `equipid ... | head` closes the pipe early; that is not an error.
            sys.stderr.close()
            ctx.exit(0)


@click.group(cls=EquipidGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="equipid")
@catalog_options
@click.pass_context
def cli(ctx: click.Context, catalog: str | None, extend: tuple[str, ...]) -> None:
    """Identify military equipment and score who most likely fielded it.

    \b
    Examples:
      equipid lookup AK-74M
      equipid identify "AK-74M with thermal sight and suppressor" MIB telnyashka --country SY --date 2016-03-17
      equipid score sightings.jsonl -o scored.jsonl
      equipid catalog lint
      equipid eval benchmarks/cases/*.yaml --cv 5

    --catalog and --extend may be given here, before the command, or after it.
    """
    ctx.obj = {"catalog": catalog, "extend": extend}




def main() -> None:
    """Console-script entry point."""
    cli(prog_name="equipid")
