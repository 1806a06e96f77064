"""Every lesson widget runs without blocking under nbclient and inside a real nbgrader autograde."""

from __future__ import annotations

import time

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from ethicskit.course import Module, ScratchCourse, execute_notebook

pytestmark = pytest.mark.slow
SLUG = "99-widget-smoke"

BUILD_EVERY_WIDGET = """
from ethicskit.data import load
from ethicskit.widgets import (ConsentTimeline, MessageReviewer, ProxyExplorer, QuickCheck,
                               ThresholdExplorer, TreeWalker)

customers = load("customers")
offers = load("campaign_offers").merge(customers, on="customer_id")
upgrade = offers[offers["offer"] == "premium_card_upgrade"]
features = load("candidate_features").merge(customers, on="customer_id")
widgets = [
    TreeWalker("use_of_feature"),
    QuickCheck("Pick b", ["a", "b"], "b", explanation="b is right."),
    ThresholdExplorer(upgrade, group="ethnicity_group", score="score"),
    ProxyExplorer(features, features=["lifestyle_affinity", "purchase_frequency"], protected=["gender"]),
    ConsentTimeline(load("consent_ledger")),
    MessageReviewer(text="Only today! T&Cs apply."),
]
widgets[0].value = ["no", "no", "strong_proxy", "not_necessary"]
widgets
"""


def _grade_cell(source, grade_id, *, solution=False, grade=False, points=0):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": grade, "grade_id": grade_id, "locked": not solution,
                                 "points": points, "schema_version": 3, "solution": solution, "task": False}
    return cell


def _notebook():
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [
        new_markdown_cell("# Widgets in a graded notebook"),
        _grade_cell(BUILD_EVERY_WIDGET, "99-setup-widgets"),
        _grade_cell("### BEGIN SOLUTION\nq1_outcome = widgets[0].outcome\n### END SOLUTION", "99-q1-outcome-answer",
                    solution=True),
        _grade_cell('assert q1_outcome == "stop"', "99-q1-outcome", grade=True, points=1),
    ]
    return nb


def test_widgets_do_not_block_nbclient_or_nbgrader_autograde(make_project):
    root = make_project()
    source = root / "solutions" / SLUG / f"{SLUG}.ipynb"
    source.parent.mkdir(parents=True)
    nbformat.write(_notebook(), source)

    assert execute_notebook(source, timeout=60) == []
    with ScratchCourse(Module(SLUG, root)) as course:
        assert course.generate().success
        course.submit("learner-1", {source.name: source})
        start = time.perf_counter()
        result = course.autograde("learner-1")
        assert result.success, result.summary
        assert time.perf_counter() - start < 120
        assert course.scores("learner-1")["99-q1-outcome"][:2] == (1.0, 1.0)
