"""From messy names and sightings to catalog items.

:class:`Resolver` answers "which catalog item is this name?": an exact index
of folded keys first, then the names found inside the phrase by an
Aho-Corasick scan (word-bounded), then a fuzzy guess that says it guessed.
:func:`observe` turns one sighting mapping (docs/sightings.md) into the
:class:`Observations` the scorer reads. Plain dicts in, plain data out: the
batch hot path builds no pydantic object.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from operator import attrgetter, itemgetter
from typing import Any

from equipid import dates
from equipid.catalog.compiled import Compiled
from equipid.catalog.scale import CONFIDENCE
from equipid.normalize import fold, key, scan_form, scan_text
from equipid.sightings.reading import FIELDED, PLACE, TARGET, Reader, end_label, mark_clauses

#: Fuzzy guesses below this rapidfuzz score (0-100) are not taken.
FUZZY_CUTOFF = 86.0
#: A part of a longer phrase is guessed at only this close (a plural, a letter): "garrisons: Vladivostok" is the
#: garrison phrase, while "explosives" (87 against "explosive vest") is a word of its own.
PART_FUZZY_CUTOFF = 95.0
#: Longest key (characters, spaces removed) that can be a name and is fuzzed;
#: longer text is only scanned for names. The fuzzy step costs memory and time
#: with the square of the key's length (one copy per character).
MAX_FUZZY = 200
#: Names longer than this are resolved afresh each time rather than remembered:
#: the memos hold 20,000 entries, and entries of megabytes would add up.
MAX_MEMO_KEY = 1000
#: Words that join or qualify the names in a phrase ("AK-74M with suppressor
#: and thermal sight", "T-72B3 tank", "Chekan MRAP"): joiners, and generic
#: words for the kind of thing. What is left of a phrase besides names and
#: these is reported as unmatched.
_JOINERS = frozenset("""
    with w and plus or on in at of the a an its their his her fitted mounted carrying equipped armed x
    tank tanks truck trucks vehicle vehicles car cars mrap mraps apc apcs ifv ifvs armoured armored
    rifle rifles gun guns launcher launchers system systems drone drones uav uavs helicopter helicopters
    jet jets aircraft plane planes missile missiles rocket rockets bomb bombs mine mines munition munitions
    round rounds shell shells grenade grenades patch patches flag flags insignia emblem uniform uniforms
    sight sights radio radios station stations type model variant version
""".split())
#: Entries per memo before it starts afresh: 20,000 keeps a worker's memory
#: flat however long the input (a memo of 200,000 observed strings held ~60 MB),
#: and the common names are back in it within a few chunks.
_MEMO_LIMIT = 20_000


def _remember(memo: dict[Any, Any], k: Any, value: Any) -> None:
    """Keep ``value`` under ``k`` in ``memo``, emptied first once it holds more than _MEMO_LIMIT entries."""
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    memo[k] = value


_FIRST = itemgetter(0)


class RecordError(ValueError):
    """A sighting field that cannot be used: names the field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


@dataclass(frozen=True)
class Resolution:
    """What a name resolved to and how."""

    how: str
    """exact | contained | fuzzy | ambiguous | none"""
    items: tuple[str, ...] = ()
    score: float = 100.0
    candidates: tuple[str, ...] = ()
    rest: str = ""
    """For ``contained``: the words of the phrase that named nothing (joiners aside)."""
    note: str = ""
    """A correction made to find the match, for a warning ("a letter O read as a zero")."""


#: Words that make two names two things ("Javelin hits a tank", "BMP-2 and tanks"), not a name and its kind.
_APART = frozenset("""
    with w and plus or on in at of the a an its their his her carrying towing by from to for as near after before
    than but nor vs versus hit hits struck destroyed downed shot down fired at against qqclausebreakqq
    и или с со на в во по от из за к і й або з та до
""".split())


#: Small arms, whose short names ("M14", "M4", "SKS") other kinds of thing share.
_ARMS = frozenset({"small-arm", "sniper-rifle", "machine-gun"})
#: Kinds of thing a small arm's name never heads.
_FIRED = frozenset({"munition", "missile", "bomb", "rocket-artillery", "loitering-munition"})


def _other_kind(model: str | None, kind: str | None) -> bool:
    """Whether a kind named beside a model's name says the name is another thing's ("M14 rocket" is no rifle)."""
    return model in _ARMS and kind in _FIRED


def _beside(form: str, end: int, start: int) -> bool:
    """Whether the names ending at ``end`` and starting at ``start`` are at most two words apart, none of them a joiner."""
    words = form[end:start].split()
    return len(words) <= 2 and not any(w in _APART for w in words)


#: A military unit number written out that names no unit of the catalog ("в/ч 32010", "military unit 13984",
#: "військова частина А4723"), in the scan form, and the item it is read as: five digits are the Russian armed
#: forces' numbering (and the separatists' after it), a letter and four digits Ukraine's.
_UNIT_NO_RE = re.compile(
    r" (?:v +ch|vch|voyskov\w* +chast\w*|voinsk\w* +chast\w*|viyskov\w* +chastin\w*|military +unit(?: +no| +number)?"
    r"|unit +no|unit +number) *(?:(\d{5})|a(\d{4}))(?= )")
UNIT_NUMBER_ITEMS = ("unit-number-russian", "unit-number-ukrainian")
#: Text without one of these holds no unit number written out (a quick first look).
_UNIT_NO_CUES = (" v  ch ", " vch", " unit  n", "military  unit ", "chast")


