import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equipid.catalog.scale import ICD203, icd203
from equipid.engine.scorer import Scorer
from equipid.sightings.matcher import Observer

NAMES = ["AK-74M", "suppressor", "thermal sight", "MIB", "telnyashka", "bat patch", "BTR-4", "T-90", "R-166-0.5", "nothing-known"]


def _score(mini, observed, weights=None, **extra):
    rec = {"observed": observed, **extra}
    return Scorer(mini, weights).score(Observer(mini).observe(rec, "t"))


def _p(rec, leaf):
    return next(r["probability"] for r in rec["ranking"] if r["affiliation"] == leaf)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(NAMES), max_size=6), st.sampled_from([None, "SY", "UA"]))
def test_probabilities_sum_to_one_and_groups_sum_leaves(mini, observed, country) -> None:
    rec = _score(mini, observed, **({"location": {"country": country}, "date": "2016-03"} if country else {}))
    assert math.isclose(sum(r["probability"] for r in rec["ranking"]), 1.0, abs_tol=1e-9)
    assert len(rec["ranking"]) == len(mini.leaves)
    for g in rec["groups"]:
        members = [r["probability"] for r in rec["ranking"] if g["affiliation"] in r["path"][:-1]]
        assert math.isclose(g["probability"], sum(members), abs_tol=1e-9)
    for r in rec["ranking"] + rec["groups"]:
        assert r["estimate"] == icd203(r["probability"])


@settings(max_examples=40, deadline=None)
@given(st.permutations(NAMES[:7]))
def test_order_does_not_matter(mini, observed) -> None:
    a = _score(mini, list(observed))
    b = _score(mini, sorted(observed))
    for ra, rb in zip(a["ranking"], b["ranking"], strict=False):
        assert ra["affiliation"] == rb["affiliation"] or math.isclose(ra["probability"], rb["probability"])
        assert math.isclose(ra["probability"], rb["probability"], rel_tol=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4))
def test_repeated_observation_not_counted_twice(mini, observed) -> None:
    a = _score(mini, observed)
    b = _score(mini, observed + observed)
    assert [r["probability"] for r in a["ranking"]] == [r["probability"] for r in b["ranking"]]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(NAMES), max_size=4))
def test_unspoken_observation_changes_nothing(mini, observed) -> None:
    a = _score(mini, observed)
    b = _score(mini, observed + ["R-166-0.5"])  # in the catalog, no indicator speaks of it
    assert [round(r["probability"], 12) for r in a["ranking"]] == [round(r["probability"], 12) for r in b["ranking"]]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(NAMES), max_size=4), st.sampled_from(["MIB", "BTR-4", "bat patch", "telnyashka"]))
def test_evidence_favouring_a_never_lowers_a_over_b(mini, observed, extra) -> None:
    """Evidence favouring A over B never lowers A over B, where it damps no evidence of its own family.

    NOTE: within an evidence family (indicators favouring the same forces) the strongest counts in full and the
    rest with diminishing returns; a stronger one arriving damps the others, which may have told A from B more
    sharply. Without damping (family_damp 1) the property holds for every piece of evidence.

    The property is of the evidence, so the fitted label-noise floor is off here: mixing a share of the prior
    back into the result (see test_label_noise_keeps_a_share_of_the_prior_in_every_result) narrows a ratio
    toward the prior's when evidence for a third force drains both A and B.
    """
    from equipid.catalog.scale import Weights

    undamped = Weights()
    undamped.family_damp = 1.0
    undamped.label_noise = 0.0
    idx = {c: i for i, c in enumerate(mini.leaves)}
    n = next(i for i, ind in enumerate(mini.indicators) if mini.ind_cond[i] == ("item", Observer(mini).r.resolve(extra).items[0]))
    damped = Weights()
    damped.label_noise = 0.0
    for weights in (damped, undamped):
        scorer = Scorer(mini, weights)
        base = _score(mini, observed, weights)
        if weights is damped and scorer._family[n] in {scorer._family[scorer.ind_ids.index(e["indicator"])] for e in base["evidence"]}:
            continue  # its family is already in the sighting: the damping may move weight off a sharper member
        more = _score(mini, observed + [extra], weights)
        p = scorer.P[n]
        for a in mini.leaves:
            for b in mini.leaves:
                if p[idx[a]] > p[idx[b]]:
                    before = _p(base, a) / _p(base, b)
                    after = _p(more, a) / _p(more, b)
                    assert after >= before * (1 - 1e-9)


