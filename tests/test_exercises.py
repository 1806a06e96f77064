"""The pass rule, end to end through real nbgrader: a pass needs the core's judgment, not the analyst extension.

For every module, two submissions are autograded in a scratch course and a facilitator's manual grades are
played in, then the gradebook is read as the report reads it:
- a business learner: the core's solution, the analyst extension left as released; written answers graded
  in full -> passes;
- an analyst only: the analyst extension's solution, the core left as released (nbgrader scores its blank
  written answers 0) -> does not pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ethicskit.course import Module, ScratchCourse
from ethicskit.course.reporting.gradebook import ANALYST_SUFFIX, read_gradebook
from ethicskit.course.reporting.status import meets_pass_rule

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
GRADED = [p.name for p in sorted((REPO / "solutions").iterdir()) if p.is_dir()]


def _is_analyst(path: Path) -> bool:
    return path.stem.endswith(ANALYST_SUFFIX)


@pytest.mark.parametrize("slug", GRADED)
def test_business_learner_passes_and_analyst_only_does_not(slug):
    module = Module(slug, REPO)
    sources = {p.name: p for p in module.source_notebooks()}
    released = {p.name: p for p in sorted(module.release_dir.glob("*.ipynb"))}
    assert any(_is_analyst(p) for p in sources.values()), f"{slug} has no {slug}{ANALYST_SUFFIX}.ipynb"
    assert set(sources) == set(released), f"{slug}: run `ethicskit build {module.number}`"
    business = {n: (released[n] if _is_analyst(p) else p) for n, p in sources.items()}
    analyst = {n: (p if _is_analyst(p) else released[n]) for n, p in sources.items()}
    with ScratchCourse(module) as course:
        assert course.generate().success
        for student, notebooks in (("business", business), ("analyst", analyst)):
            course.submit(student, notebooks)
            result = course.autograde(student)
            assert result.success, result.summary
            # A facilitator grades what awaits them in full (nbgrader scores a blank written answer 0 itself).
            graded = course.grade_written(student, 1.0)
            assert student != "business" or graded > 0, f"{slug}: the core has no written answer"
        rows = read_gradebook(course.config.CourseDirectory.db_url).submissions.set_index("learner_id")
    passed = meets_pass_rule(rows)
    assert passed["business"], f"{slug}: the core's solution should pass: {rows.loc['business'].to_dict()}"
    assert rows.loc["business", "analyst_score"] == 0
    assert not passed["analyst"], f"{slug}: the analyst extension alone passed: {rows.loc['analyst'].to_dict()}"
    assert rows.loc["analyst", "analyst_score"] == rows.loc["analyst", "analyst_max_score"] > 0


@pytest.mark.parametrize("slug", GRADED)
def test_no_module_can_be_passed_on_autograded_points_alone(slug):
    """From the notebooks' metadata: full autograded points with every written answer at 0 fail the pass rule."""
    import nbformat
    import pandas as pd

    core = [p for p in Module(slug, REPO).source_notebooks() if not _is_analyst(p)]
    graded = [c.metadata["nbgrader"] for p in core for c in nbformat.read(p, as_version=4).cells
              if c.metadata.get("nbgrader", {}).get("grade")]
    written = [m for m in graded if m.get("solution") or m.get("task")]
    autograded = sum(m["points"] for m in graded if m not in written)
    row = pd.DataFrame({"score": [float(autograded)], "max_score": [float(sum(m["points"] for m in graded))],
                        "written_below_half": [sum(m["points"] > 0 for m in written)]})
    assert written, f"{slug}: the core has no written answer"
    assert not meets_pass_rule(row).iloc[0], f"{slug}: {autograded} autograded points alone would pass"
