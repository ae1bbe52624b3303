"""`equipid catalog lint`: validators, positions, formats and exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from equipid.cli.main import cli
from equipid.maintenance.lint import VALIDATORS, Severity, lint, source_problem

FILES = Path(__file__).parent / "files"
MINI = FILES / "mini"


@pytest.fixture
def cat(tmp_path: Path) -> Path:
    """A private copy of the mini catalog."""
    dest = tmp_path / "cat"
    shutil.copytree(MINI, dest)
    return dest


def add(cat: Path, text: str, name: str = "zz-extra.yaml") -> Path:
    path = cat / name
    path.write_text(text, encoding="utf-8")
    return path


def issues(cat: Path, code: str | None = None) -> list[tuple[str, int | None, int | None, str]]:
    """(code, line, column, message) of each issue, optionally of one code."""
    return [
        (i.code, i.location.line, i.location.column, i.message)
        for i in lint([cat]).issues
        if code is None or i.code == code
    ]


def positions(cat: Path, code: str) -> list[tuple[int | None, int | None]]:
    return [(line, col) for _, line, col, _ in issues(cat, code)]


def run(*args: str) -> object:
    return CliRunner().invoke(cli, ["catalog", "lint", *args])


# -- the mini catalog is clean ----------------------------------------------

def test_mini_catalog_has_no_errors_or_warnings() -> None:
    result = lint([MINI])
    assert result.count(Severity.ERROR) == 0
    assert result.count(Severity.WARNING) == 0
    assert result.exit_code(strict=True) == 0


def test_mini_lints_clean_from_the_cli() -> None:
    r = run("--catalog", str(MINI), "--strict")
    assert r.exit_code == 0, r.output
    assert "0 error(s), 0 warning(s)" in r.stderr


def test_every_validator_has_a_description() -> None:
    for code, v in VALIDATORS.items():
        assert v.code == code
        assert v.description and v.__doc__
        assert isinstance(v.severity, Severity)


# -- one check at a time, positions as (line, column) ------------------------

def test_alias_claimed_by_two_items(cat: Path) -> None:
    add(cat, """\