def test_icd_word_bands() -> None:
    assert icd203(0.0) == "almost no chance"
    assert icd203(0.5) == "roughly even chance"
    assert icd203(0.999) == "almost certain"
    assert [w for _, w in ICD203][-1] == "almost certain"


def test_supersedes_counts_combination_once(mini) -> None:
    rec = _score(mini, ["AK-74M with suppressor and thermal sight"])
    fired = [e["indicator"] for e in rec["evidence"]]
    assert "ak-suppressed-thermal" in fired and "suppressor-any" not in fired
    assert rec["superseded"] == [{"indicator": "suppressor-any", "by": "ak-suppressed-thermal"}]


def test_out_of_service_date_warns_and_discounts(mini) -> None:
    early = _score(mini, ["MIB"], date="2005")
    late = _score(mini, ["MIB"], date="2016")
    assert any("in service only from 2007" in w for w in early["warnings"])
    assert not late["warnings"]
    assert early["evidence"][0]["weight_db"] < late["evidence"][0]["weight_db"]


def test_confidence_softens(mini) -> None:
    sure = _score(mini, ["MIB"])
    maybe = _score(mini, ["possible MIB"])
    assert _p(maybe, "ru-ksso") < _p(sure, "ru-ksso")
    assert _p(maybe, "ru-ksso") > 1 / len(mini.leaves)


def test_checked_absence_is_evidence(mini) -> None:
    rec = _score(mini, ["MIB"], absent=["BTR-4"])
    base = _score(mini, ["MIB"])
    assert _p(rec, "ua-afu") < _p(base, "ua-afu")
    assert any(e["name"].startswith("absent:") for e in rec["evidence"])


def test_prior_by_theatre(mini) -> None:
    rec = _score(mini, [], location={"country": "SY"}, date="2016-03-17")
    assert rec["prior"] == "syria-2015"
    assert _p(rec, "ua-afu") < 0.01
    assert _score(mini, [])["prior"] == "uniform"


def test_look_for_next_names_unobserved_items(mini) -> None:
    rec = _score(mini, ["telnyashka"])
    sugg = rec["look_for_next"]
    assert 1 <= len(sugg) <= 3
    for s in sugg:
        assert "telnyashka" not in s["items"] and s["information_bits"] > 0 and s["why"]


# CONTRACT.md section 3, written out independently of equipid.catalog.scale.
_CONTRACT_BANDS = [(0.05, "almost no chance"), (0.20, "very unlikely"), (0.45, "unlikely"), (0.55, "roughly even chance"),
                   (0.80, "likely"), (0.95, "very likely"), (math.inf, "almost certain")]


@given(st.floats(min_value=0.0, max_value=1.0, allow_nan=False))
def test_icd_word_always_matches_its_contract_band(p) -> None:
    assert icd203(p) == next(word for upper, word in _CONTRACT_BANDS if p < upper)


def test_need_groups_are_an_and_of_alternatives() -> None:
    from equipid.catalog.conditions import REGISTRY

    need_groups = REGISTRY.need_groups
    cond = ("all", [("item", "a"), ("any", [("item", "b"), ("item", "c")]), ("country", ["SY"]), ("not", ("item", "d"))])
    assert need_groups(cond) == [("a",), ("b", "c")]
    assert need_groups(("attribute", "ak-74m", "suppressor")) == [("ak-74m",), ("suppressor",)]


def test_look_for_next_says_or_between_alternatives_and_never_names_a_force(bundled) -> None:
    from equipid.engine.assess import assess

    sightings = [
        {"observed": ["BM-21"], "date": "2015-01", "location": {"country": "UA"}},
        {"observed": ["commercial quadcopter"], "date": "2017-03", "location": {"country": "IQ"}},
        {"observed": ["MIB", "telnyashka"], "date": "2016-03", "location": {"country": "SY"}},
        {"text": "Russian troops and paratroopers", "date": "2022-03", "location": {"country": "UA"}},
    ]
    names = []
    for s in sightings:
        for x in assess(bundled, s)["look_for_next"]:
            assert all(bundled.category[it] != "actor" for it in x["items"]), x
            names.append(x["name"])
    assert any(" or " in n for n in names)


