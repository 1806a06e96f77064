"""Run notebooks in fresh kernels with nbclient and name the cells that fail."""

from __future__ import annotations

from pathlib import Path

from ethicskit.course.authoring.notebook_rules import read_notebook

LESSON_TIMEOUT = 120


def execute_notebook(path: Path, *, timeout: int = LESSON_TIMEOUT) -> list[str]:
    """Run ``path`` top to bottom in a fresh kernel; return the errors, naming the cell."""
    return run_notebook(path, timeout=timeout)[1]


def run_notebook(path: Path, *, timeout: int = LESSON_TIMEOUT):
    """Run ``path`` top to bottom in a fresh kernel; return the executed notebook and the errors."""
    from nbclient import NotebookClient
    from nbclient.exceptions import (
        CellExecutionError,
        CellTimeoutError,
        DeadKernelError,
    )

    nb, problems = read_notebook(path)
    if nb is None:
        return None, [str(p) for p in problems]
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", shutdown_kernel="immediate",
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        index = next((i for i, c in enumerate(nb.cells) if has_error(c)), "?")
        return nb, [f"{path} [cell {index}]: {exc.ename}: {exc.evalue}"]
    except (CellTimeoutError, DeadKernelError, TimeoutError) as exc:
        return nb, [f"{path}: {type(exc).__name__}: {exc}"]
    return nb, []


def failing_cells(path: Path, *, timeout: int = LESSON_TIMEOUT) -> list[str]:
    """Run ``path`` with errors allowed; name every cell that raised (file, index, grade_id, error)."""
    from nbclient import NotebookClient

    nb, problems = read_notebook(path)
    if nb is None:
        return [str(p) for p in problems]
    client = NotebookClient(
        nb, timeout=timeout, kernel_name="python3", shutdown_kernel="immediate", allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
                where = f"cell {i} {grade_id}".strip()
                found.append(f"{path.name} [{where}]: {out['ename']}: {out['evalue']}")
    return found


def has_error(cell) -> bool:
    return any(o.get("output_type") == "error" for o in cell.get("outputs", []))
