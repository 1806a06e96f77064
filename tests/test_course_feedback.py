"""Feedback after grading teaches without handing over the key, through real nbgrader (autograde, feedback)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
import yaml

from ethicskit.course import Module, ScratchCourse, with_answers
from ethicskit.course.nbgrader import run_step

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
SLUG = "00-orientation"


def test_feedback_explains_the_wrong_option_and_shows_no_hidden_test_or_mark_scheme():
    module = Module(SLUG, REPO)
    [core] = [p for p in module.source_notebooks() if not p.stem.endswith("-analyst")]
    catalogue = yaml.safe_load((REPO / "tests" / "wrong_answers" / f"{SLUG}.yaml").read_text())
    item, entry = next((k, v) for k, v in catalogue.items() if k.startswith("00-q"))
    solution = nbformat.read(core, as_version=4)
    submitted = with_answers(solution, {f"{item}-answer": entry["wrong"][0]["source"]})
    test_cell = next(c for c in solution.cells if c.metadata.get("nbgrader", {}).get("grade_id") == item)
    hidden = test_cell.source.split("### BEGIN HIDDEN TESTS", 1)[1].split("### END HIDDEN TESTS", 1)[0]
    scheme = next(c.source for c in solution.cells if "BEGIN MARK SCHEME" in c.source)
    scheme = scheme.split("BEGIN MARK SCHEME", 1)[1].split("END MARK SCHEME", 1)[0]
    with ScratchCourse(module) as course:
        assert course.generate().success
        course.submit("learner", {core.name: submitted})
        assert course.autograde("learner").success
        result = run_step(course.api, "generate_feedback", SLUG, "learner")
        assert result.success, result.summary
        [page] = (course.dir / "feedback" / "learner" / SLUG).glob(f"{core.stem}.html")
        text = page.read_text()
    assert "you chose" in text, "the feedback should explain the wrong option the learner chose"
    assert "BEGIN HIDDEN TESTS" not in text and "mark_choice(" not in text and "mark_number(" not in text
    for line in (ln.strip() for ln in hidden.splitlines()):
        if len(line) > 25:
            assert line not in text, f"the hidden test leaks into feedback: {line!r}"
    for line in (ln.strip() for ln in scheme.splitlines()):
        if len(line) > 40:
            assert line[:40] not in text, f"the mark scheme leaks into feedback: {line[:60]!r}"
