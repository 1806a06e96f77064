"""``ethicskit grade`` (parallel) against serial ``nbgrader autograde`` on the same submissions.

Run: ``.venv/bin/python benchmarks/bench_grade.py [--submissions 100] [--workers N]``

A scratch course gets ``--submissions`` simulated learners' zips of module 00
(complete, partial, blank and tampered), collected once and then copied, so
both graders see the same submitted/ folder and the same gradebook. Both run
as command lines (each pays its own nbgrader import):

- the kit: ``ethicskit grade 00 --workers N``;
- the baseline: ``nbgrader autograde 00-orientation`` (nbgrader's serial loop).

Then it checks the grades are identical, grade by grade, and measures the
floor of one notebook: a kernel start plus the notebook's own execution
(nbclient, as nbgrader uses it). JSON lines: the speed-up (target >= 1.8 on
2 cores) and the per-notebook costs against that floor.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MODULE = "00-orientation"
KINDS = ("complete", "partial", "blank", "tampered", "complete")
TARGET = 1.8


def _env(root: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ETHICSKIT_")}
    bindir = os.path.dirname(sys.executable)
    return {**env, "ETHICSKIT_ROOT": str(root), "ETHICSKIT_DATASETS": str(REPO / "datasets"),
            "PATH": bindir + os.pathsep + env.get("PATH", "")}


def build_course(folder: Path, submissions: int) -> Path:
    """A collected, ungraded course of ``submissions`` learners (runs in a child with its own env)."""
    from ethicskit.course import Module, collect, import_roster, list_roster, release
    from ethicskit.course.demo.run import demo_environment, scratch_project
    from ethicskit.course.demo.simulate import simulated_notebooks, write_zip

    root = scratch_project(folder / "course", [MODULE], REPO)
    with demo_environment(root, REPO / "datasets"):
        rows = "".join(f"E{i},P {i},p{i}@example.com,T{i % 4},M,A\n" for i in range(submissions))
        (folder / "hr.csv").write_text("employee_id,name,email,team,manager,cohort\n" + rows)
        import_roster(folder / "hr.csv")
        release(["00"])
        when = datetime.now(timezone.utc) + timedelta(minutes=1)
        made = {k: simulated_notebooks(Module(MODULE, root), k) for k in set(KINDS)}
        for i, person in enumerate(list_roster()):
            write_zip(folder / "inbox", person["learner_id"], MODULE, made[KINDS[i % len(KINDS)]], when)
        assert len(collect(folder / "inbox").ingested) == submissions
    return root


def timed(argv: list[str], root: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=root, env=_env(root), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:4])} failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return seconds


def grades(root: Path) -> dict:
    db = sqlite3.connect(root / "course-data" / "gradebook.db")
    rows = db.execute("""SELECT sa.student_id, bc.name, g.auto_score, g.needs_manual_grade FROM grade g
        JOIN submitted_notebook sn ON g.notebook_id = sn.id JOIN submitted_assignment sa ON sn.assignment_id = sa.id
        JOIN base_cell bc ON g.cell_id = bc.id""").fetchall()
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}


def floor_seconds(root: Path, repeat: int = 5) -> float:
    """Kernel start plus execution of one complete submission, with nbclient (best of ``repeat``)."""
    import nbformat
    from nbclient import NotebookClient

    [path] = sorted((root / "course-data" / "submitted").glob(f"*/{MODULE}/*.ipynb"))[:1]
    os.environ.update(_env(root))
    best = float("inf")
    for _ in range(repeat):
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=30, kernel_name="python3", shutdown_kernel="immediate",
                                allow_errors=True, resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        client.execute()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument("--workers", type=int, default=None, help="default: ethicskit grade's default")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ek-bench-grade-"))
    try:
        root = build_course(folder, args.submissions)
        twin = folder / "twin"
        shutil.copytree(root, twin)
        workers = ["--workers", str(args.workers)] if args.workers else []
        kit = timed([sys.executable, "-m", "ethicskit", "grade", "00", *workers], root)
        serial = timed([sys.executable, "-m", "nbgrader", "autograde", MODULE], twin)
        same = grades(root) == grades(twin) and len(grades(root)) == 5 * args.submissions
        floor = floor_seconds(root)
        n = args.submissions
        ratio = serial / kit
        print(json.dumps({"name": "grade_parallel_vs_serial_nbgrader", "submissions": n, "cores": os.cpu_count(),
                          "workers": args.workers or "default", "seconds": round(kit, 2),
                          "baseline": "nbgrader autograde (serial)", "baseline_seconds": round(serial, 2),
                          "ratio": round(ratio, 2), "identical_scores": same, "target": f">= {TARGET}",
                          "meets": bool(ratio >= TARGET and same)}))
        print(json.dumps({"name": "grade_per_notebook_vs_floor", "measure": "seconds per notebook",
                          "seconds": round(kit / n, 3), "serial_nbgrader_seconds": round(serial / n, 3),
                          "baseline": "floor: kernel start + execution (nbclient)",
                          "baseline_seconds": round(floor, 3), "ratio": round((kit / n) / floor, 2),
                          "ratio_meaning": "kit's wall time per notebook / floor (below 1: parallelism beats it)",
                          "serial_ratio_to_floor": round((serial / n) / floor, 2),
                          "target": "report", "meets": True}))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
