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
  (``OverwriteCells.add_missing_cells``) and recorded here for the report;
- every kernel runs in the grading sandbox (:mod:`ethicskit.course.grading.sandbox`),
  with nbgrader's ``Execute`` replaced by
  :class:`~ethicskit.course.grading.graded_execute.GradedExecute` (output cap,
  recovery from a cell that ignores interruption); grading refuses to run
  without the sandbox unless asked to (``sandbox=False``, loudly);
- a clean re-check outside the learner's kernel (:mod:`ethicskit.course.grading.recheck`)
  keeps answer cells from talking the tests round;
- a failure is recorded with its reason (``grading_failures`` in the store),
  so the report says "grading failed" and the next run retries it;
- each grading and each failure is a ``grade`` or ``grading_failure`` event
  in the store's event log (with the version, the digest and, for a grade,
  nbgrader's score right after autograde), in the same transaction;
- workers die with the parent (``PR_SET_PDEATHSIG``), so after a ``kill -9``
  no worker keeps grading or holds the lock.

Workers are forked (nbgrader is imported once, in the parent). As SQLite
requires, the parent holds no connection to the gradebook while it forks;
a caller that embeds :func:`grade` must not hold one either.
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import fcntl
import os
import shutil
import signal
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ethicskit.course.delivery.collect import register_submitted
from ethicskit.course.delivery.package import submission_digest
from ethicskit.course.delivery.release import current_release, releases
from ethicskit.course.errors import CourseError
from ethicskit.course.grading.tamper import submission_findings
from ethicskit.course.modules import resolve_modules
from ethicskit.course.nbgrader import _EXCEPTION_LINE, load_config, open_api, run_step
from ethicskit.course.records.extensions import sync_nbgrader_due_dates
from ethicskit.course.records.store import (
    append_event,
    clear_grading_failure,
    course_data_dir,
    grading_digests,
    grading_failure_digests,
    learner_cohorts,
    open_store,
    record_grading,
    record_grading_failure,
    utc_now,
)

DEFAULT_TIMEOUT = 30
LOCKED_RETRIES = 4
TIMEOUT_ENAME = "CellTimeoutError"
STUCK_ENAME = "CellKilledError"  # a cell that ignored the interrupt; its kernel was restarted
REGRADE_HINT = "fix the cause, then run `ethicskit grade {module}` again (failed submissions are retried)"
RENAMED_GRADE_ID = ("{notebook}: cell {grade_id!r} is not in the released notebook (a renamed or copied graded "
                    "cell), so nbgrader cannot grade it; ask the learner to copy their answers into a fresh copy "
                    "of the exercise and submit again")
NO_SANDBOX = ("grading refuses to run: {problem}. Without the sandbox, learner code runs with your rights (it can "
              "read the roster and the gradebook and change grades); to grade anyway, pass --unsafe-no-sandbox.")
TIMEOUT_MESSAGE = ("this cell was stopped after {timeout} s, the grading limit per cell; the questions that "
                   "use its result score 0. Look for a loop that never ends.")
GRADING_RUNNING = "another `ethicskit grade` is running on {folder}; wait for it to finish"


@dataclass(frozen=True)
class GradeTask:
    learner_id: str
    module: str
    digest: str
    checksums: dict
    version: str = ""  # the module version released to the learner


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
    version: str = ""
    score: float | None = None  # nbgrader's total right after autograde (written answers not yet marked)
    max_score: float | None = None


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


