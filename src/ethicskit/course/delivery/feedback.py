"""``ethicskit feedback``: generate feedback for graded submissions and release it.

nbgrader writes one HTML feedback file per notebook into ``feedback/`` and
releases it to the exchange, where hub learners fetch it. nbgrader can
release feedback only for submissions that came through the exchange (they
carry its ``submission_secret.txt``); laptop learners, whose zips were
collected, get theirs from ``feedback/LEARNER/MODULE/`` (a facilitator sends it).

Manual grades are given in the formgrader, outside the kit; before making
feedback, each new or changed manual score is logged as a ``manual_grade``
event in the store's event log (``ethicskit verify``).

Feedback made before a facilitator has graded the written answers says so
(:class:`PendingWrittenAnswers`): nbgrader alone shows such an answer as
"Score: 0.0 / 2.0", which reads as a mark. Run ``ethicskit feedback`` again
once they are graded.
"""

from __future__ import annotations

from pathlib import Path

from nbconvert.preprocessors import Preprocessor

from ethicskit.course.modules import resolve_modules
from ethicskit.course.nbgrader import StepResult, load_config, open_api, run_step
from ethicskit.course.records.events import record_manual_grades


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


PENDING_NOTEBOOK = ("**Not final yet.** {count} written answer(s) here, worth {points:g} point(s), are waiting for a "
                    "facilitator to read and grade them. The score above counts only the questions graded "
                    "automatically, so each written answer shows 0 for now. You will get updated feedback once "
                    "they are graded.")
PENDING_ANSWER = "**Waiting for a facilitator.** This written answer is not graded yet: its score of 0 is not final."


def _note(text: str):
    import nbformat

    return nbformat.v4.new_markdown_cell(text, metadata={"ethicskit": {"note": "pending-manual-grade"}})


class PendingWrittenAnswers(Preprocessor):
    """nbgrader feedback preprocessor: say which written answers are still waiting for a facilitator.

    A note under each answer that needs manual grading in the gradebook, and one at the top with
    their count and points. Once a facilitator has graded them, feedback made again has no note.
    """

    enabled = True

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook

        info = resources.get("nbgrader", {})
        pending, cells = [], []
        with Gradebook(info["db_url"]) as gb:
            for cell in nb.cells:
                cells.append(cell)
                meta = cell.metadata.get("nbgrader", {})
                if not meta.get("grade"):
                    continue
                grade = gb.find_grade(meta["grade_id"], info["notebook"], info["assignment"], info["student"])
                if grade.needs_manual_grade:
                    pending.append(grade.max_score or 0)
                    cells.append(_note(PENDING_ANSWER))
        if pending:
            nb.cells = [_note(PENDING_NOTEBOOK.format(count=len(pending), points=sum(pending))), *cells]
        return nb, resources


def feedback_needed(config, learner_id: str, module: str, *, release: bool = True) -> bool:
    """Whether a graded submission's feedback is missing, older than its grading, or (via the exchange) unreleased.

    Reads only file times and sizes: nbgrader writes feedback after grading, and releases it with a
    copy and a rename, so a released file at least as new as the feedback, of its size, is that feedback.
    """
    from nbgrader.utils import notebook_hash

    graded = Path(config.CourseDirectory.autograded_directory) / learner_id / module
    made = Path(config.CourseDirectory.feedback_directory) / learner_id / module
    outbound = Path(config.Exchange.root) / config.CourseDirectory.course_id / "feedback"
    secret_file = graded / "submission_secret.txt"
    secret = secret_file.read_text() if release and secret_file.exists() else None
    for notebook in sorted(graded.glob("*.ipynb")):
        html = made / f"{notebook.stem}.html"
        if not html.exists() or html.stat().st_mtime_ns < notebook.stat().st_mtime_ns:
            return True
        if secret:
            released = outbound / f"{notebook_hash(secret=secret, notebook_id=notebook.stem)}.html"
            if (not released.exists() or released.stat().st_mtime_ns < html.stat().st_mtime_ns
                    or released.stat().st_size != html.stat().st_size):
                return True
    return False


def feedback_one(api, module: str, learner_id: str, *, release: bool = True) -> StepResult:
    """Generate one graded submission's feedback; release it if the submission came through the exchange."""
    result = run_step(api, "generate_feedback", module, learner_id)
    submitted = Path(api.coursedir.submitted_directory) / learner_id / module
    if result.success and release and (submitted / "submission_secret.txt").exists():
        result = run_step(api, "release_feedback", module, learner_id)
    return result


def feedback(names: list[str] | None = None, *, release: bool = True, root: Path | None = None) -> list[StepResult]:
    """Generate (and release) feedback for every graded submission of the named modules."""
    config = load_config(root)
    record_manual_grades(config)
    autograded = Path(config.CourseDirectory.autograded_directory)
    api = open_api(config)
    results = []
    for module in resolve_modules(names, root):
        learners = sorted(p.parent.name for p in autograded.glob(f"*/{module.slug}") if p.is_dir())
        for learner_id in learners:
            results.append(feedback_one(api, module.slug, learner_id, release=release))
    return results
