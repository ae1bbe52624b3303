"""The documentation is true: its examples run, its references resolve, its generated parts are fresh."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", text, flags=re.M | re.S)


def test_api_examples_run_in_order() -> None:
    """Every python block of docs/api.md runs, in one namespace, as a reader would paste them."""
    blocks = _blocks((DOCS / "api.md").read_text(encoding="utf-8"), "python")
    assert len(blocks) >= 6
    ns: dict[str, object] = {}
    out = io.StringIO()
    from equipid.output import base

    before = dict(base.WRITERS)
    try:
        with contextlib.redirect_stdout(out):
            for code in blocks:
                exec(compile(code, "docs/api.md", "exec"), ns)  # noqa: S102 - the docs' own examples
    finally:
        base.WRITERS.clear()
        base.WRITERS.update(before)
    lines = out.getvalue().splitlines()
    assert lines[0] == "True"
    assert lines[1] == "exact ak-74m"
    assert lines[2] == "False"
    assert any(ln.startswith("error: ") and "date" in ln for ln in lines)
    assert "c error: " in "\n".join(lines)  # the unreadable sighting is an error in its place
    assert "3 2 1" in lines  # read, scored, errors of score_files
    assert "['id', 'leading', 'probability']" in lines
    assert lines[-1].startswith("a\t")


def test_public_names_are_documented() -> None:
    import equipid

    text = (DOCS / "api.md").read_text(encoding="utf-8")
    for name in equipid.__all__:
        if name != "__version__":
            assert name in text, name


def test_affiliation_table_matches_the_bundled_catalog() -> None:
    from equipid.catalog.locate import bundled_catalog

    affs = yaml.safe_load((bundled_catalog() / "affiliations.yaml").read_text(encoding="utf-8"))["affiliations"]
    want = {(a["id"], a.get("parent")) for a in affs}
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (?:`([a-z0-9-]+)`|–) \|", (DOCS / "sightings.md").read_text(encoding="utf-8"), flags=re.M)
    got = {(i, p or None) for i, p in rows}
    assert got == want


def test_cli_reference_is_fresh() -> None:
    from equipid.cli.reference import render

    assert (DOCS / "cli.md").read_text(encoding="utf-8") == render(), "run: python -m equipid.cli.reference > docs/cli.md"


def test_every_command_is_in_the_reference_with_help_and_an_example() -> None:
    import click

    from equipid.cli.main import cli

    text = (DOCS / "cli.md").read_text(encoding="utf-8")

    def walk(cmd: click.Command, path: str) -> None:
        assert f"## `{path}`" in text
        assert cmd.help and cmd.help.strip(), path
        if isinstance(cmd, click.Group):
            ctx = click.Context(cmd)
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                assert sub is not None
                walk(sub, f"{path} {name}")
        else:
            assert "Example" in cmd.help, f"{path} --help has no example"

    walk(cli, "equipid")


def test_relative_links_resolve_inside_the_repository() -> None:
    for page in [ROOT / "README.md", *DOCS.glob("*.md")]:
        for target in re.findall(r"\]\(([^)#]+?)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+://", target):
                continue
            assert (page.parent / target).exists(), f"{page.name}: broken link {target}"


def test_docs_ship_in_the_wheel_config() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"docs" = "equipid/_docs"' in text


def test_docs_command_lists_and_prints_pages() -> None:
    from click.testing import CliRunner

    from equipid.cli.main import cli

    r = CliRunner().invoke(cli, ["docs"])
    assert r.exit_code == 0 and "sightings" in r.output and "api" in r.output
    r = CliRunner().invoke(cli, ["docs", "output"])
    assert r.exit_code == 0 and r.output.startswith("# Output")
    r = CliRunner().invoke(cli, ["docs", "nope"])
    assert r.exit_code == 2 and "choose from" in r.output


def _tour_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme[readme.index("## A short tour"):]
    block = _blocks(tour, "sh")[0]
    return [ln for ln in block.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@pytest.fixture
def fresh_checkout(tmp_path: Path) -> Path:
    """A copy of the files a fresh checkout has that the tour uses (git's tracked files, where git is there)."""
    dest = tmp_path / "checkout"
    try:
        files = subprocess.run(["git", "ls-files", "examples"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        files = [str(p.relative_to(ROOT)) for p in (ROOT / "examples").iterdir()]
    for f in files or [str(p.relative_to(ROOT)) for p in (ROOT / "examples").iterdir()]:
        (dest / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / f, dest / f)
    return dest


def test_readme_tour_runs(fresh_checkout: Path, tmp_path: Path) -> None:
    """Each command of the README's tour exits 0 (a name lookup that finds nothing would exit 1)."""
    commands = _tour_commands()
    assert len(commands) >= 15
    bindir = Path(sys.executable).parent
    exe = shutil.which("equipid", path=str(bindir)) or shutil.which("equipid")
    assert exe, "the equipid command is not installed"
    env = {**os.environ, "PATH": f"{Path(exe).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "EQUIPID_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "100"}
    env.pop("EQUIPID_CATALOG", None)
    for cmd in commands:
        r = subprocess.run(["bash", "-c", f"set -o pipefail; {cmd}"], cwd=fresh_checkout, env=env, capture_output=True,
                           text=True, timeout=120, stdin=subprocess.DEVNULL)
        assert r.returncode == 0, f"{cmd}\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}"
        assert "Traceback" not in r.stderr, cmd
    assert (fresh_checkout / "scored.jsonl").stat().st_size > 0
    assert (fresh_checkout / "scored.csv").read_text(encoding="utf-8").startswith("id,leading,")
    assert (fresh_checkout / "my-catalog" / "equipment" / "my-item.yaml").is_file()


def test_lint_codes_page_is_fresh_and_complete() -> None:
    from equipid.maintenance.lint import all_codes, codes_markdown

    fresh = (DOCS / "lint.md").read_text(encoding="utf-8") == codes_markdown()
    assert fresh, "run: python -m equipid.maintenance.lint > docs/lint.md"
    codes = {c for c, *_ in all_codes()}
    assert {"schema", "yaml-syntax", "duplicate-id", "alias-clash", "unused-item", "unmatched-name"} <= codes


def test_every_lint_code_reported_is_documented(tmp_path: Path) -> None:
    """Lint a broken catalog: every code in its output is one --list knows."""
    from equipid.maintenance.lint import all_codes, lint

    cat = tmp_path / "cat"
    shutil.copytree(ROOT / "tests" / "files" / "maint-invalid", cat)
    known = {c for c, *_ in all_codes()}
    found = {i.code for i in lint([cat]).issues}
    assert found and found <= known, found - known
