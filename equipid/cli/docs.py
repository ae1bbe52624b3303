"""``equipid docs``: read the documentation that ships with the package."""

from __future__ import annotations

from pathlib import Path

import click

from equipid.cli.common import UsageProblem


def docs_dir() -> Path:
    """The documentation shipped in the package (``equipid/_docs``), or ``docs/`` beside it in a checkout."""
    package = Path(__file__).resolve().parent.parent
    shipped = package / "_docs"
    return shipped if shipped.is_dir() else package.parent / "docs"


@click.command()
@click.argument("page", required=False)
def docs(page: str | None) -> None:
    """Print a page of the documentation; with no PAGE, list the pages.

    The pages ship with the package, so they match the installed version:
    sightings (the input format), output (the result record and formats),
    api (the library), cli (this reference), catalog-format.

    \b
    Examples:
      equipid docs
      equipid docs sightings
      equipid docs output | less
    """
    root = docs_dir()
    pages = {p.stem: p for p in sorted(root.glob("*.md"))}
    if not pages:
        raise UsageProblem(f"no documentation found in {root}")
    if page is None:
        for name, path in pages.items():
            first = next((ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("# ")), "# " + name)
            click.echo(f"{name:16} {first[2:]}")
        return
    key = page.removesuffix(".md")
    if key not in pages:
        raise UsageProblem(f"no page {page!r}; choose from {', '.join(pages)}")
    click.echo(pages[key].read_text(encoding="utf-8"), nl=False)
