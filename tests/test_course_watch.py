"""``ethicskit grade --watch``: collect from nbgrader's exchange, grade, release feedback; survive a kill -9.

Learners submit with nbgrader's own ``ExchangeSubmit`` (as their server's Assignments tab does on
a hub) into a scratch course's exchange; the watch runs in-process (``run_once``) or as the
``ethicskit grade --watch`` command, killed mid-batch and started again.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from course_helpers import COURSE_ENV, graded_cells, scratch_project

MODULE = "00-orientation"
KINDS = ("complete", "partial", "complete", "complete", "partial", "complete")


def submit_through_exchange(config, learner_id: str, notebooks: dict, folder: Path) -> None:
    """What a hub learner's "Submit" does: nbgrader's ExchangeSubmit from their home, with their own cache."""
    import copy

    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeSubmit

    config = copy.deepcopy(config)
    config.Exchange.cache = str(folder / "cache" / learner_id)
    home = folder / "home" / learner_id
    (home / MODULE).mkdir(parents=True, exist_ok=True)
    for name, nb in notebooks.items():
        nbformat.write(nb, home / MODULE / name)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id, coursedir.student_id = MODULE, learner_id
    app = ExchangeSubmit(coursedir=coursedir, authenticator=Authenticator(config=config), config=config)
    app.assignment_dir = str(home)
    app.start()


def fetch_feedback(config, learner_id: str, folder: Path) -> list[Path]:
    """What a hub learner's "Fetch feedback" does (nbgrader's ExchangeFetchFeedback); the pages they get."""
    import copy

    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchFeedback

    config = copy.deepcopy(config)
    config.Exchange.cache = str(folder / "cache" / learner_id)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id, coursedir.student_id = MODULE, learner_id
    app = ExchangeFetchFeedback(coursedir=coursedir, authenticator=Authenticator(config=config), config=config)
    app.assignment_dir = str(folder / "home" / learner_id)
    app.start()
    return sorted((folder / "home" / learner_id / MODULE / "feedback").glob("*/*.html"))


@pytest.fixture(scope="module")
def template(tmp_path_factory, repo):
    """Six learners have submitted module 00 through the exchange; nothing is collected yet."""
    mp = pytest.MonkeyPatch()
    base = tmp_path_factory.mktemp("watch")
    root = scratch_project(base / "course", [MODULE], mp)
    from ethicskit.course import Module, import_roster, list_roster, release
    from ethicskit.course.demo.simulate import simulated_notebooks
    from ethicskit.course.nbgrader import load_config

    (base / "hr.csv").write_text("employee_id,name,email,team,manager,cohort\n" + "".join(
        f"E{i},P {i},p{i}@corp.com,Web,Bo Ray,A\n" for i in range(len(KINDS))))
    import_roster(base / "hr.csv")
    release(["00"])
    made = {kind: simulated_notebooks(Module(MODULE, root), kind) for kind in set(KINDS)}
    ids = [p["learner_id"] for p in list_roster()]
    config = load_config(root)
    for lid, kind in zip(ids, KINDS):
        submit_through_exchange(config, lid, made[kind], base)
    mp.undo()
    return base, ids


@pytest.fixture
def course(template, tmp_path, monkeypatch, repo):
    """A private copy of the template (course, exchange, learners' homes and caches)."""
    base = tmp_path / "w"
    shutil.copytree(template[0], base, symlinks=True)
    for key in COURSE_ENV:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ETHICSKIT_ROOT", str(base / "course"))
    monkeypatch.setenv("ETHICSKIT_DATASETS", str(repo / "datasets"))
    from ethicskit.course.nbgrader import load_config

    return {"base": base, "root": base / "course", "ids": template[1], "config": load_config(base / "course"),
            "env": {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]}}


def _graded_cell_count(root: Path) -> int:
    return sum(len(graded_cells(p)) for p in (root / "solutions" / MODULE).glob("*.ipynb"))


def _store(root: Path, query: str) -> list[tuple]:
    db = sqlite3.connect(f"file:{root / 'course-data' / 'roster.db'}?mode=ro", uri=True, timeout=30)
    try:
        return db.execute(query).fetchall()
    except sqlite3.OperationalError:  # not created yet
        return []
    finally:
        db.close()


def _gradebook(root: Path) -> tuple[dict, int]:
    db = sqlite3.connect(root / "course-data" / "gradebook.db")
    per_learner = dict(db.execute("SELECT student_id, COUNT(*) FROM submitted_assignment GROUP BY student_id"))
    grades = db.execute("SELECT COUNT(*) FROM grade").fetchone()[0]
    db.close()
    return per_learner, grades


def _released_everything(config, ids) -> bool:
    from ethicskit.course.delivery.feedback import feedback_needed

    return all((Path(config.CourseDirectory.autograded_directory) / lid / MODULE).is_dir()
               and not feedback_needed(config, lid, MODULE) for lid in ids)


# --- unit: which inbound submissions are ready ---------------------------------------------------------

