"""Catalog lint: schema problems plus checks across records.

Checks are validator/issue pairs as in pySigma's ``sigma/validators``: each
validator sees every record through :meth:`Validator.validate` and the whole
catalog through :meth:`Validator.finalize`, and returns :class:`Issue` values
with a severity. Schema problems come from the loader (which keeps going past
a broken record), so a catalog that does not load is linted all the same.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

from equipid import dates
from equipid.catalog.loader import Catalog, field_location, load_catalog
from equipid.errors import Location, Problem
from equipid.normalize import INVISIBLE_RE, fold, has_invisible, key

#: CONTRACT.md section 1: affiliation ids the catalog must define, with their parents.
CONTRACT_AFFILIATIONS: dict[str, str | None] = {
    "ru": None,
    "ru-sof": "ru",
    "ru-ksso": "ru-sof",
    "ru-gru-spetsnaz": "ru-sof",
    "ru-vdv": "ru",
    "ru-naval-infantry": "ru",
    "ru-ground-forces": "ru",
    "ru-military-police": "ru",
    "ru-vks": "ru",
    "ru-pmc": None,
    "ru-pmc-wagner": "ru-pmc",
    "ru-pmc-slavonic-corps": "ru-pmc",
    "ru-proxy-donbas": None,
    "sy-regime": None,
    "sy-saa": "sy-regime",
    "sy-ndf": "sy-regime",
    "ir-irgc": None,
    "iq-pmf": None,
    "lb-hezbollah": None,
    "isis": None,
    "sy-opposition": None,
    "ua-afu": None,
}

CATALOG_WIDE = "<catalog>"


class Severity(StrEnum):
    """How bad an issue is; errors fail lint, warnings fail it under --strict."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for infos (sort order)."""
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Issue:
    """One lint finding: where, which field, what, and how bad."""

    code: str
    severity: Severity
    location: Location
    field: str
    message: str

    def __str__(self) -> str:
        fld = f" {self.field}:" if self.field else ""
        return f"{self.location}: {self.severity.value} [{self.code}]{fld} {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "severity": self.severity.value,
            "code": self.code,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class LintContext:
    """The loaded records and indexes every validator reads."""

    cat: Catalog
    items: dict[str, Any] = field(default_factory=dict)
    affiliations: dict[str, Any] = field(default_factory=dict)
    indicators: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, cat: Catalog) -> LintContext:
        """Index the records of ``cat`` by id."""
        return cls(
            cat,
            {e.id: e for e in cat.equipment},
            {a.id: a for a in cat.affiliations},
            {i.id: i for i in cat.indicators},
        )

    def at(self, kind: str, rid: str, *sub: Any) -> Location:
        """Location of a field of a record (or of the record itself)."""
        return field_location(self.cat, kind, rid, *sub)


class Validator:
    """A check: ``validate`` per record, ``finalize`` across the catalog."""

    code: ClassVar[str]
    severity: ClassVar[Severity]
    description: ClassVar[str]

    def __init__(self, ctx: LintContext) -> None:
        self.ctx = ctx

    def validate(self, kind: str, rec: Any) -> list[Issue]:
        """Issues of one record (``kind`` is its catalog key)."""
        return []

    def validate_raw(self, kind: str, label: str, raw: dict[str, Any], at: Callable[..., Location]) -> list[Issue]:
        """Issues of a record as written, for records the schema refused (``at(*sub)`` locates a field)."""
        return []

    def finalize(self) -> list[Issue]:
        """Issues that need every record seen first."""
        return []

    def issue(self, loc: Location, fld: str, message: str, *, code: str | None = None,
              severity: Severity | None = None) -> Issue:
        """An issue of this validator (code and severity overridable for variants)."""
        return Issue(code or self.code, severity or self.severity, loc, fld, message)


# -- sources ---------------------------------------------------------------

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?=\S)", re.I)
_BARE_DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+(?:/|$)", re.I)
_WORD = re.compile(r"[^\W_]+")
_LABEL = re.compile(r"^(?!-)[^\W_](?:[\w-]{0,61}[^\W_])?$")


def _unprintable(text: str) -> bool:
    """True when ``text`` holds whitespace, control, zero-width or bidi characters."""
    return has_invisible(text) or any(c.isspace() or not c.isprintable() for c in text)


