"""``ethicskit grade --watch``: feedback minutes after submitting, on a hub.

A loop over nbgrader's filesystem exchange. Each step (:func:`run_once`):

1. collects what learners submitted since the last step, each new submission
   moved into ``submitted/`` in one rename once nbgrader's ``submit`` has
   finished writing it (:func:`~ethicskit.course.delivery.collect.collect_inbound`);
2. grades what is new, in parallel, with :func:`~ethicskit.course.grading.grade.grade`
   (sandboxed, unless ``sandbox=False``), which skips every submission whose
   digest is graded already; a submission whose grading failed is not tried
   again every few seconds: ``ethicskit grade`` retries it once the cause is fixed;
3. generates and releases the feedback of every graded submission whose
   feedback is missing, older than its grading or not released yet
   (:func:`~ethicskit.course.delivery.feedback.feedback_needed`), in parallel.
   Feedback says which written answers are still waiting for a facilitator.

It keeps no state of its own: the store (``submissions``, ``gradings``,
``grading_failures``), nbgrader's gradebook and the files in ``submitted/``,
``autograded/``, ``feedback/`` and the exchange are enough to resume. A
``kill -9`` between or during steps loses and repeats nothing:

- during a collect: the staged copy is discarded, and the submission, still
  in the exchange, is collected at the next start;
- between collect and grade, or during grade: what is graded has its
  ``gradings`` record; what is not (its workers die with the service) is graded
  at the next start, nbgrader's rows updated in place;
- between grade and feedback, or during feedback: feedback is made for every
  graded submission whose released copy is missing or older, and nbgrader
  releases with a copy and a rename, so a learner never fetches half a file.

One watch runs per course (a lock in ``course-data/``); a facilitator's
``ethicskit grade`` meanwhile makes the watch wait for its next step.
SIGTERM or SIGINT stops the loop after the current step; a second SIGINT
stops at once (safe, as above).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ethicskit.course.delivery.collect import INBOUND_SETTLE_SECONDS, collect_inbound
from ethicskit.course.delivery.feedback import feedback_needed, feedback_one
from ethicskit.course.errors import CourseError
from ethicskit.course.grading.grade import (
    GRADING_RUNNING,
    NO_SANDBOX,
    GradeOutcome,
    _die_with_parent,
    course_lock,
    default_workers,
    grade,
    plan,
)
from ethicskit.course.modules import resolve_modules
from ethicskit.course.nbgrader import StepResult, load_config, open_api
from ethicskit.course.records.events import record_manual_grades
from ethicskit.course.records.store import course_data_dir

DEFAULT_INTERVAL = 10.0
WATCH_RUNNING = ("another `ethicskit grade --watch` is running on {folder}; one watch service per course "
                 "(stop the other one first)")
BAD_INTERVAL = "--interval must be a positive number of seconds, not {interval!r}"


@dataclass
class WatchStep:
    """What one step did: collected, graded, feedback made (and released), and what went wrong."""

    collected: list[tuple[str, str]] = field(default_factory=list)  # (learner_id, module)
    waiting: list[tuple[str, str]] = field(default_factory=list)  # still being submitted: next step
    graded: list[GradeOutcome] = field(default_factory=list)
    feedback: list[StepResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def did_nothing(self) -> bool:
        return not (self.collected or self.graded or self.feedback or self.problems)


@dataclass
class WatchRun:
    """Totals over a watch's steps."""

    steps: int = 0
    collected: int = 0
    graded: int = 0
    failed: int = 0
    feedback: int = 0


def _modules(names, root) -> list[str]:
    return [m.slug for m in resolve_modules(names, root)]


def pending_feedback(config, modules: list[str]) -> list[tuple[str, str]]:
    """(learner_id, module) of every graded submission whose feedback is missing, stale or unreleased."""
    autograded = Path(config.CourseDirectory.autograded_directory)
    found = []
    for module in modules:
        for folder in sorted(autograded.glob(f"*/{module}")):
            if folder.is_dir() and not folder.parent.name.startswith(".") and \
                    feedback_needed(config, folder.parent.name, module):
                found.append((folder.parent.name, module))
    return found


_WORKER: dict = {}


def _feedback_task(config, module: str, learner_id: str) -> StepResult:
    """In a worker process: one submission's feedback, with one NbGraderAPI per process."""
    if _WORKER.get("pid") != os.getpid():
        _WORKER.update(pid=os.getpid(), api=open_api(config))
    return feedback_one(_WORKER["api"], module, learner_id)


