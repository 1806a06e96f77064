"""``ethicskit grade``: autograde submissions in parallel processes through nbgrader.

One task is one learner's submission of one module, graded by
``NbGraderAPI.autograde`` in a worker process (nbgrader chdirs, so threads
would not do). Safety, in order of the traps:

- each worker grades into its own staging folder; only a successful result
  replaces ``autograded/LEARNER/MODULE`` (one rename), so a failure never
  deletes the previous graded output, as ``--force`` alone would;
- SQLite gets a 60 s busy timeout, and a "database is locked" failure is
  retried;
- grades are nbgrader's own rows, updated in place, so re-grading never
  double-counts; a submission whose digest was graded already is skipped,
  so a killed run, re-run, finishes only what is left;
- a per-cell timeout stops a runaway cell with a clear message (the item
  scores 0, the rest of the notebook is graded);
- tampered or deleted locked cells are restored by nbgrader
  (``OverwriteCells.add_missing_cells``) and recorded here for the report.

Workers are forked (nbgrader is imported once, in the parent). As SQLite
requires, the parent holds no connection to the gradebook while it forks;
a caller that embeds :func:`grade` must not hold one either.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import os
import shutil
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ethicskit.course._collect import register_submitted, submission_digest
from ethicskit.course._modules import resolve_modules
from ethicskit.course._nbgrader import load_config, open_api, run_step
from ethicskit.course._release import current_release, releases
from ethicskit.course._store import course_data_dir, open_store, utc_now
from ethicskit.course._tamper import submission_findings

DEFAULT_TIMEOUT = 30
LOCKED_RETRIES = 4
TIMEOUT_ENAME = "CellTimeoutError"
TIMEOUT_MESSAGE = ("this cell was stopped after {timeout} s, the grading limit per cell; the questions that "
                   "use its result score 0. Look for a loop that never ends.")


@dataclass(frozen=True)
class GradeTask:
    learner_id: str
    module: str
    digest: str
    checksums: dict


@dataclass
class GradeOutcome:
    learner_id: str
    module: str
    success: bool
    seconds: float = 0.0
    error: str = ""
    tampered: list[str] = field(default_factory=list)
    timed_out: list[str] = field(default_factory=list)
    digest: str = ""


@dataclass
class GradeRun:
    graded: list[GradeOutcome] = field(default_factory=list)
    up_to_date: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> list[GradeOutcome]:
        return [o for o in self.graded if not o.success]


def with_busy_timeout(db_url: str, seconds: int = 60) -> str:
    """A SQLite URL with a busy timeout, so short write locks are waited for, not failed on.

    >>> with_busy_timeout("sqlite:////tmp/gradebook.db")
    'sqlite:////tmp/gradebook.db?timeout=60'
    >>> with_busy_timeout("postgresql://u@h/db")
    'postgresql://u@h/db'
    """
    if not db_url.startswith("sqlite:") or "timeout=" in db_url:
        return db_url
    return db_url + ("&" if "?" in db_url else "?") + f"timeout={seconds}"


def grading_config(config, *, timeout: int | None = None):
    """The course config with the grading guards applied (timeout, tamper restore, busy timeout)."""
    config = copy.deepcopy(config)
    timeout = timeout or config.Execute.get("timeout", DEFAULT_TIMEOUT) or DEFAULT_TIMEOUT
    config.Execute.timeout = int(timeout)
    config.Execute.interrupt_on_timeout = True
    config.Execute.error_on_timeout = {
        "ename": TIMEOUT_ENAME, "evalue": TIMEOUT_MESSAGE.format(timeout=timeout),
        "traceback": [f"{TIMEOUT_ENAME}: " + TIMEOUT_MESSAGE.format(timeout=timeout)],
    }
    config.Execute.shutdown_kernel = "immediate"
    config.OverwriteCells.add_missing_cells = True
    config.CourseDirectory.db_url = with_busy_timeout(config.CourseDirectory.db_url)
    return config


def timed_out_cells(folder: Path) -> list[str]:
    """Cells of graded notebooks that hit the per-cell timeout, by notebook and grade_id or index."""
    found = []
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            if any(o.get("ename") == TIMEOUT_ENAME for o in cell.get("outputs", [])):
                name = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {i}"
                found.append(f"{path.name}: {name}")
    return found


def plan(config, names: list[str] | None = None, *, root: Path | None = None,
         force: bool = False) -> tuple[list[GradeTask], int]:
    """Submissions to grade, and how many are already graded and unchanged."""
    slugs = {m.slug for m in resolve_modules(names, root)}
    all_releases = releases(config)
    submitted = Path(config.CourseDirectory.submitted_directory)
    autograded = Path(config.CourseDirectory.autograded_directory)
    with open_store(config, readonly=True) as db:
        graded = {(r["learner_id"], r["module"]): r["digest"] for r in db.execute("SELECT * FROM gradings")}
        cohorts = {r["learner_id"]: r["cohort"] for r in db.execute("SELECT learner_id, cohort FROM learners")}
    tasks, up_to_date = [], 0
    for folder in sorted(submitted.glob("*/*")) if submitted.is_dir() else []:
        learner_id, module = folder.parent.name, folder.name
        if module not in slugs or not folder.is_dir() or module.startswith("."):
            continue
        record = current_release(all_releases, module, cohorts.get(learner_id, ""))
        if record is None:
            continue
        digest = submission_digest(folder)
        done = graded.get((learner_id, module)) == digest and (autograded / learner_id / module).is_dir()
        if done and not force:
            up_to_date += 1
        else:
            tasks.append(GradeTask(learner_id, module, digest, record.checksums))
    return tasks, up_to_date


def default_workers() -> int:
    """One process per core, plus one: a grader waits on its kernel for about 60% of each notebook
    (measured with cProfile), so one extra process keeps the cores busy."""
    return (os.cpu_count() or 1) + 1


_WORKER: dict = {}


def _worker_api(config):
    """One NbGraderAPI per worker process, grading into that process's staging folder."""
    pid = os.getpid()
    if _WORKER.get("pid") != pid:
        staging = course_data_dir(config) / ".grading" / str(pid)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        staged = copy.deepcopy(config)
        staged.CourseDirectory.autograded_directory = str(staging)
        _WORKER.update(pid=pid, staging=staging, api=open_api(staged))
    return _WORKER["api"], _WORKER["staging"]


