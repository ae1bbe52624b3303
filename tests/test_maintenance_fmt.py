"""`equipid catalog fmt`: canonical order, comments kept, idempotent, atomic."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from equipid.catalog.yamlio import load_yaml
from equipid.cli.main import cli
from equipid.maintenance.fmt import format_text

FILES = Path(__file__).parent / "files"


@pytest.fixture
def cat(tmp_path: Path) -> Path:
    dest = tmp_path / "cat"
    shutil.copytree(FILES / "maint-unformatted", dest)
    return dest


def fmt(*args: str) -> object:
    return CliRunner().invoke(cli, ["catalog", "fmt", *args])


EXPECTED = """\
# Keys out of canonical order, with comments that must survive formatting.
equipment:
  - id: pkm
    name: PKM # the name comes first here
    category: machine-gun
    aliases: [ПКМ, "PK machine gun"]
    in_service: {from: 1969, until: null}
    sources:
      - https://en.wikipedia.org/wiki/PK_machine_gun # a real page
# a comment between records
  - id: rpg-7
    name: RPG-7
    category: anti-tank
    sources:
      - url: https://en.wikipedia.org/wiki/RPG-7
        title: RPG-7
        claim: In service from 1961.
"""


def test_fmt_reorders_and_keeps_comments(cat: Path) -> None:
    before = (cat / "items.yaml").read_text(encoding="utf-8")
    r = fmt("--catalog", str(cat))
    assert r.exit_code == 0, r.output
    assert r.stdout == f"reformatted {cat / 'items.yaml'}\n"
    after = (cat / "items.yaml").read_text(encoding="utf-8")
    assert after == EXPECTED
    for comment in ("# Keys out of canonical order", "# the name comes first here", "# a real page", "# a comment between records"):
        assert comment in after
    assert load_yaml(after, "a")[0] == load_yaml(before, "b")[0]


def test_fmt_is_idempotent(cat: Path) -> None:
    assert fmt("--catalog", str(cat)).exit_code == 0
    once = (cat / "items.yaml").read_text(encoding="utf-8")
    r = fmt("--catalog", str(cat))
    assert r.exit_code == 0
    assert r.stdout == ""
    assert (cat / "items.yaml").read_text(encoding="utf-8") == once
    assert format_text(once, "x") == once


def test_fmt_is_idempotent_on_the_mini_catalog(tmp_path: Path) -> None:
    for path in sorted((FILES / "mini").glob("*.yaml")):
        once = format_text(path.read_text(encoding="utf-8"), str(path))
        assert format_text(once, str(path)) == once


def test_check_lists_files_and_exits_1(cat: Path) -> None:
    before = (cat / "items.yaml").read_bytes()
    r = fmt("--catalog", str(cat), "--check")
    assert r.exit_code == 1
    assert r.stdout == f"would reformat {cat / 'items.yaml'}\n"
    assert (cat / "items.yaml").read_bytes() == before
    fmt("--catalog", str(cat))
    r = fmt("--catalog", str(cat), "--check")
    assert r.exit_code == 0
    assert r.stdout == ""


def test_fmt_only_the_given_path(cat: Path) -> None:
    other = cat / "other.yaml"
    other.write_text("affiliations:\n- name: X\n  id: x\n  sources: [https://example.org/x]\n", encoding="utf-8")
    r = fmt("--catalog", str(cat), str(other))
    assert r.exit_code == 0
    assert other.read_text(encoding="utf-8") == "affiliations:\n  - id: x\n    name: X\n    sources: [https://example.org/x]\n"
    assert (cat / "items.yaml").read_text(encoding="utf-8") == (FILES / "maint-unformatted" / "items.yaml").read_text(encoding="utf-8")


def test_fmt_refuses_paths_outside_the_catalog(cat: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("equipment: []\n", encoding="utf-8")
    r = fmt("--catalog", str(cat), str(outside))
    assert r.exit_code == 2
    assert "refusing to write outside the catalog directory" in r.stderr
    assert outside.read_text(encoding="utf-8") == "equipment: []\n"


def test_fmt_refuses_a_symlink_leading_outside(cat: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("equipment: []\n", encoding="utf-8")
    (cat / "link.yaml").symlink_to(outside)
    r = fmt("--catalog", str(cat))
    assert r.exit_code == 2
    assert "refusing to write outside" in r.stderr


def test_fmt_reports_unparsable_files_and_leaves_them(cat: Path) -> None:
    bad = cat / "bad.yaml"
    bad.write_text("equipment:\n  - id: x\n    id: y\n", encoding="utf-8")
    r = fmt("--catalog", str(cat))
    assert r.exit_code == 2
    assert f"{bad}:3:5: duplicate key 'id' (first on line 2)" in r.stderr
    assert bad.read_text(encoding="utf-8") == "equipment:\n  - id: x\n    id: y\n"
    assert "Traceback" not in r.output


def test_fmt_orders_conditions_and_tests() -> None:
    text = """\
indicators:
  - rationale: r
    id: i
    when: {n_of: {of: [{item: a}, {date: {until: 2010, from: 2001}}], n: 1}}
tests:
  - expect: {kept_open: true, leading: [ru]}
    sighting: {observed: [x], date: 2016, id: s}
    id: t
"""
    assert format_text(text, "t") == """\
indicators:
  - id: i
    when: {n_of: {n: 1, of: [{item: a}, {date: {from: 2001, until: 2010}}]}}
    rationale: r
tests:
  - id: t
    sighting: {id: s, date: 2016, observed: [x]}
    expect: {leading: [ru], kept_open: true}
"""


def test_no_temporary_files_left(cat: Path) -> None:
    fmt("--catalog", str(cat))
    assert sorted(p.name for p in cat.iterdir()) == ["items.yaml"]