def test_look_for_next_keeps_to_the_kind_of_material_seen(bundled) -> None:
    """Soldiers and their kit are not told to look for a sarin bomb, nor a missile's debris for a beret."""
    from equipid.engine.assess import assess
    from equipid.engine.scorer import _KIT, _MATERIAL, _STRIKE

    def kinds(sighting):
        picks = assess(bundled, sighting)["look_for_next"]
        assert picks
        return {_MATERIAL.get(bundled.category[it], _KIT) for x in picks for it in x["items"]}

    assert _STRIKE not in kinds({"observed": ["T-72", "AKM", "NDF patch"], "date": "2015-06", "location": {"country": "SY"}})
    assert _KIT not in kinds({"observed": ["Kh-101 debris"], "date": "2022-10", "location": {"country": "UA"}})
    # Seen together, or nothing that says which: either kind may be suggested. A barrel bomb alone is told to
    # look for strike material only; beside a tank, kit may be suggested too (which kind wins depends on what
    # best separates the leading forces).
    assert _KIT not in kinds({"observed": ["barrel bomb"], "date": "2016-05", "location": {"country": "SY"}})
    both = kinds({"observed": ["barrel bomb", "T-72"], "date": "2016-05", "location": {"country": "SY"}})
    assert both & {_KIT, _STRIKE}


def test_results_resting_on_little_say_so(mini) -> None:
    assert any("no theatre prior for XX" in w for w in _score(mini, ["MIB"], location={"country": "XX"})["warnings"])
    assert any("nothing in this sighting was recognised" in w for w in _score(mini, ["nothing-known"])["warnings"])
    assert not _score(mini, ["MIB"])["warnings"]


_SIGHTED = ["AK-74M", "MIB", "telnyashka", "BTR-4", "T-90", "T-72B3", "Orlan-10", "Kornet", "Wagner patch", "Shahed-136",
            "Pantsir", "Ka-52", "Hezbollah flag", "technical", "MT-LB", "Lancet", "Akatsiya", "Tiger Forces patch"]
_sighting = st.fixed_dictionaries(
    {"observed": st.lists(st.one_of(
        st.sampled_from(_SIGHTED),
        st.builds(lambda w, a, c: {"item": w, "attributes": a, "confidence": c}, st.sampled_from(_SIGHTED),
                  st.lists(st.sampled_from(_SIGHTED), max_size=2), st.sampled_from(["confirmed", "probable", "possible"])),
    ), max_size=6)},
    optional={"date": st.sampled_from(["2005", "2014-08", "2016-03-17", "2019", "2022-02-24", "2024-06"]),
              "location": st.sampled_from([{"country": "SY"}, {"country": "UA"}, {"country": "ML"}, {"country": "LY"}]),
              "absent": st.lists(st.sampled_from(_SIGHTED), max_size=3)},
)


@settings(max_examples=40, deadline=None)
@given(st.lists(_sighting, min_size=1, max_size=25))
def test_a_chunk_fires_what_each_sighting_fires_alone(bundled, recs) -> None:
    """The chunk-wide evaluation of the conditions gives every sighting what evaluating its own conditions gives."""
    from equipid.catalog.conditions import REGISTRY

    evaluate = REGISTRY.evaluate

    observer, scorer = Observer(bundled), Scorer(bundled)
    ctxs = [scorer.context(observer.observe(r, f"t:{n}")) for n, r in enumerate(recs)]
    fires, R, I_, C = scorer._fire_chunk(ctxs)
    assert list(zip(R.tolist(), I_.tolist(), C.tolist(), strict=True)) == [
        (r, i, v) for r, f in enumerate(fires) for i, v in f.present]
    for ctx, f in zip(ctxs, fires, strict=True):
        brute = {i: v for i, c in enumerate(bundled.ind_cond) if (v := evaluate(c, ctx)) > 0.0}
        assert dict(f.present) | {s: brute[s] for s, _ in f.superseded} == brute
        assert f.done == set(brute) | set(f.absent)
        alone = scorer.fire(ctx)
        assert (alone.present, alone.absent, alone.superseded, alone.done) == (f.present, f.absent, f.superseded, f.done)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.floats(-50.0, 50.0)), max_size=40))
