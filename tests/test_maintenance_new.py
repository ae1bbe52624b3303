"""`equipid catalog new`: scaffold, validate, never overwrite, stay inside."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from equipid.catalog.loader import load_catalog
from equipid.cli.main import cli

MINI = Path(__file__).parent / "files" / "mini"


@pytest.fixture
def cat(tmp_path: Path) -> Path:
    dest = tmp_path / "cat"
    shutil.copytree(MINI, dest)
    return dest


def new(cat: Path, *args: str) -> object:
    return CliRunner().invoke(cli, ["catalog", "new", *args, "--catalog", str(cat)])


PKM = ("equipment", "--name", "PKM", "--category", "machine-gun", "--alias", "ПКМ", "--from", "1969",
       "--operator", "ru", "--source", "https://en.wikipedia.org/wiki/PK_machine_gun")


def test_new_equipment_writes_a_valid_formatted_file(cat: Path) -> None:
    r = new(cat, *PKM)
    assert r.exit_code == 0, r.output
    path = cat / "equipment" / "pkm.yaml"
    assert r.stdout == f"{path}\n"
    assert path.read_text(encoding="utf-8") == """\
equipment:
  - id: pkm
    name: PKM
    category: machine-gun
    aliases: [ПКМ]
    in_service: {from: 1969}
    operators: [ru]
    sources:
      - https://en.wikipedia.org/wiki/PK_machine_gun
