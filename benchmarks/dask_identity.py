"""A Dask run gives the same bytes as a local run.

    python benchmarks/dask_identity.py [N] [WORKERS]      (default: 200000 2)

Generates N synthetic sightings (gen_sightings.py), scores them with
`equipid score IN -o OUT` locally (all cores) and with `--dask local:WORKERS`
(a local Dask cluster of that many worker processes), and prints both wall
times, the sizes, and whether the two outputs are byte-identical (exit 1 if
not). Runs this checkout's code and catalog (PYTHONPATH is set to it).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _digest(p: Path) -> str:
    h = hashlib.sha256()
    with p.open("rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def main() -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=200_000, help="sightings (default 200000)")
    ap.add_argument("workers", nargs="?", type=int, default=2, help="Dask workers (default 2)")
    args = ap.parse_args()
    n, workers = args.n, args.workers
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as d:
        src, local, remote = Path(d) / "in.jsonl", Path(d) / "local.jsonl", Path(d) / "dask.jsonl"
        with src.open("wb") as f:
            subprocess.run([sys.executable, str(HERE / "gen_sightings.py"), str(n)], stdout=f, check=True, env=env)
        runs = {}
        for name, out, extra in (("local", local, []), (f"dask local:{workers}", remote, ["--dask", f"local:{workers}"])):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "equipid", "score", str(src), "-o", str(out), *extra], check=True, env=env,
                           stderr=subprocess.DEVNULL)
            runs[name] = time.perf_counter() - t0
        same = local.read_bytes() == remote.read_bytes()
        print(f"{n} sightings, {local.stat().st_size / 1e6:.1f} MB of JSON Lines")
        for name, secs in runs.items():
            print(f"  {name:<16} {secs:7.1f} s  {n / secs:10,.0f} records/s")
        print(f"  sha256 local {_digest(local)[:16]}  dask {_digest(remote)[:16]}")
        print(f"byte-identical: {'yes' if same else 'NO'}")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