def host_problem(host: str | None) -> str | None:
    """Why ``host`` is not a real host name or IP address, or None."""
    if not host:
        return "no host"
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    labels = host.removesuffix(".").split(".")
    # NOTE: a real host has a dot and a top-level domain of letters (or punycode).
    if len(labels) < 2 or not all(_LABEL.match(lb) for lb in labels) or not re.match(r"^(?:[^\W\d_]{2,}|xn--[a-z0-9-]+)$", labels[-1], re.I):
        return f"{host!r} is not a host name"
    return None


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a usable http(s) address, or None.

    A usable address has the http or https scheme, a real host (a domain
    name with a top-level domain, or an IP address) and no whitespace,
    control or invisible characters.
    """
    text = url.strip()
    if _unprintable(text):
        return "holds whitespace or invisible characters; retype it"
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return "not a valid address"
    if parts.scheme.lower() not in ("http", "https"):
        return f"not an http(s) address (scheme {parts.scheme or 'missing'!r})"
    why = host_problem(parts.hostname)
    if why:
        return f"not a valid http(s) address ({why})"
    return None


def source_problem(src: Any) -> str | None:
    """Why one source is malformed, or None: an http(s) address or a named publication.

    A named publication is text that does not look like an address or a
    scheme (``javascript:...``, ``doi:...``, ``www.example.org/...``).
    """
    if isinstance(src, str):
        s = src.strip()
        if not s:
            return "blank"
        visible = INVISIBLE_RE.sub("", s)
        if _SCHEME.match(visible) or visible.lower().startswith(("http:", "https:")) or "://" in visible.split(" ", 1)[0]:
            return url_problem(s)
        if has_invisible(s):
            return "holds invisible characters; retype it"
        if _BARE_DOMAIN.match(s) and " " not in s:
            return "looks like an address without http(s)://; write the full URL"
        words = _WORD.findall(s)
        if len(words) < 2 or not any(len(w) >= 3 and not w.isdigit() for w in words):
            return "neither an http(s) address nor a named publication (give the title, author or publisher, and date)"
        return None
    url = src.get("url") if isinstance(src, dict) else getattr(src, "url", None)
    if isinstance(url, str):
        why = url_problem(url)
        return f"url: {why}" if why else None
    return "a source is an address, a publication name or a mapping with url"


# -- validators ------------------------------------------------------------

_NAMED = ("equipment", "affiliations", "indicators", "priors")


class InvisibleCharacterValidator(Validator):
    """Zero-width and bidi control characters in names and aliases."""

    code = "invisible-character"
    severity = Severity.ERROR
    description = "a name or alias holds zero-width or bidi control characters"

    def validate(self, kind: str, rec: Any) -> list[Issue]:
        """Check ``name`` and every alias."""
        return self._check(kind, f"{kind}[{rec.id}]", getattr(rec, "name", None), getattr(rec, "aliases", None) or (),
                           lambda *sub: self.ctx.at(kind, rec.id, *sub))

    def validate_raw(self, kind: str, label: str, raw: dict[str, Any], at: Callable[..., Location]) -> list[Issue]:
        """The same checks on a record the schema refused."""
        aliases = raw.get("aliases")
        return self._check(kind, label, raw.get("name"), aliases if isinstance(aliases, list) else (), at)

    def _check(self, kind: str, label: str, name: Any, aliases: Sequence[Any], at: Callable[..., Location]) -> list[Issue]:
        out = []
        if kind in _NAMED and isinstance(name, str) and has_invisible(name):
            out.append(self.issue(at("name"), f"{label}.name", f"{name!r} holds invisible characters; retype it"))
        for i, alias in enumerate(aliases):
            if isinstance(alias, str) and has_invisible(alias):
                out.append(self.issue(at("aliases", i), f"{label}.aliases[{i}]", f"{alias!r} holds invisible characters; retype it"))
        return out


class AliasClashValidator(Validator):
    """One normalised name claimed by two items (ambiguous lookups)."""

    code = "alias-clash"
    severity = Severity.ERROR
    description = "one alias, after normalisation, is claimed by two items"

    def __init__(self, ctx: LintContext) -> None:
        super().__init__(ctx)
        self.claims: dict[str, list[tuple[str, str, Location]]] = {}

    def validate(self, kind: str, rec: Any) -> list[Issue]:
        """Collect the keys of the id, the name and every alias of an item."""
        if kind != "equipment":
            return []
        out: list[Issue] = []
        own: set[str] = set()
        names: list[tuple[str, tuple[Any, ...]]] = [(rec.id, ("id",)), (rec.name, ("name",))]
        names += [(a, ("aliases", i)) for i, a in enumerate(rec.aliases)]
        for text, sub in names:
            k = key(text)
            loc = self.ctx.at(kind, rec.id, *sub)
            fld = _field_name(kind, rec.id, sub)
            if not k:
                out.append(self.issue(loc, fld, f"{text!r} has no letters or digits; it can never be looked up",
                                      code="empty-alias", severity=Severity.WARNING))
                continue
            if k in own:
                continue  # NOTE: repeating the item's own name in another script is allowed
            own.add(k)
            self.claims.setdefault(k, []).append((rec.id, text, loc))
        return out

    def finalize(self) -> list[Issue]:
        """Report every claim after the first of a shared key."""
        out = []
        for k, claims in self.claims.items():
            if len({c[0] for c in claims}) < 2:
                continue
            first_id, first_text, first_loc = claims[0]
            for rid, text, loc in claims[1:]:
                out.append(self.issue(loc, f"equipment[{rid}]",
                                      f"{text!r} (normalised {k!r}) is also claimed by item {first_id!r} "
                                      f"as {first_text!r} at {first_loc}; lookups of it are ambiguous"))
        return out


#: Everyday words (English, and Russian or Ukrainian in transliteration) that also name kit: in a caption
#: they are mostly meant in their ordinary sense ("used to tow the other", "Tigr battalion", "the grad").
COMMON_WORDS = frozenset("""
    a an and as at be by can do for from go he if in is it me my no not of on or so the to up us we
    all any are arm arms art bat bear big bird black blue boat box brave bull call cat chief cobra cold
    cross day dog eagle east fire flag fox free front ghost gold green grey guard hand hawk hit home
    hornet horse hunter iron jet king knight lion lynx man mark may mine moon night north owl patriot
    pioneer rain range red rock rose ship shot sky snake snow south spear spike star steel storm sun
    swift sword tiger tow track tree viper wasp west white wind wolf
    buk tor osa igla strela grad kub krug shmel kornet metis fagot konkurs tigr rys volk orlan lancet
    gvozdika akatsiya giatsint tyulpan pion uragan smerch tornado typhoon taifun pantsir vityaz sever
    vostok zapad yug tsentr luna tochka granat zastava bars vepr grom molot topol vikhr ataka
