"""``ethicskit extend``: refusals, the record and its event, status and report, and nbgrader's own lateness."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
import pytest
from click.testing import CliRunner

from course_helpers import scratch_project

from ethicskit.course.errors import CourseError
from ethicskit.course.modules import UNKNOWN_MODULE
from ethicskit.course.records.extensions import (
    BAD_UNTIL,
    NO_REASON,
    NOT_RELEASED,
    SELF_PACED,
    UNKNOWN_LEARNER,
    nbgrader_dates,
)
from ethicskit.course.reporting.status import completion_matrix, overdue_list

MODULE = "00-orientation"
TODAY = date(2026, 3, 20)
ROSTER = """employee_id,name,email,team,manager,cohort,due
E1,Ann Lee,ann@corp.com,Web,Bo Ray,A,
E2,Ben Ko,ben@corp.com,Web,Bo Ray,A,
E3,Cat Du,cat@corp.com,Data,Cy Li,B,
"""


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A scratch course with a roster and module 00 released to cohort A, due 2026-03-10 (recorded, not generated)."""
    root = scratch_project(tmp_path / "course", [MODULE, "01-purpose-and-harm"], monkeypatch)
    from ethicskit.course import import_roster, list_roster, load_config
    from ethicskit.course.records.store import add_release, open_store

    (tmp_path / "hr.csv").write_text(ROSTER)
    import_roster(tmp_path / "hr.csv")
    config = load_config()
    with open_store(config) as db:
        add_release(db, MODULE, "v1", "A", "2026-03-10", "2026-03-01T09:00:00.000000Z", "{}")
    people = {p["employee_id"]: p["learner_id"] for p in list_roster()}
    return {"root": root, "config": config, "people": people}


def _store(config):
    from ethicskit.course.records.store import events, extension_rows, open_store

    with open_store(config, readonly=True) as db:
        return [dict(r) for r in extension_rows(db)], [e for e in events(db) if e["kind"] == "extension"]


@pytest.mark.parametrize("learner, module, until, reason, expected", [
    ("E9", "00", "2026-04-01", "leave", UNKNOWN_LEARNER.format(learner="E9")),
    ("E1", "42", "2026-04-01", "leave", UNKNOWN_MODULE.split("{")[0]),
    ("E1", "01", "2026-04-01", "leave", NOT_RELEASED.split("{")[0]),  # known, never released
    ("E3", "00", "2026-04-01", "leave", NOT_RELEASED.split("{")[0]),  # released to cohort A only
    ("E1", "00", "2026-13-01", "leave", BAD_UNTIL.format(until="2026-13-01")),
    ("E1", "00", "next week", "leave", BAD_UNTIL.format(until="next week")),
    ("E1", "00", "20260401", "leave", BAD_UNTIL.format(until="20260401")),
    ("E1", "00", "2026-04-01", "   ", NO_REASON),
])
def test_extend_refuses_bad_input_naming_what_is_wrong_and_records_nothing(course, learner, module, until, reason,
                                                                          expected):
    from ethicskit.course import extend

    with pytest.raises(CourseError) as caught:
        extend(learner, module, until=until, reason=reason)
    assert expected in str(caught.value)
    assert _store(course["config"]) == ([], [])


def test_extend_records_one_row_per_learner_and_module_and_an_event_each_time(course):
    from ethicskit.course import extend

    ann = course["people"]["E1"]
    first = extend("E1", "00", until="2026-03-25", reason="on leave")  # by employee id
    assert (first.learner_id, first.module, first.until, first.due_before) == (ann, MODULE, "2026-03-25", "2026-03-10")
    second = extend(ann, "00-orientation", until="2026-03-31", reason="  on leave, longer  ")  # by learner id
    rows, log = _store(course["config"])
    assert [(r["learner_id"], r["module"], r["until"], r["reason"]) for r in rows] == [
        (ann, MODULE, "2026-03-31", "on leave, longer")], "a new extension replaces the old one"
    assert [(e["kind"], e["learner_id"], e["module"], e["version"]) for e in log] == [("extension", ann, MODULE, "v1")] * 2
    assert json.loads(log[1]["detail"]) == {"until": "2026-03-31", "reason": "on leave, longer",
                                            "replaces": "2026-03-25", "due_before": "2026-03-10"}
    assert second.granted_at == log[1]["at"]


