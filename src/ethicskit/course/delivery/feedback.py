"""``ethicskit feedback``: generate feedback for graded submissions and release it.

nbgrader writes one HTML feedback file per notebook into ``feedback/`` and
releases it to the exchange, where hub learners fetch it. nbgrader can
release feedback only for submissions that came through the exchange (they
carry its ``submission_secret.txt``); laptop learners, whose zips were
collected, get theirs from ``feedback/LEARNER/MODULE/`` (a facilitator sends it).
"""

from __future__ import annotations

from pathlib import Path

from nbconvert.preprocessors import Preprocessor

from ethicskit.course.modules import resolve_modules
from ethicskit.course.nbgrader import StepResult, load_config, open_api, run_step


def explanation_only(output: dict) -> dict:
    """An error output reduced to its explanation: the traceback, which quotes the hidden test, is dropped.

    >>> explanation_only({"output_type": "error", "ename": "AssertionError", "evalue": "q1: you chose c.",
    ...                   "traceback": ["---> mark_choice(q1, 'b')", "AssertionError: q1: you chose c."]})
    {'output_type': 'error', 'ename': 'AssertionError', 'evalue': 'q1: you chose c.', 'traceback': ['AssertionError: q1: you chose c.']}
    """
    if output.get("output_type") != "error":
        return output
    return {**output, "traceback": [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]}


class ExplanationsOnly(Preprocessor):
    """nbgrader feedback preprocessor: graded cells show what went wrong, not the code that checked it."""

    enabled = True  # nbconvert preprocessors are off unless enabled; nbgrader registers this one by name

    def preprocess_cell(self, cell, resources, index):
        if cell.get("cell_type") == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            cell.outputs = [explanation_only(o) for o in cell.get("outputs", [])]
        return cell, resources


def feedback(names: list[str] | None = None, *, release: bool = True, root: Path | None = None) -> list[StepResult]:
    """Generate (and release) feedback for every graded submission of the named modules."""
    config = load_config(root)
    autograded = Path(config.CourseDirectory.autograded_directory)
    submitted = Path(config.CourseDirectory.submitted_directory)
    api = open_api(config)
    results = []
    for module in resolve_modules(names, root):
        learners = sorted(p.parent.name for p in autograded.glob(f"*/{module.slug}") if p.is_dir())
        for learner_id in learners:
            result = run_step(api, "generate_feedback", module.slug, learner_id)
            via_exchange = (submitted / learner_id / module.slug / "submission_secret.txt").exists()
            if result.success and release and via_exchange:
                result = run_step(api, "release_feedback", module.slug, learner_id)
            results.append(result)
    return results
