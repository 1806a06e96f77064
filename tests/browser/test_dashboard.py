"""The manager dashboard in a real browser: it opens, the team filter changes the chart, a screenshot is kept."""

from __future__ import annotations

import os
import shutil

import pytest

from voila_helpers import REPO, voila_server


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A synthetic course (300 learners, 3 modules) that the served dashboard reads."""
    root = tmp_path_factory.mktemp("dashboard") / "course"
    (root / "dashboards").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copy(REPO / "dashboards" / "manager.ipynb", root / "dashboards" / "manager.ipynb")
    mp = pytest.MonkeyPatch()
    for key in ("ETHICSKIT_COURSE_DATA", "ETHICSKIT_DB_URL", "ETHICSKIT_EXCHANGE", "ETHICSKIT_COURSE_ID"):
        mp.delenv(key, raising=False)
    mp.setenv("ETHICSKIT_ROOT", str(root))
    from ethicskit.course.nbgrader import load_config
    from synthetic_course import synthetic_course

    synthetic_course(load_config(root), learners=300, modules=3)
    yield root
    mp.undo()


def test_dashboard_opens_and_the_team_filter_changes_the_chart(course, page, console_errors, artifacts):
    gradebook = course / "course-data" / "gradebook.db"
    before = gradebook.stat().st_mtime_ns
    with voila_server(course / "dashboards" / "manager.ipynb") as url:
        page.goto(url)
        chart = page.locator(".jupyter-widgets img").first
        chart.wait_for(timeout=90_000)
        assert "300" in page.locator(".widget-html", has_text="learners").first.inner_text()
        first = chart.get_attribute("src")
        team = page.locator(".widget-dropdown", has_text="Team").locator("select")
        team.select_option("CRM")
        page.wait_for_function("src => { const img = document.querySelector('.jupyter-widgets img');"
                               " return img && img.getAttribute('src') !== src; }", arg=first, timeout=30_000)
        assert "team CRM" in page.locator(".widget-html", has_text="learners").first.inner_text()
        assert page.locator("a.ek-download").get_attribute("download") == "completion.csv"
        page.screenshot(path=str(artifacts / "dashboard-team-filter.png"), full_page=True)
    assert gradebook.stat().st_mtime_ns == before, "the dashboard must only read the gradebook"
    assert not [e for e in console_errors if "favicon" not in e], console_errors
    assert os.environ["ETHICSKIT_ROOT"] == str(course)
