"""Completion statuses, roll-ups, the report writers and the dashboard, on hand-built and synthetic tables."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest

from ethicskit.course.reporting.report import UNKNOWN_FORMAT, assemble, build_report, csv_rows, write_report
from ethicskit.course.reporting.status import STATUSES, completion_matrix, item_analysis, rollup

TODAY = date(2026, 3, 20)


def _learners(*rows):
    cols = ["employee_id", "learner_id", "name", "email", "team", "manager", "cohort", "due", "active", "updated_at"]
    return pd.DataFrame([(*r, "x") for r in rows], columns=cols)


def _frames():
    learners = _learners(
        ("E1", "l1", "Ann", "a@x.org", "Web", "Bo", "A", None, 1),
        ("E2", "l2", "Ben", "b@x.org", "Web", "Bo", "A", None, 1),
        ("E3", "l3", "Cat", "c@x.org", "Data", "Cy", "A", "2026-03-01", 1),
        ("E4", "l4", "Dev", "d@x.org", "Data", "Cy", "B", "2026-04-01", 1),
        ("E5", "l5", "Eva", "e@x.org", "Data", "Cy", "C", None, 1),
        ("E6", "l6", "Fin", "f@x.org", "Data", "Cy", "A", None, 0),
        ("E7", "l7", "Gus", "g@x.org", "Care", "Di", "A", None, 1),
        ("E8", "l8", "Hal", "h@x.org", "Care", "Di", "A", None, 1),
    )
    releases = pd.DataFrame([
        (1, "m1", "v1", "A", "2026-03-10", "2026-02-01T00:00:00Z", "{}"),
        (2, "m1", "v1", "B", None, "2026-02-01T00:00:00Z", "{}"),
        (3, "m1", "v2", "A", "2026-03-10", "2026-03-05T00:00:00Z", "{}"),
    ], columns=["id", "module", "version", "cohort", "due", "released_at", "checksums"])
    submissions = pd.DataFrame([
        ("l1", "m1", "2026-03-02T10:00:00.000000Z"), ("l2", "m1", "2026-03-06T10:00:00.000000Z"),
        ("l7", "m1", "2026-03-15T10:00:00.000000Z"), ("l8", "m1", "2026-03-09T10:00:00.000000Z"),
    ], columns=["learner_id", "module", "timestamp"]).assign(digest="d", source="zip", collected_at="x")
    gradings = pd.DataFrame([("l2", "m1", "d", "x", "nb: locked cell q1 was changed", "")],
                            columns=["learner_id", "module", "digest", "graded_at", "tampered", "timed_out"])
    graded = pd.DataFrame([
        ("l1", "m1", pd.Timestamp("2026-03-02T10:00:00", tz="UTC"), 4.8, 6.0, 0, 1, 0, 0.0, 4.0),
        ("l2", "m1", pd.Timestamp("2026-03-06T10:00:00", tz="UTC"), 4.7, 6.0, 0, 1, 0, 4.0, 4.0),
        ("l7", "m1", pd.Timestamp("2026-03-15T10:00:00", tz="UTC"), 4.0, 6.0, 1, 1, 0, 0.0, 4.0),
    ], columns=["learner_id", "module", "graded_timestamp", "score", "max_score", "pending_items", "written_items",
                "written_below_half", "analyst_score", "analyst_max_score"])
    return learners, releases, submissions, gradings, graded


@pytest.fixture
def matrix():
    return completion_matrix(*_frames(), modules=["m1", "m2"], today=TODAY)


def test_every_status_from_the_tables(matrix):
    status = matrix.set_index(["learner_id", "module"])["status"]
    assert status[("l1", "m1")] == "passed"  # 4.8 of 6 is exactly the 80% pass mark
    assert status[("l2", "m1")] == "not passed"  # 4.7 of 6 is below it; a full analyst extension does not count
    assert status[("l3", "m1")] == "overdue"  # release due 2026-03-10 wins over the roster's
    assert status[("l4", "m1")] == "not started"  # cohort B: no release due, roster due in April
    assert status[("l5", "m1")] == "not released"  # cohort C: nothing released
    assert status[("l7", "m1")] == "needs manual grading"
    assert status[("l8", "m1")] == "submitted"  # collected, not graded yet
    assert (matrix.loc[matrix["module"] == "m2", "status"] == "not released").all()
    assert "l6" not in set(matrix["learner_id"]), "inactive people are kept in the roster, not in reports"
    assert set(matrix["status"]) <= set(STATUSES)


def test_a_written_answer_below_half_its_points_fails_the_module_whatever_the_score():
    frames = list(_frames())
    frames[4] = frames[4].assign(score=[6.0, 4.7, 4.0], written_below_half=[1, 0, 0])
    status = completion_matrix(*frames, modules=["m1"], today=TODAY).set_index("learner_id")["status"]
    assert status["l1"] == "not passed", "6 of 6 core points, but a written answer earned under half its points"


def test_analyst_extension_is_reported_in_its_own_columns(matrix):
    row = matrix.set_index(["learner_id", "module"]).loc[("l2", "m1")]
    assert (row["analyst_score"], row["analyst_max_score"], row["score"]) == (4.0, 4.0, 4.7)


def test_version_is_the_one_released_before_the_submission_and_late_is_flagged(matrix):
    row = matrix.set_index(["learner_id", "module"])
    assert row.loc[("l1", "m1"), "version"] == "v1" and row.loc[("l2", "m1"), "version"] == "v2"
    assert row.loc[("l3", "m1"), "version"] == "v2"
    assert bool(row.loc[("l7", "m1"), "late"]) and not bool(row.loc[("l1", "m1"), "late"])
    assert row.loc[("l2", "m1"), "tampered"] == "nb: locked cell q1 was changed"


def test_rollups_overdue_list_and_items(matrix):
    items = pd.DataFrame([("m1", "q1", 10, 9, 9.0, 10.0), ("m1", "q2", 10, 3, 4.0, 10.0)],
                         columns=["module", "grade_id", "graded", "full_marks", "points", "max_points"])
    pending = pd.DataFrame([("l7", "m1", "q5", 2.0)], columns=["learner_id", "module", "grade_id", "max_score"])
    report = assemble(matrix, items, pending, modules=["m1", "m2"], today=TODAY)
    web = report.teams.set_index("team").loc["Web"]
    assert (web["learners"], web["passed"], web["not passed"], web["passed %"]) == (2, 1, 1, 50.0)
    assert list(report.overdue[["name", "days_overdue"]].itertuples(index=False, name=None)) == [("Cat", 10)]
    assert list(report.items["grade_id"]) == ["q2", "q1"] and report.items["pass_rate"].tolist() == [0.3, 0.9]
    assert report.queue[["learner_id", "team", "manager"]].values.tolist() == [["l7", "Care", "Di"]]
    care = report.filtered(team="Care")
    assert set(care.matrix["team"]) == {"Care"} and len(care.queue) == 1 and care.overdue.empty
    assert report.filtered(team="Web").queue.empty


def test_csv_rows_have_no_email_and_iso_dates(matrix):
    report = assemble(matrix, item_analysis_input(), pending_input(), modules=["m1", "m2"], today=TODAY)
    rows = csv_rows(report)
    assert "email" not in rows.columns
    assert rows.loc[rows["learner_id"] == "l3", "due"].iloc[0] == "2026-03-10"
    assert rows.loc[rows["learner_id"] == "l1", "submitted_at"].iloc[0] == "2026-03-02T10:00:00Z"


def item_analysis_input():
    return pd.DataFrame(columns=["module", "grade_id", "graded", "full_marks", "points", "max_points"])


def pending_input():
    return pd.DataFrame(columns=["learner_id", "module", "grade_id", "max_score"])


def test_empty_course_reports_cleanly():
    empty = _learners().iloc[0:0]
    matrix = completion_matrix(empty, *(f.iloc[0:0] for f in _frames()[1:]), modules=["m1"], today=TODAY)
    report = assemble(matrix, item_analysis_input(), pending_input(), modules=["m1"], today=TODAY)
    assert report.matrix.empty and report.teams.empty and item_analysis(item_analysis_input()).empty
    assert rollup(matrix, "team").columns[0] == "team"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    from synthetic_course import synthetic_config, synthetic_course

    config = synthetic_config(tmp_path_factory.mktemp("synthetic"))
    counts = synthetic_course(config, learners=300, modules=3)
    return config, counts


def test_report_on_a_synthetic_gradebook(synthetic, tmp_path):
    config, counts = synthetic
    report = build_report(config=config, today=date(2026, 3, 1))
    assert len(report.matrix) == 300 * 3 and report.modules == ["00-module-0", "01-module-1", "02-module-2"]
    graded = report.matrix["status"].isin(["passed", "not passed", "needs manual grading"]).sum()
    assert graded == counts["submissions"]
    assert len(report.items) == 15 and report.items["pass_rate"].between(0, 1).all()
    assert report.teams["learners"].sum() == 300
    html = write_report(report, tmp_path / "r.html", fmt="html").read_text()
    assert html.count("<figcaption>") == 3 and "Share of released modules passed, by team" not in html  # in the PNG
    assert write_report(report, tmp_path / "r.csv").read_text().count("\n") == 901
    with pytest.raises(ValueError, match=re.escape(UNKNOWN_FORMAT.format(fmt="pdf"))):
        write_report(report, tmp_path / "r.pdf", fmt="pdf")


def test_dashboard_widget_filters_without_a_browser(synthetic):
    from ethicskit.course import ManagerDashboard

    config, _ = synthetic
    dash = ManagerDashboard(build_report(config=config, today=date(2026, 3, 1)))
    everyone = dict(dash.summary)
    assert everyone["learners"] == 300
    chart = dash.chart.value
    dash.filters["team"].value = "CRM"
    assert dash.summary["learners"] < 300 and dash.chart.value != chart
    assert "team CRM" in dash.headline.value
    dash.filters["module"].value = "00-module-0"
    assert sum(dash.summary[s] for s in STATUSES) == dash.summary["learners"]
    dash.filters["team"].value = "All"
    dash.filters["module"].value = "All"
    assert dash.summary == everyone
    assert "analyst_extension_completed" in dash.modules.value and "00-module-0" in dash.modules.value


def test_module_table_counts_passes_and_full_analyst_extensions(matrix):
    from ethicskit.course.reporting.dashboard import module_table

    matrix = matrix.copy()
    matrix.loc[matrix["learner_id"] == "l1", "analyst_score"] = 4.0
    row = module_table(matrix).set_index("module").loc["m1"]
    assert (row["passed"], row["analyst_extension_completed"]) == (1, 2)


def test_dashboard_on_an_empty_course_explains_what_to_do(make_project):
    from ethicskit.course import ManagerDashboard

    root = make_project()
    dash = ManagerDashboard.from_course()
    assert "ethicskit roster import" in dash.children[0].value
    assert not (root / "course-data").exists(), "the dashboard must not create records"


HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


def _hostile_matrix():
    frames = list(_frames())
    n = len(frames[0])
    frames[0] = frames[0].assign(name=[HOSTILE[i % 2] for i in range(n)], team=[HOSTILE[(i + 1) % 2] for i in range(n)],
                                 manager=[HOSTILE[i % 2] for i in range(n)])
    return completion_matrix(*frames, modules=["m1", "m2"], today=TODAY)


def test_learner_names_teams_and_managers_are_escaped_in_the_report_and_the_certificate():
    from ethicskit.course.reporting.certificates import eligible, render_certificate
    from ethicskit.course.reporting.html import render_html

    matrix = _hostile_matrix()
    page = render_html(assemble(matrix, item_analysis_input(), pending_input(), modules=["m1", "m2"], today=TODAY))
    [rows] = eligible(matrix).values()  # l1, who passed m1
    certificates = [render_certificate(rows.assign(name=name), issued=TODAY, code="ABCD-EFGH-IJKL")
                    for name in HOSTILE]
    for out in (page, *certificates):
        assert "<script" not in out and "<img src=x" not in out, "learner data must come out as text, not markup"
    for out in (page, "".join(certificates)):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "<title>Certificate: &lt;script&gt;alert(1)&lt;/script&gt;</title>" in certificates[0]


def test_the_report_and_the_dashboard_chart_switch_no_backend_and_leave_no_pyplot_figure(matrix, monkeypatch):
    import matplotlib
    import matplotlib.pyplot as plt

    from ethicskit.course.reporting.dashboard import _chart_png
    from ethicskit.course.reporting.html import render_html

    def refuse(*args, **kwargs):
        raise AssertionError("library code switched matplotlib's backend or drew through pyplot")

    monkeypatch.setattr(matplotlib, "use", refuse)
    monkeypatch.setattr(plt, "figure", refuse)  # plt.subplots and plt.gcf make figures through it
    items = pd.DataFrame([("m1", "q1", 10, 9, 9.0, 10.0)],
                         columns=["module", "grade_id", "graded", "full_marks", "points", "max_points"])
    page = render_html(assemble(matrix, items, pending_input(), modules=["m1", "m2"], today=TODAY))
    assert page.count("<figcaption>") == 3 and page.count('src="data:image/png;base64,iVBOR') == 3
    assert _chart_png(matrix, "Completion by module: everyone").startswith(b"\x89PNG")
    assert plt.get_fignums() == []
