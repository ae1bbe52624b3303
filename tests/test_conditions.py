"""The condition kinds: every registered kind supplies every hook, and a new kind needs only its module and a registry line."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from equipid.catalog.compiled import Cond
from equipid.catalog.conditions import REGISTRY
from equipid.catalog.conditions.base import ConditionKind, Context, Facts, Known, Registry, SchemaParts
from equipid.catalog.conditions.program import Env, Program

PARTS = SchemaParts(ref={"$ref": "#/$defs/Condition"}, item={"type": "string"}, country={"type": "string"}, date={})


def _contexts() -> list[Context]:
    return [
        Context({}, {}, {}, set(), None, None),
        Context({"mib": 0.9, "telnyashka": 0.6, "ak-74m": 1.0, "captured:ak-74m": 0.8}, {"sniper-rifle": 0.7},
                {("ak-74m", "suppressor"): 0.5}, {"mib"}, (735600, 735600), "SY"),
        Context({"mib": 0.4}, {}, {}, set(), (736000, 736030), "UA"),
    ]


@pytest.mark.parametrize("key", list(REGISTRY.kinds))
def test_every_kind_supplies_every_hook(key: str) -> None:
    """Each kind is concrete and its example goes through every operation, one sighting and a chunk agreeing."""
    kind = REGISTRY.kinds[key]
    assert not inspect.isabstract(type(kind)), f"{key} leaves hooks abstract"
    assert kind.key == key
    cond = {key: kind.example}
    REGISTRY.check(cond)
    c = REGISTRY.compile(cond)
    assert c[0] in REGISTRY.kinds and hash(c) is not None
    assert isinstance(REGISTRY.describe(cond), str)
    assert isinstance(kind.schema(PARTS), dict)
    assert all(isinstance(i, str) for i in REGISTRY.mentions(cond))
    list(REGISTRY.lint(cond, ("when",), Known({"mib", "telnyashka", "ak-74m", "suppressor"}, {"sniper-rifle"})))
    REGISTRY.facts(cond, Facts())
    REGISTRY.tidy(cond, lambda m, order: None)
    assert REGISTRY.triggers(c) is None or all(isinstance(t, str) for t in REGISTRY.triggers(c) or ())
    assert all(isinstance(g, tuple) for g in REGISTRY.need_groups(c))
    REGISTRY.positive_items(c), REGISTRY.lone_item(c), REGISTRY.has_count(c), REGISTRY.places_and_days(c)
    for check in (REGISTRY.simple, REGISTRY.sure, REGISTRY.where_when, REGISTRY.cacheable, REGISTRY.item_only, REGISTRY.kit_rule):
        assert isinstance(check(c), bool)
    assert isinstance(REGISTRY.holds_at(c, "SY", 735600), bool)
    ctxs = _contexts()
    one = [REGISTRY.evaluate(c, x) for x in ctxs]
    prog = Program([c], REGISTRY)
    chunk = prog.value(prog.roots[0], prog.env(ctxs), [None] * len(prog.nodes))
    assert chunk.tolist() == one
    holds = REGISTRY.could_hold(c)
    assert [holds(x, frozenset(), frozenset(), frozenset()) for x in ctxs] == [v > 0.0 for v in one]


def test_the_schema_lists_every_kind() -> None:
    from equipid.maintenance.schema import condition_schema

    assert list(condition_schema()["properties"]) == list(REGISTRY.kinds)


class Dated(ConditionKind):
    """A toy kind: ``dated: true`` holds for a sighting with a date, ``dated: false`` for one without."""

    key = "dated"
    example = True

    def check(self, v: Any, where: str, r: Registry) -> None:
        if not isinstance(v, bool):
            raise ValueError(f"{where}: true or false")

    def compile(self, v: Any, r: Registry) -> Cond:
        return ("dated", v)

    def describe(self, v: Any, r: Registry) -> str:
        return "dated" if v else "undated"

    def schema(self, parts: SchemaParts) -> dict[str, Any]:
        return {"type": "boolean"}

    def evaluate(self, c: Cond, ctx: Context, r: Registry) -> float:
        return 1.0 if (ctx.date is not None) == c[1] else 0.0

    def node(self, c: Cond, prog: Program) -> tuple[Any, ...]:
        return c

    def value(self, node: tuple[Any, ...], env: Env, memo: list[np.ndarray | None], prog: Program) -> np.ndarray:
        return (env.dated == node[1]).astype(np.float64)


INDICATOR = """\
indicators:
  - id: dated-mib
    name: A dated MIB patch
    when: {all: [{item: mib}, {dated: true}]}
    likelihoods: {ru-vks: characteristic}
    default: rare
    rationale: A toy rule.
    sources: [https://example.org/toy]
"""


def test_a_new_kind_is_one_class_and_one_registry_entry(mini_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Registered, a toy kind is validated, compiled, scored, linted, exported and in the schema, with nothing else touched."""
    from equipid.catalog.compiler import compile_catalog
    from equipid.catalog.loader import load_catalog
    from equipid.engine.scorer import Scorer
    from equipid.maintenance.export import describe
    from equipid.maintenance.lint import lint
    from equipid.maintenance.schema import condition_schema
    from equipid.sightings.matcher import Observer

    monkeypatch.setitem(REGISTRY.kinds, "dated", Dated())
    (mini_copy / "toy.yaml").write_text(INDICATOR)
    cat = load_catalog([mini_copy])
    c = compile_catalog(cat, "toy")
    scorer, observer = Scorer(c), Observer(c)

    def fired(rec: dict[str, Any]) -> list[str]:
        return [e["indicator"] for e in scorer.score(observer.observe(rec, "t"))["evidence"]]

    assert "dated-mib" in fired({"id": "a", "date": "2016-03-17", "observed": ["MIB"]})
    assert "dated-mib" not in fired({"id": "b", "observed": ["MIB"]})
    chunk = scorer.score_chunk([observer.observe({"id": "a", "date": "2016-03-17", "observed": ["MIB"]}, "t"),
                                observer.observe({"id": "b", "observed": ["MIB"]}, "t")])
    assert ["dated-mib" in [e["indicator"] for e in r["evidence"]] for r in chunk] == [True, False]
    assert describe({"all": [{"item": "mib"}, {"dated": True}]}) == "all(item mib, dated)"
    assert condition_schema()["properties"]["dated"] == {"type": "boolean"}
    assert not [i for i in lint([mini_copy]).issues if i.code == "never-matches"]
    with pytest.raises(ValueError, match="when.all\\[1\\].dated: true or false"):
        REGISTRY.check({"all": [{"item": "mib"}, {"dated": "yes"}]})


def test_an_unregistered_kind_is_refused_naming_every_kind() -> None:
    with pytest.raises(ValueError, match="unknown condition 'dated'; use one of \\['absent', 'all', 'any'"):
        REGISTRY.check({"dated": True})
