"""The measurements behind the library choices named in the README.

    python benchmarks/libraries.py

Aho-Corasick (ahocorasick_rs vs pyahocorasick vs one big regex) on captions
against every catalog alias; fuzzy name lookup (rapidfuzz vs difflib); JSON
encoding of result records (orjson vs json). Alternatives that are not
installed are skipped with a note.
"""

from __future__ import annotations

import difflib
import json
import random
import re
import time

import orjson

from equipid.catalog.cache import load_compiled
from equipid.catalog.locate import catalog_dirs
from equipid.normalize import fold, scan_form


def timed(fn, *args) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def main() -> None:
    c = load_compiled(catalog_dirs())
    pats = [p for p, _ in c.patterns]
    import sys

    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from gen_sightings import generate

    texts = [scan_form(fold(r["text"])) for r in generate(50_000)]
    mb = sum(len(t) for t in texts) / 1e6
    print(f"{len(pats):,} alias patterns; {len(texts):,} captions, {mb:.1f} MB folded")

    import ahocorasick_rs

    ac = ahocorasick_rs.AhoCorasick(pats, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    t = timed(lambda: [ac.find_matches_as_indexes(x, overlapping=False) for x in texts])
    print(f"  ahocorasick_rs (leftmost-longest)  {t:6.2f} s")
    try:
        import ahocorasick

        A = ahocorasick.Automaton()
        for i, p in enumerate(pats):
            A.add_word(p, i)
        A.make_automaton()
        t = timed(lambda: [list(A.iter_long(x)) for x in texts])
        print(f"  pyahocorasick (iter_long)          {t:6.2f} s")
    except ImportError:
        print("  pyahocorasick                      not installed (pip install pyahocorasick to compare)")
    rx = re.compile("|".join(re.escape(p) for p in sorted(pats, key=len, reverse=True)))
    sample = texts[:2000]
    t = timed(lambda: [rx.findall(x) for x in sample]) * len(texts) / len(sample)
    print(f"  one alternation regex (re)         {t:6.2f} s (extrapolated from {len(sample):,})")

    keys = list(c.alias_keys)
    rng = random.Random(1)
    queries = []
    for k in rng.sample(keys, 200):
        i = rng.randrange(len(k))
        queries.append(k[:i] + k[i + 1 :] if len(k) > 3 else k)
    from rapidfuzz import fuzz, process

    t = timed(lambda: [process.extractOne(q, keys, scorer=fuzz.ratio) for q in queries])
    print(f"fuzzy lookup over {len(keys):,} keys, {len(queries)} misspelt queries:")
    print(f"  rapidfuzz extractOne               {t / len(queries) * 1000:8.2f} ms/query")
    t = timed(lambda: [difflib.get_close_matches(q, keys, n=1, cutoff=0.8) for q in queries[:20]])
    print(f"  difflib.get_close_matches          {t / 20 * 1000:8.2f} ms/query")
    from equipid.sightings.matcher import Resolver

    r = Resolver(c)
    r.fuzzy("warmup")
    t = timed(lambda: [r.fuzzy(q, full_scan=False) for q in queries])
    print(f"  one-deletion index + rapidfuzz     {t / len(queries) * 1000:8.3f} ms/query")

    from equipid.engine.assess import assess

    rec = assess(c, {"observed": ["AK-74M with suppressor", "MIB", "telnyashka"], "location": {"country": "SY"}, "date": "2016"})
    recs = [rec] * 20_000
    t1 = timed(lambda: [orjson.dumps(x) for x in recs])
    t2 = timed(lambda: [json.dumps(x) for x in recs])
    print(f"encoding {len(recs):,} result records: orjson {t1:.2f} s, json {t2:.2f} s ({t2 / t1:.1f}x)")


if __name__ == "__main__":
    main()