def test_add_rows_is_add_at_to_the_last_bit(entries) -> None:
    import numpy as np

    from equipid.engine.scorer import _add_rows

    entries.sort(key=lambda e: e[0])
    rows = np.array([r for r, _ in entries], dtype=np.intp)
    terms = np.array([[t, t / 3.0] for _, t in entries]).reshape(-1, 2)
    want = np.full((7, 2), 0.1)
    np.add.at(want, rows, terms)
    got = np.full((7, 2), 0.1)
    _add_rows(got, rows, terms)
    assert want.tobytes() == got.tobytes()


def test_could_fire_cache_never_lets_one_sighting_decide_for_another(mini_copy) -> None:
    # An indicator needing a named force plus kit: the force is never suggested
    # (actors are not looked for), so whether the rule could fire depends on
    # whether the force was named, not on date and country alone.
    (mini_copy / "zz-actor.yaml").write_text("""\
equipment:
  - id: actor-sf
    name: Special forces named in the report
    category: actor
    sources: [https://example.org/actor]
indicators:
  - id: named-sf-with-mib
    name: Special forces named, with an MIB
    when:
      all: [{item: actor-sf}, {item: mib}, {country: [SY]}]
    likelihoods: {ru-ksso: characteristic}
    default: rare
    rationale: test rule
    sources: [https://example.org/rule]
""", encoding="utf-8")
    from equipid.catalog.compiler import compile_catalog
    from equipid.catalog.loader import load_catalog
    from equipid.engine.scorer import Scorer
    from equipid.sightings.matcher import Observer

    c = compile_catalog(load_catalog([mini_copy]), "actor-test")
    named = {"id": "a", "date": "2016-03", "country": "SY", "text": "special forces named in the report", "observed": ["telnyashka"]}
    plain = {"id": "b", "date": "2016-03", "country": "SY", "observed": ["telnyashka"]}
    fresh = Scorer(c)
    assert not fresh._ctx_only[c.indicators.index(next(i for i in c.indicators if i["id"] == "named-sf-with-mib"))]
    o = Observer(c)
    alone = fresh.score_chunk([o.observe(plain, "b")])[0]["look_for_next"]
    after = Scorer(c).score_chunk([o.observe(named, "a"), o.observe(plain, "b")])[1]["look_for_next"]
    assert after == alone


def test_a_named_force_the_catalog_does_not_model_is_said(mini_copy) -> None:
    """A ranking over the modelled forces cannot say that the force named is none of them: a warning does."""
    from equipid.catalog.compiler import compile_catalog
    from equipid.catalog.loader import load_catalog

    (mini_copy / "zz-sdf.yaml").write_text("""\
equipment:
  - id: actor-sdf
    name: Syrian Democratic Forces (named in the report)
    category: actor
    aliases: [SDF, YPG]
    sources: [https://en.wikipedia.org/wiki/Syrian_Democratic_Forces]
  - id: actor-sdf-women
    name: YPJ (named in the report)
    category: actor
    variant_of: actor-sdf
    aliases: [YPJ]
    sources: [https://en.wikipedia.org/wiki/Women%27s_Protection_Units]
""", encoding="utf-8")
    c = compile_catalog(load_catalog([mini_copy]), "t")
    observer, scorer = Observer(c), Scorer(c)

    def warnings(text, observed=()):
        return scorer.score(observer.observe({"text": text, "observed": list(observed)}, "t"))["warnings"]

    said = "Syrian Democratic Forces (named in the report) is named, but the catalog models no such force"
    assert sum(said in w for w in warnings("SDF and YPG fighters with an AK-74M")) == 1
    assert any("YPJ (named in the report) is named, but the catalog models no such force" in w for w in warnings("YPJ unit"))
    assert not any("models no such force" in w for w in warnings("fighters with an AK-74M and MIB"))


# -- roles, families, caps (weights fitted on data) -------------------------

def _bundled():
    from equipid.catalog.cache import load_compiled
    from equipid.catalog.locate import catalog_dirs

    return load_compiled(catalog_dirs())


def test_a_target_says_nothing_of_the_shooter_when_the_shooter_is_in_view(mini) -> None:
    from equipid.catalog.scale import Weights

    w = Weights()
    w.roles["target"] = 0.0
    s = Scorer(mini, w)
    both = s.score(Observer(mini).observe({"observed": ["MIB", {"item": "BTR-4", "attributes": ["target, shot down"]}]}, "t"))
    alone = s.score(Observer(mini).observe({"observed": ["MIB"]}, "t"))
    assert [r["affiliation"] for r in both["ranking"]] == [r["affiliation"] for r in alone["ranking"]]
    assert math.isclose(_p(both, "ru-ksso"), _p(alone, "ru-ksso"))
    assert {m["item"]: m["role"] for m in both["matched"]}["btr-4"] == "target"
    # with nothing of the shooter in view, the thing hit is the subject (a wreck is its owner's)
    wreck = s.score(Observer(mini).observe({"observed": [{"item": "BTR-4", "attributes": ["target, shot down"]}]}, "t"))
    assert wreck["ranking"][0]["affiliation"] == "ua-afu"


