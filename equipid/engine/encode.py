"""Result records (docs/output.md) straight to JSON bytes.

Byte for byte what ``orjson.dumps`` gives for the record dicts that
:meth:`equipid.engine.scorer.Scorer.score_chunk` builds, at a fraction of the cost:
everything the catalog fixes (names, paths, rationales, favours) is encoded
once per process, and each float is written with orjson's own formatting,
a whole chunk at a time. The record dicts stay the reference; a test holds
the two to the same bytes.

NOTE: each record is one ``b"".join`` of a flat list of ready-made pieces,
appended in plain loops: measured, that beats both joining each list of the
record on its own and gathering the pieces with itemgetter, zip or numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import orjson

from equipid.catalog.conditions import REGISTRY

if TYPE_CHECKING:
    from equipid.engine.scorer import Scorer, _Assessed, _Pick
    from equipid.sightings.matcher import Observations, ObservedItem

_dumps = orjson.dumps
_LIMIT = 100_000
_LFN_LIMIT = 20_000


def _float_rows(rows: list[list[float]]) -> list[list[bytes]]:
    """orjson's text of every float of a list of equal-length rows of floats."""
    if not rows or not rows[0]:
        return [[] for _ in rows]
    # NOTE: one dumps call for the chunk, then splits in C: a float's text
    # never holds a comma or a bracket.
    return [r.split(b",") for r in _dumps(rows)[2:-2].split(b"],[")]


def _floats(values: list[float]) -> list[bytes]:
    """orjson's text of each float of ``values``."""
    return _dumps(values)[1:-1].split(b",") if values else []