def grading_config(config, *, timeout: int | None = None, sandbox: bool = True):
    """The course config with the grading guards applied (sandbox, timeout, tamper restore, busy timeout)."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        ClearOutput,
        DeduplicateIds,
        IgnorePattern,
        LimitOutput,
        OverwriteKernelspec,
        SaveAutoGrades,
    )

    from ethicskit.course.grading.graded_execute import GradedExecute
    from ethicskit.course.grading.restore import RestoreCells

    config = copy.deepcopy(config)
    config.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds, OverwriteKernelspec, RestoreCells,
                                               CheckCellMetadata]
    config.Autograde.autograde_preprocessors = [GradedExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                                SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
    config.GradedExecute.sandboxed = sandbox
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
            if any(o.get("ename") in (TIMEOUT_ENAME, STUCK_ENAME) for o in cell.get("outputs", [])):
                name = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {i}"
                found.append(f"{path.name}: {name}")
    return found


def plan(config, names: list[str] | None = None, *, root: Path | None = None,
         force: bool = False, retry_failed: bool = True) -> tuple[list[GradeTask], int]:
    """Submissions to grade, and how many are already graded and unchanged.

    ``retry_failed=False`` leaves out a submission whose grading failed before, unchanged since
    (the watch service does not retry it every few seconds; ``ethicskit grade`` does).
    """
    slugs = {m.slug for m in resolve_modules(names, root)}
    all_releases = releases(config)
    submitted = Path(config.CourseDirectory.submitted_directory)
    autograded = Path(config.CourseDirectory.autograded_directory)
    with open_store(config, readonly=True) as db:
        graded = grading_digests(db)
        failed = {} if retry_failed else grading_failure_digests(db)
        cohorts = learner_cohorts(db)
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
        elif failed.get((learner_id, module)) != digest:
            tasks.append(GradeTask(learner_id, module, digest, record.checksums, record.version))
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


def renamed_grade_ids(folder: Path, checksums: dict[str, dict[str, str]]) -> list[str]:
    """Graded cells whose grade_id the release does not have (nbgrader crashes on them with KeyError)."""
    found = []
    for name, expected in sorted(checksums.items()):
        path = folder / f"{name}.ipynb"
        try:
            nb = nbformat.read(path, as_version=4) if path.exists() else None
        except Exception:  # noqa: BLE001 - nbgrader reports an unreadable notebook itself
            continue
        for cell in nb.cells if nb else []:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            grade_id = meta.get("grade_id")
            if grade_id and grade_id not in expected and (meta.get("grade") or meta.get("solution")
                                                          or meta.get("locked")):
                found.append(RENAMED_GRADE_ID.format(notebook=path.name, grade_id=grade_id))
    return found


def failure_reason(result) -> str:
    """The cause of a failed autograde, never nbgrader's "see the above traceback" (which shows none)."""
    lines = [ln.strip() for ln in (result.log + "\n" + result.error).splitlines() if ln.strip()]
    causes = [ln for ln in lines if _EXCEPTION_LINE.match(ln) and "see the the above traceback" not in ln
              and "db upgrade" not in ln and not ln.startswith("nbgrader.converters.base.NbGraderException")]
    return causes[-1][:500] if causes else (result.summary or "autograde failed")


def grade_one(task: GradeTask, config) -> GradeOutcome:
    """Autograde one submission into staging, then move it into place (runs in a worker)."""
    start = time.perf_counter()
    outcome = GradeOutcome(task.learner_id, task.module, False, digest=task.digest, version=task.version)
    submitted = Path(config.CourseDirectory.submitted_directory) / task.learner_id / task.module
    outcome.tampered = submission_findings(submitted, task.checksums)
    renamed = renamed_grade_ids(submitted, task.checksums)
    if renamed:
        outcome.error = "; ".join(renamed)
        return outcome
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
        outcome.error = failure_reason(result)
    else:
        from ethicskit.course.grading.recheck import recheck_submission

        outcome.timed_out = timed_out_cells(staged)
        try:
            outcome.tampered += recheck_submission(config, task.module, task.learner_id, staged,
                                                   timeout=int(config.Execute.timeout),
                                                   sandboxed=bool(config.GradedExecute.get("sandboxed", True)))
        except Exception as exc:  # noqa: BLE001 - a failed re-check fails this submission, named
            shutil.rmtree(staged, ignore_errors=True)
            outcome.error = f"the clean re-check failed: {type(exc).__name__}: {exc}"
            outcome.seconds = round(time.perf_counter() - start, 2)
            return outcome
        _move_into_place(staged, Path(config.CourseDirectory.autograded_directory) / task.learner_id / task.module)
        outcome.success = True
        outcome.score, outcome.max_score = submission_score(config.CourseDirectory.db_url, task.learner_id,
                                                            task.module)
    outcome.seconds = round(time.perf_counter() - start, 2)
    return outcome


SCORE_SQL = """
SELECT SUM(CASE WHEN g.manual_score IS NOT NULL THEN g.manual_score + COALESCE(g.extra_credit, 0)
                WHEN g.auto_score IS NOT NULL THEN g.auto_score + COALESCE(g.extra_credit, 0) ELSE 0 END),
       SUM(COALESCE(gc.max_score, tc.max_score, 0))
FROM grade g
JOIN submitted_notebook sn ON g.notebook_id = sn.id
JOIN submitted_assignment sa ON sn.assignment_id = sa.id
JOIN assignment a ON sa.assignment_id = a.id
LEFT JOIN grade_cells gc ON gc.id = g.cell_id
LEFT JOIN task_cells tc ON tc.id = g.cell_id
WHERE sa.student_id = :learner_id AND a.name = :module
"""


