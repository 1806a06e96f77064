"""End to end with real nbgrader: roster, release, zips (good, bad, hostile), collect, parallel grade, report.

One course is built and graded once for the whole module (``pipeline``);
the tests read it. A twin copy, taken before grading, is graded by serial
``nbgrader autograde`` to check that parallel grading gives the same grades.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, time, timedelta, timezone

import pytest

from course_helpers import REPO, graded_cells, scratch_project

from ethicskit.course.demo.simulate import hostile_zips, simulated_notebooks, write_zip
from ethicskit.course.reporting.report import UNKNOWN_TEAM

pytestmark = pytest.mark.slow

MODULE = "00-orientation"
ROSTER = """employee_id,name,email,team,manager,cohort,due
E01,Ann Lee,ann@corp.com,Web,Bo Ray,A,
E02,Ben Ko,ben@corp.com,Web,Bo Ray,A,
E03,Cat Du,cat@corp.com,Web,Bo Ray,A,
E04,Dev Rao,dev@corp.com,Data,Cy Li,A,
E05,Eva Lund,eva@corp.com,Data,Cy Li,A,
E06,Fin Ahl,fin@corp.com,Data,Cy Li,A,
E07,Gus Orr,gus@corp.com,Data,Cy Li,A,
E08,Hal Ito,hal@corp.com,Care,Di Mo,A,
E09,Ida Sy,ida@corp.com,Care,Di Mo,B,
E10,Jo Kim,jo@corp.com,Care,Di Mo,C,
E11,Kai Lo,kai@corp.com,Care,Di Mo,A,
"""

_SOLUTIONS = REPO / "solutions" / MODULE
_CORE = [(c.cell_type, c.metadata.nbgrader.grade_id) for c in graded_cells(_SOLUTIONS / f"{MODULE}.ipynb")]
# The core's autograded tests in order, and its one written answer: the expectations below follow the module.
CORE = {"tests": [g for t, g in _CORE if t == "code"], "written": next(g for t, g in _CORE if t == "markdown")}
GRADED_CELLS = sum(len(graded_cells(p)) for p in _SOLUTIONS.glob("*.ipynb"))
assert len(CORE["tests"]) == 4 and sum(t == "markdown" for t, _ in _CORE) == 1, "EXPECTED assumes 4 autograded points and one 2-point written answer"

# employee -> (kind of work, expected status, expected score of 6, flag)
EXPECTED = {
    "E01": ("complete", "passed", 6.0, ""),  # a facilitator gives the written answer 2 points
    "E02": ("complete", "needs manual grading", 4.0, ""),
    "E03": ("partial", "not passed", 4.0, ""),  # 2 autograded + 2 written (marked)
    "E04": ("blank", "not passed", 0.0, ""),
    "E05": ("late", "needs manual grading", 4.0, "late"),
    "E06": ("tampered", "needs manual grading", 4.0, "tampered"),
    "E07": ("never-ending", "needs manual grading", 3.0, "timed_out"),
    "E08": (None, "overdue", None, ""),
    "E09": (None, "not started", None, ""),  # cohort B: released without a due date
    "E10": ("complete", "not released", None, ""),  # cohort C: never released, so the zip is refused
    "E11": ("resubmitted", "needs manual grading", 4.0, ""),  # a partial zip, then a newer complete one
}


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory, repo):
    """Build, collect and grade (2 workers) a course of 11 simulated learners; yield its facts."""
    mp = pytest.MonkeyPatch()
    base = tmp_path_factory.mktemp("pipeline")
    root = scratch_project(base / "course", [MODULE], mp)
    from ethicskit.course import Module, collect, grade, import_roster, list_roster, release

    (base / "hr.csv").write_text(ROSTER)
    import_roster(base / "hr.csv")
    now = datetime.now(timezone.utc).replace(microsecond=0)
    due = now.date() + timedelta(days=2)
    [released] = release(["00"], cohort="A", due=due.isoformat())
    release(["00"], cohort="B")
    people = {p["employee_id"]: p for p in list_roster()}
    module = Module(MODULE, root)
    inbox = base / "inbox"
    for n, (employee, (kind, *_)) in enumerate(sorted(EXPECTED.items())):
        lid = people[employee]["learner_id"]
        when = now + timedelta(minutes=5 + n)
        if kind == "late":
            when = datetime.combine(due + timedelta(days=1), time(10), tzinfo=timezone.utc)
        if kind == "resubmitted":
            write_zip(inbox, lid, MODULE, simulated_notebooks(module, "partial"), when)
            write_zip(inbox, lid, MODULE, simulated_notebooks(module, "complete"), when + timedelta(hours=1))
        elif kind == "late":  # sent a day after the due date: collect records the time it arrives
            write_zip(base / "late-inbox", lid, MODULE, simulated_notebooks(module, kind), when)
        elif kind:
            write_zip(inbox, lid, MODULE, simulated_notebooks(module, kind), when)
    hostile = hostile_zips(inbox, learner_id=people["E01"]["learner_id"], module=MODULE, when=now)
    unknown = write_zip(inbox, "ek00000000ff", MODULE, simulated_notebooks(module, "complete"), now).name
    collected = collect(inbox)
    late = collect(base / "late-inbox", now=datetime.combine(due + timedelta(days=1), time(10, 5), tzinfo=timezone.utc))
    assert len(late.ingested) == 1, late.rejected
    collected.ingested += late.ingested
    twin = base / "twin"
    shutil.copytree(root, twin)
    run = grade(workers=2, timeout=5)
    _mark_written_answers(root, [people[e]["learner_id"] for e in ("E01", "E03")])
    today = due + timedelta(days=3)
    yield {"root": root, "twin": twin, "people": people, "collected": collected, "run": run, "today": today,
           "hostile": hostile, "unknown": unknown, "released": released, "base": base}
    mp.undo()


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


def _grades(db_path):
    db = sqlite3.connect(db_path)
    rows = db.execute("""SELECT sa.student_id, bc.name, g.auto_score, g.needs_manual_grade FROM grade g
        JOIN submitted_notebook sn ON g.notebook_id = sn.id JOIN submitted_assignment sa ON sn.assignment_id = sa.id
        JOIN base_cell bc ON g.cell_id = bc.id""").fetchall()
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}


def test_collect_ingests_good_zips_and_rejects_each_bad_one_with_a_reason(pipeline):
    rejected = dict(pipeline["collected"].rejected)
    for name, word in pipeline["hostile"].items():
        assert word in rejected.pop(name), (name, word)
    assert "unknown learner id 'ek00000000ff'" in rejected.pop(pipeline["unknown"])
    [(name, reason)] = rejected.items()
    assert pipeline["people"]["E10"]["learner_id"] in name and "not been released to cohort 'C'" in reason
    ingested = {i.learner_id for i in pipeline["collected"].ingested}
    assert len(ingested) == 8 and len(pipeline["collected"].ingested) == 8
    e11 = pipeline["people"]["E11"]["learner_id"]
    assert [reason for name, reason in pipeline["collected"].skipped if e11 in name] == [
        f"a later zip of {e11} {MODULE} in this folder replaces it"], "E11 sent two zips: the later claim wins"
    submitted = pipeline["root"] / "course-data" / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == sorted(ingested)
    assert not (pipeline["base"] / "00-orientation.ipynb").exists(), "zip-slip must not write outside"
    stamp = (submitted / pipeline["people"]["E05"]["learner_id"] / MODULE / "timestamp.txt").read_text()
    assert stamp.endswith(" UTC") and "10:05:00" in stamp, "the time collect received it"


def test_statuses_and_scores_match_each_simulated_learner(pipeline):
    from ethicskit.course import build_report

    run = pipeline["run"]
    assert not run.failed and len(run.graded) == 8
    report = build_report(today=pipeline["today"])
    rows = {r.employee_id: r for r in report.matrix.itertuples()}
    for employee, (_kind, status, score, flag) in EXPECTED.items():
        row = rows[employee]
        assert row.status == status, (employee, row.status, status)
        if score is None:
            assert row.score != row.score, employee  # NaN: nothing graded
        else:
            assert (row.score, row.max_score) == (score, 6.0), employee
            assert row.version == pipeline["released"].version
        assert bool(row.late) == (flag == "late"), employee
        assert bool(row.tampered) == (flag == "tampered"), (employee, row.tampered)
        assert bool(row.timed_out) == (flag == "timed_out"), (employee, row.timed_out)
    first, last = CORE["tests"][0], CORE["tests"][-1]
    assert f"{MODULE}.ipynb: locked cell {first} was changed" in rows["E06"].tampered
    assert f"{MODULE}.ipynb: cell {last} was deleted" in rows["E06"].tampered
    assert f"{first}-answer" in rows["E07"].timed_out
    assert list(report.overdue["name"]) == ["Hal Ito"]
    items = report.items.set_index("grade_id")
    assert items.loc[first, "graded"] == 8
    assert items.loc[first, "pass_rate"] == round(5 / 8, 3)  # partial, blank, never-ending miss
    assert set(report.queue["grade_id"]) == {CORE["written"]} and len(report.queue) == 5
    web = report.teams.set_index("team").loc["Web"]
    assert (web["learners"], web["passed"], web["not passed"], web["needs manual grading"]) == (3, 1, 1, 1)


def test_timed_out_cell_carries_a_clear_message_and_the_rest_is_graded(pipeline):
    import nbformat

    lid = pipeline["people"]["E07"]["learner_id"]
    nb = nbformat.read(pipeline["root"] / "course-data" / "autograded" / lid / MODULE / f"{MODULE}.ipynb", 4)
    [cell] = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == f"{CORE['tests'][0]}-answer"]
    text = " ".join(o.get("evalue", "") for o in cell.outputs)
    assert "stopped after 5 s" in text and "loop that never ends" in text


def test_regrading_skips_unchanged_work_and_counts_nothing_twice(pipeline):
    from ethicskit.course import grade

    before = _grades(pipeline["root"] / "course-data" / "gradebook.db")
    again = grade(workers=2, timeout=5)
    assert again.graded == [] and again.up_to_date == 8
    db = sqlite3.connect(pipeline["root"] / "course-data" / "gradebook.db")
    assert db.execute("SELECT COUNT(*) FROM submitted_assignment").fetchone()[0] == 8
    assert db.execute("SELECT COUNT(*) FROM grade").fetchone()[0] == 8 * GRADED_CELLS
    assert _grades(pipeline["root"] / "course-data" / "gradebook.db") == before


def test_parallel_grades_equal_serial_nbgrader_autograde_grade_by_grade(pipeline):
    twin = pipeline["twin"]
    env = {**os.environ, "ETHICSKIT_ROOT": str(twin), "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]}
    proc = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", MODULE, "--Execute.timeout=5"],
                          cwd=twin, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    serial = _grades(twin / "course-data" / "gradebook.db")
    parallel = _grades(pipeline["root"] / "course-data" / "gradebook.db")
    marked = {pipeline["people"][e]["learner_id"] for e in ("E01", "E03")}
    parallel = {k: (v if k[0] not in marked or k[1] != CORE["written"] else (v[0], 1))
                for k, v in parallel.items()}
    assert len(serial) == 8 * GRADED_CELLS and serial == parallel


def test_csv_html_and_nbgrader_export_carry_status_not_written_answers(pipeline, tmp_path):
    import pandas as pd

    from ethicskit.course import build_report, write_report

    report = build_report(today=pipeline["today"])
    csv_path = write_report(report, tmp_path / "c.csv")
    html_path = write_report(report, tmp_path / "c.html", fmt="html")
    answer = "train season ticket"  # from the exemplar written answer the complete learners submitted
    for path in (csv_path, html_path):
        assert answer not in path.read_text()
    html = html_path.read_text()
    assert html.count("<img") == 3 and html.count("<figcaption>") == 3 and "Overdue" in html
    env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]}
    proc = subprocess.run([sys.executable, "-m", "nbgrader", "export",
                           "--exporter=ethicskit.course.reporting.export.CompletionExporter", f"--to={tmp_path / 'n.csv'}"],
                          cwd=pipeline["root"], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    ours, theirs = pd.read_csv(csv_path), pd.read_csv(tmp_path / "n.csv")
    assert list(theirs.columns) == list(ours.columns) and len(theirs) == len(ours) == 11
    assert "email" not in ours.columns
    web = build_report(team="Web", today=pipeline["today"])
    assert set(web.matrix["team"]) == {"Web"}
    with pytest.raises(ValueError) as info:
        build_report(team="Nope")
    assert str(info.value) == UNKNOWN_TEAM.format(team="Nope", valid="Care, Data, Web")


def test_certificates_only_for_learners_who_passed_everything(pipeline, tmp_path):
    from ethicskit.course import certificates

    written = certificates(out=tmp_path, today=pipeline["today"])
    assert [p.stem for p in written] == [pipeline["people"]["E01"]["learner_id"]]
    page = written[0].read_text()
    assert "Ann Lee" in page and pipeline["released"].version in page and MODULE in page
    assert re.search(r'Verification code <strong class="code">[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}</strong>', page)


def test_dashboard_filters_and_never_writes(pipeline):
    from ethicskit.course import ManagerDashboard

    db = pipeline["root"] / "course-data" / "gradebook.db"
    store = pipeline["root"] / "course-data" / "roster.db"
    stamps = (db.stat().st_mtime_ns, store.stat().st_mtime_ns)
    dash = ManagerDashboard.from_course()
    assert dash.summary["learners"] == 11
    chart = dash.chart.value
    dash.filters["team"].value = "Web"
    assert dash.summary["learners"] == 3 and dash.summary["passed"] == 1 and dash.chart.value != chart
    assert "Bo Ray" not in dash.overdue.value and "data:text/csv;base64," in dash.download.value
    dash.filters["team"].value = "Care"
    assert "Hal Ito" in dash.overdue.value or dash.summary["overdue"] == 0  # overdue depends on today
    assert (db.stat().st_mtime_ns, store.stat().st_mtime_ns) == stamps


def test_feedback_is_generated_and_released(pipeline):
    from ethicskit.course import feedback

    results = feedback(["00"])
    assert len(results) == 8 and all(r.success for r in results), [r.summary for r in results if not r.success]
    lid = pipeline["people"]["E02"]["learner_id"]
    assert (pipeline["root"] / "course-data" / "feedback" / lid / MODULE / f"{MODULE}.html").exists()
    marked = sorted(pipeline["people"][e]["learner_id"] for e in ("E01", "E03"))
    assert sorted(e["learner_id"] for e in _events(pipeline) if e["kind"] == "manual_grade") == marked, \
        "feedback logs the manual grades given in the formgrader"


def _events(pipeline) -> list[dict]:
    from ethicskit.course.nbgrader import load_config
    from ethicskit.course.records.store import events, open_store

    with open_store(load_config(pipeline["root"]), readonly=True) as db:
        return events(db)


def test_every_step_is_in_the_event_log_and_a_certificate_code_verifies(pipeline, tmp_path):
    from click.testing import CliRunner

    from ethicskit.cli import main
    from ethicskit.course import certificates

    first = certificates(out=tmp_path / "first", today=pipeline["today"])
    again = certificates(out=tmp_path / "again", today=pipeline["today"] + timedelta(days=30))
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again], "the same certificate, the same code"
    chain = _events(pipeline)
    kinds = [e["kind"] for e in chain]
    assert (kinds.count("release"), kinds.count("submission"), kinds.count("grade"), kinds.count("certificate")) == (
        2, 8, 8, 1), kinds
    version = pipeline["released"].version
    graded = [e for e in chain if e["kind"] == "grade"]
    assert all(e["version"] == version and len(e["digest"]) == 16 for e in graded)
    assert all(json.loads(e["detail"])["max_score"] >= 6.0 for e in graded), "nbgrader's score after autograde"
    [code] = re.findall(r'<strong class="code">([A-Z2-7-]+)</strong>', first[0].read_text())
    result = CliRunner().invoke(main, ["verify", code])
    assert result.exit_code == 0, result.output
    assert f"checked {len(chain)} event(s): the chain is intact" in result.output
    e01 = pipeline["people"]["E01"]["learner_id"]
    assert f"to {e01} (Ann Lee)" in result.output and f"  {MODULE}  version {version}  passed on " in result.output


def test_demo_runs_the_whole_pipeline_on_a_small_cohort(tmp_path, monkeypatch, repo):
    from click.testing import CliRunner

    from ethicskit.cli import main

    monkeypatch.setenv("ETHICSKIT_ROOT", str(repo))
    monkeypatch.setenv("ETHICSKIT_DB_URL", "sqlite:////nonexistent/never-used.db")  # the demo must ignore it
    result = CliRunner().invoke(main, ["demo", "--learners", "8", "--timeout", "3", "--folder", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert "rejected ek0000000000+" in result.output and "zip-slip" in result.output
    assert "The manager's view as of" in result.output and "Item analysis" in result.output
    assert (tmp_path / "demo" / "completion.html").exists() and not (repo / "course-data" / "roster.db").exists()
    assert os.environ["ETHICSKIT_DB_URL"] == "sqlite:////nonexistent/never-used.db"
