"""JupyterHub at scale: memory per learner server, and a cohort's submissions through the exchange.

Two measurements, in one run, on this machine:

1. **Per learner.** A real hub (deploy/jupyterhub/jupyterhub_config.py, as in tests/test_hub.py)
   starts learners' servers; the time to start one, its memory idle, and its memory with a
   kernel that has run every code cell of lesson 00 (the kit, pandas, seaborn, widgets, the
   practice data) are measured from /proc (RSS, and PSS, which shares libraries fairly).
2. **Per cohort.** For N = 20, 50 and 100 simulated learners, each learner's completed module
   00 is submitted through nbgrader's exchange, all N at once (one thread per learner, as N
   servers would), then ``ethicskit collect`` and ``ethicskit grade --workers 2`` run against a
   PostgreSQL gradebook. Reported: submit, collect and grade times, grading throughput and
   the gradebook's size (``pg_database_size``).

deploy/README.md turns these into projected sizing for 1,000 and 10,000 learners.
Run: ``python benchmarks/bench_hub.py [N ...]`` (needs PostgreSQL: see tests/hub/harness.py).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from hub.harness import (
    Hub,
    Person,
    children_of,
    database_bytes,
    execute_in_kernel,
    make_course,
    memory_of,
    postgres_database,
    postgres_server,
)

MODULE = "00-orientation"
COHORTS = (20, 50, 100)
MEMORY_LEARNERS = 3


def emit(row: dict) -> None:
    print(json.dumps(row), flush=True)


def _roster(path: Path, n: int) -> Path:
    path.write_text("employee_id,name,email,team,manager,cohort\n" + "".join(
        f"E{i:05d},Learner {i},learner{i}@example.org,Team {i % 7},Manager {i % 5},A\n" for i in range(n)))
    return path


def per_learner(server_url: str) -> None:
    """Start learners' servers on a real hub; measure start time and memory."""
    import nbformat

    with tempfile.TemporaryDirectory(prefix="ek-bench-hub-") as tmp, postgres_database(server_url) as db:
        folder = Path(tmp)
        hub = Hub(folder, make_course(folder / "course", MODULE), db)
        try:
            hub.start()
            hub.ethicskit("roster", "import", str(_roster(folder / "hr.csv", MEMORY_LEARNERS)))
            hub.ethicskit("release", MODULE)
            hub.ethicskit("hub", "roster-sync", "--hub-url", hub.api_url, "--login-map", str(hub.login_map),
                          extra_env={"JUPYTERHUB_API_TOKEN": hub.sync_token})
            people, spawn = [], []
            for i in range(MEMORY_LEARNERS):
                person = Person(hub, f"learner{i}@example.org").log_in()
                start = time.perf_counter()
                person.start_server()
                spawn.append(time.perf_counter() - start)
                people.append(person)
            time.sleep(2)
            idle = [memory_of(hub.server_pid(p.name)) for p in people]
            lesson = nbformat.read(REPO / "modules" / MODULE / "lesson.ipynb", as_version=4)
            cells = [c.source for c in lesson.cells if c.cell_type == "code" and c.source.strip()]
            busy = people[0]
            start = time.perf_counter()
            execute_in_kernel(busy, f"/user/{busy.name}", cells)
            lesson_seconds = time.perf_counter() - start
            server_pid = hub.server_pid(busy.name)
            kernels = [memory_of(pid) for pid in children_of(server_pid)]
            server = memory_of(server_pid)
        finally:
            hub.close()
    idle_rss = statistics.mean(m["rss_mib"] for m in idle)
    idle_pss = statistics.mean(m["pss_mib"] for m in idle)
    kernel_rss = sum(m["rss_mib"] for m in kernels)
    kernel_pss = sum(m["pss_mib"] for m in kernels)
    emit({"name": "hub: start a learner's server", "seconds": round(statistics.mean(spawn), 2),
          "max_seconds": round(max(spawn), 2), "servers": MEMORY_LEARNERS})
    emit({"name": "hub: memory of an idle learner server (MiB)", "value": round(idle_rss, 1),
          "rss_mib": round(idle_rss, 1), "pss_mib": round(idle_pss, 1)})
    emit({"name": "hub: memory of a learner working through lesson 00 (MiB)",
          "value": round(server["rss_mib"] + kernel_rss, 1),
          "server_rss_mib": round(server["rss_mib"], 1), "kernel_rss_mib": round(kernel_rss, 1),
          "server_pss_mib": round(server["pss_mib"], 1), "kernel_pss_mib": round(kernel_pss, 1),
          "lesson_seconds": round(lesson_seconds, 1)})


