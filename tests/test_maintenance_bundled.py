"""The bundled catalog passes its own maintenance checks (what CI runs)."""

from __future__ import annotations

from click.testing import CliRunner

from equipid.cli.main import cli


def run(*args: str) -> object:
    return CliRunner().invoke(cli, ["catalog", *args], env={"EQUIPID_CATALOG": ""})


def test_bundled_catalog_lints_clean_under_strict() -> None:
    r = run("lint", "--strict")
    assert r.exit_code == 0, r.stdout


def test_bundled_catalog_is_formatted() -> None:
    r = run("fmt", "--check")
    assert r.exit_code == 0, r.stdout


def test_bundled_catalog_tests_pass() -> None:
    r = run("test")
    assert r.exit_code == 0, r.stdout


def test_bundled_catalog_lint_does_not_crash() -> None:
    r = run("lint", "--format", "json")
    assert r.exit_code in (0, 2)
    assert "Traceback" not in r.output
