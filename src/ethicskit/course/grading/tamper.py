"""Detect tampering in a submission against the checksums recorded at release.

nbgrader's autograde already restores locked cells from the gradebook
(``OverwriteCells``) and, with ``add_missing_cells``, puts deleted grade
cells back, so tampering cannot change a score. It only logs it. These pure
functions find it so the report can flag it.
"""

from __future__ import annotations

from pathlib import Path

import nbformat


def tamper_findings(nb: nbformat.NotebookNode, expected: dict[str, str], *, notebook: str = "") -> list[str]:
    """Locked cells whose checksum changed and cells that were deleted, by grade_id.

    ``expected`` maps grade_id to the released checksum ("" for answer cells,
    whose content learners change).
    """
    from nbgrader.utils import compute_checksum

    prefix = f"{notebook}: " if notebook else ""
    found: list[str] = []
    seen = set()
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if grade_id not in expected:
            continue
        seen.add(grade_id)
        checksum = expected[grade_id]
        if checksum and _checksum_of(cell, compute_checksum) != checksum:
            found.append(f"{prefix}locked cell {grade_id} was changed")
    found += [f"{prefix}cell {g} was deleted" for g in expected if g not in seen]
    return found


def _checksum_of(cell, compute_checksum) -> str:
    try:
        return compute_checksum(cell)
    except (KeyError, TypeError, AttributeError):
        return ""


def submission_findings(folder: Path, checksums: dict[str, dict[str, str]]) -> list[str]:
    """Tamper findings for every notebook of a submission folder.

    A notebook left out of the submission is not tampering: nbgrader scores it 0.
    """
    found = []
    for name, expected in sorted(checksums.items()):
        path = folder / f"{name}.ipynb"
        if not path.exists():
            continue
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception as exc:  # noqa: BLE001 - a broken notebook is a finding, not a crash
            found.append(f"{name}.ipynb cannot be read: {exc}")
            continue
        found += tamper_findings(nb, expected, notebook=f"{name}.ipynb")
    return found