def test_a_submission_still_being_written_waits_and_an_older_one_is_not_collected_again(tmp_path):
    from traitlets.config import Config

    from ethicskit.course.delivery.collect import new_inbound

    config = Config()
    config.Exchange.root = str(tmp_path / "exchange")
    config.CourseDirectory.course_id = "ethicskit"
    config.CourseDirectory.submitted_directory = str(tmp_path / "submitted")
    inbound = tmp_path / "exchange" / "ethicskit" / "inbound"

    def inbound_folder(learner, stamp, *, secret=True):
        folder = inbound / f"{learner}+{MODULE}+2026-03-01 09:{stamp} UTC+rAnd0m"
        folder.mkdir(parents=True)
        (folder / f"{MODULE}.ipynb").write_text("{}")
        if secret:
            (folder / "submission_secret.txt").write_text("s")
        return folder

    inbound_folder("ekdone", "00:00.000000")  # collected already, nothing newer
    (tmp_path / "submitted" / "ekdone" / MODULE).mkdir(parents=True)
    (tmp_path / "submitted" / "ekdone" / MODULE / "timestamp.txt").write_text("2026-03-01 09:00:00.000000 UTC")
    inbound_folder("eknew", "01:00.000000", secret=False)  # an older one, complete
    inbound_folder("eknew", "00:00.000000")
    inbound_folder("ekhalf", "02:00.000000", secret=False)  # nbgrader's submit has not written its secret yet
    inbound_folder("ekfresh", "03:00.000000")  # complete, but written a moment ago
    ready, waiting = new_inbound(config, [MODULE], settle=3600)
    assert ready == [] and sorted(waiting) == [("ekfresh", MODULE), ("ekhalf", MODULE), ("eknew", MODULE)]
    ready, waiting = new_inbound(config, [MODULE], settle=0)
    assert ready == [("ekfresh", MODULE)], "the latest of eknew is half-written: it waits, the older one is not taken"
    assert sorted(waiting) == [("ekhalf", MODULE), ("eknew", MODULE)]


# --- one step, then nothing --------------------------------------------------------------------------

@pytest.mark.slow
def test_one_step_collects_grades_and_releases_feedback_and_a_second_step_does_nothing(course):
    from ethicskit.course.delivery.feedback import (
        PENDING_ANSWER,
        PENDING_NOTEBOOK,
        feedback,
    )
    from ethicskit.course.grading.watch import run_once

    root, ids, config = course["root"], course["ids"], course["config"]
    step = run_once(["00"], workers=2, settle=0)
    assert sorted(step.collected) == sorted((lid, MODULE) for lid in ids) and not step.problems, step.problems
    assert sorted(o.learner_id for o in step.graded if o.success) == sorted(ids), [o.error for o in step.graded]
    assert sorted(r.target for r in step.feedback if r.success and r.step == "release_feedback") == sorted(
        f"{MODULE}/{lid}" for lid in ids), [r.summary for r in step.feedback]
    per_learner, grades = _gradebook(root)
    assert per_learner == {lid: 1 for lid in ids} and grades == len(ids) * _graded_cell_count(root)
    assert _released_everything(config, ids)

    again = run_once(["00"], workers=2, settle=0)
    assert again.did_nothing, again

    pages = fetch_feedback(config, ids[0], course["base"])
    assert len(pages) == 2, pages  # the core and the analyst notebook
    core = next(p for p in pages if p.stem == MODULE).read_text()
    says = PENDING_NOTEBOOK.format(count=1, points=2).split("** ", 1)[1].split(". ")[0]  # text, not markup
    assert says == "1 written answer(s) here, worth 2 point(s), are waiting for a facilitator to read and grade them"
    assert says in core, "the learner is told the written answer waits for a facilitator"
    assert PENDING_ANSWER.split("** ", 1)[1] in core, "and under the answer itself"
    assert "waiting for a facilitator" not in next(p for p in pages if p.stem != MODULE).read_text().lower(), \
        "the analyst notebook has no written answer: no note"

    _mark_written_answers(root, ids[:1])
    assert all(r.success for r in feedback(["00"]))
    [page] = [p for p in fetch_feedback(config, ids[0], course["base"]) if p.stem == MODULE]
    assert "waiting for a facilitator" not in page.read_text().lower(), "once graded, the feedback made again has no note"