def _submit_all(course: Path, exchange: Path, homes: Path, learners: list[str]) -> float:
    """Every learner submits at once through nbgrader's exchange; returns the wall time."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeSubmit
    from traitlets.config import Config

    def submit(learner: str) -> None:
        config = Config()
        config.CourseDirectory.course_id = "ethicskit"
        config.CourseDirectory.assignment_id = MODULE
        config.CourseDirectory.student_id = learner
        config.Exchange.root = str(exchange)
        config.Exchange.assignment_dir = str(homes / learner)
        config.Exchange.cache = str(homes / learner / ".nbgrader-cache")  # each learner's own, as in their home
        ExchangeSubmit(coursedir=CourseDirectory(config=config), authenticator=Authenticator(config=config),
                       config=config).start()

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(learners)) as pool:
        list(pool.map(submit, learners))
    return time.perf_counter() - start


def per_cohort(server_url: str, n: int) -> None:
    import nbformat

    from ethicskit.course import Module, collect_exchange, grade, import_roster, list_roster, release
    from ethicskit.course.demo.simulate import simulated_notebooks

    with tempfile.TemporaryDirectory(prefix=f"ek-bench-cohort-{n}-") as tmp, postgres_database(server_url) as db:
        folder = Path(tmp)
        course = make_course(folder / "course", MODULE)
        os.environ.update({"ETHICSKIT_ROOT": str(course), "ETHICSKIT_DB_URL": db,
                           "ETHICSKIT_EXCHANGE": str(folder / "exchange"),
                           "ETHICSKIT_DATASETS": str(REPO / "datasets")})
        (folder / "exchange").mkdir()
        import_roster(_roster(folder / "hr.csv", n))
        release([MODULE])
        learners = [p["learner_id"] for p in list_roster()]
        notebooks = simulated_notebooks(Module(MODULE, course), "complete")
        for learner in learners:
            home = folder / "homes" / learner / MODULE
            home.mkdir(parents=True)
            for name, nb in notebooks.items():
                nbformat.write(nb, home / name)
        submit_seconds = _submit_all(course, folder / "exchange", folder / "homes", learners)
        start = time.perf_counter()
        collected = collect_exchange()
        collect_seconds = time.perf_counter() - start
        assert all(r.success for r in collected), [r.summary for r in collected]
        run = grade(workers=2)
        assert len(run.graded) == n and not run.failed, [o.error for o in run.failed][:3]
        size = database_bytes(db)
        files = {name: _bytes(path) for name, path in (("exchange", folder / "exchange"),
                                                       ("course_data", course / "course-data"))}
    emit({"name": f"hub: {n} learners submit, collect and grade", "seconds": round(collect_seconds + run.seconds, 1),
          "learners": n, "submit_seconds": round(submit_seconds, 2), "collect_seconds": round(collect_seconds, 2),
          "grade_seconds": round(run.seconds, 1), "grade_seconds_per_submission": round(run.seconds / n, 3),
          "gradebook_bytes": size, "gradebook_mib": round(size / 2**20, 2), "workers": 2,
          "exchange_bytes": files["exchange"], "course_data_bytes": files["course_data"]})


def _bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str]) -> None:
    cohorts = [int(a) for a in argv] or list(COHORTS)
    with postgres_server() as server_url:
        per_learner(server_url)
        for n in cohorts:
            per_cohort(server_url, n)


if __name__ == "__main__":
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    main(sys.argv[1:])