class JsonlEncoder:
    """Renders assessed chunks of one scorer as JSON Lines."""

    def __init__(self, scorer: Scorer) -> None:
        self.s = scorer
        c = scorer.c
        words = [_dumps(w) for w in scorer.words]
        leaves = [_dumps(leaf) for leaf in c.leaves]
        # A ranking entry is three pieces: head (the comma before it first,
        # but for the first entry), probability, tail by estimate.
        self._rank_first = [b'{"affiliation":' + leaf + b',"probability":' for leaf in leaves]
        self._rank_head = [b"," + h for h in self._rank_first]
        self._rank_tail = [[b',"estimate":' + w + b',"path":' + _dumps(path) + b"}" for w in words] for path in scorer.paths]
        self._group_first = [b'{"affiliation":' + _dumps(g) + b',"probability":' for g in c.groups]
        self._group_head = [b"," + h for h in self._group_first]
        self._group_tail = [b',"estimate":' + w + b"}" for w in words]
        self._by_head = [b',"weight_db_by":{' + leaf + b":" for leaf in leaves]
        self._by_mid = [b"," + leaf + b":" for leaf in leaves]
        self._ind = [_dumps(i) for i in scorer.ind_ids]
        # Per indicator and side (2 * indicator + absent?): the entry's head,
        # with its items where the condition is a lone item (the items are
        # then always that one), and its tail, with and without the comma
        # that separates it from the next entry.
        self._ev_head: list[bytes] = []
        self._ev_fixed: list[bytes | None] = []
        self._ev_tail: list[bytes] = []
        self._ev_last: list[bytes] = []
        for i, name in enumerate(scorer.ind_names):
            rationale = b',"rationale":' + _dumps(c.indicators[i]["rationale"]) + b"}"
            key = REGISTRY.lone_item(c.ind_cond[i])
            lone = key is not None and c.ind_items[i] == (key,)
            for absent, sides in ((False, scorer.favour[i]), (True, scorer.favour_absent[i])):
                head = b'{"indicator":' + self._ind[i] + b',"name":' + _dumps(("absent: " if absent else "") + name) + b',"items":'
                tail = b'},"favours":' + _dumps(sides[0]) + b',"disfavours":' + _dumps(sides[1]) + rationale
                self._ev_head.append(head)
                self._ev_fixed.append(head + _dumps(c.ind_items[i]) if lone else None)
                self._ev_tail.append(tail + b",")
                self._ev_last.append(tail)
        self._ev_items: dict[tuple[int, tuple[str, ...]], bytes] = {}
        self._confidence: dict[float, bytes] = {}
        self._texts: dict[str, bytes] = {}
        self._matched: dict[int, bytes] = {}
        self._matched_alive: list[ObservedItem] = []
        self._lfn: dict[_Pick, bytes] = {}
        self._lfn_head: dict[tuple[int, tuple[str, ...]], bytes] = {}
        self._why: dict[tuple[int, int, int], bytes] = {}
        self._superseded: dict[tuple[int, int], bytes] = {}

    def _text(self, s: str) -> bytes:
        """A catalog-made string (prior label), encoded once."""
        hit = self._texts.get(s)
        if hit is None:
            if len(self._texts) > _LIMIT:
                self._texts.clear()
            hit = self._texts[s] = _dumps(s)
        return hit

    def records(self, observations: list[Observations], a: _Assessed) -> list[bytes]:
        """One encoded record per observation (no line ends)."""
        rank_first, rank_head, rank_tail = self._rank_first, self._rank_head, self._rank_tail
        group_first, group_head, group_tail = self._group_first, self._group_head, self._group_tail
        by_head, by_mid, fixed, tails, lasts = self._by_head, self._by_mid, self._ev_fixed, self._ev_tail, self._ev_last
        probs = _float_rows(a.post)
        gprobs = _float_rows(a.gsum)
        ev = _ChunkEvidence(a, self._confidence)
        side, t_top, t_second, sort_key, n_present = ev.side, ev.top, ev.second, ev.sort_key.__getitem__, ev.n_present
        ind_items = self.s.c.ind_items
        items_get = self._ev_items.get
        matched_get = self._matched.get
        lfn_get = self._lfn.get
        text_get = self._texts.get
        out = []
        ev_at = 0
        ab_at = 0
        for o, ctx, f, order, pr, wr, gorder, gp, gw, picks, label in zip(
                observations, a.ctxs, a.fires, a.order, probs, a.words, a.gorder, gprobs, a.gwords, a.picks, a.labels,
                strict=True):
            parts = [b'{"id":', _dumps(o.id), b',"sighting":', _dumps(o.sighting), b',"ranking":[']
            # NOTE: every entry's head starts with the comma before it: the
            # first one is put right afterwards. Pieces in a loop go in by
            # list.append (a specialised call, nothing allocated), not as tuples.
            for j in order:
                parts.append(rank_head[j])
                parts.append(pr[j])
                parts.append(rank_tail[j][wr[j]])
            parts[5] = rank_first[order[0]]
            parts.append(b'],"groups":[')
            if gorder:
                at = len(parts)
                for g in gorder:
                    parts.append(group_head[g])
                    parts.append(gp[g])
                    parts.append(group_tail[gw[g]])
                parts[at] = group_first[gorder[0]]
            parts.append(b'],"evidence":[')
            n_ev = len(f.present)
            n_ab = len(f.absent)
            if n_ev or n_ab:
                # Indices into the chunk's evidence (see _ChunkEvidence), strongest first.
                ks: Sequence[int] = range(ev_at, ev_at + n_ev)
                if n_ab:
                    ks = [*ks, *range(n_present + ab_at, n_present + ab_at + n_ab)]
                    ab_at += n_ab
                ev_at += n_ev
                if len(ks) > 1:
                    ks = sorted(ks, key=sort_key)
                bh = by_head[order[0]]
                bm = by_mid[order[1]] if len(order) > 1 else None
                s = 0
                for k in ks:
                    s, conf = side[k]
                    head = fixed[s]
                    if head is None:
                        absent = ctx.absent
                        its = tuple(filter(ctx.seen.__contains__, ind_items[s >> 1]) if not absent else
                                    [it for it in ind_items[s >> 1] if it in ctx.seen or it in absent])
                        head = items_get((s, its)) or self._items_head(s, its)
                    t = t_top[k]
                    if bm is not None:
                        parts += (head, conf, t, bh, t, bm, t_second[k], tails[s])
                    else:  # a lone leaf: weight_db_by has one key
                        parts += (head, conf, t, bh, t_second[k], tails[s])
                parts[-1] = lasts[s]
            parts += (b'],"unmatched":', _dumps(list(dict.fromkeys(o.unmatched))) if o.unmatched else b"[]",
                      b',"warnings":', _dumps(list(dict.fromkeys([*o.warnings, *ctx.warnings])))
                      if o.warnings or ctx.warnings else b"[]",
                      b',"look_for_next":[')
            if picks:
                for pick in picks:
                    lfn = lfn_get(pick)
                    parts.append(lfn if lfn is not None else self._lfn_entry(pick))
                    parts.append(b",")
                parts.pop()
            parts += (b'],"prior":', text_get(label) or self._text(label), b',"matched":[')
            if o.items:
                # NOTE: observed strings are memoised by the observer, so the
                # same (immutable) items come back again and again: remembered
                # by identity, and kept alive so that the id cannot be reused.
                for m in o.items:
                    enc = matched_get(id(m))
                    parts.append(enc if enc is not None else self._matched_item(m))
                    parts.append(b",")
                parts.pop()
            if f.superseded:
                parts.append(b'],"superseded":[')
                parts.append(b",".join([self._sup(x, y) for x, y in f.superseded]))
            if o.extra:
                parts += (b'],"extra":', _dumps(o.extra), b"}")
            else:
                parts.append(b"]}")
            out.append(b"".join(parts))
        return out

    def _items_head(self, s: int, its: tuple[str, ...]) -> bytes:
        """An evidence entry's head with its items ``its``, for side ``s``."""
        if len(self._ev_items) > _LIMIT:
            self._ev_items.clear()
        enc = self._ev_items[(s, its)] = self._ev_head[s] + _dumps(its)
        return enc

    def _matched_item(self, m: ObservedItem) -> bytes:
        hit = self._matched.get(id(m))
        if hit is not None:
            return hit
        items = self.s.c.items
        enc = (b'{"said":' + _dumps(m.said) + b',"item":' + _dumps(m.item) + b',"name":' + _dumps(items[m.item]["name"])
               + b',"how":' + _dumps(m.how) + b',"role":' + _dumps(m.role) + b',"confidence":' + _dumps(m.confidence)
               + (b',"count":' + _dumps(m.count) if m.count != 1 else b"") + b"}")
        if len(self._matched) > 20_000:
            self._matched.clear()
            self._matched_alive.clear()
        self._matched[id(m)] = enc
        self._matched_alive.append(m)
        return enc

    def _lfn_entry(self, pick: _Pick) -> bytes:
        """A look-for-next entry, remembered by its pick."""
        i, missing, bits, a, b = pick
        key = (i, missing)
        head = self._lfn_head.get(key)
        if head is None:
            head = (b'{"items":' + _dumps(list(missing)) + b',"name":' + _dumps(self.s.lfn_name(i, missing))
                    + b',"indicator":' + self._ind[i] + b',"information_bits":')
            if len(self._lfn_head) > _LIMIT:
                self._lfn_head.clear()
            self._lfn_head[key] = head
        wkey = (i, a, b)
        why = self._why.get(wkey)
        if why is None:
            why = b',"why":' + _dumps(self.s.why_text(i, a, b)) + b"}"
            if len(self._why) > _LIMIT:
                self._why.clear()
            self._why[wkey] = why
        enc = head + _dumps(bits) + why
        # NOTE: picks carry a float, so this memo keeps growing where the
        # others level off; a tighter bound keeps a worker's memory flat.
        if len(self._lfn) > _LFN_LIMIT:
            self._lfn.clear()
        self._lfn[pick] = enc
        return enc

    def _sup(self, s: int, by: int) -> bytes:
        hit = self._superseded.get((s, by))
        if hit is None:
            hit = self._superseded[(s, by)] = b'{"indicator":' + self._ind[s] + b',"by":' + self._ind[by] + b"}"
        return hit


class _ChunkEvidence:
    """A chunk's evidence, flat: the present entries of every record, then the absent ones."""

    def __init__(self, a: _Assessed, confidence: dict[float, bytes]) -> None:
        self.n_present = len(a.woe[0])
        #: (2 * indicator + absent?, the confidence as a piece) per entry.
        conf = confidence.get
        self.side = [(2 * i, conf(v) or _confidence(confidence, v)) for f in a.fires for i, v in f.present]
        self.side += [(2 * i + 1, conf(1.0) or _confidence(confidence, 1.0)) for f in a.fires for i in f.absent]
        top = a.woe[0] + a.woe_abs[0]
        self.sort_key = [-abs(w) for w in top]
        self.top = _floats(top)
        self.second = _floats(a.woe[1] + a.woe_abs[1])


def _confidence(memo: dict[float, bytes], v: float) -> bytes:
    """The piece of an evidence entry from its confidence to its weight, remembered in ``memo``."""
    if len(memo) > _LIMIT:
        memo.clear()
    enc = memo[v] = b',"confidence":' + _dumps(v) + b',"weight_db":'
    return enc
