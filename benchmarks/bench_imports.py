"""The first cell: import times of the kit's packages, and each notebook's first code cell in a fresh kernel.

Import times are taken in fresh interpreters, the median of several runs, and reported as a ratio to
``import pandas`` in the same run (pandas is what every lesson loads anyway). Targets (issue 20):
``import ethicskit.audit`` <= 0.8 s, and every other ``ethicskit.*`` import a lesson uses <= 0.8 s beyond
pandas' own import; each lesson's and graded notebook's first code cell <= 1.5 s in a fresh kernel.

    python benchmarks/bench_imports.py [--root CHECKOUT] [--repeat N]

``--root`` measures another checkout (for example an older commit in a git worktree) with this
interpreter, so before and after can be compared on one machine in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("ethicskit.audit", "ethicskit.data", "ethicskit.widgets", "ethicskit.decisions", "ethicskit.figures",
            "ethicskit.course")
IMPORT_TARGET = 0.8
FIRST_CELL_TARGET = 1.5


def import_seconds(module: str, env: dict, repeat: int) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                 check=True).stdout) for _ in range(repeat)]
    return statistics.median(runs)


def first_cell_seconds(path: Path, env: dict) -> float:
    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    nb.cells = [first]
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}},
                            shutdown_kernel="immediate")
    old = dict(os.environ)
    os.environ.update(env)
    try:
        with client.setup_kernel():
            start = time.perf_counter()
            client.execute_cell(nb.cells[0], 0)
            return time.perf_counter() - start
    finally:
        os.environ.clear()
        os.environ.update(old)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=REPO)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    root = args.root.resolve()
    env = {**os.environ, "PYTHONPATH": str(root / "src"), "ETHICSKIT_ROOT": str(root),
           "ETHICSKIT_DATASETS": str(root / "datasets")}
    label = "" if root == REPO else f" [{root.name}]"
    pandas = import_seconds("pandas", env, args.repeat)
    print(json.dumps({"name": "import pandas" + label, "seconds": round(pandas, 3)}))
    for module in PACKAGES:
        seconds = import_seconds(module, env, args.repeat)
        beyond = seconds - pandas if module != "ethicskit.audit" else seconds
        print(json.dumps({
            "name": f"import {module}{label}", "seconds": round(seconds, 3), "baseline_seconds": round(pandas, 3),
            "ratio": round(seconds / pandas, 3), "ratio_meaning": "kit import / import pandas (lower is faster)",
            "target": f"<= {IMPORT_TARGET} s" + ("" if module == "ethicskit.audit" else " beyond pandas"),
            "meets": beyond <= IMPORT_TARGET}))
    notebooks = sorted(root.glob("modules/*/lesson.ipynb")) + sorted(root.glob("exercises/*/*.ipynb"))
    for path in notebooks:
        seconds = first_cell_seconds(path, env)
        print(json.dumps({"name": f"first cell {path.relative_to(root)}{label}", "seconds": round(seconds, 3),
                          "target": f"<= {FIRST_CELL_TARGET} s", "meets": seconds <= FIRST_CELL_TARGET}))


if __name__ == "__main__":
    main()