class Resolver:
    """Name -> item resolution over one compiled catalog, memoised."""

    def __init__(self, compiled: Compiled) -> None:
        self.c = compiled
        self._ac: Any = None
        self._ac_items: list[str] = []
        self._deletes: dict[str, list[str]] | None = None
        self._keys: list[str] | None = None
        self._near: dict[int, list[str]] = {}
        self._memo: dict[str, Resolution] = {}
        self._place_ac: Any = None
        self._held_ac: Any = None
        self._held_of: list[tuple[tuple[str, int, int | None], ...]] = []
        self._place_cc: list[str] = []
        self._unit_no: tuple[int, ...] = (-1, -1)

    # -- text scanning -------------------------------------------------
    def _automaton(self) -> Any:
        if self._ac is None:
            self._ac, self._ac_items = _automaton(self.c.patterns)
            # NOTE: unit numbers the catalog does not know are found by a pattern, not the automaton; their items
            # sit after the automaton's, when the catalog has them.
            self._unit_no = tuple(len(self._ac_items) + k if i in self.c.items else -1 for k, i in enumerate(UNIT_NUMBER_ITEMS))
            self._ac_items += UNIT_NUMBER_ITEMS
        return self._ac

    def scan(self, folded: str) -> list[str]:
        """Item ids named in already-folded text, in order of appearance."""
        return self.scan_in(scan_form(folded))

    def _found(self, form: str) -> list[tuple[int, int, int]]:
        """(pattern, start, end) of every name in ``form``: the automaton's, and the unit numbers it does not cover."""
        ac = self._automaton()
        if not ac:
            return []
        found = ac.find_matches_as_indexes(form, overlapping=False)
        if max(self._unit_no) >= 0 and any(w in form for w in _UNIT_NO_CUES):
            found = self._with_unit_numbers(form, found)
        return found

    def _matches(self, form: str) -> list[tuple[int, int, int]]:
        """:meth:`_found`, a generic kind beside a model's name left out (see :meth:`_heads`)."""
        return self._heads(form, self._found(form))

    def _heads(self, form: str, found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """``found`` with each generic kind beside a model's name left out.

        "T-90M tank", "drone Orlan-10", "Carl-Gustaf M4 recoilless rifle": the
        kind is the name's head noun, one thing, not a second one. Beside means
        at most two words apart, none of them a joiner ("Javelin hits a tank"
        names two things).
        """
        generic = self.c.generic
        if len(found) < 2 or not generic:
            return found
        items = self._ac_items
        kinds = [items[i] in generic for i, _, _ in found]
        if not any(kinds):
            return found
        cat = self.c.category
        last = len(found) - 1
        keep = []
        for n, (m, kind) in enumerate(zip(found, kinds, strict=True)):
            ct = cat.get(items[m[0]])
            if not kind and ct not in _ARMS:
                keep.append(m)  # NOTE: the common case, decided without looking at the neighbours
                continue
            drop = False
            for j in (n - 1, n + 1):
                if j < 0 or j > last or kinds[j] == kind:
                    continue
                other = cat.get(items[found[j][0]])
                # a kind beside a model is its head noun ("T-90M tank"), unless it says the name is another
                # thing's ("140mm M14 rocket": a rocket, not the rifle), when the model's name yields to it
                if (not _other_kind(other, ct) if kind else _other_kind(ct, other)) and _beside(
                        form, found[min(n, j)][2], found[max(n, j)][1]):
                    drop = True
                    break
            if not drop:
                keep.append(m)
        return keep

    def _with_unit_numbers(self, form: str, found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """``found`` with each unit number written out that no name found covers, as its number's kind."""
        extra = []
        for m in _UNIT_NO_RE.finditer(form):
            k = self._unit_no[0 if m.group(1) else 1]
            start, end = m.start() + 1, m.end()
            if k >= 0 and not any(s < end and start < e for _, s, e in found):
                extra.append((k, start, end))
        return sorted(found + extra, key=lambda t: t[1]) if extra else found

    def scan_in(self, form: str) -> list[str]:
        """:meth:`scan` of text already in its scan form (:func:`~equipid.normalize.scan_text`)."""
        found = self._matches(form)
        return list(map(self._ac_items.__getitem__, map(_FIRST, found)))

    def scan_spans(self, form: str) -> list[tuple[str, int, int]]:
        """(item id, start, end) of every name in text already in its scan form, in order of appearance."""
        found = self._matches(form)
        items = self._ac_items
        return [(items[i], s, e) for i, s, e in found]

    def scan_rest(self, folded: str) -> tuple[list[str], str]:
        """Like :meth:`scan`, plus the words that named nothing, joiners left out ("" when nothing is named)."""
        ac = self._automaton()
        if not ac or not folded:
            return [], ""
        form = scan_form(folded)
        matches = self._found(form)
        if not matches:
            return [], ""
        named = set(self._heads(form, matches)) if len(matches) > 1 else None
        found: list[str] = []
        kept: list[str] = []
        at = 0
        for m in matches:
            i, start, end = m
            if named is None or m in named:
                iid = self._ac_items[i]
                if found and self.c.category.get(iid) in _FORCE_CATS:
                    iid = self._named_one(found[-1], form[start:end]) or iid
                found.append(iid)
            kept.append(form[at:start])
            at = end
        kept.append(form[at:])
        rest = " ".join(w for w in " ".join(kept).split() if w not in _JOINERS)
        return found, rest

    def _named_one(self, kind: str, name: str) -> str | None:
        """The one variant of ``kind`` whose name holds the words ``name`` ("Ropucha-class landing ship 'Azov'":
        the ship Azov, not the Azov regiment), or None."""
        words = f" {name.strip()} "
        hits = [d for d in self.c.descendants(kind)
                if any(words in f" {scan_form(fold(n))} " for n in (self.c.items[d]["name"], *self.c.items[d].get("aliases", ())))]
        return hits[0] if len(hits) == 1 else None

    # -- fuzzy ---------------------------------------------------------
    def _delete_index(self) -> dict[str, list[str]]:
        if self._deletes is None:
            idx: dict[str, list[str]] = {}
            exact_only = self.c.exact_only
            for k in self.c.alias_keys:
                if len(k) < 3 or k in exact_only:
                    continue
                idx.setdefault(k, []).append(k)
                for i in range(len(k)):
                    idx.setdefault(k[:i] + k[i + 1 :], []).append(k)
            self._deletes = idx
        return self._deletes

    def fuzzy(self, k: str, limit: int = 5, full_scan: bool = True) -> list[tuple[str, float]]:
        """Alias keys close to key ``k``, best first, as (key, score 0-100)."""
        from rapidfuzz import fuzz, process

        if len(k) < 3 or len(k) > MAX_FUZZY:
            return []
        idx = self._delete_index()
        cands: set[str] = set(idx.get(k, ()))
        # NOTE: the keys one deletion away, looked up in C (map) rather than one by one.
        cands.update(*filter(None, map(idx.get, [k[:i] + k[i + 1 :] for i in range(len(k))])))
        scored = sorted(((c, fuzz.ratio(k, c)) for c in cands), key=lambda t: (-t[1], t[0]))
        scored = [s for s in scored if s[1] >= FUZZY_CUTOFF - 20]
        if not scored and full_scan:
            got = process.extract(k, self._keys_near(len(k)), scorer=fuzz.ratio, limit=limit, score_cutoff=FUZZY_CUTOFF - 20)
            scored = [(c, s) for c, s, _ in got]
        return scored[:limit]

    def _keys_near(self, n: int) -> list[str]:
        """The alias keys that a key of length ``n`` can reach the fuzzy cutoff with, in catalog order.

        NOTE: fuzz.ratio of lengths a and b is at most 200 * min(a, b) / (a + b);
        the keys whose lengths rule them out (with a point to spare) are left out
        of the full scan, halving it. Kept in order, as extract ranks ties by position.
        """
        near = self._near.get(n)
        if near is None:
            low = FUZZY_CUTOFF - 21
            exact_only = self.c.exact_only
            near = self._near[n] = [c for c in self.c.alias_keys
                                    if 200 * min(n, len(c)) >= low * (n + len(c)) and c not in exact_only]
        return near

    # -- names ---------------------------------------------------------
    def resolve(self, name: str, *, full_scan: bool = True) -> Resolution:
        """Resolve one name or phrase to catalog item(s)."""
        hit = self._memo.get(name)
        if hit is not None:
            return hit
        res = self._resolve(name, full_scan)
        if len(name) > MAX_MEMO_KEY:
            return res
        _remember(self._memo, name, res)
        return res

    def _resolve(self, name: str, full_scan: bool) -> Resolution:
        folded = fold(name)
        k = folded.replace(" ", "")
        if not k:
            return Resolution("none")
        ids = self.c.alias_keys.get(k)
        if ids:
            return Resolution("exact", ids) if len(ids) == 1 else Resolution("ambiguous", (), 100.0, ids)
        if "o" in folded:
            # NOTE: a letter O typed for a zero beside a digit ("T-9O", "BTR-8O
            # APC") is a slip no edit distance on so short a name forgives.
            zeroed = _O_FOR_ZERO.sub("0", folded)
            if zeroed != folded:
                alt = self._resolve(zeroed, full_scan=False)
                if alt.how in ("exact", "contained"):
                    return Resolution(alt.how, alt.items, rest=alt.rest, note="a letter O read as a zero")
        found, rest = self.scan_rest(folded)
        if found:
            return Resolution("contained", tuple(dict.fromkeys(found)), rest=rest)
        guesses = self.fuzzy(k, full_scan=full_scan)
        if guesses and guesses[0][1] >= FUZZY_CUTOFF:
            top_key, score = guesses[0]
            ids = self.c.alias_keys[top_key]
            rivals = {i for g, s in guesses if s == score for i in self.c.alias_keys[g]}
            if len(ids) == 1 and len(rivals) == 1:
                return Resolution("fuzzy", ids, score)
            return Resolution("ambiguous", (), score, tuple(sorted(rivals)))
        cands = tuple(dict.fromkeys(i for g, _ in guesses for i in self.c.alias_keys[g]))
        return Resolution("none", (), guesses[0][1] if guesses else 0.0, cands)

    def country_of(self, place: str) -> tuple[str | None, str]:
        """The country a location text names, by the catalog's places, and how it was found.

        An exact place name wins; otherwise the place names found inside the
        text vote, and a tie between countries gives no answer.
        """
        return self.country_in(scan_text(place))

    def held_in(self, form: str) -> list[tuple[tuple[str, int, int | None], ...]]:
        """The holds (who held it, from, until) of each catalog place named in a location (scan form)."""
        if self._held_ac is None:
            self._held_ac, self._held_of = _automaton(self.c.place_held)
        if not self._held_ac:
            return []
        # NOTE: "Donetsk oblast" is the region, not the city: a name followed by a region word says nothing of who held it.
        return [self._held_of[i] for i, _, end in self._held_ac.find_matches_as_indexes(form, overlapping=False)
                if form[end:end + 24].split()[:1] not in _REGION_NEXT]

    def country_in(self, form: str) -> tuple[str | None, str]:
        """:meth:`country_of` a text already in its scan form (:func:`~equipid.normalize.scan_text`)."""
        hit = self.c.place_keys.get(form.replace(" ", ""))
        if hit:
            return (hit[0], "exact") if len(hit) == 1 else (None, "ambiguous")
        if self._place_ac is None:
            self._place_ac, self._place_cc = _automaton(self.c.place_patterns)
        if not self._place_ac:
            return None, "none"
        from collections import Counter

        # NOTE: counted in C (a caption may name places a million times).
        votes = Counter(map(self._place_cc.__getitem__, map(_FIRST, self._place_ac.find_matches_as_indexes(form, overlapping=False))))
        if not votes:
            return None, "none"
        ranked = sorted(votes.items(), key=lambda kv: -kv[1])
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            return None, "ambiguous"
        return ranked[0][0], "contained"

    def suggestions(self, name: str, limit: int = 5) -> list[str]:
        """Item ids whose names are closest to ``name`` (for 'did you mean')."""
        from rapidfuzz import fuzz, process

        k = fold(name).replace(" ", "")
        if self._keys is None:
            self._keys = list(self.c.alias_keys)
        got = process.extract(k, self._keys, scorer=fuzz.WRatio, limit=limit * 3)
        return list(dict.fromkeys(i for c, _s, _ in got for i in self.c.alias_keys[c]))[:limit]


# -- observations --------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ObservedItem:
    """One item as seen: what it is, how sure, how many, with what attributes."""

    item: str
    confidence: float
    count: int = 1
    attributes: tuple[str, ...] = ()
    said: str = ""
    how: str = "exact"
    role: str = "fielded"
    """How the sighting speaks of it (see :mod:`equipid.sightings.reading`)."""


@dataclass
class Observations:
    """A sighting reduced to what the scorer needs."""

    id: str
    date: tuple[int, int] | None = None
    country: str | None = None
    items: list[ObservedItem] = field(default_factory=list)
    absent: set[str] = field(default_factory=set)
    unmatched: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    sighting: dict[str, Any] | None = None
    """What the sighting says of itself for the writers: date (as given), place, country, lat, lon, text."""
    places: frozenset[str] = frozenset()
    """The places some prior is scoped to that the location names or lies within (Crimea for "Sevastopol")."""


_COUNT_RE = re.compile(r"^\s*(?:(\d{1,4})\s*[x×]\s+|(\d{1,4})\s*[x×](?=[^\W\d_])|(\d{1,3})\s+(?!(?:mm|cm|km|kg|cal|mhz|ghz|x)\b)(?=[^\W\d_]))", re.I)
# NOTE: no pattern here starts with a run of spaces: searched for, such a run
# is rescanned from each of its characters, quadratic in a long phrase.
_COUNT_SUFFIX_RE = re.compile(r"(?<=\s)[x×]\s*(\d{1,4})\s*$", re.I)
#: Count words and the least number each surely means: "hundreds" is at least
#: 200, "several" at least 3. A count in words is read as that lower bound.
COUNT_WORDS = {
    "a couple of": 2, "a couple": 2, "couple of": 2, "a few": 2, "few": 2, "some": 2, "multiple": 2,
    "a number of": 2, "several": 3, "many": 3, "numerous": 3, "a lot of": 3, "lots of": 3,
    "a large number of": 3, "large number of": 3, "a large number": 3, "large number": 3,
    "a dozen": 12, "dozen": 12, "dozens of": 24, "dozens": 24, "tens of": 20, "scores of": 40, "scores": 40,
    "hundreds of": 200, "hundreds": 200, "thousands of": 2000, "thousands": 2000,
    "несколько": 3, "много": 3, "десятки": 20, "десятков": 20, "сотни": 200, "сотен": 200,
    "кілька": 3, "багато": 3, "сотні": 200,
}
_COUNT_WORD_RE = re.compile(
    r"^\s*(" + "|".join(re.escape(w) for w in sorted(COUNT_WORDS, key=len, reverse=True)) + r")\s+(?=[^\W\d_])", re.I)


def count_word(value: str) -> int | None:
    """The count a word or a number in words says (its lower bound), or None: "hundreds" is 200, "12" is 12."""
    s = " ".join(value.lower().split())
    if s.isascii() and s.isdigit() and len(s) <= 7:
        return int(s)
    return COUNT_WORDS.get(s)


_CONF_WORDS = {
    "possible": "possible", "possibly": "possible", "suspected": "possible", "maybe": "possible",
    "unconfirmed": "possible", "apparent": "probable", "apparently": "probable", "probable": "probable",
    "probably": "probable", "likely": "probable", "confirmed": "confirmed",
}
_CONF_RE = re.compile(r"^\s*(" + "|".join(_CONF_WORDS) + r")\b[\s:,-]*", re.I)
_CONF_SUFFIX_RE = re.compile(r"\((possible|probable|suspected|unconfirmed)\)\s*$", re.I)
_SPLIT_RE = re.compile(r"\bwith\b|\bw/|\band\b|\bplus\b|[,;+&]", re.I)
KNOWN_FIELDS = {"id", "date", "location", "country", "source", "text", "observed", "absent"}
_LOCATION_KEYS = {"name", "country", "lat", "lon", "admin", "region"}
_COUNTRY_RE = re.compile(r"[A-Za-z]{2}")
_O_FOR_ZERO = re.compile(r"(?<=\d)o|o(?=\d)")


def parse_phrase(text: str) -> tuple[str, int, str | None]:
    """Split "2x possible MIB" into ("MIB", 2, "possible")."""
    conf = None
    count = 1
    s = text.strip()
    for _ in range(2):
        m = _CONF_RE.match(s)
        if m:
            conf = _CONF_WORDS[m.group(1).lower()]
            s = s[m.end() :]
        n = _COUNT_RE.match(s)
        if n:
            count = int(next(g for g in n.groups() if g))
            s = s[n.end() :]
        else:
            n = _COUNT_WORD_RE.match(s)
            if n:
                count = COUNT_WORDS[" ".join(n.group(1).lower().split())]
                s = s[n.end() :]
        if not (m or n):
            break  # a second look would see the same
    m = _COUNT_SUFFIX_RE.search(s)
    if m:
        count = int(m.group(1))
        s = s[: m.start()].rstrip()
    if s.endswith("?"):
        conf = conf or "possible"
        s = s.rstrip("? ")
    m = _CONF_SUFFIX_RE.search(s)
    if m:
        conf = _CONF_WORDS[m.group(1).lower()]
        s = s[: m.start()].rstrip()
    return s.strip(), max(count, 1), conf


def _confidence(value: Any, field_name: str) -> float:
    if value is None:
        return CONFIDENCE["confirmed"]
    if isinstance(value, str) and value.strip().lower() in CONFIDENCE:
        return CONFIDENCE[value.strip().lower()]
    raise RecordError(field_name, f"confidence must be one of {', '.join(CONFIDENCE)}, not {_short(value)}")


def _str_list(value: Any, field_name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [p for p in (x.strip() for x in value.split(";")) if p]
    if isinstance(value, list):
        out = []
        for i, v in enumerate(value):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                v = str(v)
            if not isinstance(v, str):
                raise RecordError(f"{field_name}[{i}]", f"expected text, got {type(v).__name__}")
            if v.strip():
                out.append(v.strip())
        return out
    raise RecordError(field_name, f"expected a list or text, got {type(value).__name__}")


def _date_text(d: Any) -> str | None:
    """A date given as a YAML date or a number, as text (ISO 8601 for a date)."""
    if d == "":
        return None
    iso = getattr(d, "isoformat", None)
    return str(iso() if iso is not None else d)


#: Largest count an observed entry may give.
MAX_COUNT = 1_000_000
#: Deepest nesting of an unknown field passed through to the output.
MAX_EXTRA_DEPTH = 64
_INT64 = range(-(1 << 63), 1 << 64)


def _short(v: Any) -> str:
    """``repr(v)``, cut to 60 characters (a message never repeats a huge value)."""
    r = repr(v) if not isinstance(v, int) or v in _INT64 else "a number of more than 64 bits"
    return r if len(r) <= 60 else r[:57] + "..."


def _plain(v: Any, name: str, depth: int) -> Any:
    """An unknown field's value as JSON can hold it: integers beyond 64 bits as their digits; too deep is an error."""
    if isinstance(v, dict):
        if depth >= MAX_EXTRA_DEPTH:
            raise RecordError(name, f"nested deeper than {MAX_EXTRA_DEPTH} levels")
        return {k: x if type(x) is str else _plain(x, name, depth + 1) for k, x in v.items()}
    if isinstance(v, list):
        if depth >= MAX_EXTRA_DEPTH:
            raise RecordError(name, f"nested deeper than {MAX_EXTRA_DEPTH} levels")
        return [x if type(x) is str else _plain(x, name, depth + 1) for x in v]
    if type(v) is int and v not in _INT64:
        return str(v)
    return v


class _TextItems(dict[tuple[str, str], ObservedItem]):
    """(item id, role) -> the item as found in free text: always the same (immutable) value."""

    def __missing__(self, key: tuple[str, str]) -> ObservedItem:
        o = self[key] = ObservedItem(key[0], CONFIDENCE["confirmed"], said="text", how="text", role=key[1])
        return o


_ITEM = attrgetter("item")
#: Categories of the names of forces and formations, which a thing's own name may echo (a ship named Azov).
_FORCE_CATS = frozenset({"actor", "unit"})
#: Roles a caption may give an observed entry that said nothing of its part: struck (a caption saying it was
#: taken is left to the entry: the captured paratroopers of a POW photo are the subject).
_TOLD = frozenset({TARGET})


def _automaton(pairs: list[tuple[str, Any]]) -> tuple[Any, list[Any]]:
    """A leftmost-longest automaton over the patterns of ``pairs`` (False when there are none), and their values."""
    if not pairs:
        return False, []
    import ahocorasick_rs

    pats = [p for p, _ in pairs]
    return ahocorasick_rs.AhoCorasick(pats, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest), [v for _, v in pairs]


#: What a location's name says, as read once for every sighting located there (Observer._held_in): the ground
#: held it states, the holds of the places it names, and the places some prior is scoped to.
_Ground = tuple[tuple[ObservedItem, ...], tuple[tuple[tuple[str, int, int | None], ...], ...], frozenset[str]]
#: How sure a hold read from the gazetteer is that the sighting's thing stood on that ground: the location of a
#: strike may be where it landed or whence it was fired, and a front-line town's edges change hands by the week.
HELD_CONFIDENCE = "possible"
#: Words after a town's name that make it its region ("Donetsk oblast", "Kherson region"), as one-word lists.
_REGION_NEXT = [[fold(w)] for w in ("oblast", "oblasts", "region", "regions", "province", "governorate", "district",
                                    "raion", "rayon", "krai", "область", "области", "області", "район", "району", "края")]


class Observer:
    """Turns sighting mappings into :class:`Observations` with one resolver."""

    def __init__(self, compiled: Compiled, resolver: Resolver | None = None) -> None:
        self.c = compiled
        self.r = resolver or Resolver(compiled)
        # NOTE: batches repeat the same observed strings and dates endlessly;
        # both are read once and replayed.
        self._entries: dict[str, tuple[list[ObservedItem], list[str], list[str]]] = {}
        self._dates: dict[Any, tuple[int, int]] = {}
        self._places: dict[str, tuple[str | None, str]] = {}
        self._text_items = _TextItems()
        self._held: dict[str, _Ground] = {}
        self._countries: dict[str, str] = {}
        self.reader = Reader(compiled.category)
        self._og_ac: Any = None
        self._og_of: list[Any] = []
        self._og_seen: dict[str, tuple[str, bool]] = {}
        self._region_ac: Any = None
        self._region_of: list[Any] = []

    def _place_country(self, place: str, obs: Observations) -> str | None:
        hit = self._places.get(place)
        if hit is None:
            cc, how = self.r.country_of(place)
            if cc:
                note = f"country {cc} inferred from the location {place!r}"
            elif how == "ambiguous":
                note = f"location {place!r} names places in more than one country; no theatre prior applied"
            else:
                note = ""
            hit = (cc, note)
            if len(place) <= MAX_MEMO_KEY:
                _remember(self._places, place, hit)
        if hit[1]:
            obs.warnings.append(hit[1])
        return hit[0]

    def _name(self, label: str, s: str, obs: Observations) -> tuple[str, ...]:
        """Resolve a name, noting guesses and failures on ``obs``."""
        return self._named(label, s, obs)[0]

    def _named(self, label: str, s: str, obs: Observations) -> tuple[tuple[str, ...], str]:
        """(item ids, how they were found) for a name, noting guesses and failures on ``obs``."""
        res = self.r.resolve(s)
        if res.note:
            obs.warnings.append(f"{label} {s!r} read as {' + '.join(self.c.items[i]['name'] for i in res.items)} ({res.note})")
        if res.how == "exact":
            return res.items, "exact"
        if res.how == "contained":
            if res.rest:
                # NOTE: "AK-74M with gizmo" names the AK-74M; the gizmo is reported, not dropped.
                more, _ = self._named(label, res.rest, obs)
                return tuple(dict.fromkeys(res.items + more)), "contained"
            return res.items, "contained"
        if res.how == "fuzzy":
            obs.warnings.append(f"{label} {s!r} read as {self.c.items[res.items[0]]['name']} (fuzzy match, score {res.score:.0f})")
            return res.items, "fuzzy"
        parts = [p for p in map(str.strip, _SPLIT_RE.split(s)) if p]
        if len(parts) > 1:
            got: list[str] = []
            for p in parts:
                sub = self.r.resolve(p)
                if sub.how in ("exact", "contained"):
                    got.extend(sub.items)
                elif sub.how == "fuzzy" and sub.score >= PART_FUZZY_CUTOFF:
                    got.extend(sub.items)
                    obs.warnings.append(f"{label} part {p!r} read as {self.c.items[sub.items[0]]['name']} "
                                        f"(fuzzy match, score {sub.score:.0f})")
            if got:
                return tuple(dict.fromkeys(got)), "parts"
        if res.how == "ambiguous":
            names = ", ".join(self.c.items[i]["name"] for i in res.candidates)
            obs.warnings.append(f"{label} {s!r} is ambiguous ({names}); not scored")
        obs.unmatched.append(s)
        return (), "none"

    def observe(self, rec: dict[str, Any], default_id: str) -> Observations:
        """Read one sighting mapping; raise RecordError for unusable fields."""
        # NOTE: written for the common shapes (text id, "YYYY-MM" date, location
        # {"country": XX}, observed a list of strings already met); anything
        # else is read by a helper, in the same order, with the same messages.
        get = rec.get
        rid = get("id")
        if rid is None or rid == "":
            rid = default_id
        elif type(rid) is not str:
            if not isinstance(rid, (str, int)) or isinstance(rid, bool):
                raise RecordError("id", f"expected text, got {type(rid).__name__}")
            rid = str(rid)
        obs = Observations(rid)
        d = get("date")
        if d is not None and d != "":
            obs.date = (type(d) is str and self._dates.get(d)) or self._date(d)
        loc = get("location")
        country = get("country")
        if isinstance(loc, dict):
            country = loc["country"] if len(loc) == 1 and "country" in loc else self._location(loc, country, obs)
        elif loc is not None and not isinstance(loc, str):
            raise RecordError("location", f"expected text or a mapping, got {type(loc).__name__}")
        if country not in (None, ""):
            obs.country = (type(country) is str and self._countries.get(country)) or self._country(country)
        else:
            place = loc.get("name") if isinstance(loc, dict) else loc
            if isinstance(place, str) and place.strip():
                obs.country = self._place_country(place, obs)
        text = get("text")
        if text is not None and not isinstance(text, str):
            raise RecordError("text", f"expected text, got {type(text).__name__}")
        observed = get("observed")
        if type(observed) is not list and observed is not None:
            if isinstance(observed, str):
                observed = [p for p in observed.split(";") if p.strip()]
            elif not isinstance(observed, list):
                raise RecordError("observed", f"expected a list, got {type(observed).__name__}")
        items = obs.items
        if observed:
            entries = self._entries
            for i, entry in enumerate(observed):
                hit = entries.get(entry) if type(entry) is str else None
                if hit is None:
                    hit = self._observed(entry, i, obs)
                    if hit is None:
                        continue
                items += hit[0]
                if hit[1]:
                    obs.unmatched += hit[1]
                if hit[2]:
                    obs.warnings += hit[2]
        if text:
            form = scan_text(mark_clauses(text))
            spans = self.r.scan_spans(form)
            if spans and items:
                spans = self._not_observed_again(form, spans, items)
            if spans and not self.reader.has_cues(form):
                found = dict.fromkeys((iid, self.reader.default(iid)) for iid, _, _ in spans)
                if items:
                    named = set(map(_ITEM, items))
                    found = dict.fromkeys(k for k in found if k[0] not in named)
                items += map(self._text_items.__getitem__, found)
            elif spans:
                found = dict.fromkeys(self.reader.roles_of(form, spans))
                if items:
                    # NOTE: a name both observed and in the caption is the observed entry; where the entry said
                    # nothing of its part (fielded by default) and the caption does ("a Su-25 falling after being
                    # hit"), the caption's role is the entry's.
                    named = set(map(_ITEM, items))
                    told = {iid: role for iid, role in found if iid in named and role in _TOLD}
                    if told:
                        items[:] = [replace(o, role=told[o.item]) if o.item in told and o.role == FIELDED
                                    and o.how != "text" else o for o in items]
                    found = dict.fromkeys(k for k in found if k[0] not in named)
                items += map(self._text_items.__getitem__, found)
            if obs.country is None:
                # NOTE: captions often name the place the location field leaves out.
                cc, how = self.r.country_in(form)
                if cc:
                    obs.country = cc
                    obs.warnings.append(f"country {cc} inferred from place names in the text")
        where = loc.get("name") if isinstance(loc, dict) else loc
        if type(where) is str and where:
            ground = self._held.get(where)
            if ground is None:
                ground = self._held_in(where)
            said, holds, obs.places = ground
            if holds and obs.date is not None and not said:
                said = self._held_then(where, holds, obs.date)
            if said:
                named = set(map(_ITEM, items))
                items += [o for o in said if o.item not in named]
        if self.c.ordinal_garrison:
            more = self._by_garrison(form if text else "", spans if text else [], where, observed, items)
            if more:
                items += more
        if "absent" in rec:
            for a in _str_list(rec["absent"], "absent"):
                ids = self._name("absent", a, obs)
                both = [i for i in ids if any(o.item == i for o in items)]
                if both:
                    obs.warnings.append(f"{a!r} is both observed and reported absent; both are scored, check the sighting")
                obs.absent.update(ids)
        if not rec.keys() <= KNOWN_FIELDS:
            for k, v in rec.items():
                if k not in KNOWN_FIELDS:
                    obs.extra[k] = v if type(v) is str else _plain(v, k, 0)
        geo = loc if isinstance(loc, dict) else None
        place = geo.get("name") if geo else loc if type(loc) is str else None
        obs.sighting = {
            "date": (d or None) if type(d) is str or d is None else _date_text(d),
            "place": place if type(place) is str and place else None,
            "country": obs.country,
            "lat": geo.get("lat") if geo else None,
            "lon": geo.get("lon") if geo else None,
            "text": text or None,
        }
        return obs

    def _og_scan(self, said: str) -> tuple[str, bool]:
        """(scan form, whether a bare ordinal is in it) of a location or observed entry, remembered."""
        form = scan_text(said)
        hit = (form, bool(self._og_ac.find_matches_as_indexes(form, overlapping=False)))
        if len(said) <= MAX_MEMO_KEY:
            _remember(self._og_seen, said, hit)
        return hit

    def _by_garrison(self, form: str, spans: list[tuple[str, int, int]], where: Any, observed: Any,
                     items: list[ObservedItem]) -> list[ObservedItem]:
        """The units a bare ordinal names ("the 22nd brigade") whose garrison town the sighting names too (its
        text, location or observed entries): one such unit is the one meant; two or none, nothing is said."""
        if self._og_ac is None:
            self._og_ac, self._og_of = _automaton(self.c.ordinal_garrison)
        if not self._og_ac:
            return []
        find = self._og_ac.find_matches_as_indexes
        said: list[str] = []
        if type(where) is str and where:
            said.append(where)
        for entry in observed or ():
            if type(entry) is str:
                said.append(entry)
            elif isinstance(entry, dict):
                said += [v for v in (entry.get("item"), *(entry.get("attributes") or ())) if type(v) is str]
        # NOTE: batches repeat the same locations and entries: each is scanned once.
        scanned = [self._og_seen.get(x) or self._og_scan(x) for x in said]
        hits = [(0, i, st, en) for i, st, en in find(form, overlapping=False)] if form else []
        if not hits and not any(h for _, h in scanned):
            return []
        pieces = [form, *(f for f, _ in scanned)]
        hits += [(k, i, st, en) for k, (piece, h) in enumerate(scanned, 1) if h
                 for i, st, en in find(piece, overlapping=False)]
        blob = " ".join(pieces)
        named = set(map(_ITEM, items))
        out: list[ObservedItem] = []
        for k, i, st, en in hits:
            here = [u for u, towns in self._og_of[i] if any(t in blob for t in towns)]
            if len(here) != 1 or here[0] in named:
                continue
            role = FIELDED
            if k == 0:
                floor = max((e for _, _, e in spans if e <= st), default=0)
                ceil = min((b for _, b, _ in spans if b >= en), default=None)
                role = self.reader.role_at(form, here[0], st, en, floor, ceil)
            named.add(here[0])
            out.append(ObservedItem(here[0], CONFIDENCE["confirmed"], said=" ".join(pieces[k][st:en].split()), how="garrison", role=role))
        return out

    def _held_in(self, where: str) -> _Ground:
        """What a location's name says of the ground, remembered: the ground held that it states in words
        ("Rodakove (non-government-controlled)"), the holds of the catalog's places it names (places ``held``),
        and the places some prior is scoped to that it names or lies within (Crimea for "Sevastopol")."""
        form = scan_text(where)
        said = tuple(ObservedItem(iid, CONFIDENCE["confirmed"], said=where, how="location", role=PLACE)
                     for iid in dict.fromkeys(iid for iid, _, _ in self.r.scan_spans(form))
                     if iid in self.reader.places)
        holds = tuple(dict.fromkeys(self.r.held_in(form))) if self.c.place_held else ()
        regions: frozenset[str] = frozenset()
        if self.c.place_regions:
            if self._region_ac is None:
                self._region_ac, self._region_of = _automaton(self.c.place_regions)
            regions = frozenset(r for i, _, _ in self._region_ac.find_matches_as_indexes(form, overlapping=False)
                                for r in self._region_of[i])
        hit = (said, holds, regions)
        if len(where) <= MAX_MEMO_KEY:
            _remember(self._held, where, hit)
        return hit

    @staticmethod
    def _held_then(where: str, holds: tuple[tuple[tuple[str, int, int | None], ...], ...],
                   when: tuple[int, int]) -> tuple[ObservedItem, ...]:
        """The ground held at the sighting's date by the places a location names: one side for all of them, with
        the whole date span inside its hold ("2022" at Kherson, held March to November, says nothing), or none."""
        sides = set()
        for place in holds:
            side = next((by for by, first, last in place if first <= when[0] and (last is None or when[1] <= last)), None)
            if side is None:
                return ()
            sides.add(side)
        if len(sides) != 1:
            return ()
        return (ObservedItem(sides.pop(), CONFIDENCE[HELD_CONFIDENCE], said=where, how="location", role=PLACE),)

    def _not_observed_again(self, form: str, spans: list[tuple[str, int, int]],
                            items: list[ObservedItem]) -> list[tuple[str, int, int]]:
        """The text's names less those that also name an observed item, or stand in an observed entry's words,
        which they then mean.

        A caption saying "Yamal and Azov" beside an observed 'large landing
        ship "Azov"' speaks of the ship, not of the Azov regiment the word also names.
        """
        named = set(map(_ITEM, items))
        keys = self.c.alias_keys
        phrases: list[str] | None = None
        out = []
        for span in spans:
            iid, st, en = span
            if iid not in named:
                piece = form[st:en]
                other = keys.get(key(piece), ())
                if (len(other) > 1 or (other and other[0] != iid)) and not named.isdisjoint(other):
                    continue
                if phrases is None:
                    phrases = [scan_text(ph) for ph in dict.fromkeys(o.said for o in items if o.how != "text")]
                if any(piece in ph for ph in phrases):
                    continue
            out.append(span)
        return out

    def _date(self, d: Any) -> tuple[int, int]:
        """The day span of a date the memo does not hold (remembered when it can be)."""
        key = d if isinstance(d, (str, int)) and not isinstance(d, bool) else None
        span = self._dates.get(key) if key is not None else None
        if span is None:
            try:
                span = dates.parse_partial(d)
            except ValueError as exc:
                raise RecordError("date", str(exc)) from None
            if key is not None:
                _remember(self._dates, key, span)
        return span

    def _location(self, loc: dict[str, Any], country: Any, obs: Observations) -> Any:
        """Check a location mapping; the country it gives (else ``country``)."""
        if not loc.keys() <= _LOCATION_KEYS:
            obs.warnings.append(f"location: unknown keys {sorted(set(loc) - _LOCATION_KEYS)} ignored")
        country = loc.get("country", country)
        if "lat" in loc or "lon" in loc:
            for k, lim in (("lat", 90), ("lon", 180)):
                v = loc.get(k)
                if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float)) or abs(v) > lim):
                    raise RecordError(f"location.{k}", f"expected a number within ±{lim}, got {_short(v)}")
        return country

    def _country(self, country: Any) -> str:
        """The code of a country field the memo does not hold (remembered)."""
        code = self._countries.get(country) if isinstance(country, str) else None
        if code is None:
            if isinstance(country, bool):
                # NOTE: YAML 1.1 reads an unquoted NO (Norway), Y, N, ON, OFF as a boolean.
                raise RecordError("location.country", f"expected an ISO 3166-1 alpha-2 code such as SY, got {country!r}: "
                                  "YAML reads an unquoted NO, Y, N, ON or OFF as true/false; quote the code (country: \"NO\")")
            if not isinstance(country, str) or not _COUNTRY_RE.fullmatch(country.strip()):
                raise RecordError("location.country", f"expected an ISO 3166-1 alpha-2 code such as SY, got {_short(country)}")
            code = country.strip().upper()
            _remember(self._countries, country, code)
        return code

    def _observed(self, entry: Any, i: int, obs: Observations) -> tuple[list[ObservedItem], list[str], list[str]] | None:
        """Read an observed entry the memo does not hold.

        A string is read once and remembered: its (items, unmatched, warnings)
        are returned for the caller to add. A mapping is read straight into
        ``obs`` (None is returned).
        """
        if isinstance(entry, str):
            scratch = Observations(id="")
            self._read_entry(entry, "observed", scratch)
            hit = (scratch.items, scratch.unmatched, scratch.warnings)
            if len(entry) > MAX_MEMO_KEY:
                return hit
            _remember(self._entries, entry, hit)
            return hit
        self._read_entry(entry, f"observed[{i}]", obs)
        return None

    def _read_entry(self, entry: Any, fname: str, obs: Observations) -> None:
        if isinstance(entry, str):
            phrase, count, conf_word = parse_phrase(entry)
            conf = CONFIDENCE[conf_word or "confirmed"]
            attrs_in: list[str] = []
        elif isinstance(entry, dict):
            item = entry.get("item")
            if not isinstance(item, str) or not item.strip():
                raise RecordError(f"{fname}.item", "the mapping form needs 'item': a name")
            phrase, count, conf_word = parse_phrase(item)
            conf = _confidence(entry.get("confidence", conf_word), f"{fname}.confidence")
            c = entry.get("count", count)
            if isinstance(c, str) and (n := count_word(c)) is not None:
                if not c.strip().isdigit():
                    obs.warnings.append(f"{fname}.count {c.strip()!r} read as at least {n:,}")
                c = n
            if isinstance(c, bool) or not isinstance(c, int) or not 1 <= c <= MAX_COUNT:
                raise RecordError(f"{fname}.count", f"expected a whole number from 1 to {MAX_COUNT:,} or a count word "
                                  f"such as 'several', 'dozens' or 'hundreds', got {_short(c)}")
            count = c
            attrs_in = _str_list(entry.get("attributes"), f"{fname}.attributes")
        elif isinstance(entry, (int, float)) and not isinstance(entry, bool):
            phrase, count, conf, attrs_in = str(entry), 1, 1.0, []
        else:
            raise RecordError(fname, f"expected text or a mapping, got {type(entry).__name__}")
        ids, how = self._named("observed", phrase, obs) if phrase else ((), "none")
        attrs: list[str] = list(ids[1:])
        for a in attrs_in:
            res = self.r.resolve(a)
            if res.how in ("exact", "contained"):
                attrs.extend(res.items)
            elif res.how == "fuzzy":
                attrs.extend(res.items)
                obs.warnings.append(f"attribute {a!r} read as {self.c.items[res.items[0]]['name']} (fuzzy match, score {res.score:.0f})")
            else:
                obs.unmatched.append(a)
        # NOTE: a phrase that is exactly one name, without attributes, has no words to read a role from.
        roles = (self._entry_roles(phrase, [ids[0]] if ids else [], attrs, attrs_in)
                 if (ids or attrs) and (how != "exact" or attrs_in) else {})
        if ids:
            obs.items.append(ObservedItem(ids[0], conf, count, tuple(dict.fromkeys(attrs)), phrase, how,
                                          roles.get(ids[0], FIELDED)))
        for a in dict.fromkeys(attrs):
            obs.items.append(ObservedItem(a, conf, count, (), phrase, "attribute", roles.get(a, FIELDED)))

    def _entry_roles(self, phrase: str, main: list[str], attrs: list[str], attr_texts: list[str]) -> dict[str, str]:
        """The role of each item an observed entry names, read from its phrase and its attributes' words."""
        form = scan_text(mark_clauses(phrase))
        found = self.r.scan_spans(form)
        bounds = dict(zip(found, zip([0, *(en for _, _, en in found)], [*(st for _, st, _ in found[1:]), None],
                                     strict=False), strict=False))
        spans = {iid: (st, en, *bounds[(iid, st, en)]) for iid, st, en in reversed(found)}
        labelled = end_label(phrase)
        if labelled:
            return dict.fromkeys((*main, *attrs), labelled)
        roles: dict[str, str] = {}
        places = self.reader.places
        said: dict[str, str] | None = None
        for iid in (*main, *attrs):
            if iid in roles:
                continue
            # NOTE: a phrase that is one name has no words around it: its attributes' cues decide (of the named item).
            cues = attr_texts if iid in main else []
            if iid in spans or cues:
                roles[iid] = self.reader.role_in_entry(iid, form, spans.get(iid), cues)
                continue
            if said is None:
                said = self._attribute_roles(attr_texts)
            roles[iid] = said.get(iid) or (PLACE if iid in places else FIELDED)
        return roles

    def _attribute_roles(self, attr_texts: list[str]) -> dict[str, str]:
        """The role of each item an attribute names, read from that attribute's own words ("captured from Ukrainian
        forces": the force the thing was taken from)."""
        out: dict[str, str] = {}
        for text in attr_texts:
            form = scan_text(mark_clauses(text))
            if not self.reader.has_cues(form):
                continue  # no cue word: every name in it keeps its default role
            for iid, role in self.reader.roles_of(form, self.r.scan_spans(form)):
                out.setdefault(iid, role)
        return out
