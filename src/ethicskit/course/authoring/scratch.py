"""A throwaway nbgrader course for one module: generate, submit, autograde, read scores.

The gate and the wrong-answer tests use it so that checking never touches the
real gradebook.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import nbformat

from ethicskit.course.modules import Module
from ethicskit.course.nbgrader import (
    StepResult,
    gradebook,
    load_config,
    open_api,
    run_step,
)
from ethicskit.errors import EthicskitError

UNKNOWN_GRADE_ID = "no cell with grade_id {grade_id!r}; answer cells are: {answer_cells}"


class UnknownGradeId(EthicskitError, KeyError):
    """A grade_id that the notebook does not have (a ``KeyError``)."""

    __str__ = Exception.__str__  # the message itself; KeyError's own would wrap it in quotes


class ScratchCourse:
    """A scratch course whose source folder is the real ``solutions/``."""

    def __init__(self, module: Module):
        self.module = module
        self.dir = Path(tempfile.mkdtemp(prefix=f"ek-scratch-{module.number}-"))
        self.config = load_config(
            module.root,
            CourseDirectory={
                "root": str(self.dir),
                "source_directory": str(module.root / "solutions"),
                "release_directory": str(self.dir / "release"),
                "submitted_directory": str(self.dir / "submitted"),
                "autograded_directory": str(self.dir / "autograded"),
                "feedback_directory": str(self.dir / "feedback"),
                "db_url": f"sqlite:///{self.dir / 'gradebook.db'}",
            },
            Exchange={"root": str(self.dir / "exchange")},
        )
        self.api = open_api(self.config)

    def __enter__(self) -> ScratchCourse:
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def release_dir(self) -> Path:
        return self.dir / "release" / self.module.slug

    def generate(self) -> StepResult:
        return run_step(self.api, "generate_assignment", self.module.slug)

    def submit(self, student: str, notebooks: dict[str, nbformat.NotebookNode | Path]) -> None:
        """Place notebooks (by file name) as ``student``'s submission."""
        dest = self.dir / "submitted" / student / self.module.slug
        dest.mkdir(parents=True, exist_ok=True)
        for name, nb in notebooks.items():
            if isinstance(nb, Path):
                shutil.copy(nb, dest / name)
            else:
                nbformat.write(nb, dest / name)

    def autograde(self, student: str) -> StepResult:
        return run_step(self.api, "autograde", self.module.slug, student)

    def scores(self, student: str) -> dict[str, tuple[float, float, str]]:
        """grade_id -> (auto score, max score, notebook) for autograded code cells."""
        found = {}
        with gradebook(self.config) as gb:
            for nb in gb.find_submission(self.module.slug, student).notebooks:
                for grade in nb.grades:
                    if grade.cell.cell_type == "code":
                        found[grade.name] = (grade.auto_score or 0.0, grade.max_score, nb.name)
        return found

    def grade_written(self, student: str, fraction: float = 1.0) -> int:
        """Play the facilitator: give every answer awaiting manual grading ``fraction`` of its points."""
        count = 0
        with gradebook(self.config) as gb:
            for nb in gb.find_submission(self.module.slug, student).notebooks:
                for grade in nb.grades:
                    if grade.needs_manual_grade:
                        grade.manual_score = fraction * grade.max_score
                        grade.needs_manual_grade = False
                        count += 1
            gb.db.commit()
        return count

    def autograded_notebooks(self, student: str) -> list[Path]:
        return sorted((self.dir / "autograded" / student / self.module.slug).glob("*.ipynb"))


def with_answers(nb: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    """A copy of ``nb`` whose answer cells (by grade_id) hold the given sources.

    Raises ``UnknownGradeId`` (a ``KeyError``) naming a grade_id that the notebook does not have.
    """
    copy = nbformat.from_dict(nb)
    ids = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in copy.cells}
    for grade_id, source in answers.items():
        if grade_id not in ids:
            answer_cells = sorted(i for i, c in ids.items() if i and c.metadata["nbgrader"].get("solution"))
            raise UnknownGradeId(UNKNOWN_GRADE_ID.format(grade_id=grade_id, answer_cells=", ".join(answer_cells)))
        ids[grade_id].source = source
    return copy