""".split())


class NameContextValidator(Validator):
    """Names of items that also name a place, a force or an everyday word: read by context in free text."""

    code = "name-in-context"
    severity = Severity.INFO
    description = "an alias scanned for in text also names a place, a force or a common word; context decides"

    def finalize(self) -> list[Issue]:
        """List every such alias with the context that tells the senses apart."""
        others: dict[str, list[str]] = {}
        for pl in self.ctx.cat.places:
            for n in (pl.name, *pl.aliases):
                others.setdefault(key(n), []).append(f"the place {pl.name} ({pl.country})")
        for a in self.ctx.cat.affiliations:
            others.setdefault(key(a.name), []).append(f"the force {a.id}")
        out: list[Issue] = []
        for e in self.ctx.cat.equipment:
            if e.category.value == "actor":
                continue  # a named force is meant to name its force
            quiet = {key(n) for n in e.not_in_text}
            for i, alias in enumerate((e.name, *e.aliases)):
                k = key(alias)
                if not k or k in quiet:
                    continue
                senses = list(dict.fromkeys(others.get(k, [])))
                if k in COMMON_WORDS or fold(alias) in COMMON_WORDS:
                    senses.append("a common word")
                if not senses:
                    continue
                sub = ("name",) if i == 0 else ("aliases", i - 1)
                out.append(self.issue(
                    self.ctx.at("equipment", e.id, *sub), _field_name("equipment", e.id, sub),
                    f"{alias!r} names item {e.id!r} and also {' and '.join(senses)}; in free text the words "
                    f"around it decide (ship, BDK, landing ship, regiment, battalion, brigade, a hull number, "
                    f"village of, oblast): write such context in captions, or list it under not_in_text"))
        return out


class ReferenceValidator(Validator):
    """Ids named by one record that no record defines."""

    code = "dangling-reference"
    severity = Severity.ERROR
    description = "variant_of, operators, supersedes or a test's leading ids name nothing"

    def validate(self, kind: str, rec: Any) -> list[Issue]:
        """Check the references of one record (affiliation parents and likelihoods come from the loader)."""
        c = self.ctx
        out = []
        if kind == "equipment":
            if rec.variant_of is not None and rec.variant_of not in c.items:
                out.append(self.issue(c.at(kind, rec.id, "variant_of"), f"equipment[{rec.id}].variant_of",
                                      f"unknown item {rec.variant_of!r}"))
            if rec.variant_of == rec.id:
                out.append(self.issue(c.at(kind, rec.id, "variant_of"), f"equipment[{rec.id}].variant_of",
                                      "an item cannot be a variant of itself", code="cycle"))
            for i, op in enumerate(rec.operators):
                if op not in c.affiliations:
                    out.append(self.issue(c.at(kind, rec.id, "operators", i), f"equipment[{rec.id}].operators[{i}]",
                                          f"unknown affiliation {op!r}"))
        elif kind == "indicators":
            for i, s in enumerate(rec.supersedes):
                if s not in c.indicators:
                    out.append(self.issue(c.at(kind, rec.id, "supersedes", i), f"indicators[{rec.id}].supersedes[{i}]",
                                          f"unknown indicator {s!r}"))
                elif s == rec.id:
                    out.append(self.issue(c.at(kind, rec.id, "supersedes", i), f"indicators[{rec.id}].supersedes[{i}]",
                                          "an indicator cannot supersede itself", severity=Severity.WARNING))
        elif kind == "tests":
            for i, a in enumerate(rec.expect.leading):
                if a not in c.affiliations:
                    out.append(self.issue(c.at(kind, rec.id, "expect", "leading", i), f"tests[{rec.id}].expect.leading[{i}]",
                                          f"unknown affiliation {a!r}"))
        return out


class CycleValidator(Validator):
    """Loops in the affiliation tree or the variant_of families."""

    code = "cycle"
    severity = Severity.ERROR
    description = "an affiliation is its own ancestor, or an item its own variant"

    def finalize(self) -> list[Issue]:
        """Walk both parent graphs once; report each loop at its first member."""
        c = self.ctx
        out = []
        aff_parent = {a.id: a.parent for a in c.cat.affiliations}
        for cycle in _cycles(aff_parent):
            out.append(self.issue(c.at("affiliations", cycle[0], "parent"), f"affiliations[{cycle[0]}].parent",
                                  "parent cycle: " + " -> ".join([*cycle, cycle[0]])))
        item_parent = {e.id: e.variant_of for e in c.cat.equipment if e.variant_of != e.id}
        for cycle in _cycles(item_parent):
            out.append(self.issue(c.at("equipment", cycle[0], "variant_of"), f"equipment[{cycle[0]}].variant_of",
                                  "variant_of cycle: " + " -> ".join([*cycle, cycle[0]])))
        return out


def _cycles(parent: dict[str, str | None]) -> list[list[str]]:
    """Each distinct cycle of a parent map, starting at its smallest id."""
    found: dict[tuple[str, ...], list[str]] = {}
    done: set[str] = set()
    for start in parent:
        path: list[str] = []
        index: dict[str, int] = {}
        node: str | None = start
        while node is not None and node in parent and node not in done:
            if node in index:
                cyc = path[index[node]:]
                i = cyc.index(min(cyc))
                rot = cyc[i:] + cyc[:i]
                found.setdefault(tuple(rot), rot)
                break
            index[node] = len(path)
            path.append(node)
            node = parent[node]
        done.update(path)
    return list(found.values())


class ConditionValidator(Validator):
    """Conditions that can never fire: unknown items, contradictions."""

    code = "never-matches"
    severity = Severity.ERROR
    description = "an indicator's condition names an unknown item or contradicts itself"

    def __init__(self, ctx: LintContext) -> None:
        super().__init__(ctx)
        self.categories = {e.category.value for e in ctx.cat.equipment}

    def validate(self, kind: str, rec: Any) -> list[Issue]:
        """Walk the condition tree with its path, for exact positions."""
        if kind != "indicators":
            return []
        return list(self._walk(rec.id, rec.when, ("when",)))

    def _walk(self, rid: str, cond: Any, path: tuple[Any, ...]) -> Iterator[Issue]:
        if not isinstance(cond, dict) or len(cond) != 1:
            return
        ((k, v),) = cond.items()
        here = (*path, k)
        fld = f"indicators[{rid}]." + _dotted(here)
        loc = self.ctx.at("indicators", rid, *here)
        if k in ("item", "absent") and v not in self.ctx.items:
            yield self.issue(loc, fld, f"unknown item {v!r}; the condition can never match")
        elif k == "role" and isinstance(v, dict) and v.get("item") not in self.ctx.items:
            yield self.issue(self.ctx.at("indicators", rid, *here, "item"), f"{fld}.item",
                             f"unknown item {v.get('item')!r}; the condition can never match")
        elif k == "attribute":
            for part in ("item", "with"):
                if v[part] not in self.ctx.items:
                    yield self.issue(self.ctx.at("indicators", rid, *here, part), f"{fld}.{part}",
                                     f"unknown item {v[part]!r}; the condition can never match")
        elif k == "category" and v not in self.categories:
            yield self.issue(loc, fld, f"no item has category {v!r} yet; the condition cannot match",
                             severity=Severity.WARNING)
        elif k in ("all", "any"):
            for i, s in enumerate(v):
                yield from self._walk(rid, s, (*here, i))
            if k == "all":
                yield from self._contradictions(rid, v, here, fld, loc)
        elif k == "n_of":
            for i, s in enumerate(v["of"]):
                yield from self._walk(rid, s, (*here, "of", i))
        elif k == "not":
            yield from self._walk(rid, v, here)

    def _contradictions(self, rid: str, subs: list[Any], here: tuple[Any, ...], fld: str, loc: Location) -> Iterator[Issue]:
        flat = _flatten_all(subs)
        lo: tuple[int, str] | None = None
        hi: tuple[int, str] | None = None
        countries: set[str] | None = None
        seen: set[str] = set()
        negated: set[str] = set()
        absent: set[str] = set()
        for c in flat:
            ((k, v),) = c.items()
            if k == "date":
                try:
                    if v.get("from") is not None:
                        first = dates.parse_partial(v["from"])[0]
                        if lo is None or first > lo[0]:
                            lo = (first, str(v["from"]))
                    if v.get("until") is not None:
                        last = dates.parse_partial(v["until"])[1]
                        if hi is None or last < hi[0]:
                            hi = (last, str(v["until"]))
                except ValueError:
                    continue
            elif k == "country":
                countries = set(v) if countries is None else countries & set(v)
            elif k == "item":
                seen.add(v)
            elif k == "absent":
                absent.add(v)
            elif k == "not" and isinstance(v, dict) and list(v) == ["item"]:
                negated.add(v["item"])
        if lo is not None and hi is not None and lo[0] > hi[0]:
            yield self.issue(loc, fld, f"contradictory dates: from {lo[1]} and until {hi[1]} cannot both hold")
        if countries is not None and not countries:
            yield self.issue(loc, fld, "contradictory countries: no country is in every list")
        for iid in sorted(seen & negated):
            yield self.issue(loc, fld, f"requires item {iid!r} and its absence from the sighting")
        for iid in sorted(seen & absent):
            yield self.issue(loc, fld, f"requires item {iid!r} both seen and reported absent")


def _flatten_all(subs: list[Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for s in subs:
        if isinstance(s, dict) and len(s) == 1 and "all" in s and isinstance(s["all"], list):
            out.extend(_flatten_all(s["all"]))
        elif isinstance(s, dict) and len(s) == 1:
            out.append(s)
    return out


def _dotted(path: tuple[Any, ...]) -> str:
    shown = ""
    for p in path:
        shown += f"[{p}]" if isinstance(p, int) else (f".{p}" if shown else str(p))
    return shown


def _field_name(kind: str, rid: str, sub: tuple[Any, ...]) -> str:
    return f"{kind}[{rid}].{_dotted(sub)}" if sub else f"{kind}[{rid}]"


class UnheardOfValidator(Validator):
    """``unheard-of`` makes an affiliation all but impossible: say how it could still happen."""

    code = "unheard-of-without-alternatives"
    severity = Severity.WARNING
    description = "a likelihood of unheard-of without an alternatives note"

    def validate(self, kind: str, rec: Any) -> list[Issue]:
        """Check the likelihoods and the default of an indicator."""
        if kind != "indicators" or rec.alternatives:
            return []
        out = []
        for aid, word in rec.likelihoods.items():
            if word == "unheard-of":
                out.append(self.issue(self.ctx.at(kind, rec.id, "likelihoods", aid), f"indicators[{rec.id}].likelihoods.{aid}",
                                      f"unheard-of for {aid!r} without an 'alternatives' note (captured, bought, mimicked?)"))
        if rec.default == "unheard-of":
            out.append(self.issue(self.ctx.at(kind, rec.id, "default"), f"indicators[{rec.id}].default",
                                  "default unheard-of without an 'alternatives' note (captured, bought, mimicked?)"))
        return out


class SourceValidator(Validator):
    """Every source an http(s) address or a named publication."""

    code = "malformed-source"
    severity = Severity.ERROR
    description = "a source is neither an http(s) address nor a named publication"

    def validate(self, kind: str, rec: Any) -> list[Issue]:
        """Check each source of any record."""
        return self._check(f"{kind}[{rec.id}]", getattr(rec, "sources", None) or (), lambda *sub: self.ctx.at(kind, rec.id, *sub))

    def validate_raw(self, kind: str, label: str, raw: dict[str, Any], at: Callable[..., Location]) -> list[Issue]:
        """The same check on the sources of a record the schema refused for any reason."""
        sources = raw.get("sources")
        return self._check(label, sources if isinstance(sources, list) else (), at, raw=True)

    def _check(self, label: str, sources: Sequence[Any], at: Callable[..., Location], raw: bool = False) -> list[Issue]:
        out = []
        for i, src in enumerate(sources):
            url = src.get("url") if isinstance(src, dict) else getattr(src, "url", None)
            if raw and not (isinstance(src, str) and src.strip() or isinstance(url, str) and url.strip()):
                continue  # NOTE: blank sources and other shapes are schema errors already; say it once
            why = source_problem(src)
            if why:
                sub: tuple[Any, ...] = ("sources", i) if isinstance(src, str) else ("sources", i, "url")
                out.append(self.issue(at(*sub), f"{label}.sources[{i}]", f"{why}: {src if isinstance(src, str) else url!r}"))
        return out


class UnusedItemValidator(Validator):
    """Items that no indicator names: recognised but never weighed."""

    code = "unused-item"
    severity = Severity.INFO
    description = "no indicator mentions the item or a family parent of it"

    def finalize(self) -> list[Issue]:
        """List the items outside every indicator's condition."""
        mentioned = mentioned_items(self.ctx.cat)
        parent = {e.id: e.variant_of for e in self.ctx.cat.equipment}
        out = []
        for e in self.ctx.cat.equipment:
            if not _family(e.id, parent) & mentioned:
                out.append(self.issue(self.ctx.at("equipment", e.id), f"equipment[{e.id}]",
                                      "no indicator mentions this item or a family parent; it is recognised but never scored"))
        return out


