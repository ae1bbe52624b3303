"""Batch scoring speed and memory against the floor of just reading and writing.

    python benchmarks/batch_throughput.py [N ...]      (default: 100000 1000000)

For each N: generate N synthetic sightings (gen_sightings.py), then print
  * the wall time of `equipid score IN -o OUT --format jsonl` (all cores);
  * the floor: single-threaded orjson parse of every input line plus orjson
    encode of every output record (read back from OUT);
  * their ratio, records/s, and the peak RSS of the whole process tree
    (sampled every 20 ms from /proc).
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import orjson

HERE = Path(__file__).resolve().parent


def _tree_rss_kb(root: int) -> int:
    """Resident memory of ``root`` and all its descendants, in KiB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{d}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss[int(d)] = int(line.split()[1])
                        break
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(d))
    total, stack = 0, [root]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def run_score(src: str, out: str, jobs: int | None) -> tuple[float, int]:
    cmd = [sys.executable, "-m", "equipid", "score", src, "-o", out, "--format", "jsonl"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    peak = 0
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
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
    done.set()
    th.join()
    if proc.returncode != 0:
        raise SystemExit(f"equipid score exited {proc.returncode}")
    return elapsed, peak


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
    sizes = [int(a) for a in sys.argv[1:]] or [100_000, 1_000_000]
    jobs = int(os.environ.get("EQUIPID_BENCH_JOBS", "0")) or None
    print(f"cores: {len(os.sched_getaffinity(0))}; python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "equipid", "lookup", "--json", "AK-74M"], check=True, capture_output=True)
        for n in sizes:
            src = os.path.join(tmp, f"in-{n}.jsonl")
            out = os.path.join(tmp, f"out-{n}.jsonl")
            with open(src, "wb") as f:
                subprocess.run([sys.executable, str(HERE / "gen_sightings.py"), str(n)], stdout=f, check=True)
            size_mb = os.path.getsize(src) / 1e6
            wall, peak_kb = run_score(src, out, jobs)
            parse, encode = floor(src, out)
            fl = parse + encode
            print(f"N={n:>9,}  input {size_mb:7.1f} MB  output {os.path.getsize(out) / 1e6:8.1f} MB")
            print(f"  equipid score (all cores): {wall:8.2f} s   {n / wall:10,.0f} records/s   peak RSS {peak_kb / 1024:7.1f} MB")
            print(f"  floor (orjson parse {parse:.2f} s + encode {encode:.2f} s, one core): {fl:8.2f} s")
            print(f"  ratio score/floor: {wall / fl:5.2f}")
            os.unlink(src)
            os.unlink(out)


if __name__ == "__main__":
    main()
