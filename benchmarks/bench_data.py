"""Generate and write 1M customers and their related tables: wall time and peak memory.

Run: ``.venv/bin/python benchmarks/bench_data.py [--rows 1000000]``

Each side runs in its own subprocess so its peak resident memory
(``ru_maxrss``) is its own:

- **kit**: ``ethicskit.data.write_all(tmp, rows=N)``: all seven tables, with the
  planted effects and consistency rules, written as reproducible CSVs
  (about 9.6M rows for N = 1M);
- **baseline**: what a user would otherwise write: plain pandas/numpy frames of
  the same shapes (same row counts and columns, independent random values, no
  relations or planted effects) written with ``DataFrame.to_csv``.

Prints one JSON line: name, rows, seconds, peak_mib, baseline_seconds,
baseline_peak_mib, ratio (kit seconds / baseline seconds; above 1 means the
kit is slower), target and meets (≤ 60 s and ≤ 4 GiB at 1M customers).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 60.0
TARGET_MIB = 4096.0


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def run_kit(rows: int, folder: Path) -> dict:
    from ethicskit.data import write_all

    start = time.perf_counter()
    paths = write_all(folder, rows=rows)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mib": _peak_mib(), "bytes": sum(p.stat().st_size for p in paths)}


def run_baseline(rows: int, folder: Path) -> dict:
    """Same-shaped frames, naively: random values per column, default ``to_csv``."""
    import numpy as np
    import pandas as pd

    from ethicskit.data import SPECS

    start = time.perf_counter()
    rng = np.random.default_rng(0)
    sizes = {"consent_ledger": int(rows * 2.57), "campaign_offers": rows * 3, "marketing_messages": 300,
             "monthly_monitoring": 120}
    total = 0
    for name, spec in SPECS.items():
        n = sizes.get(name, rows)
        columns = {}
        for col in spec:
            if col.kind == "cat":
                columns[col.name] = rng.choice(np.array(col.labels, dtype=object), n)
            elif col.kind == "str":
                columns[col.name] = np.char.add("C", np.arange(n).astype(str))
            elif col.kind == "bool":
                columns[col.name] = rng.random(n) < 0.5
            elif col.kind == "int":
                columns[col.name] = rng.integers(0, 100, n)
            elif col.kind == "float":
                columns[col.name] = rng.random(n).round(col.decimals)
            else:
                seconds = rng.integers(1_704_067_200, 1_798_675_200, n)
                columns[col.name] = pd.to_datetime(seconds, unit="s")
        path = folder / f"{name}.csv"
        pd.DataFrame(columns).to_csv(path, index=False)
        total += path.stat().st_size
    return {"seconds": time.perf_counter() - start, "peak_mib": _peak_mib(), "bytes": total}


def child(mode: str, rows: int) -> dict:
    cmd = [sys.executable, __file__, "--child", mode, "--rows", str(rows)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", choices=("kit", "baseline"))
    args = parser.parse_args(argv)
    if args.child:
        with tempfile.TemporaryDirectory() as folder:
            runner = run_kit if args.child == "kit" else run_baseline
            print(json.dumps(runner(args.rows, Path(folder))))
        return 0
    kit, base = child("kit", args.rows), child("baseline", args.rows)
    meets = kit["seconds"] <= TARGET_SECONDS and kit["peak_mib"] <= TARGET_MIB
    print(json.dumps({
        "name": "data_write_all", "rows": args.rows, "seconds": round(kit["seconds"], 2),
        "peak_mib": round(kit["peak_mib"], 1), "baseline_seconds": round(base["seconds"], 2),
        "baseline_peak_mib": round(base["peak_mib"], 1), "ratio": round(kit["seconds"] / base["seconds"], 2),
        "ratio_meaning": "kit seconds / baseline seconds (above 1: the kit is slower)",
        "csv_mib": round(kit["bytes"] / 2**20, 1),
        "target": f"<= {TARGET_SECONDS:.0f} s and <= {TARGET_MIB:.0f} MiB at 1M customers", "meets": meets,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
