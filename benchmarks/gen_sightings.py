"""Generate N synthetic sightings from the bundled catalog, as JSON Lines.

Each has a ~150-character caption naming catalog aliases in free text, plus a
few structured observed items, some misspelled or in Cyrillic, a date and a
country. Deterministic for a given seed.

    python benchmarks/gen_sightings.py 100000 > sightings.jsonl
"""

from __future__ import annotations

import random
import sys

import orjson

FILLER = ["seen near the checkpoint", "in a video posted on Telegram", "column moving west", "after the strike",
          "photographed by a local resident", "abandoned by the road", "at dawn", "according to the channel",
          "with soldiers nearby", "on the outskirts"]
CYR = str.maketrans({"A": "А", "K": "К", "M": "М", "T": "Т", "B": "В", "P": "Р", "E": "Е", "O": "О", "C": "С"})
COUNTRIES = ["UA", "SY", "RU", "LY", "ML", "IQ", "LB", "CF", None]


def _typo(rng: random.Random, s: str) -> str:
    if len(s) < 4:
        return s
    i = rng.randrange(1, len(s) - 1)
    op = rng.randrange(3)
    if op == 0:
        return s[:i] + s[i + 1:]
    if op == 1:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i] + s[i] + s[i:]


def names() -> list[str]:
    from equipid.catalog.cache import load_compiled
    from equipid.catalog.locate import catalog_dirs

    c = load_compiled(catalog_dirs())
    out = []
    for item in c.items.values():
        out.append(item["name"])
        out.extend(a for a in item.get("aliases", []) if len(a) <= 30)
    return out


def generate(n: int, seed: int = 7):
    rng = random.Random(seed)
    pool = names()
    for i in range(n):
        words: list[str] = []
        while sum(len(w) + 1 for w in words) < 150:
            words.append(rng.choice(pool) if rng.random() < 0.35 else rng.choice(FILLER))
        observed = []
        for _ in range(rng.randrange(1, 4)):
            s = rng.choice(pool)
            r = rng.random()
            if r < 0.12:
                s = _typo(rng, s)
            elif r < 0.2:
                s = s.translate(CYR)
            observed.append(s)
        rec = {"id": f"syn-{i}", "date": f"{rng.randrange(2014, 2025)}-{rng.randrange(1, 13):02d}",
               "text": " ".join(words)[:160], "observed": observed}
        cc = rng.choice(COUNTRIES)
        if cc:
            rec["location"] = {"country": cc}
        yield rec


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=(__doc__ or "Synthetic sightings as JSON Lines.").splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=10000, help="sightings (default 10000)")
    n = ap.parse_args().n
    out = sys.stdout.buffer
    for rec in generate(n):
        out.write(orjson.dumps(rec) + b"\n")


if __name__ == "__main__":
    main()