def _family(iid: str, parent: dict[str, str | None]) -> set[str]:
    chain = {iid}
    node = parent.get(iid)
    while node is not None and node not in chain:
        chain.add(node)
        node = parent.get(node)
    return chain


def condition_items(cond: Any) -> Iterator[str]:
    """Every item id a condition names (positive, negated or absent)."""
    if not isinstance(cond, dict):
        return
    for k, v in cond.items():
        if k in ("item", "absent") and isinstance(v, str):
            yield v
        elif k == "attribute" and isinstance(v, dict):
            yield from (x for x in (v.get("item"), v.get("with")) if isinstance(x, str))
        elif k == "role" and isinstance(v, dict) and isinstance(v.get("item"), str):
            yield v["item"]
        elif k in ("all", "any") and isinstance(v, list):
            for s in v:
                yield from condition_items(s)
        elif k == "n_of" and isinstance(v, dict):
            for s in v.get("of") or ():
                yield from condition_items(s)
        elif k == "not":
            yield from condition_items(v)


def mentioned_items(cat: Catalog) -> set[str]:
    """Ids of the items some indicator's condition names."""
    return {i for ind in cat.indicators for i in condition_items(ind.when)}


def items_without_indicators(cat: Catalog) -> list[str]:
    """Ids of the items that neither themselves nor a family parent appear in any indicator."""
    mentioned = mentioned_items(cat)
    parent = {e.id: e.variant_of for e in cat.equipment}
    return [e.id for e in cat.equipment if not _family(e.id, parent) & mentioned]