def test_captured_kit_is_weak_evidence(mini) -> None:
    from equipid.catalog.scale import Weights

    w = Weights()
    w.roles["captured"] = 0.3
    s = Scorer(mini, w)
    seen = s.score(Observer(mini).observe({"observed": ["BTR-4"]}, "t"))
    taken = s.score(Observer(mini).observe({"observed": [{"item": "BTR-4", "attributes": ["captured"]}]}, "t"))
    assert 1 / len(mini.leaves) < _p(taken, "ua-afu") < _p(seen, "ua-afu")


def test_negated_kit_is_not_seen(mini) -> None:
    rec = _score(mini, [], text="Men with no MIB, not a T-90 in sight")
    assert {m["role"] for m in rec["matched"]} == {"negated"}
    assert rec["evidence"] == []


def test_evidence_families_count_with_diminishing_returns(mini) -> None:
    from equipid.catalog.scale import Weights

    full, damped = Weights(), Weights()
    full.family_damp, damped.family_damp = 1.0, 0.5
    obs = ["MIB", "suppressor"]  # two indicators favouring the same forces
    a = Scorer(mini, full).score(Observer(mini).observe({"observed": obs}, "t"))
    b = Scorer(mini, damped).score(Observer(mini).observe({"observed": obs}, "t"))
    assert _p(b, "ru-ksso") < _p(a, "ru-ksso")


def test_no_context_heuristic_alone_carries_a_result_past_likely() -> None:
    c = _bundled()
    s = Scorer(c)
    obs = Observer(c)
    # context: areas and tactics whose every indicator speaks of context alone (not a tactic that is kit too)
    ctx_ind = s._context_ind
    areas = [i for i, k in c.category.items() if k in ("area", "tactic")
             and all(ctx_ind[n] for a in c.ancestors[i] for n in c.item_indicators.get(a, []))]
    assert len(areas) >= 4
    for place in (("UA", "2015-01"), ("UA", "2022-06"), ("SY", "2016-05"), ("SY", "2013-05")):
        for item in areas:
            name = c.items[item]["name"]
            rec = s.score(obs.observe({"observed": [name], "location": {"country": place[0]}, "date": place[1]}, "t"))
            prior_alone = s.score(obs.observe({"location": {"country": place[0]}, "date": place[1]}, "t"))
            cap = max(0.8, prior_alone["ranking"][0]["probability"]) + 1e-6
            assert rec["ranking"][0]["probability"] <= cap, (item, place, rec["ranking"][0])


def test_prior_only_is_said_plainly(mini) -> None:
    from equipid.engine.scorer import PRIOR_ONLY

    rec = _score(mini, ["telnyashka"], location={"country": "UA"}, date="2023-01")
    # telnyashka fires in the mini catalog; a name that fires nothing leaves the prior alone
    none = _score(mini, ["r-166-0.5"], location={"country": "UA"}, date="2023-01")
    assert PRIOR_ONLY not in rec["warnings"]
    assert (PRIOR_ONLY in none["warnings"]) == (not none["evidence"])


def test_each_context_indicator_alone_stays_within_likely_from_every_prior() -> None:
    import numpy as np

    c = _bundled()
    s = Scorer(c)
    ctx = np.flatnonzero(s._context_ind)
    assert len(ctx) >= 8
    for pid, _countries, *_rest, weights in c.priors:
        lp = s._tempered(np.array(weights))
        p0 = 10.0 ** lp / (10.0 ** lp).sum()
        if p0.max() >= 0.8:
            continue  # a prior past "likely" alone is the prior's doing (prior_temper), not the evidence's
        share = s._alone_for(pid, lp)
        for i in ctx:
            post = lp + s.weights.sharpness * share[i] * s.LP[i]
            post = 10.0 ** (post - post.max())
            post /= post.sum()
            assert post.max() <= 0.8 + 1e-6, (c.indicators[i]["id"], pid)