def _mark_written_answers(root, learner_ids):
    """What a facilitator does in the formgrader: give the written answer full points."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'course-data' / 'gradebook.db'}", "ethicskit") as gb:
        for lid in learner_ids:
            for nb in gb.find_submission(MODULE, lid).notebooks:
                for g in nb.grades:
                    if g.needs_manual_grade:
                        g.manual_score, g.needs_manual_grade = g.max_score, False
        gb.db.commit()


# --- kill -9 mid-batch, start again ------------------------------------------------------------------

def _watch(env, root, log: Path):
    proc = subprocess.Popen([sys.executable, "-m", "ethicskit", "grade", "00", "--watch", "--interval", "1",
                             "--workers", "2"], env=env, cwd=root, stdout=log.open("w"),
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    proc.log = log
    return proc


def _wait_for(predicate, proc, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if proc.poll() is not None:
            raise AssertionError(f"the watch ended before {what}: {proc.log.read_text()[-3000:]}")
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


@pytest.mark.slow
def test_killed_mid_batch_and_started_again_it_finishes_with_no_lost_and_no_repeated_grade(course):
    from ethicskit.course.delivery.package import submission_digest

    root, ids, config, env = course["root"], course["ids"], course["config"], course["env"]
    def gradings() -> dict:
        return {r[0]: r[1:] for r in _store(root, "SELECT learner_id, digest, graded_at FROM gradings")}
    first = _watch(env, root, course["base"] / "first.log")
    try:
        _wait_for(lambda: len(gradings()) >= 1, first, 300, "the first grading")
        os.kill(first.pid, signal.SIGKILL)  # the service only, as `kill -9 PID` does; its workers die with it
        first.wait(timeout=30)
        deadline = time.monotonic() + 15
        while _group_alive(first.pid):
            assert time.monotonic() < deadline, "grading workers outlived the killed service"
            time.sleep(0.2)
    finally:
        with_group_killed(first)
    before = gradings()
    assert 1 <= len(before) < len(ids), f"killed mid-batch: {len(before)} of {len(ids)} graded"

    second = _watch(env, root, course["base"] / "second.log")
    try:
        _wait_for(lambda: len(gradings()) == len(ids), second, 420, "every submission graded")
        with contextlib.suppress(AssertionError):  # asserted below, with what is missing
            _wait_for(lambda: _released_everything(config, ids), second, 60, "all feedback released")
        second.send_signal(signal.SIGTERM)  # stops after the current step
        second.wait(timeout=120)
    finally:
        with_group_killed(second)
    out = second.log.read_text()
    assert second.returncode == 0 and "stopped after" in out, out[-3000:]

    after = gradings()
    assert {lid: after[lid] for lid in before} == before, "a grading recorded before the kill was not redone"
    submitted = root / "course-data" / "submitted"
    assert {lid: d for lid, (d, _) in after.items()} == {lid: submission_digest(submitted / lid / MODULE) for lid in ids}
    events = _store(root, "SELECT learner_id, COUNT(*) FROM events WHERE kind = 'grade' GROUP BY learner_id")
    assert dict(events) == {lid: 1 for lid in ids}, "every submission graded exactly once"
    per_learner, grades = _gradebook(root)
    assert per_learner == {lid: 1 for lid in ids} and grades == len(ids) * _graded_cell_count(root)
    assert _released_everything(config, ids), "feedback released for every submission, graded before the kill or after"
    outbound = root / "course-data" / "exchange" / "ethicskit" / "feedback"
    assert len(list(outbound.glob("*.html"))) == 2 * len(ids), "feedback released for both notebooks of everyone"
    assert not (root / "course-data" / ".grading").exists() and not any((root / "course-data" / ".collecting").glob("*"))


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def with_group_killed(proc) -> None:
    """Leave nothing behind if a test failed midway (the service's session: workers and kernels)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    else:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


# --- the hub service entry (deploy/jupyterhub/ethicskit_hub.py) ---------------------------------------

def test_the_hub_runs_the_watch_as_a_service_of_the_grader_only_when_asked(tmp_path, monkeypatch, repo):
    from traitlets.config.loader import PyFileConfigLoader

    def services(**env):
        for key, value in {"ETHICSKIT_EXCHANGE": str(tmp_path / "exchange"), "ETHICSKIT_HUB_GRADER_USER": "",
                           "ETHICSKIT_HUB_LOGIN_MAP": str(tmp_path / "map.json"), "ETHICSKIT_HUB_CULL_IDLE": "0",
                           "ETHICSKIT_HUB_COURSE": "/srv/course", "ETHICSKIT_HUB_USER_BIN": "/opt/venv/bin",
                           **env}.items():
            monkeypatch.setenv(key, value)
        config = PyFileConfigLoader("ethicskit_hub.py", path=str(repo / "deploy" / "jupyterhub")).load_config()
        return {s["name"]: s for s in config.JupyterHub.services}

    assert "grade-watch-ethicskit" not in services(), "off unless ETHICSKIT_HUB_GRADE_WATCH is set"
    watch = services(ETHICSKIT_HUB_GRADE_WATCH="15", ETHICSKIT_HUB_GRADE_WORKERS="3",
                     ETHICSKIT_HUB_GRADER_USER="grader-ethicskit")["grade-watch-ethicskit"]
    assert watch["user"] == "grader-ethicskit", "as the grader account, like the formgrader"
    assert watch["command"] == ["/opt/venv/bin/ethicskit", "grade", "--watch", "--interval", "15", "--workers", "3"]
    assert watch["cwd"] == "/srv/course" and "url" not in watch and "api_token" not in watch
    assert watch["environment"]["ETHICSKIT_ROOT"] == "/srv/course"
    assert watch["environment"]["ETHICSKIT_EXCHANGE"] == str(tmp_path / "exchange")
    assert "ETHICSKIT_DB_URL" in watch["environment"], "it grades into the gradebook, as the formgrader"
