"""Run every benchmark in this folder and print one table of figures and ratios.

Convention: each ``bench_*.py`` runs standalone and prints one JSON object per
line for each measurement, with at least ``name``, and usually ``seconds``,
``baseline_seconds``, ``ratio``, ``ratio_meaning`` (which way the ratio is
taken), ``target`` and ``meets``.
Results are also written to ``benchmarks/results/latest.jsonl``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent


def run(paths: list[Path]) -> list[dict]:
    rows = []
    for path in paths:
        proc = subprocess.run([sys.executable, str(path)], capture_output=True, text=True)
        found = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
        if proc.returncode != 0 or not found:
            found.append({"name": path.stem, "error": (proc.stderr.strip().splitlines() or ["no output"])[-1]})
        for row in found:
            row.setdefault("file", path.name)
        rows += found
    return rows


def main(argv: list[str]) -> int:
    paths = [HERE / a for a in argv] if argv else sorted(HERE.glob("bench_*.py"))
    rows = run(paths)
    table = Table(title="ethicskit benchmarks")
    for column in ("benchmark", "kit (s)", "baseline (s)", "ratio", "ratio is", "target", "meets"):
        table.add_column(column)
    for r in rows:
        fmt = lambda v: f"{v:.3g}" if isinstance(v, (int, float)) else str(v if v is not None else "")  # noqa: E731
        table.add_row(r["name"], fmt(r.get("seconds", r.get("value"))),
                      fmt(r.get("baseline_seconds", r.get("baseline"))), fmt(r.get("ratio")), r.get("ratio_meaning", ""),
                      str(r.get("target", "")), "error: " + r["error"] if "error" in r else str(r.get("meets", "")))
    Console().print(table)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return 1 if any("error" in r for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
