"""Helpers shared by the tests that need a scratch copy of the course."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]


COURSE_ENV = ("ETHICSKIT_COURSE_DATA", "ETHICSKIT_DB_URL", "ETHICSKIT_EXCHANGE", "ETHICSKIT_COURSE_ID")


def scratch_project(root: Path, slugs, monkeypatch) -> Path:
    """Copy the course config and the named modules into ``root`` and make it the project.

    The practice datasets stay where they are (``ETHICSKIT_DATASETS``); the
    course's own environment overrides are cleared so records go under ``root``.
    """
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(REPO / "decision_trees", root / "decision_trees", dirs_exist_ok=True)
    for slug in slugs:
        for parent in ("modules", "solutions", "exercises"):
            if (REPO / parent / slug).is_dir():
                shutil.copytree(REPO / parent / slug, root / parent / slug)
    for key in COURSE_ENV:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ETHICSKIT_ROOT", str(root))
    monkeypatch.setenv("ETHICSKIT_DATASETS", str(REPO / "datasets"))
    return root


def graded_cells(notebook: Path) -> list:
    """Every graded cell of a notebook, in order: autograded tests and the written answers a person reads."""
    return [c for c in nbformat.read(notebook, as_version=4).cells if c.metadata.get("nbgrader", {}).get("grade")]
