"""Put deleted grade cells back where the release had them, before a submission is graded.

nbgrader's own ``OverwriteCells.add_missing_grade_cells`` takes the gradebook's
cells in the order the database returns them, and looks for the cell before a
deleted one among answer and test cells only. On PostgreSQL, or when a deleted
written answer follows a locked text cell, it fails with a ``KeyError`` and the
whole submission goes ungraded. This subclass reads the order from the source
notebook instead.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import OverwriteCells


def released_order(path: Path) -> list[str]:
    """grade_ids of a source notebook's cells, in the order the learner received them."""
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return []
    return [g for g in (c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells) if g]


def restore_position(order: list[str], present: dict[str, int], grade_id: str) -> int:
    """Where a deleted cell goes back: after the nearest cell before it (in ``order``) still in the notebook."""
    for previous in reversed(order[: order.index(grade_id)]):
        if previous in present:
            return present[previous] + 1
    return 0


class RestoreCells(OverwriteCells):
    """nbgrader's ``OverwriteCells``, with deleted grade cells put back in the released order."""

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        cells = {c.name: c for c in source_nb.source_cells}
        solutions = {c.name for c in source_nb.solution_cells}
        course = CourseDirectory(config=self.config)
        folder = Path(course.format_path(course.source_directory, ".", self.assignment_id))
        order = [g for g in released_order(folder / f"{self.notebook_id}.ipynb") if g in cells]
        order += sorted(set(cells) - set(order))
        for grade_cell in sorted(source_nb.grade_cells, key=lambda c: order.index(c.name)):
            present = {c.metadata.get("nbgrader", {}).get("grade_id"): i for i, c in enumerate(nb.cells)}
            if grade_cell.name in present:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", grade_cell.name)
            cell = self.missing_cell_transform(cells[grade_cell.name], grade_cell.max_score,
                                               is_solution=grade_cell.name in solutions)
            nb.cells.insert(restore_position(order, present, grade_cell.name), cell)
        return nb, resources