class ContractValidator(Validator):
    """The affiliation ids CONTRACT.md section 1 pins, with their parents."""

    code = "contract-affiliation"
    severity = Severity.ERROR
    description = "an affiliation id pinned by CONTRACT.md section 1 is missing or has another parent"

    def finalize(self) -> list[Issue]:
        """Check every pinned id."""
        out = []
        affs = self.ctx.affiliations
        for aid, parent in CONTRACT_AFFILIATIONS.items():
            if aid not in affs:
                where = f" (parent {parent})" if parent else ""
                out.append(self.issue(Location(CATALOG_WIDE), "affiliations",
                                      f"{aid!r}{where} is required by CONTRACT.md section 1 and missing"))
            elif affs[aid].parent != parent:
                out.append(self.issue(self.ctx.at("affiliations", aid, "parent"), f"affiliations[{aid}].parent",
                                      f"CONTRACT.md section 1 pins the parent of {aid!r} as {parent!r}, "
                                      f"not {affs[aid].parent!r}"))
        return out


_FIELD_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _field_path(label: str) -> tuple[Any, ...]:
    """``observed[2].count`` as a path: ``("observed", 2, "count")``."""
    return tuple(int(m.group(2)) if m.group(2) else m.group(1) for m in _FIELD_PART.finditer(label))


