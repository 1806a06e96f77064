"""``ethicskit prepare``: make a fresh checkout ready for learners.

It writes the practice datasets if any is missing, regenerates exercises/
(deterministic, so a clean checkout stays clean) and creates or updates the
local gradebook with every module. It never deletes a gradebook or a
submission, so running it again is safe.
"""

from __future__ import annotations

from pathlib import Path

from ethicskit.course.authoring.build import build
from ethicskit.course.nbgrader import StepResult
from ethicskit.paths import datasets_dir, project_root


def prepare(*, root: Path | None = None) -> list[StepResult]:
    """Datasets, exercises and gradebook; returns one result per step."""
    from ethicskit import data

    root = root or project_root()
    folder = datasets_dir(root)
    missing = [name for name in data.DATASET_NAMES if not (folder / f"{name}.csv").exists()]
    results = []
    if missing:
        data.write_all(folder)
        results.append(StepResult("data", ", ".join(missing), True))
    (root / "course-data").mkdir(exist_ok=True)
    return results + build(root=root)
