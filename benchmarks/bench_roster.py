"""Importing and listing a roster of 50,000 people, end to end through the ``ethicskit`` command.

Run: ``.venv/bin/python benchmarks/bench_roster.py [--people 50000] [--repeat 3]``

A scratch course (the repository's ``nbgrader_config.py`` and an empty
gradebook, as ``ethicskit prepare`` leaves it) is built in a temporary folder,
and a synthetic HR export of ``--people`` rows is written. Measured, best of
``--repeat``, each as a new process (interpreter start and imports included,
as a manager runs them), from the same starting state every time:

- ``roster_import``: ``ethicskit roster import`` into an empty store: every
  row checked (emails, duplicates, dates), learner ids and submission secrets
  made, the store written and the ids added to nbgrader's gradebook;
- ``roster_reimport``: the same file again (everyone unchanged);
- ``roster_list``: ``ethicskit roster list --all`` to a file.

Baseline: what a script would do with pandas, in a new process too:
``pandas.read_csv`` plus one bulk insert (``DataFrame.to_sql``) into SQLite
for the imports, and ``pandas.read_sql`` plus ``to_csv`` for the list; no
checks. Ratio: kit seconds / baseline seconds (how many times slower the kit
is). Target: each <= 5 s.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 5.0
COURSE_ENV = ("ETHICSKIT_COURSE_DATA", "ETHICSKIT_DB_URL", "ETHICSKIT_EXCHANGE", "ETHICSKIT_COURSE_ID",
              "ETHICSKIT_DATASETS")

BASELINE_IMPORT = """
import sqlite3, sys
import pandas as pd
frame = pd.read_csv(sys.argv[1], dtype=str)
with sqlite3.connect(sys.argv[2]) as db:
    frame.to_sql("learners", db, if_exists="append", index=False)
"""
BASELINE_LIST = """
import sqlite3, sys
import pandas as pd
with sqlite3.connect(sys.argv[1]) as db:
    frame = pd.read_sql("SELECT * FROM learners ORDER BY team, name", db)
frame.to_csv(sys.argv[2], sep="\\t", index=False)
"""


def write_roster(path: Path, people: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["employee_id", "name", "email", "team", "manager", "cohort", "due"])
        for i in range(people):
            domain = "bücher.example" if i % 50 == 0 else "corp.example"  # some internationalised domains
            writer.writerow([f"E{i:06d}", f"Person {i}", f"person.{i}@{domain}", f"Team {i % 40}",
                             f"Manager {i % 400}", f"2026-Q{i % 4 + 1}", "2026-06-30" if i % 3 == 0 else ""])


def timed(argv: list[str], env: dict, *, before=None, repeat: int) -> float:
    """The fastest of ``repeat`` runs of ``argv`` (``before()`` resets the state first, untimed)."""
    times = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        proc = subprocess.run(argv, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed:\n{proc.stdout}\n{proc.stderr}")
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="ek-bench-roster-"))
    try:
        course = folder / "course"
        course.mkdir()
        shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
        env = {k: v for k, v in os.environ.items() if k not in COURSE_ENV}
        env["ETHICSKIT_ROOT"] = str(course)
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        data = course / "course-data"
        empty = folder / "empty-course-data"
        sys.path.insert(0, str(REPO / "src"))
        os.environ["PATH"] = env["PATH"]
        from nbgrader.api import Gradebook

        empty.mkdir()
        Gradebook(f"sqlite:///{empty / 'gradebook.db'}", "ethicskit").close()  # as `ethicskit prepare` leaves it
        roster = folder / "hr.csv"
        write_roster(roster, args.people)

        def fresh_course() -> None:
            shutil.rmtree(data, ignore_errors=True)
            shutil.copytree(empty, data)

        plain = folder / "plain.db"

        def fresh_plain() -> None:
            plain.unlink(missing_ok=True)

        kit = [sys.executable, "-m", "ethicskit"]
        import_s = timed([*kit, "roster", "import", str(roster)], env, before=fresh_course, repeat=args.repeat)
        reimport_s = timed([*kit, "roster", "import", str(roster)], env, repeat=args.repeat)
        listed = folder / "list.txt"
        list_cmd = ["sh", "-c", f'"$0" -m ethicskit roster list --all > "{listed}"', sys.executable]
        list_s = timed(list_cmd, env, repeat=args.repeat)
        lines = listed.read_text(encoding="utf-8").count("\n")
        assert lines == args.people + 1, f"roster list printed {lines} lines for {args.people} people"

        base_import = timed([sys.executable, "-c", BASELINE_IMPORT, str(roster), str(plain)], env,
                            before=fresh_plain, repeat=args.repeat)
        base_list = timed([sys.executable, "-c", BASELINE_LIST, str(plain), str(folder / "plain.tsv")], env,
                          repeat=args.repeat)
        rows = (("roster_import", import_s, base_import), ("roster_reimport", reimport_s, base_import),
                ("roster_list", list_s, base_list))
        for name, seconds, baseline in rows:
            print(json.dumps({
                "name": f"{name}_{args.people // 1000}k", "people": args.people, "seconds": round(seconds, 3),
                "baseline": "pandas.read_csv + one bulk insert (to_sql)" if "import" in name else
                            "pandas.read_sql + to_csv",
                "baseline_seconds": round(baseline, 3), "ratio": round(seconds / baseline, 2),
                "ratio_meaning": "kit / baseline (times slower)",
                "target": f"<= {TARGET_SECONDS} s", "meets": seconds <= TARGET_SECONDS}))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