class TestSightingValidator(Validator):
    """A catalog test's sighting must read as ``catalog test`` reads it, every name matched."""

    __test__ = False  # not a pytest class

    code = "test-sighting"
    severity = Severity.ERROR
    description = "a catalog test's sighting cannot be read (impossible date, bad field) or names nothing in the catalog"

    def finalize(self) -> list[Issue]:
        """Read every test sighting with the matcher that scoring uses."""
        from equipid.sightings.matcher import RecordError

        tests = self.ctx.cat.tests
        observer = self._observer() if tests else None
        out: list[Issue] = []
        for t in tests:
            label = f"tests[{t.id}].sighting"
            if observer is None:
                # NOTE: a catalog too broken to compile still gets its dates checked.
                try:
                    if t.sighting.get("date") not in (None, ""):
                        dates.parse_partial(t.sighting["date"])
                except ValueError as exc:
                    out.append(self.issue(self.ctx.at("tests", t.id, "sighting", "date"), f"{label}.date", str(exc)))
                continue
            try:
                obs = observer.observe(dict(t.sighting), t.id)
            except RecordError as exc:
                msg = str(exc).removeprefix(f"{exc.field}: ")
                out.append(self.issue(self.ctx.at("tests", t.id, "sighting", *_field_path(exc.field)), f"{label}.{exc.field}", msg))
                continue
            for name in dict.fromkeys(obs.unmatched):
                sub = _where_named(t.sighting, name)
                out.append(self.issue(self.ctx.at("tests", t.id, "sighting", *sub), f"{label}.{_dotted(sub)}" if sub else label,
                                      f"{name!r} matches no item; the test would score without it (fix the name or add an alias)",
                                      code="unmatched-name", severity=Severity.WARNING))
        return out

    def _observer(self) -> Any:
        from equipid.catalog.compiler import compile_catalog
        from equipid.sightings.matcher import Observer

        try:
            return Observer(compile_catalog(self.ctx.cat, "lint"))
        except Exception:  # noqa: BLE001 - the catalog's own errors are reported by the other checks
            return None


def _where_named(sighting: dict[str, Any], name: str) -> tuple[Any, ...]:
    """Path of the ``observed`` or ``absent`` entry that holds ``name``, else ()."""
    for fld in ("observed", "absent"):
        entries = sighting.get(fld)
        for i, entry in enumerate(entries if isinstance(entries, list) else ()):
            texts: list[Any] = [entry] if isinstance(entry, str) else []
            if isinstance(entry, dict):
                texts = [entry.get("item"), *(entry.get("attributes") or [])]
            if any(isinstance(x, str) and name in x for x in texts):
                return (fld, i)
    return ()


VALIDATORS: dict[str, type[Validator]] = {
    v.code: v
    for v in (
        InvisibleCharacterValidator,
        AliasClashValidator,
        NameContextValidator,
        ReferenceValidator,
        CycleValidator,
        ConditionValidator,
        UnheardOfValidator,
        SourceValidator,
        UnusedItemValidator,
        ContractValidator,
        TestSightingValidator,
    )
}
"""Every lint validator by its code (issue codes of variants share the validator)."""


