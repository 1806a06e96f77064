"""``ethicskit grade`` under faults: a killed run, a locked gradebook, a failing submission."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import nbformat
import pytest

from course_helpers import COURSE_ENV, graded_cells, scratch_project

from ethicskit.course.grading.grade import timed_out_cells, with_busy_timeout
from ethicskit.course.demo.simulate import simulated_notebooks, write_zip

MODULE = "00-orientation"
ROSTER = "employee_id,name,email,team,manager,cohort\n" + "".join(
    f"E{i},P {i},p{i}@corp.com,Web,Bo Ray,A\n" for i in range(5))


def test_busy_timeout_is_added_to_sqlite_urls_only():
    assert with_busy_timeout("sqlite:///x.db?foo=1") == "sqlite:///x.db?foo=1&timeout=60"
    assert with_busy_timeout("sqlite:///x.db?timeout=5") == "sqlite:///x.db?timeout=5"


def test_timed_out_cells_names_the_cell(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("while True: pass")
    cell.metadata["nbgrader"] = {"grade_id": "00-q1-x-answer"}
    cell.outputs = [nbformat.v4.new_output("error", ename="CellTimeoutError", evalue="stopped", traceback=[])]
    nb.cells = [nbformat.v4.new_code_cell("1"), cell]
    nbformat.write(nb, tmp_path / "a.ipynb")
    assert timed_out_cells(tmp_path) == ["a.ipynb: 00-q1-x-answer"]


@pytest.fixture(scope="module")
def template(tmp_path_factory, repo):
    """Five learners' complete submissions, collected, not graded (tests grade copies of it)."""
    mp = pytest.MonkeyPatch()
    base = tmp_path_factory.mktemp("grade")
    root = scratch_project(base / "course", [MODULE], mp)
    from ethicskit.course import Module, collect, import_roster, list_roster, release

    (base / "hr.csv").write_text(ROSTER)
    import_roster(base / "hr.csv")
    release(["00"])
    when = datetime.now(timezone.utc) - timedelta(hours=1)  # earlier than the exchange submission below
    notebooks = simulated_notebooks(Module(MODULE, root), "complete")
    ids = [p["learner_id"] for p in list_roster()]
    for lid in ids:
        write_zip(base / "inbox", lid, MODULE, notebooks, when)
    assert len(collect(base / "inbox").ingested) == 5
    mp.undo()
    return root, ids


@pytest.fixture
def course(template, tmp_path, monkeypatch, repo):
    """A private copy of the template course, so each test starts ungraded whatever ran before."""
    root = tmp_path / "course"
    shutil.copytree(template[0], root)
    for key in COURSE_ENV:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ETHICSKIT_ROOT", str(root))
    monkeypatch.setenv("ETHICSKIT_DATASETS", str(repo / "datasets"))
    return {"root": root, "ids": template[1], "env": {**os.environ}}


LOCKER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(7)
db.execute("COMMIT")
"""


def _cli(*args, env, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "ethicskit", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, **kwargs)


def _autograded_points(root) -> tuple[int, float]:
    """How many autograded cells module 00's solutions have, and their points (core and analyst)."""
    cells = [c for path in sorted((root / "solutions" / MODULE).glob("*.ipynb")) for c in graded_cells(path)
             if c.cell_type == "code" and not c.metadata["nbgrader"].get("solution")]
    return len(cells), float(sum(c.metadata["nbgrader"]["points"] for c in cells))


def _gradebook_rows(root):
    db = sqlite3.connect(root / "course-data" / "gradebook.db")
    return (db.execute("SELECT COUNT(*) FROM submitted_assignment").fetchone()[0],
            db.execute("SELECT COUNT(*), SUM(auto_score) FROM grade WHERE auto_score IS NOT NULL").fetchone())


@pytest.mark.slow
def test_a_killed_run_rerun_finishes_the_job_and_counts_nothing_twice(course):
    root = course["root"]
    autograded = root / "course-data" / "autograded"
    proc = _cli("grade", "--workers", "1", env=course["env"], start_new_session=True)
    deadline = time.monotonic() + 120
    while not (autograded.is_dir() and any(p.name.startswith("ek") for p in autograded.iterdir())):
        assert proc.poll() is None and time.monotonic() < deadline, "grading ended before it could be killed"
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = sum(1 for p in autograded.glob(f"ek*/{MODULE}"))
    assert 1 <= done < 5
    rerun = _cli("grade", "--workers", "2", env=course["env"])
    out, _ = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, out
    graded = int(out.split(" graded, ")[0].split()[-1])
    assert graded + int(out.split(" failed, ")[1].split()[0]) == 5 and graded <= 5 - done + 1, out
    count, points = _autograded_points(root)
    assert count >= 4 and _gradebook_rows(root) == (5, (5 * count, 5 * points)), "each submission once, every autograded point once"
    assert sorted(p.parent.name for p in autograded.glob(f"ek*/{MODULE}")) == sorted(course["ids"])
    assert not (root / "course-data" / ".grading").exists()


