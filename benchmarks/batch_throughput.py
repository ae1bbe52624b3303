"""Batch scoring speed and memory against the floor of just reading and writing.

    python benchmarks/batch_throughput.py [N ...]      (default: 100000 1000000)

For each N: generate N synthetic sightings (gen_sightings.py), then print
  * the wall time of `equipid score IN -o OUT --format jsonl` (all cores);
  * the floor: single-threaded orjson parse of every input line plus orjson
    encode of every output record (read back from OUT);
  * their ratio, records/s, the CPU seconds of the whole process tree, and
    its peak RSS (sampled every 20 ms from /proc).

Both the generator and `equipid score` run this checkout's code and catalog
(PYTHONPATH is set to it), not whatever equipid is installed.
"""

from __future__ import annotations

import itertools
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import orjson

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _tree_rss_kb(root: int) -> int:
    """Resident memory of ``root`` and all its descendants, in KiB.

    NOTE: walks /proc/PID/task/TID/children from the root instead of listing
    all of /proc, so the sampler itself costs next to nothing.
    """
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/status", "rb") as f:
                for line in f:
                    if line.startswith(b"VmRSS:"):
                        total += int(line.split()[1])
                        break
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/children", "rb") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_score(src: str, out: str, jobs: int | None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the process tree, peak RSS in KiB) of one run."""
    cmd = [sys.executable, "-m", "equipid", "score", src, "-o", out, "--format", "jsonl"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    peak = 0
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL, env=ENV)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.02)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    proc.wait()
    elapsed = time.perf_counter() - t0
    cpu = _children_cpu() - cpu0
    done.set()
    th.join()
    if proc.returncode != 0:
        raise SystemExit(f"equipid score exited {proc.returncode}")
    return elapsed, cpu, peak


def floor(src: str, out: str) -> tuple[float, float]:
    with open(src, "rb") as f:
        lines = f.read().splitlines()
    t0 = time.perf_counter()
    for ln in lines:
        orjson.loads(ln)
    parse = time.perf_counter() - t0
    del lines
    # NOTE: 1M result records as dicts would take ~22 GB; they are read back
    # and timed in batches, so only the encoding is measured, as before.
    encode = 0.0
    with open(out, "rb") as f:
        while batch := [orjson.loads(ln) for ln in itertools.islice(f, 10_000)]:
            t0 = time.perf_counter()
            for r in batch:
                orjson.dumps(r)
            encode += time.perf_counter() - t0
    return parse, encode


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=int, metavar="N", help="records per run (default: 100000 1000000)")
    sizes = ap.parse_args().sizes or [100_000, 1_000_000]
    jobs = int(os.environ.get("EQUIPID_BENCH_JOBS", "0")) or None
    print(f"cores: {len(os.sched_getaffinity(0))}; python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "equipid", "lookup", "--json", "AK-74M"], check=True, capture_output=True, env=ENV)
        for n in sizes:
            src = os.path.join(tmp, f"in-{n}.jsonl")
            out = os.path.join(tmp, f"out-{n}.jsonl")
            with open(src, "wb") as f:
                subprocess.run([sys.executable, str(HERE / "gen_sightings.py"), str(n)], stdout=f, check=True, env=ENV)
            size_mb = os.path.getsize(src) / 1e6
            wall, cpu, peak_kb = run_score(src, out, jobs)
            parse, encode = floor(src, out)
            fl = parse + encode
            print(f"N={n:>9,}  input {size_mb:7.1f} MB  output {os.path.getsize(out) / 1e6:8.1f} MB")
            print(f"  equipid score (all cores): {wall:8.2f} s   {n / wall:10,.0f} records/s   peak RSS {peak_kb / 1024:7.1f} MB")
            print(f"  CPU of the process tree: {cpu:8.2f} s   {cpu / n * 1e6:6.1f} µs/record")
            print(f"  floor (orjson parse {parse:.2f} s + encode {encode:.2f} s, one core): {fl:8.2f} s")
            print(f"  ratio score/floor: {wall / fl:5.2f}")
            os.unlink(src)
            os.unlink(out)


if __name__ == "__main__":
    main()