# -- who fights whom; forces, not leaves, in the prior ------------------------

def test_striking_a_force_s_kit_favours_the_forces_that_fight_it(bundled) -> None:
    from equipid.catalog.scale import Weights

    sighting = {"date": "2022-05-10", "location": {"country": "UA"},
                "observed": ["Piorun", {"item": "Ka-52", "attributes": ["target, shot down"]}]}
    off, on = Weights(), Weights()
    off.target_adversary, on.target_adversary = 1.0, 0.01
    plain = Scorer(bundled, off).score(Observer(bundled).observe(sighting, "t"))
    read = Scorer(bundled, on).score(Observer(bundled).observe(sighting, "t"))
    assert {m["item"]: m["role"] for m in read["matched"]}["ka-52"] == "target"
    assert _p(read, "ua-afu") > _p(plain, "ua-afu")
    assert any("what the subject struck (Ka-52" in w for w in read["warnings"])
    assert not any("what the subject struck" in w for w in plain["warnings"])
    # with nothing of the subject's own in view, the thing hit is the subject: no adversary reading
    wreck = Scorer(bundled, on).score(Observer(bundled).observe(
        {"date": "2022-05-10", "location": {"country": "UA"}, "observed": [{"item": "Ka-52", "attributes": ["shot down"]}]}, "t"))
    assert not any("what the subject struck" in w for w in wreck["warnings"])


def test_ground_assaulted_beside_what_the_subject_struck_is_not_pooled_with_it(bundled) -> None:
    sighting = {"date": "2024-07-23", "location": {"country": "UA"},
                "text": "A Su-25 is shot down by a missile as it was preparing to fire on Ukrainian positions.",
                "observed": ["surface-to-air missile launch"]}
    read = Scorer(bundled).score(Observer(bundled).observe(sighting, "t"))
    roles = {m["item"]: m["role"] for m in read["matched"]}
    assert roles["su-25"] == "target"
    struck = [w for w in read["warnings"] if w.startswith("what the subject struck")]
    assert struck and "Su-25" in struck[0] and "Ukrainian" not in struck[0]  # the Su-25 speaks for itself
    assert not any("named as fighting" in w for w in read["warnings"])


def test_a_force_named_as_striking_the_subject_favours_its_adversaries(bundled) -> None:
    from equipid.catalog.scale import Weights

    on = Weights()
    on.target_adversary = 0.01
    sighting = {"date": "2022-11-10", "location": {"country": "UA"},
                "text": "Several BMD-2 left behind after fighting, filmed as Ukrainian forces take them over."}
    read = Scorer(bundled, on).score(Observer(bundled).observe(sighting, "t"))
    assert {m["item"]: m["role"] for m in read["matched"]}["actor-ukrainian-forces"] == "attacker"
    assert any("the force named as striking or taking the subject's things" in w for w in read["warnings"])
    off = Weights()
    off.target_adversary = 1.0  # the reading's effect switched off: every leaf alike
    plain = Scorer(bundled, off).score(Observer(bundled).observe(sighting, "t"))

    def p_ua(rec: dict) -> float:
        return next(r["probability"] for r in rec["ranking"] if r["affiliation"] == "ua-afu")

    assert p_ua(read) < p_ua(plain)
    groups = {g["affiliation"]: g["probability"] for g in read["groups"]}
    assert groups["ru"] > p_ua(read)  # the Russian forces, whose BMD-2s they were, lead as a whole


def test_a_force_named_as_striking_with_its_weapon_in_view_is_the_subject(bundled) -> None:
    sighting = {"date": "2022-05-10", "location": {"country": "UA"},
                "text": "Ukrainian forces shoot down a Ka-52 near Izium with a Piorun."}
    read = Scorer(bundled).score(Observer(bundled).observe(sighting, "t"))
    assert {m["item"]: m["role"] for m in read["matched"]}["actor-ukrainian-forces"] == "attacker"
    assert read["ranking"][0]["affiliation"] == "ua-afu"  # the Piorun is the subject's: so is the force named
    assert not any("the force named as striking" in w for w in read["warnings"])