@pytest.mark.slow
def test_a_gradebook_locked_longer_than_five_seconds_is_waited_for(course):
    from ethicskit.course import grade

    # The lock is held by another process, as in real life: a connection open in this process would be
    # inherited by the forked workers, and SQLite forbids carrying connections across fork().
    locker = subprocess.Popen([sys.executable, "-c", LOCKER, str(course["root"] / "course-data" / "gradebook.db")],
                              stdout=subprocess.PIPE, text=True)
    assert locker.stdout.readline().strip() == "locked"
    start = time.monotonic()
    run = grade(["00"], workers=1, force=True)
    locker.wait(timeout=30)
    assert time.monotonic() - start > 7
    assert not run.failed and len(run.graded) == 5, [o.error for o in run.failed]
    count, points = _autograded_points(course["root"])
    assert _gradebook_rows(course["root"]) == (5, (5 * count, 5 * points))


@pytest.mark.slow
def test_a_failing_submission_keeps_its_previous_graded_output(course):
    from ethicskit.course import grade

    assert not grade(["00"], workers=2).failed
    lid = course["ids"][0]
    folder = course["root"] / "course-data" / "submitted" / lid / MODULE
    graded_nb = course["root"] / "course-data" / "autograded" / lid / MODULE / f"{MODULE}.ipynb"
    before = graded_nb.read_bytes()
    (folder / f"{MODULE}.ipynb").write_text("{ this is not a notebook")
    run = grade(["00"], workers=1)
    [failed] = run.failed
    assert failed.learner_id == lid and failed.error
    assert graded_nb.read_bytes() == before, "the previous graded output must survive a failed re-grade"


@pytest.mark.slow
def test_the_hub_path_fetch_and_submit_through_the_exchange_then_collect_grade_and_release_feedback(course, tmp_path):
    """A hub learner (hub username = learner id) fetches and submits with nbgrader's exchange."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeSubmit

    from ethicskit.course import Module, build_report, collect_exchange, feedback, grade
    from ethicskit.course.nbgrader import load_config
    from ethicskit.course.authoring.scratch import with_answers
    from ethicskit.course.demo.simulate import solution_answers

    lid, root = course["ids"][1], course["root"]
    config = load_config(root)
    config.Exchange.cache = str(tmp_path / "cache")
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id, coursedir.student_id = MODULE, lid
    auth = Authenticator(config=config)
    for step in (ExchangeFetchAssignment, ExchangeSubmit):
        if step is ExchangeSubmit:
            path = tmp_path / "home" / MODULE / f"{MODULE}.ipynb"
            nb = nbformat.read(path, as_version=4)
            nbformat.write(with_answers(nb, solution_answers(Module(MODULE, root))[MODULE]), path)
        app = step(coursedir=coursedir, authenticator=auth, config=config)
        app.assignment_dir = str(tmp_path / "home")
        app.start()
    [collected] = collect_exchange()
    assert collected.success, collected.summary
    assert (root / "course-data" / "submitted" / lid / MODULE / "submission_secret.txt").exists()
    run = grade(["00"], workers=2)
    assert lid in [o.learner_id for o in run.graded if o.success] and not run.failed
    row = build_report().matrix.set_index("learner_id").loc[lid]
    assert (row["status"], row["score"]) == ("needs manual grading", 4.0)
    released = [r for r in feedback(["00"]) if r.target.endswith(lid)]
    assert [r.step for r in released] == ["release_feedback"] and released[0].success, released[0].summary


@pytest.mark.slow
def test_deleted_written_answer_and_test_cells_are_put_back_and_the_rest_is_graded(course):
    """nbgrader's own restore fails with a KeyError when a deleted cell follows a locked text cell."""
    from ethicskit.course import build_report, grade

    lid, root = course["ids"][2], course["root"]
    path = root / "course-data" / "submitted" / lid / MODULE / f"{MODULE}.ipynb"
    nb = nbformat.read(path, as_version=4)
    graded = graded_cells(path)
    written = next(c for c in graded if c.cell_type == "markdown")
    last_test = [c for c in graded if c.cell_type == "code"][-1]
    gone = {written.metadata.nbgrader.grade_id, last_test.metadata.nbgrader.grade_id}
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in gone]
    nbformat.write(nb, path)
    run = grade(["00"], workers=2)
    assert not run.failed, [o.error for o in run.failed]
    out = nbformat.read(root / "course-data" / "autograded" / lid / MODULE / f"{MODULE}.ipynb", as_version=4)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in out.cells]
    released = [c.metadata.get("nbgrader", {}).get("grade_id") for c in
                nbformat.read(root / "exercises" / MODULE / f"{MODULE}.ipynb", as_version=4).cells]
    assert ids == released, "the deleted cells are back where the release had them"
    row = build_report().matrix.set_index("learner_id").loc[lid]
    assert all(f"cell {g} was deleted" in row["tampered"] for g in gone), row["tampered"]
    assert (row["status"], row["score"]) == ("needs manual grading", 4.0), "the restored tests grade the answers above them"
