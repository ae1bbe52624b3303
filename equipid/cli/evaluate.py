"""``equipid eval``: how well the scorer does on labelled cases."""

from __future__ import annotations

import json

import click

from equipid.cli.common import UsageProblem, catalog_options, load


@click.command("eval")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: a short report; json: the figures as one object.")
@click.option("--cv", "cv", type=int, default=None, metavar="K",
              help="Cross-validate the fitted weights: fit on K-1 folds, score the fold left out (slower).")
@click.option("--plot", "plot", type=click.Path(dir_okay=False), default=None, metavar="FILE.png",
              help="Draw a reliability diagram of the leading leaf's probability (needs the 'plot' extra: matplotlib).")
@click.option("--misses", is_flag=True, help="List the cases the leading leaf got wrong.")
@catalog_options
def evaluate(files: tuple[str, ...], fmt: str, cv: int | None, plot: str | None, misses: bool, catalog: str | None,
             extend: tuple[str, ...]) -> None:
    """Score labelled cases and report accuracy, Brier, log loss and calibration.

    FILES hold ``cases:`` (each with sighting, truth, ambiguous, as in
    benchmarks/cases/) or catalog test files (``tests:`` with sighting and
    expect.leading). Reports top-1 accuracy (an ambiguous case is right when
    the leading leaf is under a truth id and gets at most 0.8), Brier score,
    log loss, expected calibration error, and how many results put 0.8 or more
    on their leading leaf and were wrong. With --cv K the figures are those of
    weights fitted on the other folds (the fitted numbers in use are ignored).

    \b
    Example:
      equipid eval benchmarks/cases/*.yaml catalog/tests/*.yaml --cv 5 --plot reliability.png
    """
    from equipid.engine.evaluate import Bench, cross_validate, figures, load_cases

    if plot is not None:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            raise UsageProblem("--plot needs matplotlib: pip install 'equipid[plot]'") from None
    if cv is not None and cv < 2:
        raise UsageProblem("--cv needs at least 2 folds")
    compiled = load(catalog, extend).compiled
    bench = Bench(compiled, load_cases(list(files)))
    for s in bench.skipped:
        click.echo(f"equipid: warning: {s}; case skipped", err=True)
    if not bench.cases:
        raise UsageProblem("no case could be read")
    if cv is not None:
        outs, _ = cross_validate(bench, min(cv, len(bench.cases)))
    else:
        outs = bench.outcomes(bench.scorer.weights)
    f = figures(outs)
    if fmt == "json":
        body = f.as_dict() | {"cross_validated": cv}
        if misses:
            body["misses"] = [{"id": o.id, "top": o.top, "p": o.p, "truth_mass": o.mass} for o in outs if not o.right]
        click.echo(json.dumps(body, indent=2))
    else:
        click.echo(render_figures(f, cv))
        if misses:
            for o, c in zip(outs, bench.cases, strict=True):
                if not o.right:
                    flag = "  CONFIDENT" if o.p >= 0.8 and not o.under else ""
                    click.echo(f"  miss {o.id}: truth {', '.join(c.truth)}; top {o.top} {o.p:.2f}; truth mass {o.mass:.2f}{flag}")
    if plot is not None:
        from equipid.output.reliability import draw_reliability

        draw_reliability(f, plot, title=f"{f.n} cases" + (f", {cv}-fold cross-validated" if cv else ""))
        click.echo(f"reliability diagram written to {plot}", err=True)


def render_figures(f: object, cv: int | None) -> str:
    """The figures as a few lines of text."""
    from equipid.engine.evaluate import Figures

    assert isinstance(f, Figures)
    share = f"{(f.confident - f.confident_wrong) / f.confident:.0%} right" if f.confident else "none"
    lines = [
        f"cases            {f.n}" + (f" ({cv}-fold cross-validated)" if cv else ""),
        f"top-1            {f.right}/{f.n} ({f.right / f.n:.0%})",
        f"Brier            {f.brier:.3f}",
        f"log loss         {f.log_loss:.3f}",
        f"ECE              {f.ece:.3f}",
        f"confident (>=0.8) {f.confident}: {share}, {f.confident_wrong} confident-wrong",
    ]
    return "\n".join(lines)
