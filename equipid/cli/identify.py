"""``equipid identify``: score one sighting given on the command line."""

from __future__ import annotations

import sys
from typing import Any

import click

from equipid.cli.common import UsageProblem, catalog_options, load


@click.command()
@click.argument("items", nargs=-1)
@click.option("--text", help="Free text (a caption, a report line); catalog items named in it are scored.")
@click.option("--date", help="When it was seen: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--country", help="Where: ISO 3166-1 alpha-2 code (SY, UA, LY...).")
@click.option("--location", "place", help="Where, as a place name (Palmyra, Kharkiv...): gives the country when --country is not set.")
@click.option("--absent", multiple=True, metavar="ITEM", help="Looked for and not there (repeatable): evidence, unlike an item merely out of frame.")
@click.option("--id", "sid", default="sighting", show_default=True, help="Id of the sighting in the output.")
@click.option("--json", "as_json", is_flag=True, help="Print one record in the batch format (docs/output.md).")
@catalog_options
def identify(items: tuple[str, ...], text: str | None, date: str | None, country: str | None, place: str | None,
             absent: tuple[str, ...], sid: str, as_json: bool, catalog: str | None, extend: tuple[str, ...]) -> None:
    """Score who most likely fielded what was seen in one sighting.

    Each ITEM is a name, alias or phrase ("AK-74M with suppressor", "2x MIB",
    "possible BTR-82A"). Prints the ranked affiliations with ICD 203 words,
    group totals, the evidence for and against the two leading hypotheses in
    decibans, unmatched names, warnings, and what to look for next.

    \b
    Example:
      equipid identify "AK-74M with thermal sight and suppressor" MIB "metal detector" \\
          Celox "bat emblem" telnyashka --country SY --date 2016-03-17
    """
    if not items and not text:
        raise UsageProblem("name at least one ITEM or give --text")
    from equipid.cli.common import clean_arg

    items = tuple(map(clean_arg, items))
    absent = tuple(map(clean_arg, absent))
    text, date, country, place = (clean_arg(v) if v is not None else None for v in (text, date, country, place))
    sid = clean_arg(sid)
    sighting: dict[str, Any] = {"id": sid, "observed": list(items)}
    if text:
        sighting["text"] = text
    if date:
        sighting["date"] = date
    if country or place:
        sighting["location"] = {k: v for k, v in (("name", place), ("country", country)) if v}
    if absent:
        sighting["absent"] = list(absent)
    engine = load(catalog, extend)
    from equipid.errors import InputError

    try:
        result = engine.assess(sighting)
    except InputError as exc:
        raise UsageProblem(str(exc)) from None
    if as_json:
        import json

        click.echo(json.dumps(result.to_record(), ensure_ascii=False, indent=2))
        return
    from equipid.output.table import render_assessment

    render_assessment(result.to_record(), engine.compiled, sys.stdout)