# -- running ---------------------------------------------------------------

_LOADER_CODES = (
    ("duplicate id", "duplicate-id"),
    ("between catalog layers", "duplicate-id"),
    ("unknown affiliation", "dangling-reference"),
    ("is before from", "date-order"),
    ("YAML syntax", "yaml-syntax"),
    ("duplicate key", "yaml-syntax"),
)


def _from_problem(p: Problem) -> Issue:
    """A loader problem as a lint issue, with a code naming what it is."""
    code = p.code
    for needle, c in _LOADER_CODES:
        if needle in p.message:
            code = c
            break
    return Issue(code, Severity(p.severity) if p.severity in Severity._value2member_map_ else Severity.ERROR,
                 p.location, p.field, p.message)


@dataclass
class LintResult:
    """The issues of one lint run, sorted by place."""

    issues: list[Issue]

    def count(self, severity: Severity) -> int:
        """How many issues of ``severity``."""
        return sum(1 for i in self.issues if i.severity is severity)

    def exit_code(self, strict: bool = False) -> int:
        """2 with errors, 1 with warnings under ``strict``, else 0."""
        if self.count(Severity.ERROR):
            return 2
        if strict and self.count(Severity.WARNING):
            return 1
        return 0

    def summary(self) -> str:
        """One line: counts by severity."""
        e, w, i = (self.count(s) for s in Severity)
        return f"{e} error(s), {w} warning(s), {i} info(s)"


def _refused_records(cat: Catalog, problems: list[Problem]) -> Iterator[tuple[str, str, dict[str, Any], Callable[..., Location]]]:
    """(kind, label, raw record, locator) of every record the loader did not take (schema error, duplicate id)."""
    from equipid.catalog.yamlio import load_yaml
    from equipid.errors import InputError

    taken = {(f, kind, i) for (kind, _), (f, i) in cat.slots.items()}
    for where in dict.fromkeys(p.location.path for p in problems):
        pos = cat.positions.get(where)
        if pos is None:
            continue
        try:
            data, _ = load_yaml(Path(where).read_bytes().decode("utf-8-sig"), where)
        except (OSError, UnicodeDecodeError, InputError):
            continue
        if not isinstance(data, dict):
            continue
        for kind, records in data.items():
            if kind not in _KINDS or not isinstance(records, list):
                continue
            for i, rec in enumerate(records):
                if isinstance(rec, dict) and (where, kind, i) not in taken:
                    rid = rec.get("id")
                    label = f"{kind}[{rid if isinstance(rid, str) else i}]"
                    yield kind, label, rec, _locator(pos, kind, i)


def _locator(pos: Any, kind: str, i: int) -> Callable[..., Location]:
    return lambda *sub: pos.locate((kind, i, *sub))


_KINDS = ("equipment", "affiliations", "indicators", "priors", "tests", "places")


def lint(dirs: Sequence[Path], only: Sequence[Path] = ()) -> LintResult:
    """Lint the catalog layers ``dirs``; keep only issues in ``only`` when given.

    Never raises for a broken catalog: schema problems become issues, the
    records that did validate are checked as usual, and those that did not
    still have their sources and names checked as written.
    """
    problems: list[Problem] = []
    cat = load_catalog(dirs, collect=problems)
    issues = [_from_problem(p) for p in problems]
    ctx = LintContext.build(cat)
    validators = [cls(ctx) for cls in VALIDATORS.values()]
    for kind in _KINDS:
        for rec in getattr(cat, kind):
            for v in validators:
                issues.extend(v.validate(kind, rec))
    for kind, label, raw, at in _refused_records(cat, problems):
        for v in validators:
            issues.extend(v.validate_raw(kind, label, raw, at))
    for v in validators:
        issues.extend(v.finalize())
    if only:
        issues = [i for i in issues if _under(i.location.path, only)]
    return _result(issues)


def _result(issues: list[Issue]) -> LintResult:
    """Issues without repeats, sorted by place."""
    issues = list(dict.fromkeys(issues))
    issues.sort(key=lambda i: (i.location.path == CATALOG_WIDE, i.location.path, i.location.line or 0,
                               i.location.column or 0, i.severity.rank, i.code))
    return LintResult(issues)


#: The file that marks a catalog directory (every catalog defines its affiliations).
CATALOG_MARKER = "affiliations.yaml"


def catalog_root(path: Path) -> Path | None:
    """The catalog directory ``path`` belongs to: the nearest directory at or above it holding ``affiliations.yaml``."""
    start = path.resolve()
    for d in (start, *start.parents) if start.is_dir() else start.parents:
        if (d / CATALOG_MARKER).is_file():
            return d
    return None


