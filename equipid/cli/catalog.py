"""``equipid catalog``: keep the catalog healthy.

Each command parses its options, calls one function of
:mod:`equipid.maintenance`, and renders the result. Core errors are turned
into messages by the top-level group.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from equipid.catalog.kinds import KINDS
from equipid.cli.common import UsageProblem, catalog_options, selected

_OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-",
                       help="Write to this file instead of standard output.")


def _dirs(catalog: str | None, extend: tuple[str, ...]) -> list[Path]:
    from equipid.catalog.locate import catalog_dirs

    return catalog_dirs(*selected(catalog, extend))


def _load(catalog: str | None, extend: tuple[str, ...]):
    from equipid.catalog.loader import load_catalog

    return load_catalog(_dirs(catalog, extend))


def stdin_is_terminal() -> bool:
    """True when standard input is an interactive terminal (then `new` may prompt)."""
    return sys.stdin.isatty()


def _emit(text: str, output: str) -> None:
    """Write a result to standard output or, atomically, to a file."""
    if output == "-":
        click.echo(text, nl=False)
        return
    from equipid.maintenance.files import atomic_write

    atomic_write(Path(output), text)
    click.echo(f"wrote {output}", err=True)


@click.group()
def catalog() -> None:
    """Maintain the catalog: lint, new, fmt, test, stats, schema, export.

    Every command works on the bundled catalog unless --catalog DIR (or
    $EQUIPID_CATALOG) names another; --extend layers local directories on top.

    \b
    Example:
      equipid catalog lint --strict
    """


@catalog.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt_", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="text: path:line:col lines; json: one document; github: Actions annotations.")
@click.option("--strict", is_flag=True, help="Exit 1 when there are warnings (errors always exit 2).")
@click.option("--list", "list_codes", is_flag=True, help="List every issue code with its severity and meaning, and exit.")
@catalog_options
def lint(paths: tuple[Path, ...], fmt_: str, strict: bool, list_codes: bool, catalog: str | None, extend: tuple[str, ...]) -> None:
    """Check the catalog beyond its schema; report path:line:col issues.

    With PATHs, only issues in those files or directories are reported.
    Each PATH is linted as part of the catalog it belongs to: the selected
    catalog when it lies inside it, else the nearest directory above it that
    holds affiliations.yaml (so a checkout's catalog/ file is linted with
    that checkout, whichever catalog is installed). A PATH that belongs to
    no catalog directory is linted as a layer on top of the selected one.
    Each issue names its code; --list prints them all (docs/lint.md).
    Exit status: 0 clean, 1 warnings under --strict, 2 errors.

    \b
    Examples:
      equipid catalog lint --strict
      equipid catalog lint catalog/equipment/small-arms.yaml --format github
      equipid catalog lint --list
    """
    from equipid.maintenance.lint import FORMATS, format_codes, lint_paths
    from equipid.maintenance.lint import lint as run_lint

    if list_codes:
        click.echo(format_codes(), nl=False)
        return

    dirs = _dirs(catalog, extend)
    for p in paths:
        if not p.exists():
            raise UsageProblem(f"{p}: no such file or directory")
    result = lint_paths(dirs, paths) if paths else run_lint(dirs)
    click.echo(FORMATS[fmt_](result), nl=False)
    if fmt_ == "text":
        click.echo(result.summary(), err=True)
    sys.exit(result.exit_code(strict))


@catalog.command()
@click.argument("kind", type=click.Choice([k.singular for k in KINDS.values() if k.scaffold]))
@click.option("--id", "rid", metavar="ID", help="The record's id (default: made from the name).")
@click.option("--name", help="Display name.")
@click.option("--category", help="Equipment category (see docs/catalog-format.md).")
@click.option("--alias", "aliases", multiple=True, help="An alias (repeatable).")
@click.option("--variant-of", metavar="ID", help="Equipment: the family parent's id.")
@click.option("--origin", metavar="CC", help="Equipment: ISO country code of the designer.")
@click.option("--from", "in_service_from", metavar="DATE", help="Equipment: in service from (YYYY[-MM[-DD]]).")
@click.option("--until", "in_service_until", metavar="DATE", help="Equipment: in service until.")
@click.option("--operator", "operators", multiple=True, metavar="ID", help="Equipment: an affiliation that fields it (repeatable).")
@click.option("--recognition", help="Equipment: how to recognise it.")
@click.option("--parent", metavar="ID", help="Affiliation: the parent affiliation.")
@click.option("--theatre", "theatres", multiple=True, metavar="CC", help="Affiliation: a country it operates in (repeatable).")
@click.option("--item", metavar="ID", help="Indicator: fire when this item is seen (shorthand for --when '{item: ID}').")
@click.option("--when", "when_text", metavar="YAML", help="Indicator: the condition, as YAML, e.g. '{all: [{item: mib}, {country: [SY]}]}'.")
@click.option("--likelihood", "likelihoods", multiple=True, metavar="AFF=WORD",
              help="Indicator: a likelihood, e.g. ru-sof=characteristic (repeatable).")
@click.option("--default", "default", metavar="WORD", help="Indicator: likelihood for affiliations not named (default rare).")
@click.option("--supersedes", multiple=True, metavar="ID", help="Indicator: an indicator this one replaces (repeatable).")
@click.option("--alternatives", help="Indicator: how others could show this evidence too.")
@click.option("--rationale", help="Indicator: one sentence on why.")
@click.option("--notes", help="Free-text notes.")
@click.option("--source", "sources", multiple=True, help="An http(s) URL or a named publication (repeatable; at least one).")
@click.option("--file", "path", type=click.Path(dir_okay=False, path_type=Path),
              help="The new file (inside the catalog; default <catalog>/<kind>/<id>.yaml).")
@catalog_options
def new(kind: str, rid: str | None, when_text: str | None, item: str | None, path: Path | None,
        catalog: str | None, extend: tuple[str, ...], **flags: object) -> None:
    """Scaffold a record into a new file; validate it first; never overwrite.

    Missing required fields are asked for when standard input is a terminal;
    otherwise they are an error. The catalog is linted as it would be with
    the new file, and a record that would add a lint error (an alias another
    item claims, an invisible character, a malformed source, an unknown id)
    is refused with the lint messages. Prints the new file's path; lint
    warnings it adds go to standard error. The catalog bundled with an
    installed equipid is read-only: pass --catalog DIR (or set
    $EQUIPID_CATALOG) to add records to your own catalog; a DIR that does
    not exist yet is created.

    \b
    Examples:
      equipid catalog new equipment --name "PKM" --category machine-gun \\
          --alias ПКМ --source https://en.wikipedia.org/wiki/PK_machine_gun
      equipid catalog new indicator --name "MIB" --item mib \\
          --likelihood ru-sof=characteristic --rationale "Issued to SOF." --source "ARES report, 2016"
    """
    from equipid.maintenance import scaffold

    fields: dict[str, object] = {k: v for k, v in flags.items()}
    fields["id"] = rid
    fields["likelihoods"] = scaffold.parse_likelihoods(flags.get("likelihoods") or ())  # type: ignore[arg-type]
    if item and when_text:
        raise UsageProblem("give --item or --when, not both")
    if item:
        fields["when"] = {"item": item}
    elif when_text:
        fields["when"] = scaffold.parse_condition(when_text)
    if stdin_is_terminal():
        _prompt_missing(kind, fields)
    dirs = _dirs(catalog, extend)
    if selected(catalog, extend)[0] is not None and not dirs[0].exists():
        # NOTE: a team's catalog starts with its first record; its directory is made here.
        try:
            dirs[0].mkdir(parents=True)
        except OSError as exc:
            raise UsageProblem(f"cannot create the catalog directory {dirs[0]}: {exc.strerror}") from None
    created = scaffold.create(dirs, kind, fields, path)
    for w in created.warnings:
        click.echo(w, err=True)
    click.echo(str(created.path))


def _prompt_missing(kind: str, fields: dict[str, object]) -> None:
    """Ask on the terminal for each required field still missing."""
    from equipid.catalog.values import Category
    from equipid.maintenance import scaffold

    for name in scaffold.missing(kind, fields):
        if name == "category":
            fields[name] = click.prompt("Category", type=click.Choice([c.value for c in Category]))
        elif name == "sources":
            fields[name] = [click.prompt("Source (http(s) URL or a named publication)")]
        elif name == "when":
            fields[name] = {"item": click.prompt("Item id the indicator fires on")}
        elif name == "likelihoods":
            fields[name] = scaffold.parse_likelihoods([click.prompt("Likelihoods (AFF=WORD, comma-separated)")])
        else:
            fields[name] = click.prompt(name.replace("_", " ").capitalize())


@catalog.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Change nothing; list the files that would change and exit 1 if any.")
@catalog_options
def fmt(paths: tuple[Path, ...], check: bool, catalog: str | None, extend: tuple[str, ...]) -> None:
    """Put catalog files in canonical key order and layout, keeping comments.

    Files are rewritten atomically; paths outside the catalog, and the
    read-only catalog bundled with an installed equipid, are refused.
    Exit status: 0 done (or nothing to change), 1 with --check when a file
    would change, 2 when a file cannot be read as YAML.

    \b
    Examples:
      equipid catalog fmt --check
      equipid catalog fmt --catalog my-catalog/ my-catalog/equipment/local.yaml
    """
    from equipid.maintenance.fmt import fmt as run_fmt

    report = run_fmt(_dirs(catalog, extend), paths, check=check)
    for p in report.changed:
        click.echo(f"{'would reformat' if check else 'reformatted'} {p}")
    for prob in report.problems:
        click.echo(str(prob), err=True)
    n = len(report.changed)
    verb = "would be reformatted" if check else "reformatted"
    click.echo(f"{n} file(s) {verb}, {len(report.unchanged)} unchanged, {len(report.problems)} unreadable", err=True)
    if report.problems:
        sys.exit(2)
    sys.exit(1 if check and n else 0)


@catalog.command("test")
@click.argument("names", nargs=-1, metavar="[TEST_ID]...")
@click.option("--format", "fmt_", type=click.Choice(["text", "json"]), default="text", show_default=True)
@catalog_options
def test_(names: tuple[str, ...], fmt_: str, catalog: str | None, extend: tuple[str, ...]) -> None:
    """Run the catalog's tests: score each example sighting and check the ranking.

    A test fails when the leading leaf is not under an expected id, or ties
    with a leaf that is not (so no test passes by tie order), or when its
    sighting names something no item matches. A failure shows what was
    expected and the ranking it got. A test marked `known_miss: WHY` that
    fails is shown as MISS with its reason and does not fail the run. With
    no TEST_ID, every test runs.
    Exit status: 0 all pass (or are known misses), 1 a test failed, 2 the
    catalog does not load.

    \b
    Examples:
      equipid catalog test
      equipid catalog test ukraine-2014-07-mh17-buk --format json
    """
    from equipid.maintenance import testing

    results = testing.run_tests(_load(catalog, extend), names)
    click.echo((testing.format_json if fmt_ == "json" else testing.format_text)(results), nl=False)
    click.echo(testing.summary(results), err=True)
    sys.exit(0 if all(r.ok for r in results) else 1)


@catalog.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON document.")
@catalog_options
def stats(as_json: bool, catalog: str | None, extend: tuple[str, ...]) -> None:
    """Count records by kind and category, indicators per affiliation, and gaps.

    \b
    Example:
      equipid catalog stats --json
    """
    from equipid.maintenance import stats as st

    s = st.stats(_load(catalog, extend))
    click.echo((st.format_json if as_json else st.format_text)(s), nl=False)


@catalog.command()
@click.argument("kind", required=False, type=click.Choice(["file", *KINDS]), metavar="[KIND]")
@_OUTPUT
@catalog_options
def schema(kind: str | None, output: str, catalog: str | None, extend: tuple[str, ...]) -> None:
    """Print the JSON Schema of a catalog file (default) or of one record kind.

    KIND is file (the default) or a record kind: equipment, affiliations,
    indicators, priors, tests, places (and any kind a later catalog adds).
    Save it and point your editor at it with a first line in a catalog file
    (the path is relative to that file):

    \b
      # yaml-language-server: $schema=./catalog.schema.json

    \b
    Examples:
      equipid catalog schema -o catalog.schema.json
      equipid catalog schema equipment
    """
    from equipid.maintenance.schema import schema_text

    _emit(schema_text(kind), output)


@catalog.command()
@click.option("--format", "fmt_", type=click.Choice(["json", "csv", "markdown"]), default="json", show_default=True,
              help="json: every record and field (equipment, affiliations, indicators, priors, places); "
                   "csv: one row per item; markdown: wiki tables of each.")
@_OUTPUT
@catalog_options
def export(fmt_: str, output: str, catalog: str | None, extend: tuple[str, ...]) -> None:
    """Export the whole catalog for sharing.

    \b
    Examples:
      equipid catalog export --format csv -o items.csv
      equipid catalog export --format markdown > catalog.md
    """
    from equipid.maintenance.export import FORMATS

    _emit(FORMATS[fmt_](_load(catalog, extend)), output)
