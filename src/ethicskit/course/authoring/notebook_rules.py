"""Static rules every committed notebook follows (DESIGN.md §4).

Each rule is a small function over a parsed notebook that returns problems,
each naming the file and, where it applies, the cell.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

GRADE_ID_PATTERN = re.compile(r"^(?P<nn>\d{2})-(?P<kind>q\d+|setup|evidence|info|rubric)-[a-z0-9]+(?:-[a-z0-9]+)*$")
KERNEL_NAME = "python3"


@dataclass(frozen=True)
class Problem:
    """One broken rule: which file, which cell (if any), what is wrong."""

    path: str
    message: str
    cell: str = ""

    def __str__(self) -> str:
        where = f"{self.path} [cell {self.cell}]" if self.cell else self.path
        return f"{where}: {self.message}"


def read_notebook(path: Path) -> tuple[nbformat.NotebookNode | None, list[Problem]]:
    """Parse ``path``; a file that is not JSON or not nbformat becomes a Problem."""
    try:
        text = path.read_text(encoding="utf-8")
        json.loads(text)
        nb = nbformat.reads(text, as_version=4)
    except json.JSONDecodeError as exc:
        return None, [Problem(str(path), f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")]
    except (OSError, UnicodeDecodeError, nbformat.reader.NotJSONError) as exc:
        return None, [Problem(str(path), f"cannot be read as a notebook: {exc}")]
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        return nb, [Problem(str(path), f"invalid nbformat: {exc.message}")]
    return nb, []


def _cell_name(index: int, cell) -> str:
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return f"{index} ({grade_id})" if grade_id else str(index)


def stripped_outputs(path: Path, nb) -> list[Problem]:
    """Code cells carry no outputs and no execution counts."""
    return [
        Problem(str(path), "has outputs or an execution count; strip them before committing", _cell_name(i, c))
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count"))
    ]


def python3_kernel(path: Path, nb) -> list[Problem]:
    """The notebook names the ``python3`` kernel."""
    name = nb.metadata.get("kernelspec", {}).get("name")
    if name != KERNEL_NAME:
        return [Problem(str(path), f"kernelspec must be {KERNEL_NAME!r}, found {name!r}")]
    return []


def nbgrader_metadata(path: Path, nb, *, module_number: str) -> list[Problem]:
    """grade_ids are unique and follow NN-qK-name; graded cells have points; test cells are locked."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    graded = 0
    for i, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {}).get("nbgrader")
        if not meta:
            continue
        where = _cell_name(i, cell)
        grade_id = meta.get("grade_id", "")
        match = GRADE_ID_PATTERN.match(grade_id)
        if not match:
            problems.append(Problem(str(path), f"grade_id {grade_id!r} does not follow NN-qK-short-name", where))
        elif match["nn"] != module_number:
            problems.append(Problem(str(path), f"grade_id {grade_id!r} should start with {module_number}-", where))
        if grade_id in seen:
            problems.append(Problem(str(path), f"grade_id {grade_id!r} repeats cell {seen[grade_id]}", where))
        seen.setdefault(grade_id, i)
        is_graded = meta.get("grade") or meta.get("task")
        if is_graded:
            graded += 1
            if not meta.get("points"):
                problems.append(Problem(str(path), f"graded cell {grade_id!r} has no points", where))
            if match and not match["kind"].startswith("q"):
                problems.append(Problem(str(path), f"graded cell {grade_id!r} should be named NN-qK-...", where))
        is_test = meta.get("grade") and not meta.get("solution") and cell.cell_type == "code"
        if is_test and not meta.get("locked"):
            problems.append(Problem(str(path), f"test cell {grade_id!r} is not locked", where))
    if graded == 0:
        problems.append(Problem(str(path), "has no graded cells"))
    return problems


MARKER_PAIRS = (("### BEGIN SOLUTION", "### END SOLUTION"), ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"))


def balanced_markers(path: Path, nb) -> list[Problem]:
    """Every BEGIN SOLUTION / BEGIN HIDDEN TESTS has its END, in order, in the same cell."""
    problems = []
    for i, cell in enumerate(nb.cells):
        for begin, end in MARKER_PAIRS:
            depth = 0
            for line in cell.source.splitlines():
                if line.strip().startswith(begin):
                    depth += 1
                elif line.strip().startswith(end):
                    depth -= 1
                if depth not in (0, 1):
                    break
            if depth != 0:
                problem = f"{begin} without {end}" if depth > 0 else f"{end} without {begin}"
                problems.append(Problem(str(path), problem, _cell_name(i, cell)))
    return problems


def lint_notebook(path: Path, *, module_number: str | None = None, graded: bool = False) -> list[Problem]:
    """All static rules for one notebook."""
    nb, problems = read_notebook(path)
    if nb is None:
        return problems
    problems += stripped_outputs(path, nb) + python3_kernel(path, nb)
    if graded:
        problems += nbgrader_metadata(path, nb, module_number=module_number or path.stem[:2])
        problems += balanced_markers(path, nb)
    return problems