def _frames(extensions=None):
    learners = pd.DataFrame([("E1", "l1", "Ann", "a@x", "Web", "Bo", "A", None, 1, "x"),
                             ("E2", "l2", "Ben", "b@x", "Web", "Bo", "A", None, 1, "x")],
                            columns=["employee_id", "learner_id", "name", "email", "team", "manager", "cohort", "due",
                                     "active", "updated_at"])
    releases = pd.DataFrame([(1, "m1", "v1", "A", "2026-03-10", "2026-03-01T00:00:00Z", "{}")],
                            columns=["id", "module", "version", "cohort", "due", "released_at", "checksums"])
    submissions = pd.DataFrame([("l2", "m1", "2026-03-12T10:00:00.000000Z", "d", "zip", "x")],
                               columns=["learner_id", "module", "timestamp", "digest", "source", "collected_at"])
    gradings = pd.DataFrame(columns=["learner_id", "module", "digest", "graded_at", "tampered", "timed_out"])
    graded = pd.DataFrame(columns=["learner_id", "module", "graded_timestamp", "score", "max_score", "pending_items",
                                   "written_items", "written_below_half", "analyst_score", "analyst_max_score"]
                          ).astype({"graded_timestamp": "datetime64[ns, UTC]"})
    return completion_matrix(learners, releases, submissions, gradings, graded, modules=["m1"], today=TODAY,
                             extensions=extensions).set_index("learner_id")


def test_status_late_flag_and_overdue_list_honour_the_extension():
    before = _frames()
    assert before.loc["l1", "status"] == "overdue" and bool(before.loc["l2", "late"])
    ext = pd.DataFrame([("l1", "m1", "2026-03-25", "leave", "x"), ("l2", "m1", "2026-03-12", "sick", "x")],
                       columns=["learner_id", "module", "until", "reason", "granted_at"])
    after = _frames(ext)
    assert after.loc["l1", "status"] == "not started" and after.loc["l1", "due"] == pd.Timestamp("2026-03-25")
    assert not after.loc["l2", "late"], "submitted on the extension's last day: on time"
    assert overdue_list(after.reset_index(), today=TODAY).empty
    assert len(overdue_list(before.reset_index(), today=TODAY)) == 1


def test_nbgrader_dates_put_each_learners_own_date_as_an_extension_from_the_earliest():
    base, ext = nbgrader_dates({"a": ("2026-03-10", "2026-03-10"), "b": ("2026-03-10", "2026-03-25"),
                                "c": ("2026-03-12", "2026-03-12"), "d": (None, None)})
    assert base == datetime(2026, 3, 11)  # the end of the earliest due day
    assert ext == {"a": None, "b": timedelta(days=15), "c": timedelta(days=2), "d": SELF_PACED}
    assert nbgrader_dates({"a": (None, None)}) == (None, {"a": None}), "no due date anywhere: nbgrader has none"


def test_report_and_dashboard_list_active_extensions_only_when_there_are_any(course, tmp_path):
    from ethicskit.course import ManagerDashboard, build_report, extend
    from ethicskit.course.reporting.report import write_extensions, write_report

    plain = build_report(today=TODAY)
    assert plain.extensions.empty
    write_report(plain, tmp_path / "plain.html", fmt="html")
    write_report(plain, tmp_path / "plain.csv")
    assert "<h2>Extensions</h2>" not in (tmp_path / "plain.html").read_text()
    assert "No active extensions." in ManagerDashboard(plain).extensions.value

    extend("E1", "00", until="2026-03-31", reason="on leave")
    extend("E2", "00", until="2026-03-15", reason="a past one")  # run out by TODAY: not active
    report = build_report(today=TODAY)
    assert report.extensions[["name", "module", "until", "reason"]].values.tolist() == [
        ["Ann Lee", MODULE, "2026-03-31", "on leave"]]
    status = report.matrix[report.matrix["module"] == MODULE].set_index("name")["status"]
    assert (status["Ann Lee"], status["Ben Ko"]) == ("not started", "overdue")
    write_report(report, tmp_path / "ext.html", fmt="html")
    page = (tmp_path / "ext.html").read_text()
    assert "<h2>Extensions</h2>" in page and "on leave" in page
    write_report(report, tmp_path / "ext.csv")
    assert (tmp_path / "ext.csv").read_text().count("\n") == (tmp_path / "plain.csv").read_text().count("\n")
    listing = pd.read_csv(write_extensions(report, tmp_path / "extensions.csv"))
    assert listing["until"].tolist() == ["2026-03-31"] and "email" not in listing
    dash = ManagerDashboard(report)
    assert "on leave" in dash.extensions.value
    dash.filters["team"].value = "Data"
    assert "on leave" not in dash.extensions.value, "a filtered view shows its own learners only"


