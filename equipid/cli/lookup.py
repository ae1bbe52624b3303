"""``equipid lookup``: what is this item?"""

from __future__ import annotations

import sys

import click

from equipid.cli.common import UsageProblem, catalog_options, load, open_output, pick_format


@click.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl"]),
              help="table: panels for people (default); json: one list of results; jsonl: one result per line.")
@click.option("--json", "as_json", is_flag=True, help="Shorthand for --format json (always a list, even for one name).")
@click.option("-o", "--output", help="Write the result here (atomically); '-' is standard output, the default.")
@catalog_options
def lookup(names: tuple[str, ...], fmt: str | None, as_json: bool, output: str | None, catalog: str | None,
           extend: tuple[str, ...]) -> None:
    """Look up observed kit by name, alias, Cyrillic or a misspelling.

    Prints what each item is: aliases, category, family, in-service dates,
    operators, how to recognise it, what it indicates, and the sources.
    A NAME of '-' reads names from standard input, one per line.
    Exits 1 when a name matches no item (with suggestions) or several.

    \b
    Examples:
      equipid lookup AK-74M
      equipid lookup АК-74М "R-166-0,5" celox
      equipid lookup --json telnyashka
      cut -f2 kit.tsv | equipid lookup - --format jsonl
    """
    fmt = pick_format(fmt, as_json, "table")
    wanted = _names(names)
    if not wanted:
        raise UsageProblem("no name to look up (standard input was empty)")
    engine = load(catalog, extend)
    from equipid.cli.common import clean_arg

    results = [engine.lookup(clean_arg(n)).to_record() for n in wanted]
    with open_output(output) as out:
        if fmt == "json":
            import json

            out.write((json.dumps(results, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        elif fmt == "jsonl":
            import orjson

            out.write(b"".join(orjson.dumps(r) + b"\n" for r in results))
        else:
            import io

            from equipid.output.lookup_table import render_lookup

            if output in (None, "-"):
                render_lookup(results, sys.stdout)
            else:
                buf = io.StringIO()
                render_lookup(results, buf)
                out.write(buf.getvalue().encode("utf-8"))
    if any(r["match"] in ("none", "ambiguous") for r in results):
        sys.exit(1)


def _names(names: tuple[str, ...]) -> list[str]:
    """The names given, '-' replaced by the lines of standard input (blank lines skipped)."""
    if names.count("-") > 1:
        raise UsageProblem("standard input '-' can be named only once")
    out: list[str] = []
    for n in names:
        if n == "-":
            out += [line.strip() for line in sys.stdin if line.strip()]
        else:
            out.append(n)
    return out