def test_named_adversary_lifts_the_enemies_of_a_named_force_only(bundled) -> None:
    from equipid.catalog.scale import Weights

    w = Weights()
    w.named_adversary = 0.5
    plain, lifted = Scorer(bundled, Weights()), Scorer(bundled, w)
    i = plain.ind_ids.index("named-ukrainian-forces")
    col = {a: bundled.leaves.index(a) for a in ("ua-afu", "ru-vdv", "sy-saa")}
    assert lifted.P[i, col["ua-afu"]] == plain.P[i, col["ua-afu"]]
    assert lifted.P[i, col["ru-vdv"]] == pytest.approx(0.5 * plain.P[i, col["ua-afu"]])  # Russia fights Ukraine
    assert lifted.P[i, col["sy-saa"]] == plain.P[i, col["sy-saa"]]  # the Syrian army does not
    k = plain.ind_ids.index("t-72b3-russian-tank")  # not a named-force indicator: as written
    assert (lifted.P[k] == plain.P[k]).all()


def test_opposes_is_read_both_ways_and_down_the_tree(bundled) -> None:
    pairs = {frozenset((bundled.leaves[i], bundled.leaves[j])) for i, j in bundled.opposed}
    assert frozenset(("ru-vdv", "ua-afu")) in pairs  # ru opposes ua-afu: every Russian branch does
    assert frozenset(("ru-pmc-wagner", "isis")) in pairs
    assert frozenset(("ru-vdv", "ru-ground-forces")) not in pairs
    assert all(i < j for i, j in bundled.opposed)


def test_group_balance_weighs_forces_not_leaves(bundled) -> None:
    from equipid.catalog.scale import Weights

    obs = Observer(bundled).observe({"date": "2022-05-10", "location": {"country": "UA"}}, "t")
    share = {}
    for gb in (0.0, 1.0):
        w = Weights()
        w.group_balance = gb
        _, lp = Scorer(bundled, w).prior(obs)
        p = 10.0 ** lp
        share[gb] = p[bundled.leaf_index()["ua-afu"]] / p.sum()
    assert share[1.0] > share[0.0]
    # fully balanced, Ukraine (one leaf, major) weighs as much as Russia's state forces together (most present: major)
    ru = [j for j, path in enumerate(bundled.paths) if path[0] == "ru"]
    w = Weights()
    w.group_balance, w.prior_temper = 1.0, 1.0  # the prior as written, not tempered
    _, lp = Scorer(bundled, w).prior(obs)
    p = 10.0 ** lp
    assert math.isclose(p[ru].sum(), p[bundled.leaf_index()["ua-afu"]], rel_tol=1e-6)


def test_a_formation_the_subject_names_as_its_own_counts_in_full(bundled) -> None:
    # NOTE: a unit named in a report counts at the fitted share for names in text (reports name the enemy too);
    # named by the subject as its own ("says he served in"), it counts as if seen.
    s, o = Scorer(bundled), Observer(bundled)

    def p_marines(text: str) -> float:
        out = s.score(o.observe({"date": "2022-11-08", "location": {"country": "UA"}, "text": text}, "t"))
        return next(r["probability"] for r in out["ranking"] if r["affiliation"] == "ru-naval-infantry")

    named = p_marines("Videos of servicemen near Pavlivka; the 155th naval infantry brigade is mentioned.")
    own = p_marines("Videos of servicemen near Pavlivka who say they are marines of the 155th naval infantry brigade.")
    assert own > named


def test_label_noise_keeps_a_share_of_the_prior_in_every_result(bundled) -> None:
    from equipid.catalog.scale import Weights

    sighting = {"date": "2016-03-17", "location": {"country": "SY"}, "observed": ["MIB", "bat emblem", "telnyashka"]}
    plain, noisy = Weights(), Weights()
    plain.label_noise, noisy.label_noise = 0.0, 0.1
    obs = Observer(bundled).observe(sighting, "t")
    a = Scorer(bundled, plain).score(obs)
    b = Scorer(bundled, noisy).score(Observer(bundled).observe(sighting, "t"))
    prior = Scorer(bundled, plain).score(Observer(bundled).observe({"date": "2016-03-17", "location": {"country": "SY"}}, "p"))
    assert a["ranking"][0]["affiliation"] == b["ranking"][0]["affiliation"]
    assert sum(r["probability"] for r in b["ranking"]) == pytest.approx(1.0)
    for r in b["ranking"]:
        leaf = r["affiliation"]
        assert r["probability"] == pytest.approx(0.9 * _p(a, leaf) + 0.1 * _p(prior, leaf), abs=1e-9)