def lint_paths(dirs: Sequence[Path], paths: Sequence[Path]) -> LintResult:
    """Lint the files or directories ``paths``, each as part of the catalog it belongs to.

    ``dirs`` is the selected catalog (``dirs[0]``) and the layers on top of
    it. A path inside ``dirs`` is linted with them. A path outside them that
    lies in another catalog directory (see :func:`catalog_root`) is linted
    with that catalog in place of ``dirs[0]``, so a checkout's file is never
    compared with an installed copy of itself. A path that belongs to no
    catalog is linted as one more layer on top of ``dirs``. Only issues in
    ``paths`` are kept.
    """
    from equipid.maintenance.files import inside

    groups: dict[tuple[Path, ...], list[Path]] = {}
    layered: list[Path] = []
    for p in paths:
        root = None if inside(p, dirs) is not None else catalog_root(p)
        if root is not None:
            groups.setdefault((root, *dirs[1:]), []).append(p)
        else:
            layered.append(p)
    if layered:
        extra = [p for p in layered if inside(p, dirs) is None]
        groups[(*dirs, *extra)] = layered
    issues: list[Issue] = []
    for layers, only in groups.items():
        issues.extend(lint(layers, only=only).issues)
    return _result(issues)


def lint_new_file(dirs: Sequence[Path], path: Path, text: str) -> LintResult:
    """The errors and warnings that writing a new file ``text`` at ``path`` would add to the lint of ``dirs``.

    The catalog is linted as it would be with the file in place, without
    touching it: the layer that will hold ``path`` is mirrored (linked file by
    file) into a temporary directory where the new file is written. Issues the
    catalog has already are left out. Raises :class:`InputError` when ``path``
    lies in no layer.
    """
    import shutil
    import tempfile

    from equipid.catalog.loader import catalog_files
    from equipid.errors import InputError

    catalog_files(dirs)  # a missing catalog directory is an InputError saying so
    layer = next((d for d in dirs if d.is_dir() and (path.resolve() == d.resolve() or path.resolve().is_relative_to(d.resolve()))), None)
    if layer is None:
        raise InputError(f"{path}: not inside a catalog directory ({', '.join(map(str, dirs))})")
    rel = path.resolve().relative_to(layer.resolve())
    with tempfile.TemporaryDirectory(prefix="equipid-lint-") as tmp:
        mirror = Path(tmp) / "catalog"
        mirror.mkdir()
        for _, f in catalog_files([layer]):
            dest = mirror / f.relative_to(layer)
            dest.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.symlink(f.resolve(), dest)
            except OSError:  # NOTE: no symbolic links here (Windows without the right); copy instead
                shutil.copyfile(f, dest)
        new = mirror / rel
        new.parent.mkdir(parents=True, exist_ok=True)
        new.write_text(text, encoding="utf-8")
        after = lint([mirror if d is layer else d for d in dirs])
    moved = [_moved(i, str(mirror), str(layer)) for i in after.issues if i.severity is not Severity.INFO]
    if not moved:
        return LintResult([])
    before = set(lint(dirs).issues)
    return LintResult([i for i in moved if i not in before])


def _moved(i: Issue, old: str, new: str) -> Issue:
    """``i`` with the paths below ``old`` (in its location and message) put below ``new``."""
    loc = i.location
    path = new + loc.path[len(old):] if loc.path.startswith(old) else loc.path
    return Issue(i.code, i.severity, Location(path, loc.line, loc.column), i.field, i.message.replace(old, new))


def _under(path: str, only: Sequence[Path]) -> bool:
    if path == CATALOG_WIDE:
        return False
    p = Path(path).resolve()
    return any(p == o.resolve() or p.is_relative_to(o.resolve()) for o in only)


# -- reporters -------------------------------------------------------------

def _shown(path: str) -> str:
    """A path relative to the working directory when it lies below it."""
    if path == CATALOG_WIDE:
        return path
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return rel if not rel.startswith("..") else path


def _relocated(i: Issue) -> Issue:
    loc = i.location
    return Issue(i.code, i.severity, Location(_shown(loc.path), loc.line, loc.column), i.field, i.message)


def format_text(result: LintResult) -> str:
    """One parsable line per issue: ``path:line:col: severity [code] field: message``."""
    return "".join(f"{_relocated(i)}\n" for i in result.issues)


def format_json(result: LintResult) -> str:
    """A JSON document: the issues and the counts by severity."""
    doc = {
        "issues": [_relocated(i).to_dict() for i in result.issues],
        "counts": {s.value: result.count(s) for s in Severity},
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


_GH_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(result: LintResult) -> str:
    """GitHub Actions workflow commands: one annotation per issue."""
    lines = []
    for i in result.issues:
        i = _relocated(i)
        props = []
        if i.location.path != CATALOG_WIDE:
            props.append(f"file={_gh_escape(i.location.path, True)}")
            if i.location.line is not None:
                props.append(f"line={i.location.line}")
            if i.location.column is not None:
                props.append(f"col={i.location.column}")
        props.append(f"title={_gh_escape(i.code, True)}")
        msg = f"{i.field}: {i.message}" if i.field else i.message
        lines.append(f"::{_GH_LEVEL[i.severity]} {','.join(props)}::{_gh_escape(msg)}\n")
    return "".join(lines)


FORMATS: dict[str, Callable[[LintResult], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
}
"""Lint reporters by the name ``--format`` takes."""