def submission_score(db_url: str, learner_id: str, module: str) -> tuple[float | None, float | None]:
    """A graded submission's score and maximum in the gradebook (every notebook), for the event log.

    (None, None) if the gradebook cannot say: the score is a courtesy to the log, never a reason to fail.
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            score, most = conn.execute(text(SCORE_SQL), {"learner_id": learner_id, "module": module}).one()
    except SQLAlchemyError:
        return None, None
    finally:
        engine.dispose()
    return (None, None) if most is None else (float(score), float(most))


def _move_into_place(staged: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    old = dest.with_name(f".{dest.name}-old-{os.getpid()}")
    if dest.exists():
        os.replace(dest, old)
    os.replace(staged, dest)
    shutil.rmtree(old, ignore_errors=True)


def _record(config, outcome: GradeOutcome) -> None:
    with open_store(config) as db:
        key = (outcome.learner_id, outcome.module)
        when = utc_now()
        if outcome.success:
            record_grading(db, *key, outcome.digest, when, "; ".join(outcome.tampered),
                           "; ".join(outcome.timed_out))
            clear_grading_failure(db, *key)
            detail = {"score": outcome.score, "max_score": outcome.max_score, "tampered": outcome.tampered,
                      "timed_out": outcome.timed_out}
            append_event(db, "grade", learner_id=outcome.learner_id, module=outcome.module, version=outcome.version,
                         digest=outcome.digest, detail=detail, at=when)
        else:
            record_grading_failure(db, *key, outcome.digest, when, outcome.error or "autograde failed")
            append_event(db, "grading_failure", learner_id=outcome.learner_id, module=outcome.module,
                         version=outcome.version, digest=outcome.digest,
                         detail={"reason": outcome.error or "autograde failed"}, at=when)


def _die_with_parent(parent: int) -> None:
    """In a worker: be killed when the parent dies, even by SIGKILL (so the lock and the CPUs are freed)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


@contextlib.contextmanager
def course_lock(config, name: str, busy: str):
    """Hold ``course-data/NAME.lock`` for the block, or raise ``CourseError(busy)`` if another process holds it."""
    folder = course_data_dir(config)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f".{name}.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise CourseError(busy.format(folder=folder)) from exc
        yield


@contextlib.contextmanager
def _grading_lock(config):
    folder = course_data_dir(config)
    with course_lock(config, "grading", GRADING_RUNNING):
        shutil.rmtree(folder / ".grading", ignore_errors=True)
        try:
            yield
        finally:
            shutil.rmtree(folder / ".grading", ignore_errors=True)


def grade(names: list[str] | None = None, *, workers: int | None = None, timeout: int | None = None,
          force: bool = False, root: Path | None = None, progress: bool = False, sandbox: bool = True,
          retry_failed: bool = True) -> GradeRun:
    """Grade every new or changed submission of the named modules (all by default).

    ``retry_failed=False`` skips submissions whose grading failed before and that are unchanged since.

    Refuses to run (``CourseError``, a ``ValueError``, naming what is missing) where the grading
    sandbox cannot start, unless ``sandbox=False``.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    import nbgrader.apps  # noqa: F401 - imported once here, so forked workers inherit it
    from tqdm import tqdm

    from ethicskit.course.grading.sandbox import UNSAFE_WARNING, sandbox_problem

    start = time.perf_counter()
    if sandbox and (problem := sandbox_problem()):
        raise CourseError(NO_SANDBOX.format(problem=problem))
    if not sandbox:
        warnings.warn(UNSAFE_WARNING, stacklevel=2)
    config = grading_config(load_config(root), timeout=timeout, sandbox=sandbox)
    run = GradeRun()
    with _grading_lock(config):
        register_submitted(config)
        tasks, run.up_to_date = plan(config, names, root=root, force=force, retry_failed=retry_failed)
        if tasks:  # nbgrader's late-submission handling sees the kit's due dates and extensions
            sync_nbgrader_due_dates(config, {t.module for t in tasks},
                                    create_for=[(t.learner_id, t.module) for t in tasks])
        workers = max(1, min(workers or default_workers(), len(tasks) or 1))
        bar = tqdm(total=len(tasks), desc="grading", unit="submission", disable=not progress)
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_die_with_parent,
                                 initargs=(os.getpid(),)) as pool:
            futures = [pool.submit(grade_one, task, config) for task in tasks]
            for future in as_completed(futures):
                outcome = future.result()
                _record(config, outcome)
                run.graded.append(outcome)
                bar.update(1)
        bar.close()
    run.graded.sort(key=lambda o: (o.module, o.learner_id))
    run.seconds = round(time.perf_counter() - start, 2)
    return run