"""
    loaded = load_catalog([cat])
    assert "pkm" in {e.id for e in loaded.equipment}


def test_new_indicator_and_affiliation(cat: Path) -> None:
    r = new(cat, "indicator", "--name", "Telnyashka with VDV", "--item", "telnyashka", "--likelihood", "ru-vdv=common",
            "--likelihood", "ru-naval-infantry=common,ru-sof=occasional", "--rationale", "Striped shirts.",
            "--source", "https://en.wikipedia.org/wiki/Telnyashka")
    assert r.exit_code == 0, r.output
    text = (cat / "indicators" / "telnyashka-with-vdv.yaml").read_text(encoding="utf-8")
    assert "when: {item: telnyashka}" in text
    assert "    likelihoods:\n      ru-vdv: common\n      ru-naval-infantry: common\n      ru-sof: occasional\n" in text
    r = new(cat, "affiliation", "--id", "ru-rosgvardia", "--name", "Rosgvardia", "--parent", "ru", "--theatre", "UA",
            "--source", "https://en.wikipedia.org/wiki/National_Guard_of_Russia")
    assert r.exit_code == 0, r.output
    assert {a.id for a in load_catalog([cat]).affiliations} >= {"ru-rosgvardia"}


def test_new_refuses_to_overwrite(cat: Path) -> None:
    assert new(cat, *PKM).exit_code == 0
    path = cat / "equipment" / "pkm.yaml"
    before = path.read_bytes()
    r = new(cat, *PKM, "--id", "pkm-2", "--file", str(path))
    assert r.exit_code == 2
    assert "already exists; refusing to overwrite it" in r.stderr
    assert path.read_bytes() == before


def test_new_refuses_an_existing_id(cat: Path) -> None:
    r = new(cat, "equipment", "--id", "mib", "--name", "MIB again", "--category", "munition",
            "--source", "https://example.org/mib")
    assert r.exit_code == 2
    assert "'mib' is already defined at" in r.stderr
    assert not (cat / "equipment").exists()


def test_new_refuses_paths_outside_the_catalog(cat: Path, tmp_path: Path) -> None:
    for target in (tmp_path / "elsewhere.yaml", cat / ".." / "escape.yaml"):
        r = new(cat, *PKM, "--file", str(target))
        assert r.exit_code == 2
        assert "refusing to write outside the catalog directory" in r.stderr
        assert not target.exists()


def test_new_validates_before_writing(cat: Path) -> None:
    r = new(cat, "equipment", "--name", "Thing", "--category", "tonk", "--source", "https://example.org/x")
    assert r.exit_code == 2
    assert "category: Input should be" in r.stderr
    r = new(cat, "equipment", "--name", "Thing", "--category", "tank", "--variant-of", "nothing",
            "--source", "wikipedia")
    assert r.exit_code == 2
    assert "variant_of: unknown item 'nothing'" in r.stderr
    assert "sources[0]: neither an http(s) address" in r.stderr
    r = new(cat, "indicator", "--name", "x", "--item", "ghost", "--likelihood", "nobody=common",
            "--rationale", "r", "--source", "https://example.org/x")
    assert r.exit_code == 2
    assert "likelihoods: unknown affiliation 'nobody'" in r.stderr
    assert "when.item: unknown item 'ghost'" in r.stderr
    assert not (cat / "equipment").exists() and not (cat / "indicators").exists()
    assert "Traceback" not in r.output


def test_new_without_a_terminal_names_missing_fields(cat: Path) -> None:
    r = new(cat, "indicator", "--name", "x")
    assert r.exit_code == 2
    assert "missing when, likelihoods, rationale, sources" in r.stderr
    assert "--item or --when" in r.stderr


def test_new_bad_likelihood_and_condition(cat: Path) -> None:
    r = new(cat, "indicator", "--name", "x", "--when", "{all: [", "--likelihood", "ru-sof=common",
            "--rationale", "r", "--source", "https://example.org/x")
    assert r.exit_code == 2
    assert "--when:1:" in r.stderr
    r = new(cat, "indicator", "--name", "x", "--item", "mib", "--likelihood", "ru-sof",
            "--rationale", "r", "--source", "https://example.org/x")
    assert r.exit_code == 2
    assert "write AFFILIATION=WORD" in r.stderr


def test_new_prompts_on_a_terminal(cat: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import equipid.cli.catalog as mod

    monkeypatch.setattr(mod, "stdin_is_terminal", lambda: True)
    r = CliRunner().invoke(cli, ["catalog", "new", "equipment", "--name", "Tripod", "--catalog", str(cat)],
                           input="accessory\nhttps://example.org/tripod\n")
    assert r.exit_code == 0, r.output
    text = (cat / "equipment" / "tripod.yaml").read_text(encoding="utf-8")
    assert "category: accessory" in text and "https://example.org/tripod" in text


# -- a new record never adds a lint error ------------------------------------

def lint_errors(cat: Path) -> int:
    from equipid.maintenance.lint import Severity, lint

    return lint([cat]).count(Severity.ERROR)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--name", "X5", "--alias", "MIB"), "x5.yaml:5:15; lookups of it are ambiguous"),
        (("--name", "X6\u200bzw"), "3:11: error [invisible-character] equipment[x6zw].name: 'X6\\u200bzw' holds invisible characters"),
        (("--name", "X7", "--source", "https://..."),
         "error [malformed-source] equipment[x7].sources[1]: not a valid http(s) address ('...' is not a host name)"),
        (("--name", "X8", "--source", "javascript:alert(document.cookie)"), "error [malformed-source] equipment[x8].sources[1]: not an http(s)"),
    ],
)
def test_new_refuses_a_record_that_lint_would_reject(cat: Path, args: tuple[str, ...], expected: str) -> None:
    before = lint_errors(cat)
    r = new(cat, "equipment", "--category", "tank", "--source", "https://x.org", *args)
    assert r.exit_code == 2, r.output
    assert r.stderr.startswith("equipid: error: the new equipment would not pass lint; nothing written:\n")
    assert expected in r.stderr
    assert "Traceback" not in r.output
    assert not (cat / "equipment").exists()
    assert lint_errors(cat) == before == 0


def test_new_alias_clash_keeps_lookups_unambiguous(cat: Path) -> None:
    assert new(cat, "equipment", "--name", "X5", "--category", "tank", "--source", "https://x.org", "--alias", "MIB").exit_code == 2
    r = CliRunner().invoke(cli, ["lookup", "--json", "MIB", "--catalog", str(cat)])
    assert r.exit_code == 0, r.output
    assert "ambiguous" not in r.stdout


def test_new_in_a_catalog_with_errors_elsewhere_reports_only_its_own(cat: Path) -> None:
    (cat / "zz-broken.yaml").write_text("equipment:\n  - id: other\n    name: other\n    category: other\n    sources: [wikipedia]\n",
                                        encoding="utf-8")
    assert lint_errors(cat) == 1
    r = new(cat, *PKM)
    assert r.exit_code == 0, r.output
    r = new(cat, "equipment", "--name", "X9", "--category", "tank", "--source", "https://x.org", "--alias", "PKM")
    assert r.exit_code == 2
    assert "zz-broken.yaml" not in r.stderr
    assert "[alias-clash]" in r.stderr


def test_new_reports_the_lint_warnings_it_adds(cat: Path) -> None:
    r = new(cat, "indicator", "--name", "Surprise", "--item", "mib", "--likelihood", "isis=unheard-of",
            "--rationale", "A test.", "--source", "https://example.org/x")
    assert r.exit_code == 0, r.output
    path = cat / "indicators" / "surprise.yaml"
    assert r.stdout == f"{path}\n"
    assert "warning [unheard-of-without-alternatives] indicators[surprise].likelihoods.isis" in r.stderr


# -- the bundled catalog of an installed package is read-only -----------------

def fake_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, editable: bool) -> Path:
    """Make equipid look installed in site-packages (or checked out), with MINI as its bundled catalog."""
    import equipid
    import equipid.catalog.cache

    if editable:
        root = tmp_path / "checkout"
        (root / "equipid").mkdir(parents=True)
        (root / "pyproject.toml").write_text("[project]\nname = 'equipid'\n", encoding="utf-8")
        bundled = root / "catalog"
    else:
        root = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
        (root / "equipid").mkdir(parents=True)
        bundled = root / "equipid" / "_catalog"
    shutil.copytree(MINI, bundled)
    monkeypatch.setattr(equipid, "__file__", str(root / "equipid" / "__init__.py"))
    monkeypatch.setattr(equipid.catalog.locate, "bundled_catalog", lambda: bundled)
    return bundled


def test_new_refuses_to_write_into_an_installed_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = fake_install(tmp_path, monkeypatch, editable=False)
    r = CliRunner().invoke(cli, ["catalog", "new", *PKM])
    assert r.exit_code == 2
    target = bundled / "equipment" / "pkm.yaml"
    assert r.stderr == (f"equipid: error: {target}: refusing to write into an installed package ({bundled.parent}); the bundled "
                        "catalog is read-only package data. Pass --catalog DIR (or set EQUIPID_CATALOG) to work on your team's "
                        "own catalog\n")
    assert not (bundled / "equipment").exists()
    own = tmp_path / "own"
    shutil.copytree(MINI, own)
    r = CliRunner().invoke(cli, ["catalog", "new", *PKM], env={"EQUIPID_CATALOG": str(own)})
    assert r.exit_code == 0, r.output
    assert (own / "equipment" / "pkm.yaml").exists()


def test_new_writes_into_a_development_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = fake_install(tmp_path, monkeypatch, editable=True)
    r = CliRunner().invoke(cli, ["catalog", "new", *PKM])
    assert r.exit_code == 0, r.output
    assert r.stdout == f"{bundled / 'equipment' / 'pkm.yaml'}\n"


def test_fmt_refuses_to_rewrite_an_installed_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from equipid.maintenance.fmt import format_text

    bundled = fake_install(tmp_path, monkeypatch, editable=False)
    for f in bundled.glob("*.yaml"):  # the test catalog is not laid out canonically; make it so
        f.write_text(format_text(f.read_text(encoding="utf-8"), str(f)), encoding="utf-8")
    messy = bundled / "zz-messy.yaml"
    shutil.copy(Path(__file__).parent / "files" / "maint-unformatted" / "items.yaml", messy)
    before = messy.read_bytes()
    r = CliRunner().invoke(cli, ["catalog", "fmt", "--check"])
    assert r.exit_code == 1 and r.stdout == f"would reformat {messy}\n"
    r = CliRunner().invoke(cli, ["catalog", "fmt"])
    assert r.exit_code == 2
    assert "refusing to write into an installed package" in r.stderr and "Pass --catalog DIR" in r.stderr
    assert messy.read_bytes() == before
    messy.unlink()
    assert CliRunner().invoke(cli, ["catalog", "fmt"]).exit_code == 0  # nothing to rewrite: nothing refused


def test_new_starts_a_catalog_in_a_missing_directory(tmp_path: Path) -> None:
    """A team's catalog starts with its first record: the directory is made (the README's tour does this)."""
    r = CliRunner().invoke(cli, ["catalog", "new", "equipment", "--catalog", str(tmp_path / "team" / "cat"), "--id", "my-item",
                                 "--name", "My item", "--category", "other", "--source", "https://example.org/my-source"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "team" / "cat" / "equipment" / "my-item.yaml").is_file()


def test_new_where_the_directory_cannot_be_made(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    r = new(tmp_path / "file" / "cat", *PKM)
    assert r.exit_code == 2
    assert r.stderr.startswith(f"Error: cannot create the catalog directory {tmp_path / 'file' / 'cat'}: ")


def test_new_condition_errors_name_the_field_once(cat: Path) -> None:
    r = new(cat, "indicator", "--name", "w", "--when", "{item: [x]}", "--likelihood", "ru-sof=common", "--rationale", "r",
            "--source", "https://x.org")
    assert r.exit_code == 2
    assert r.stderr == "equipid: error: the new indicator does not validate:\n  when.item: an item id\n"
