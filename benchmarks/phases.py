"""Where a batch record's CPU goes, phase by phase, in one process.

    python benchmarks/phases.py [N] [--rounds 2]

Generates N synthetic sightings (``gen_sightings.py``, default 100,000), cuts
them into the chunks that ``equipid score`` uses, then times each phase over
all of them with ``time.process_time``: read (cut into records), parse and
observe, score (conditions, posteriors, look for next), encode (JSON Lines),
and the *floor* of issue 4 for comparison (orjson parse of each input line and
orjson encode of each output record). The first round fills the memos (fuzzy
guesses, encoded pieces) as the start of a run would; the last is reported,
with the first beside it. Runs this checkout's code and catalog.
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()

    import orjson

    from equipid.catalog.cache import load_compiled
    from equipid.catalog.locate import catalog_dirs
    from equipid.engine.batch import CHUNK, ChunkEngine
    from equipid.engine.encode import JsonlEncoder
    from equipid.sightings.readers import Lines, read_chunks

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.jsonl"
        with path.open("wb") as f:
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gen_sightings.py"), str(args.n)], stdout=f, check=True)
        raw_lines = path.read_bytes().splitlines()
        engine = ChunkEngine(load_compiled(catalog_dirs(None, ())))
        scorer = engine.scorer
        encoder = scorer._encoder = JsonlEncoder(scorer)
        # As in a worker: the catalog frozen out of the collector's sight, and
        # the collector off while a chunk is worked (see equipid.engine.batch).
        gc.freeze()
        rounds = []
        for _ in range(max(args.rounds, 1)):
            t = {"read": 0.0, "observe": 0.0, "score": 0.0, "encode": 0.0}
            out: list[bytes] = []
            t0 = time.process_time()
            chunks = list(read_chunks([str(path)], "jsonl", size=CHUNK))
            t["read"] = time.process_time() - t0
            for pieces in chunks:
                gc.disable()
                t0 = time.process_time()
                recs = []
                for p in pieces:
                    recs += p.records() if isinstance(p, Lines) else p
                t["read"] += time.process_time() - t0
                t0 = time.process_time()
                _, todo = engine._observe(recs)
                t1 = time.process_time()
                assessed = scorer._assess(todo, True)
                t2 = time.process_time()
                out += encoder.records(todo, assessed)
                t3 = time.process_time()
                t["observe"] += t1 - t0
                t["score"] += t2 - t1
                t["encode"] += t3 - t2
                gc.enable()
            rounds.append(t)
        # The floor, as batch_throughput.py takes it: parse every input line, encode every output record.
        records = [orjson.loads(line) for line in out]
        t0 = time.process_time()
        for line in raw_lines:
            orjson.loads(line)
        parse = time.process_time() - t0
        t0 = time.process_time()
        for rec in records:
            orjson.dumps(rec)
        encode = time.process_time() - t0

    n = len(raw_lines)
    first, last = rounds[0], rounds[-1]
    print(f"{n:,} records, CPU µs per record ({'first round / ' if len(rounds) > 1 else ''}last round):")
    total_first = sum(first.values())
    total_last = sum(last.values())
    for k in ("read", "observe", "score", "encode"):
        lead = f"{first[k] / n * 1e6:6.1f} / " if len(rounds) > 1 else ""
        print(f"  {k:<8} {lead}{last[k] / n * 1e6:6.1f}")
    lead = f"{total_first / n * 1e6:6.1f} / " if len(rounds) > 1 else ""
    print(f"  {'all':<8} {lead}{total_last / n * 1e6:6.1f}")
    floor = parse + encode
    print(f"floor: orjson parse {parse / n * 1e6:.1f} + encode {encode / n * 1e6:.1f} = {floor / n * 1e6:.1f} µs per record")
    print(f"one process takes {total_last / floor:.1f}x the floor; 2x the floor on two cores leaves {4 * floor / n * 1e6:.1f} µs of CPU per record")


if __name__ == "__main__":
    main()