def make_feedback(config, pending: list[tuple[str, str]], *, workers: int | None = None) -> list[StepResult]:
    """Generate and release the feedback of ``pending`` submissions in parallel processes (nbgrader chdirs)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if not pending:
        return []
    record_manual_grades(config)  # as `ethicskit feedback` does: manual scores are logged before feedback shows them
    workers = max(1, min(workers or default_workers(), len(pending)))
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
        futures = [pool.submit(_feedback_task, config, module, learner_id) for learner_id, module in pending]
        return [f.result() for f in futures]


def run_once(names: list[str] | None = None, *, workers: int | None = None, timeout: int | None = None,
             sandbox: bool = True, root: Path | None = None, settle: float = INBOUND_SETTLE_SECONDS) -> WatchStep:
    """One step: collect new submissions from the exchange, grade them, make and release their feedback."""
    start = time.perf_counter()
    step = WatchStep()
    modules = _modules(names, root)
    inbound = collect_inbound(names, root=root, settle=settle)
    step.collected, step.waiting = inbound.collected, inbound.waiting
    step.problems += [f"collecting {r.target} failed: {r.summary}" for r in inbound.failed]
    config = load_config(root)
    tasks, _ = plan(config, names, root=root, retry_failed=False)
    if tasks:
        try:
            run = grade(names, workers=workers, timeout=timeout, sandbox=sandbox, root=root, retry_failed=False)
            step.graded = run.graded
        except CourseError as exc:
            if str(exc) != GRADING_RUNNING.format(folder=course_data_dir(config)):
                raise
            step.problems.append(f"{exc} (the watch grades at its next step)")
    step.feedback = make_feedback(config, pending_feedback(config, modules), workers=workers)
    step.seconds = round(time.perf_counter() - start, 2)
    return step


@contextlib.contextmanager
def _stop_on_signals(stop: threading.Event):
    """SIGTERM and SIGINT set ``stop`` (the current step finishes); a second SIGINT interrupts at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        if signum == signal.SIGINT and stop.is_set():  # a second Ctrl+C: die now (as safe as a kill -9)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGINT)
        # Set from another thread: the main thread may hold the event's lock right now (inside wait()).
        threading.Thread(target=stop.set, daemon=True).start()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def watch(names: list[str] | None = None, *, interval: float = DEFAULT_INTERVAL, workers: int | None = None,
          timeout: int | None = None, sandbox: bool = True, root: Path | None = None, once: bool = False,
          stop: threading.Event | None = None, on_step=None, settle: float = INBOUND_SETTLE_SECONDS) -> WatchRun:
    """Run :func:`run_once` until ``stop`` is set (or once, with ``once``): again at once after a step that
    collected or graded something, else after ``interval`` seconds.

    Without a ``stop`` event of the caller's, SIGTERM and SIGINT stop it after the current step.
    ``on_step`` is called with each :class:`WatchStep`. Refuses to start where the grading sandbox
    cannot run (unless ``sandbox=False``), or where another watch runs on the course.
    """
    from ethicskit.course.grading.sandbox import sandbox_problem

    if not isinstance(interval, (int, float)) or interval <= 0:
        raise CourseError(BAD_INTERVAL.format(interval=interval))
    _modules(names, root)  # an unknown module name fails here, before anything runs
    if sandbox and (problem := sandbox_problem()):
        raise CourseError(NO_SANDBOX.format(problem=problem))
    config = load_config(root)
    total = WatchRun()
    guard = contextlib.nullcontext() if stop is not None else None
    stop = stop if stop is not None else threading.Event()
    with course_lock(config, "watch", WATCH_RUNNING), guard or _stop_on_signals(stop):
        while True:
            step = run_once(names, workers=workers, timeout=timeout, sandbox=sandbox, root=root, settle=settle)
            total.steps += 1
            total.collected += len(step.collected)
            total.graded += sum(o.success for o in step.graded)
            total.failed += sum(not o.success for o in step.graded)
            total.feedback += sum(r.success for r in step.feedback)
            if on_step is not None:
                on_step(step)
            if once or stop.is_set():
                break
            busy = step.collected or step.graded  # more may have arrived meanwhile: look again at once
            if not busy and stop.wait(interval):
                break
    return total