def grade_one(task: GradeTask, config) -> GradeOutcome:
    """Autograde one submission into staging, then move it into place (runs in a worker)."""
    start = time.perf_counter()
    outcome = GradeOutcome(task.learner_id, task.module, False, digest=task.digest)
    submitted = Path(config.CourseDirectory.submitted_directory) / task.learner_id / task.module
    outcome.tampered = submission_findings(submitted, task.checksums)
    warnings.filterwarnings("ignore", module="nbgrader")  # nbgrader's own SQLAlchemy session warnings
    warnings.filterwarnings("ignore", message="Cell is missing an id field")
    api, staging = _worker_api(config)
    for attempt in range(LOCKED_RETRIES):
        result = run_step(api, "autograde", task.module, task.learner_id)
        if result.success or "database is locked" not in result.error + result.log:
            break
        time.sleep(1 + attempt)
    staged = staging / task.learner_id / task.module
    if not result.success:
        shutil.rmtree(staged, ignore_errors=True)
        outcome.error = result.summary or "autograde failed"
    else:
        outcome.timed_out = timed_out_cells(staged)
        _move_into_place(staged, Path(config.CourseDirectory.autograded_directory) / task.learner_id / task.module)
        outcome.success = True
    outcome.seconds = round(time.perf_counter() - start, 2)
    return outcome


def _move_into_place(staged: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    old = dest.with_name(f".{dest.name}-old-{os.getpid()}")
    if dest.exists():
        os.replace(dest, old)
    os.replace(staged, dest)
    shutil.rmtree(old, ignore_errors=True)


def _record(config, outcome: GradeOutcome) -> None:
    with open_store(config) as db:
        db.execute("INSERT OR REPLACE INTO gradings VALUES (?, ?, ?, ?, ?, ?)",
                   (outcome.learner_id, outcome.module, outcome.digest, utc_now(),
                    "; ".join(outcome.tampered), "; ".join(outcome.timed_out)))


@contextlib.contextmanager
def _grading_lock(config):
    folder = course_data_dir(config)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".grading.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise ValueError(f"another `ethicskit grade` is running on {folder}; wait for it to finish") from exc
        shutil.rmtree(folder / ".grading", ignore_errors=True)
        try:
            yield
        finally:
            shutil.rmtree(folder / ".grading", ignore_errors=True)


def grade(names: list[str] | None = None, *, workers: int | None = None, timeout: int | None = None,
          force: bool = False, root: Path | None = None, progress: bool = False) -> GradeRun:
    """Grade every new or changed submission of the named modules (all by default)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from tqdm import tqdm

    import nbgrader.apps  # noqa: F401 - imported once here, so forked workers inherit it

    start = time.perf_counter()
    config = grading_config(load_config(root), timeout=timeout)
    run = GradeRun()
    with _grading_lock(config):
        register_submitted(config)
        tasks, run.up_to_date = plan(config, names, root=root, force=force)
        workers = max(1, min(workers or default_workers(), len(tasks) or 1))
        bar = tqdm(total=len(tasks), desc="grading", unit="submission", disable=not progress)
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [pool.submit(grade_one, task, config) for task in tasks]
            for future in as_completed(futures):
                outcome = future.result()
                if outcome.success:
                    _record(config, outcome)
                run.graded.append(outcome)
                bar.update(1)
        bar.close()
    run.graded.sort(key=lambda o: (o.module, o.learner_id))
    run.seconds = round(time.perf_counter() - start, 2)
    return run
