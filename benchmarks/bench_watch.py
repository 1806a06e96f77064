"""``ethicskit grade --watch`` against the same grading run by hand, after a wave of hub submissions.

Run: ``.venv/bin/python benchmarks/bench_watch.py [--learners 100] [--window 60] [--interval 5]``

A scratch course releases module 00 to ``--learners`` simulated learners (complete, partial and
blank notebooks from ``demo/simulate.py``). Each submits with nbgrader's own ``ExchangeSubmit``
(what the Assignments tab's *Submit* does on a hub), spread evenly over ``--window`` seconds.

- the kit: ``ethicskit grade --watch`` runs while they submit; the figure is the time from the last
  submission until every learner's feedback is released to the exchange;
- the baseline: the same submissions in a twin course, then by hand, once, after the last one:
  ``ethicskit collect``, ``ethicskit grade`` and ``ethicskit feedback``, each a command line.

JSON line: both times, their ratio (watch / by hand: lower is better) and the target, feedback
within 180 s of the last submission.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MODULE = "00-orientation"
KINDS = ("complete", "complete", "partial", "complete", "blank")
TARGET = 180.0


def _env(root: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ETHICSKIT_")}
    bindir = os.path.dirname(sys.executable)
    return {**env, "ETHICSKIT_ROOT": str(root), "ETHICSKIT_DATASETS": str(REPO / "datasets"),
            "PATH": bindir + os.pathsep + env.get("PATH", "")}


def build_course(folder: Path, learners: int) -> tuple[Path, list[str]]:
    """A course with module 00 released to ``learners`` people; nothing submitted yet."""
    from ethicskit.course import import_roster, list_roster, release
    from ethicskit.course.demo.run import demo_environment, scratch_project

    root = scratch_project(folder / "course", [MODULE], REPO)
    with demo_environment(root, REPO / "datasets"):
        rows = "".join(f"E{i},P {i},p{i}@example.com,T{i % 4},M,A\n" for i in range(learners))
        (folder / "hr.csv").write_text("employee_id,name,email,team,manager,cohort\n" + rows)
        import_roster(folder / "hr.csv")
        release(["00"])
        ids = [p["learner_id"] for p in list_roster()]
    return root, ids


def submit(root: Path, folder: Path, learner_id: str, notebooks: dict) -> None:
    """A hub learner's *Submit*: nbgrader's ExchangeSubmit from their home, with their own cache."""
    import nbformat
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeSubmit

    from ethicskit.course.nbgrader import load_config

    config = copy.deepcopy(load_config(root))
    config.Exchange.cache = str(folder / "cache" / learner_id)
    home = folder / "home" / learner_id
    (home / MODULE).mkdir(parents=True, exist_ok=True)
    for name, nb in notebooks.items():
        nbformat.write(nb, home / MODULE / name)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id, coursedir.student_id = MODULE, learner_id
    app = ExchangeSubmit(coursedir=coursedir, authenticator=Authenticator(config=config), config=config)
    app.assignment_dir = str(home)
    app.log.setLevel("WARNING")
    app.start()


def all_released(root: Path, ids: list[str]) -> bool:
    from ethicskit.course.delivery.feedback import feedback_needed
    from ethicskit.course.nbgrader import load_config

    config = load_config(root)
    autograded = Path(config.CourseDirectory.autograded_directory)
    return all((autograded / lid / MODULE).is_dir() and not feedback_needed(config, lid, MODULE) for lid in ids)


def run_cli(root: Path, *args: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "ethicskit", *args], cwd=root, env=_env(root),
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"ethicskit {' '.join(args)} failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--window", type=float, default=60.0, help="seconds over which they submit")
    parser.add_argument("--interval", type=float, default=5.0, help="the watch's --interval")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    from ethicskit.course import Module
    from ethicskit.course.demo.simulate import simulated_notebooks

    folder = Path(tempfile.mkdtemp(prefix="ek-bench-watch-"))
    try:
        root, ids = build_course(folder / "watch", args.learners)
        twin_folder = folder / "hand"
        shutil.copytree(folder / "watch", twin_folder)
        twin = twin_folder / "course"
        made = {k: simulated_notebooks(Module(MODULE, root), k) for k in set(KINDS)}
        work = {lid: made[KINDS[i % len(KINDS)]] for i, lid in enumerate(ids)}
        workers = ["--workers", str(args.workers)] if args.workers else []

        # The kit: the watch runs while learners submit over the window.
        log = (folder / "watch.log").open("w")
        service = subprocess.Popen([sys.executable, "-m", "ethicskit", "grade", "--watch", "--interval",
                                    str(args.interval), *workers], cwd=root, env=_env(root), stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        time.sleep(15)  # the service is up (nbgrader imported) before the first learner submits
        start = time.monotonic()
        for i, lid in enumerate(ids):
            time.sleep(max(0.0, start + i * args.window / max(1, len(ids) - 1) - time.monotonic()))
            submit(root, folder / "watch", lid, work[lid])
        last = time.monotonic()
        while not all_released(root, ids):
            if service.poll() is not None:
                raise SystemExit(f"the watch ended: {(folder / 'watch.log').read_text()[-3000:]}")
            time.sleep(0.5)
        watch_seconds = time.monotonic() - last
        service.send_signal(signal.SIGTERM)
        service.wait(timeout=300)

        # The baseline: the same submissions, then collect, grade and feedback by hand, once.
        for lid in ids:
            submit(twin, twin_folder, lid, work[lid])
        start = time.monotonic()
        for step in (["collect"], ["grade", *workers], ["feedback"]):
            run_cli(twin, *step)
        hand_seconds = time.monotonic() - start
        if not all_released(twin, ids):
            raise SystemExit("the grading by hand did not release every learner's feedback")
        ratio = watch_seconds / hand_seconds
        print(json.dumps({
            "name": f"grade --watch: feedback after the last of {args.learners} submissions in {args.window:g} s",
            "seconds": round(watch_seconds, 1), "baseline_seconds": round(hand_seconds, 1),
            "ratio": round(ratio, 3), "ratio_meaning": "watch / collect+grade+feedback by hand after the last "
            "submission (lower is better)", "target": f"<= {TARGET:g} s after the last submission",
            "meets": watch_seconds <= TARGET, "learners": args.learners, "window": args.window,
            "interval": args.interval, "cores": os.cpu_count()}))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
