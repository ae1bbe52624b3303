"""``equipid lookup``: what is this item?"""

from __future__ import annotations

import sys

import click

from equipid.cli.common import catalog_options, load


@click.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the same content as JSON.")
@catalog_options
def lookup(names: tuple[str, ...], as_json: bool, catalog: str | None, extend: tuple[str, ...]) -> None:
    """Look up observed kit by name, alias, Cyrillic or a misspelling.

    Prints what each item is: aliases, category, family, in-service dates,
    operators, how to recognise it, what it indicates, and the sources.
    Exits 1 when a name matches no item (with suggestions) or several.

    \b
    Examples:
      equipid lookup AK-74M
      equipid lookup АК-74М "R-166-0,5" celox
      equipid lookup --json telnyashka
    """
    engine = load(catalog, extend)
    from equipid.cli.common import clean_arg

    results = [engine.lookup(clean_arg(n)).to_record() for n in names]
    if as_json:
        import json

        click.echo(json.dumps(results if len(results) > 1 else results[0], ensure_ascii=False, indent=2))
    else:
        from equipid.output.lookup_table import render_lookup

        render_lookup(results, sys.stdout)
    if any(r["match"] in ("none", "ambiguous") for r in results):
        sys.exit(1)