def test_cli_extend_and_report_extensions(course, tmp_path):
    from ethicskit.cli import main

    runner = CliRunner()
    done = runner.invoke(main, ["extend", "E1", "00", "--until", "2099-03-31", "--reason", "on leave"])
    assert done.exit_code == 0, done.output
    assert "Ann Lee" in done.output and "2099-03-31" in done.output and "was 2026-03-10" in done.output
    bad = runner.invoke(main, ["extend", "E1", "00", "--until", "soon", "--reason", "x"])
    assert bad.exit_code != 0 and BAD_UNTIL.format(until="soon") in bad.output
    out = tmp_path / "ext.csv"
    listed = runner.invoke(main, ["report", "--extensions", "--out", str(out)])
    assert listed.exit_code == 0, listed.output
    assert "1 active extensions" in listed.output and "on leave" in out.read_text()


@pytest.mark.slow
def test_nbgrader_sees_the_extension_when_it_grades(tmp_path, monkeypatch, repo):
    """Real nbgrader: after the due date but before the extension is on time; without one, late."""
    root = scratch_project(tmp_path / "course", [MODULE], monkeypatch)
    from nbgrader.api import Gradebook

    from ethicskit.course import Module, build_report, collect, extend, grade, import_roster, list_roster, release
    from ethicskit.course.demo.simulate import simulated_notebooks, write_zip

    (tmp_path / "hr.csv").write_text(ROSTER)
    import_roster(tmp_path / "hr.csv")
    due = date(2026, 3, 10)
    release(["00"], cohort="A", due=due.isoformat())
    release(["00"], cohort="B")  # self-paced: never late
    people = {p["employee_id"]: p["learner_id"] for p in list_roster()}
    extend("E1", "00", until="2026-03-14", reason="on leave")
    arrived = datetime.combine(due + timedelta(days=2), time(10), tzinfo=UTC)  # two days after the due date
    notebooks = simulated_notebooks(Module(MODULE, root), "complete")
    for lid in people.values():
        write_zip(tmp_path / "inbox", lid, MODULE, notebooks, arrived - timedelta(hours=1))
    assert len(collect(tmp_path / "inbox", now=arrived).ingested) == 3
    run = grade(workers=2, timeout=10)
    assert not run.failed, [o.error for o in run.failed]

    def seconds_late() -> dict[str, float]:
        with Gradebook(f"sqlite:///{root / 'course-data' / 'gradebook.db'}", "ethicskit") as gb:
            return {e: gb.find_submission(MODULE, lid).total_seconds_late for e, lid in people.items()}

    late = seconds_late()
    assert late["E1"] == 0, "submitted after the due date but before the extension"
    assert late["E2"] == timedelta(days=1, hours=10).total_seconds(), "no extension: late from the end of the due day"
    assert late["E3"] == 0, "cohort B has no due date"
    flags = build_report(today=due + timedelta(days=5)).matrix.set_index("employee_id")["late"]
    assert (bool(flags["E1"]), bool(flags["E2"]), bool(flags["E3"])) == (False, True, False), "the report agrees"

    extend("E2", "00", until="2026-03-12", reason="train strike")  # after grading: nbgrader sees it at once
    assert seconds_late()["E2"] == 0
