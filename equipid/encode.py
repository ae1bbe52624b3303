"""Contract records (CONTRACT.md section 3) straight to JSON bytes.

Byte for byte what ``orjson.dumps`` gives for the record dicts that
:meth:`equipid.scorer.Scorer.score_chunk` builds, at a fraction of the cost:
everything the catalog fixes (names, paths, rationales, favours) is encoded
once per process, and each float is written with orjson's own formatting,
a whole chunk at a time. The record dicts stay the reference; a test holds
the two to the same bytes.
"""

from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from equipid.matcher import Observations, ObservedItem
    from equipid.scorer import Scorer, _Assessed

_dumps = orjson.dumps
_LIMIT = 100_000


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
        words = [_dumps(w) for w in scorer._words]
        self._rank_head = [b'{"affiliation":' + _dumps(leaf) + b',"probability":' for leaf in c.leaves]
        self._rank_tail = [[b',"estimate":' + w + b',"path":' + _dumps(path) + b"}" for w in words]
                           for path in scorer._paths]
        self._group_head = [b'{"affiliation":' + _dumps(g) + b',"probability":' for g in c.groups]
        self._group_tail = [b',"estimate":' + w + b"}" for w in words]
        self._leaf = [_dumps(leaf) for leaf in c.leaves]
        self._ind = [_dumps(i) for i in scorer._ind_ids]
        self._ev_head: list[tuple[bytes, bytes]] = []
        self._ev_tail: list[tuple[bytes, bytes]] = []
        for i, name in enumerate(scorer._ind_names):
            rationale = b',"rationale":' + _dumps(c.indicators[i]["rationale"]) + b"}"
            heads = []
            tails = []
            for absent, sides in ((False, scorer._favour[i]), (True, scorer._favour_absent[i])):
                heads.append(b'{"indicator":' + self._ind[i] + b',"name":' + _dumps(("absent: " if absent else "") + name)
                             + b',"items":')
                tails.append(b',"favours":' + _dumps(sides[0]) + b',"disfavours":' + _dumps(sides[1]) + rationale)
            self._ev_head.append((heads[0], heads[1]))
            self._ev_tail.append((tails[0], tails[1]))
        self._texts: dict[str, bytes] = {}
        self._positive: dict[float, bytes] = {}
        self._matched: dict[int, tuple[ObservedItem, bytes]] = {}
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

    def _pos(self, x: float) -> bytes:
        """orjson's text of a float > 0 (where equal floats print alike)."""
        hit = self._positive.get(x)
        if hit is None:
            hit = _dumps(x)
            if x > 0.0:
                if len(self._positive) > _LIMIT:
                    self._positive.clear()
                self._positive[x] = hit
        return hit

    def records(self, observations: list[Observations], a: _Assessed) -> list[bytes]:
        """One encoded record per observation (no line ends)."""
        s = self.s
        c = s.c
        items = c.items
        rank_head, rank_tail = self._rank_head, self._rank_tail
        group_head, group_tail = self._group_head, self._group_tail
        probs = _float_rows(a.post)
        gprobs = _float_rows(a.gsum)
        woe = (a.woe[0], a.woe_abs[0])
        texts = (_floats(a.woe[0]), _floats(a.woe[1]), _floats(a.woe_abs[0]), _floats(a.woe_abs[1]))
        out = []
        ev_at = 0
        ab_at = 0
        for r, (o, ctx, f) in enumerate(zip(observations, a.ctxs, a.fires, strict=True)):
            order = a.order[r]
            pr = probs[r]
            wr = a.words[r]
            ranking = b",".join([rank_head[j] + pr[j] + rank_tail[j][wr[j]] for j in order])
            gp = gprobs[r]
            gw = a.gwords[r]
            groups = b",".join([group_head[g] + gp[g] + group_tail[gw[g]] for g in a.gorder[r]])
            la = order[0]
            lb = order[1] if len(order) > 1 else order[0]
            if f.present or f.absent:
                evidence = self._evidence(ctx.seen, ctx.absent, f.present, f.absent, ev_at, ab_at, la, lb, woe, texts)
            else:
                evidence = b""
            ev_at += len(f.present)
            ab_at += len(f.absent)
            picks = a.picks[r]
            lfn = b",".join([self._lfn(*pick) for pick in picks]) if picks else b""
            matched = b",".join([self._matched_item(m, items) for m in o.items])
            parts = [b'{"id":', _dumps(o.id), b',"ranking":[', ranking, b'],"groups":[', groups, b'],"evidence":[',
                     evidence, b'],"unmatched":', _dumps(list(dict.fromkeys(o.unmatched))) if o.unmatched else b"[]",
                     b',"warnings":', _dumps(list(dict.fromkeys(o.warnings))) if o.warnings else b"[]",
                     b',"look_for_next":[', lfn, b'],"prior":',
                     self._text(a.labels[r]), b',"matched":[', matched, b"]"]
            if f.superseded:
                parts += [b',"superseded":[', b",".join([self._sup(x, y) for x, y in f.superseded]), b"]"]
            if o.extra:
                parts += [b',"extra":', _dumps(o.extra)]
            parts.append(b"}")
            out.append(b"".join(parts))
        return out

    def _evidence(self, seen: dict[str, float], absent: set[str], present: list[tuple[int, float]], gone: list[int],
                  ev_at: int, ab_at: int, la: int, lb: int, woe: tuple[list[float], list[float]],
                  texts: tuple[list[bytes], list[bytes], list[bytes], list[bytes]]) -> bytes:
        """The evidence list of one record (without brackets), strongest first."""
        # (sort key, absent?, indicator, confidence, index into the chunk's weights)
        entries = [(-abs(woe[0][k]), 0, i, v, k) for k, (i, v) in enumerate(present, ev_at)]
        if gone:
            entries += [(-abs(woe[1][k]), 1, i, 1.0, k) for k, i in enumerate(gone, ab_at)]
            if len(entries) > 1:
                entries.sort(key=_first)
        elif len(entries) > 1:
            entries.sort(key=_first)
        ind_items = self.s.c.ind_items
        ev_head, ev_tail, pos = self._ev_head, self._ev_tail, self._pos
        by_head = b"{" + self._leaf[la] + b":"
        by_mid = b"," + self._leaf[lb] + b":" if la != lb else None
        parts: list[bytes] = []
        for _, is_absent, i, v, k in entries:
            t, u = texts[2 * is_absent][k], texts[2 * is_absent + 1][k]
            its = [it for it in ind_items[i] if it in seen or it in absent]
            parts += (ev_head[i][is_absent], _dumps(its), b',"confidence":', pos(v), b',"weight_db":', t, b',"weight_db_by":',
                      by_head, t, by_mid, u, b"}", ev_tail[i][is_absent], b",") if by_mid is not None else (
                      ev_head[i][is_absent], _dumps(its), b',"confidence":', pos(v), b',"weight_db":', t, b',"weight_db_by":',
                      by_head, u, b"}", ev_tail[i][is_absent], b",")
        parts.pop()
        return b"".join(parts)

    def _matched_item(self, m: ObservedItem, items: dict[str, Any]) -> bytes:
        # NOTE: observed strings are memoised by the observer, so the same
        # (immutable) items come back again and again: remembered by identity,
        # each entry holding its item so that the id cannot be reused.
        hit = self._matched.get(id(m))
        if hit is not None and hit[0] is m:
            return hit[1]
        enc = (b'{"said":' + _dumps(m.said) + b',"item":' + _dumps(m.item) + b',"name":' + _dumps(items[m.item]["name"])
               + b',"how":' + _dumps(m.how) + b',"confidence":' + _dumps(m.confidence)
               + (b',"count":' + _dumps(m.count) if m.count != 1 else b"") + b"}")
        if len(self._matched) > 20_000:
            self._matched.clear()
        self._matched[id(m)] = (m, enc)
        return enc

    def _lfn(self, i: int, missing: tuple[str, ...], bits: float, a: int, b: int) -> bytes:
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
            why = b',"why":' + _dumps(self.s._why_text(i, a, b)) + b"}"
            if len(self._why) > _LIMIT:
                self._why.clear()
            self._why[wkey] = why
        return head + self._pos(bits) + why

    def _sup(self, s: int, by: int) -> bytes:
        hit = self._superseded.get((s, by))
        if hit is None:
            hit = self._superseded[(s, by)] = b'{"indicator":' + self._ind[s] + b',"by":' + self._ind[by] + b"}"
        return hit


_first = operator.itemgetter(0)