equipment:
  - id: ak-74-copy
    name: AK 74 copy
    category: small-arm
    aliases: [Kalashnikov AK74]
    sources: [https://en.wikipedia.org/wiki/AK-74]
""")
    assert positions(cat, "alias-clash") == [(5, 15)]
    assert "also claimed by item 'ak-74'" in issues(cat, "alias-clash")[0][3]


def test_dangling_references(cat: Path) -> None:
    add(cat, """\
equipment:
  - id: t-90x
    name: T-90X
    category: tank
    variant_of: t-91
    operators: [ru, martians]
    sources: [https://en.wikipedia.org/wiki/T-90]
indicators:
  - id: t-90x-seen
    name: T-90X seen
    when: {item: t-90x}
    likelihoods: {ru-ground-forces: common, nobody: rare}
    default: rare
    supersedes: [no-such-indicator]
    rationale: A test.
    sources: [https://en.wikipedia.org/wiki/T-90]
""")
    assert positions(cat, "dangling-reference") == [(5, 17), (6, 21), (12, 45), (14, 18)]


def test_affiliation_parent_cycle(cat: Path) -> None:
    add(cat, """\
affiliations:
  - id: cyc-a
    name: A
    parent: cyc-b
    sources: [https://example.org/a]
  - id: cyc-b
    name: B
    parent: cyc-a
    sources: [https://example.org/b]
""")
    assert issues(cat, "cycle") == [("cycle", 4, 13, "parent cycle: cyc-a -> cyc-b -> cyc-a")]


def test_variant_of_cycle(cat: Path) -> None:
    add(cat, """\
equipment:
  - id: loop-a
    name: loop a
    category: tank
    variant_of: loop-b
    sources: [https://example.org/a]
  - id: loop-b
    name: loop b
    category: tank
    variant_of: loop-a
    sources: [https://example.org/b]
""")
    assert issues(cat, "cycle") == [("cycle", 5, 17, "variant_of cycle: loop-a -> loop-b -> loop-a")]


def test_conditions_that_never_match(cat: Path) -> None:
    add(cat, """\
indicators:
  - id: impossible
    name: impossible
    when:
      all:
        - {item: mib}
        - {date: {until: 2010}}
        - {date: {from: 2015}}
        - {item: no-such-item}
    likelihoods: {ru-sof: common}
    default: rare
    rationale: Contradictory on purpose.
    sources: [https://example.org/a]
  - id: nowhere
    name: nowhere
    when: {all: [{country: [SY]}, {country: [UA]}]}
    likelihoods: {ru-sof: common}
    default: rare
    rationale: Contradictory on purpose.
    sources: [https://example.org/a]
""")
    got = issues(cat, "never-matches")
    assert [(line, col) for _, line, col, _ in got] == [(6, 9), (9, 18), (16, 17)]
    assert "from 2015 and until 2010" in got[0][3]
    assert "unknown item 'no-such-item'" in got[1][3]
    assert "no country" in got[2][3]


def test_unheard_of_needs_alternatives(cat: Path) -> None:
    add(cat, """\
indicators:
  - id: surprise
    name: surprise
    when: {item: mib}
    likelihoods:
      ru-sof: common
      isis: unheard-of
    default: rare
    rationale: A test.
    sources: [https://example.org/a]
  - id: explained
    name: explained
    when: {item: mib}
    likelihoods: {isis: unheard-of}
    default: rare
    alternatives: Could be captured.
    rationale: A test.
    sources: [https://example.org/a]
""")
    assert positions(cat, "unheard-of-without-alternatives") == [(7, 13)]
    r = run("--catalog", str(cat))
    assert r.exit_code == 0
    r = run("--catalog", str(cat), "--strict")
    assert r.exit_code == 1


def test_in_service_until_before_from(cat: Path) -> None:
    add(cat, """\
equipment:
  - id: time-machine
    name: time machine
    category: other
    in_service: {from: 2015, until: 2010}
    sources: [https://example.org/a]
""")
    assert issues(cat, "date-order") == [("date-order", 5, 17, "until 2010 is before from 2015")]


@pytest.mark.parametrize(
    ("source", "ok"),
    [
        ("https://en.wikipedia.org/wiki/AK-74", True),
        ("http://example.org/x", True),
        ("Jane's Infantry Weapons 2010-2011, p. 123", True),
        ("ARES Research Report 5", True),
        ("wikipedia", False),
        ("Wikipedia.", False),
        ("en.wikipedia.org/wiki/AK-74", False),
        ("ftp://example.org/file", False),
        ("https://", False),
        ("12 34", False),
    ],
)
def test_source_forms(source: str, ok: bool) -> None:
    assert (source_problem(source) is None) is ok


def test_malformed_and_missing_sources(cat: Path) -> None:
    add(cat, """\
equipment:
  - id: badly-sourced
    name: badly sourced
    category: other
    sources:
      - wikipedia
      - url: www.example.org/page
  - id: unsourced
    name: unsourced
    category: other
    sources: []
""")
    assert positions(cat, "malformed-source") == [(6, 9), (7, 14)]
    assert issues(cat, "schema") == [("schema", 11, 14, "at least one source is required")]


def test_invisible_characters(cat: Path) -> None:
    add(cat, """\
equipment:
  - id: sneaky
    name: "sne\\u200baky"
    category: other
    aliases: [plain, "rtl\\u202eoverride"]
    sources: [https://example.org/a]
""")
    assert positions(cat, "invisible-character") == [(3, 11), (5, 22)]


def test_unused_item_is_info(cat: Path) -> None:
    got = issues(cat, "unused-item")
    assert [line for _, line, _, _ in got] == [4, 43, 49, 62]
    assert all(i.severity is Severity.INFO for i in lint([cat]).issues if i.code == "unused-item")


def test_contract_affiliation_missing(cat: Path) -> None:
    text = (cat / "affiliations.yaml").read_text(encoding="utf-8")
    start = text.index("  - id: ua-afu")
    (cat / "affiliations.yaml").write_text(text[:start], encoding="utf-8")
    got = issues(cat, "contract-affiliation")
    assert got == [("contract-affiliation", None, None, "'ua-afu' is required of every catalog (docs/sightings.md) and missing")]


def test_duplicate_id_across_files(cat: Path) -> None:
    add(cat, """\
equipment:
  - id: mib
    name: another MIB
    category: munition
    sources: [https://example.org/a]
""")
    assert positions(cat, "duplicate-id") == [(2, 5)]


# -- a broken catalog: no crash, every problem, exit 2 -----------------------

def test_broken_catalog_exits_2_with_positions(cat: Path) -> None:
    shutil.copy(FILES / "maint-invalid" / "broken.yaml", cat / "broken.yaml")
    r = run("--catalog", str(cat))
    assert r.exit_code == 2
    path = cat / "broken.yaml"
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith(str(path))]
    assert lines == [
        f"{path}:4:9: error [schema] equipment[Bad Id].id: 'Bad Id' is not a slug (lower-case letters, digits and '-')",
        f"{path}:6:15: error [schema] equipment[Bad Id].category: " + lines[1].split("category: ", 1)[1],
        f"{path}:8:5: info [unused-item] equipment[ghost-variant]: no indicator mentions this item or a family parent; "
        "it is recognised but never scored",
        f"{path}:11:17: error [dangling-reference] equipment[ghost-variant].variant_of: unknown item 'ghost'",
        f"{path}:12:15: error [malformed-source] equipment[ghost-variant].sources[0]: neither an http(s) address nor "
        "a named publication (give the title, author or publisher, and date): 'wikipedia'",
        f"{path}:16:17: error [never-matches] indicators[never-fires].when.all: contradictory dates: "
        "from 2015 and until 2010 cannot both hold",
        f"{path}:17:25: warning [unheard-of-without-alternatives] indicators[never-fires].likelihoods.isis: "
        "unheard-of for 'isis' without an 'alternatives' note (captured, bought, mimicked?)",
        f"{path}:20:14: info [unclaimed-sources] indicators[never-fires].sources: no source carries a 'claim:' "
        "saying who fields the item and how commonly; the likelihoods rest on the rationale alone",
    ]
    assert "5 error(s), 1 warning(s), 6 info(s)" in r.stderr


def test_yaml_syntax_error_is_reported_not_raised(cat: Path) -> None:
    add(cat, "equipment:\n  - id: x\n    name: [unclosed\n")
    r = run("--catalog", str(cat))
    assert r.exit_code == 2
    assert "Traceback" not in r.output
    got = issues(cat, "yaml-syntax")
    assert len(got) == 1 and got[0][1] is not None


def test_duplicate_yaml_key(cat: Path) -> None:
    add(cat, "equipment:\n  - id: x\n    id: y\n")
    assert positions(cat, "yaml-syntax") == [(3, 5)]


def test_missing_catalog_directory(tmp_path: Path) -> None:
    r = run("--catalog", str(tmp_path / "nope"))
    assert r.exit_code == 2
    assert "does not exist" in r.stderr
    assert "Traceback" not in r.output


# -- paths, formats -----------------------------------------------------------

def test_paths_filter_issues(cat: Path) -> None:
    shutil.copy(FILES / "maint-invalid" / "broken.yaml", cat / "broken.yaml")
    r = run("--catalog", str(cat), str(cat / "items.yaml"))
    assert r.exit_code == 0
    assert "broken.yaml" not in r.stdout


def test_a_path_outside_the_catalog_is_linted_as_a_layer(cat: Path, tmp_path: Path) -> None:
    local = tmp_path / "local.yaml"
    local.write_text("equipment:\n  - id: local-thing\n    name: local thing\n    category: other\n"
                     "    variant_of: nothing-here\n    sources: [https://example.org/a]\n", encoding="utf-8")
    r = run("--catalog", str(cat), str(local))
    assert r.exit_code == 2
    assert r.stdout.splitlines() == [
        f"{local}:2:5: info [unused-item] equipment[local-thing]: no indicator mentions this item or a family parent; "
        "it is recognised but never scored",
        f"{local}:5:17: error [dangling-reference] equipment[local-thing].variant_of: unknown item 'nothing-here'",
    ]


def test_json_format(cat: Path) -> None:
    shutil.copy(FILES / "maint-invalid" / "broken.yaml", cat / "broken.yaml")
    r = run("--catalog", str(cat), "--format", "json")
    assert r.exit_code == 2
    doc = json.loads(r.stdout)
    assert doc["counts"] == {"error": 5, "warning": 1, "info": 6}
    first = doc["issues"][0]
    assert (first["line"], first["column"], first["severity"], first["code"]) == (4, 9, "error", "schema")


def test_github_format(cat: Path) -> None:
    shutil.copy(FILES / "maint-invalid" / "broken.yaml", cat / "broken.yaml")
    r = run("--catalog", str(cat), "--format", "github")
    assert r.exit_code == 2
    first = r.stdout.splitlines()[0]
    path = str(cat / "broken.yaml").replace(":", "%3A").replace(",", "%2C")
    assert first == (f"::error file={path},line=4,col=9,title=schema::equipment[Bad Id].id: "
                     "'Bad Id' is not a slug (lower-case letters, digits and '-')")
    assert any(ln.startswith("::warning ") for ln in r.stdout.splitlines())
    assert any(ln.startswith("::notice ") for ln in r.stdout.splitlines())


def test_env_var_selects_catalog(cat: Path) -> None:
    shutil.copy(FILES / "maint-invalid" / "broken.yaml", cat / "broken.yaml")
    r = CliRunner().invoke(cli, ["catalog", "lint"], env={"EQUIPID_CATALOG": str(cat)})
    assert r.exit_code == 2


# -- sources are checked however the record fails ----------------------------

@pytest.mark.parametrize(
    "source",
    [
        "javascript:alert(document.cookie)",
        "doi:10.1000/182",
        "https://exa\u200bmple.org/page",
        "https://example.org/pa ge",
        "\u200bjavascript:alert(1)",
        "https://...",
        "https://localhost/x",
        "https://example.org:99999/x",
        "Jane's\u200b Infantry Weapons",
        "   ",
        "http: example page",
    ],
)
def test_sources_that_only_look_usable(source: str) -> None:
    assert source_problem(source) is not None


@pytest.mark.parametrize(
    "source",
    ["ARES: Russian special forces equipment in Syria", "https://127.0.0.1/x", "https://[2001:db8::1]/x", "https://пример.рф/x"],
)
def test_sources_that_are_fine(source: str) -> None:
    assert source_problem(source) is None


def test_sources_are_checked_in_a_record_with_a_schema_error(cat: Path) -> None:
    add(cat, """\
equipment:
  - id: half-sourced
    name: half sourced
    category: other
    sources:
      - ftp://example.org/file
      - wikipedia
      - "  "
      - "javascript:alert(document.cookie)"
      - "https://exa\\u200bmple.org/x"
      - url: "https://..."
""")
    got = [(c, line, col) for c, line, col, _ in issues(cat) if c in ("malformed-source", "schema")]
    assert got == [
        ("malformed-source", 6, 9), ("malformed-source", 7, 9), ("schema", 8, 9),
        ("malformed-source", 9, 9), ("malformed-source", 10, 9), ("malformed-source", 11, 14),
    ]
    assert issues(cat, "schema")[0][3] == "must not be blank"


def test_a_bad_source_is_reported_once_whatever_its_form(cat: Path) -> None:
    add(cat, """\
equipment:
  - id: odd-sources
    name: odd sources
    category: other
    sources:
      - 42
      - url: ""
      - {title: no url}
""")
    assert issues(cat, "schema") == [
        ("schema", 6, 9, "a source is an address, a publication name or a mapping with url"),
        ("schema", 7, 14, "must not be blank"),
        ("schema", 8, 9, "Field required"),
    ]


def test_duplicate_record_still_has_its_names_and_sources_checked(cat: Path) -> None:
    add(cat, """\
equipment:
  - id: mib
    name: "MIB\\u200b"
    category: munition
    sources: [wikipedia]
""")
    assert [c for c, *_ in issues(cat) if c != "unused-item"] == ["duplicate-id", "invisible-character", "malformed-source"]


def test_impossible_date_in_a_test_sighting(cat: Path) -> None:
    add(cat, """\
tests:
  - id: bad-date
    sighting:
      date: 2016-02-30
      observed: [MIB]
    expect: {leading: [ru-sof]}
    sources: [https://en.wikipedia.org/wiki/Spetsnaz_GRU]
  - id: bad-count
    sighting: {date: 2016, observed: [{item: MIB, count: 0}]}
    expect: {leading: [ru-sof]}
    sources: [https://en.wikipedia.org/wiki/Spetsnaz_GRU]
""")
    assert issues(cat, "test-sighting") == [
        ("test-sighting", 4, 13, "impossible date '2016-02-30'"),
        ("test-sighting", 9, 58, "expected a whole number from 1 to 1,000,000 or a count word such as 'several', 'dozens' or 'hundreds', got 0"),
    ]
    r = run("--catalog", str(cat))
    assert r.exit_code == 2
    assert f"{cat / 'zz-extra.yaml'}:4:13: error [test-sighting] tests[bad-date].sighting.date: impossible date '2016-02-30'" in r.stdout


def test_unmatched_name_in_a_test_sighting_is_a_warning(cat: Path) -> None:
    add(cat, """\
tests:
  - id: typo
    sighting: {date: 2016-03-17, location: {country: SY}, observed: [MIB, nonexistent-gizmo]}
    expect: {leading: [ru-sof]}
    sources: [https://en.wikipedia.org/wiki/Spetsnaz_GRU]
""")
    assert positions(cat, "unmatched-name") == [(3, 75)]
    assert run("--catalog", str(cat), "--strict").exit_code == 1


def test_a_file_of_another_catalog_is_linted_with_that_catalog(cat: Path, tmp_path: Path) -> None:
    # As with a checkout's catalog/ file linted by a plain install: the selected
    # catalog (here `cat`) is a copy of the one the file belongs to.
    checkout = tmp_path / "checkout" / "catalog"
    shutil.copytree(MINI, checkout)
    (checkout / "equipment").mkdir()
    sub = add(checkout, "equipment:\n  - id: sub-thing\n    name: sub thing\n    category: other\n    variant_of: mib\n"
                        "    sources: [wikipedia]\n", name="equipment/sub.yaml")
    r = run("--catalog", str(cat), str(checkout / "items.yaml"), str(sub))
    assert [ln for ln in r.stdout.splitlines() if " info " not in ln] == [
        f"{sub}:6:15: error [malformed-source] equipment[sub-thing].sources[0]: neither an http(s) address nor a named "
        "publication (give the title, author or publisher, and date): 'wikipedia'",
    ]
    assert "duplicate-id" not in r.stdout
    assert r.exit_code == 2
    r = run("--catalog", str(cat), str(checkout / "items.yaml"), "--strict")
    assert r.exit_code == 0, r.stdout
    assert r.stderr == "0 error(s), 0 warning(s), 4 info(s)\n"


def test_catalog_root_is_the_directory_holding_affiliations(tmp_path: Path) -> None:
    from equipid.maintenance.lint import catalog_root

    shutil.copytree(MINI, tmp_path / "c")
    (tmp_path / "c" / "deep" / "er").mkdir(parents=True)
    assert catalog_root(tmp_path / "c" / "deep" / "er") == (tmp_path / "c").resolve()
    assert catalog_root(tmp_path / "c" / "items.yaml") == (tmp_path / "c").resolve()
    assert catalog_root(tmp_path / "c") == (tmp_path / "c").resolve()
    assert catalog_root(tmp_path) is None


def test_names_shared_with_a_place_or_a_common_word_are_listed(tmp_path, mini_dir) -> None:
    dst = tmp_path / "cat"
    shutil.copytree(mini_dir, dst)
    items = dst / "items.yaml"
    text = items.read_text(encoding="utf-8")
    (dst / "places.yaml").write_text(
        "places:\n  - id: telnyashka-town\n    name: Telnyashka\n    country: UA\n    sources: [https://example.org/place]\n"
        "  - id: buk-village\n    name: Bat\n    country: UA\n    sources: [https://example.org/place]\n",
        encoding="utf-8")
    items.write_text(text, encoding="utf-8")
    issues = [i for i in lint([dst]).issues if i.code == "name-in-context"]
    assert any("telnyashka" in i.message and "the place Telnyashka (UA)" in i.message for i in issues)
    assert all("ship, BDK, landing ship, regiment, battalion, brigade" in i.message for i in issues)
