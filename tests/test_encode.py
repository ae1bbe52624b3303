"""The fast JSON Lines path must give exactly orjson.dumps of the record dicts."""

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equipid.engine.scorer import Scorer
from equipid.sightings.matcher import Observer

WORDS = ["AK-74M", "suppressor", "thermal sight", "MIB", "telnyashka", "bat patch", "BTR-4", "T-90", "R-166-0.5",
         "nothing-known", "T-72B3", "Orlan-10", "Kornet", "Tiger Forces patch", "Wagner patch", "Shahed-136", "Krasukha",
         "Pantsir", "VOG-17", "Ka-52", "Syrian flag", "Hezbollah flag", "technical", "MT-LB", "Lancet", "Akatsiya"]

entry = st.one_of(
    st.sampled_from(WORDS),
    st.builds(lambda w, p: p + w, st.sampled_from(WORDS), st.sampled_from(["2x ", "possible ", "probably ", ""])),
    st.fixed_dictionaries(
        {"item": st.sampled_from(WORDS)},
        optional={"attributes": st.lists(st.sampled_from(WORDS), max_size=3),
                  "confidence": st.sampled_from(["confirmed", "probable", "possible"]),
                  "count": st.integers(1, 5)},
    ),
)
sighting = st.fixed_dictionaries(
    {"observed": st.lists(entry, max_size=6)},
    optional={
        "id": st.text(max_size=8),
        "date": st.sampled_from(["2005", "2014-08", "2016-03-17", "2019", "2022-02-24", "2024-06"]),
        "location": st.sampled_from([{"country": "SY"}, {"country": "UA"}, "Palmyra", {"name": "Bakhmut"}, {"country": "ML"}]),
        "text": st.lists(st.sampled_from(WORDS + ["seen", "near", "тельняшка", "МИБ"]), max_size=12).map(" ".join),
        "absent": st.lists(st.sampled_from(WORDS), max_size=3),
        "source": st.just("https://example.org/x"),
        "note": st.one_of(st.text(max_size=5), st.floats(allow_nan=False), st.lists(st.integers(-2**63, 2**63 - 1), max_size=3)),
    },
)


_ENGINES: dict[str, tuple[Observer, Scorer]] = {}


def _same(compiled, recs, explain=True) -> None:
    if compiled.digest not in _ENGINES:
        _ENGINES[compiled.digest] = (Observer(compiled), Scorer(compiled))
    observer, scorer = _ENGINES[compiled.digest]
    # Each path gets its own observations: scoring appends date warnings to them.
    dicts = scorer.score_chunk([observer.observe(r, f"t:{n}") for n, r in enumerate(recs)], explain=explain)
    lines, leads = scorer.score_chunk_jsonl([observer.observe(r, f"t:{n}") for n, r in enumerate(recs)], explain=explain)
    assert lines == [orjson.dumps(d) for d in dicts]
    assert [compiled.leaves[j] for j in leads] == [d["ranking"][0]["affiliation"] for d in dicts]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sighting, min_size=1, max_size=30), st.booleans())
def test_jsonl_bytes_equal_dumped_dicts_bundled(bundled, recs, explain) -> None:
    _same(bundled, recs, explain)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sighting, min_size=1, max_size=30))
def test_jsonl_bytes_equal_dumped_dicts_mini(mini, recs) -> None:
    _same(mini, recs)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sighting, min_size=1, max_size=10))
def test_fire_finds_exactly_what_evaluating_every_indicator_finds(bundled, recs) -> None:
    from equipid.catalog.conditions import REGISTRY

    evaluate = REGISTRY.evaluate

    _same(bundled, recs[:1])
    observer, scorer = _ENGINES[bundled.digest]
    for n, r in enumerate(recs):
        ctx = scorer.context(observer.observe(r, f"t:{n}"))
        f = scorer.fire(ctx)
        brute = {i: v for i, c in enumerate(bundled.ind_cond) if (v := evaluate(c, ctx)) > 0.0}
        fired = dict(f.present) | {s: brute.get(s) for s, _ in f.superseded}
        assert fired == brute
        single = [i for i, c in enumerate(bundled.ind_cond) if c[0] == "item" and c[1] in ctx.absent and i not in brute]
        assert f.absent == single


ONE_LEAF_AFFILIATIONS = """\
affiliations:
  - id: only
    name: The only affiliation
    sources: [https://example.org/only]
"""
ONE_LEAF_ITEMS = """\
equipment:
  - id: mib
    name: MIB munition
    category: munition
    sources: [https://example.org/mib]
  - id: bat-emblem
    name: bat emblem
    category: insignia
    sources: [https://example.org/bat]
indicators:
  - id: mib-only
    name: MIB munition
    when: {item: mib}
    likelihoods: {only: characteristic}
    default: rare
    rationale: A lone item.
    sources: [https://example.org/mib]
  - id: mib-or-bat
    name: MIB or bat emblem
    when: {any: [{item: mib}, {item: bat-emblem}]}
    likelihoods: {only: common}
    default: rare
    rationale: Either item.
    sources: [https://example.org/bat]
"""


def test_jsonl_bytes_equal_dumped_dicts_one_leaf_no_groups(tmp_path) -> None:
    """A catalog of one leaf (weight_db_by with one key) and no groups."""
    from equipid.catalog.compiler import compile_catalog
    from equipid.catalog.loader import load_catalog

    (tmp_path / "affiliations.yaml").write_text(ONE_LEAF_AFFILIATIONS)
    (tmp_path / "items.yaml").write_text(ONE_LEAF_ITEMS)
    compiled = compile_catalog(load_catalog([tmp_path]), "one-leaf")
    assert compiled.leaves == ["only"] and not compiled.groups
    _same(compiled, [{"observed": ["MIB", "bat emblem"]}, {"observed": ["bat emblem"], "absent": ["MIB"]},
                     {"observed": ["MIB"], "absent": ["bat emblem"]}, {"observed": []}])
