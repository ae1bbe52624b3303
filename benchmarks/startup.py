"""Start-up time of a one-off lookup, against the bare interpreter.

    python benchmarks/startup.py [--runs 20] [--items 10000]

Prints the median wall time of `equipid lookup AK-74M` over N runs with the
compiled-catalog cache cold (emptied before every run) and warm, beside
`python -c pass`; then the same with a synthetic catalog of --items
equipment records layered on the bundled one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def median_ms(cmd: list[str], runs: int, env: dict[str, str], before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def synthetic_layer(path: Path, n: int) -> None:
    lines = ["equipment:"]
    for i in range(n):
        lines += [
            f"  - id: synthetic-item-{i}",
            f"    name: Synthetic item {i}",
            "    category: other",
            f"    aliases: [SYN-{i}, Synth {i}a, Синт-{i}]",
            "    recognition: A generated record to measure start-up with a large catalog.",
            "    sources: [https://example.org/synthetic]",
        ]
    path.write_text("\n".join(lines) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--items", type=int, default=10000)
    args = ap.parse_args()
    exe = shutil.which("equipid")
    cmd = [exe] if exe else [sys.executable, "-m", "equipid"]
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        env = {**os.environ, "EQUIPID_CACHE_DIR": str(cache)}
        env.pop("EQUIPID_CATALOG", None)

        def clear() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        bare = median_ms([sys.executable, "-c", "pass"], args.runs, env)
        print(f"python -c pass                         {bare:7.1f} ms")
        for label, extra in (("bundled catalog", []), (f"bundled + {args.items:,} synthetic items", ["--extend", tmp + "/layer"])):
            if extra:
                (Path(tmp) / "layer").mkdir()
                synthetic_layer(Path(tmp) / "layer" / "synthetic.yaml", args.items)
            full = [*cmd, "lookup", *extra, "AK-74M"]
            cold = median_ms(full, max(3, args.runs // 4), env, before=clear)
            warm = median_ms(full, args.runs, env)
            print(f"equipid lookup AK-74M, {label}:")
            print(f"  cache cold                           {cold:7.1f} ms  ({cold / bare:5.1f}x bare)")
            print(f"  cache warm                           {warm:7.1f} ms  ({warm / bare:5.1f}x bare)")


if __name__ == "__main__":
    main()
