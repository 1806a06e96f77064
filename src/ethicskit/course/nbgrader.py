"""The one place that talks to nbgrader's Python API.

nbgrader is imported lazily (it takes seconds), its config file is loaded
explicitly (``NbGraderAPI`` does not read it), and each call returns a
:class:`StepResult` instead of nbgrader's loose dict.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ethicskit.paths import CONFIG_NAME, project_root

_EXCEPTION_LINE = re.compile(r"^[\w.]+(Error|Exception|Exit)\b.*:")


@dataclass(frozen=True)
class StepResult:
    """What an nbgrader step did: success, its error text and its log."""

    step: str
    target: str
    success: bool
    error: str = ""
    log: str = ""

    @property
    def summary(self) -> str:
        """The root cause in the error, for tables and messages.

        nbgrader wraps database errors in advice to run ``nbgrader db upgrade``,
        which is rarely the cause; the first exception line is more useful.
        """
        lines = [ln.strip() for ln in (self.error or self.log).splitlines() if ln.strip()]
        causes = [ln for ln in lines if _EXCEPTION_LINE.match(ln) and "db upgrade" not in ln]
        if causes:
            return causes[0]
        for line in reversed(lines):
            if not line.startswith(("File ", "^", "~")):
                return line
        return ""


def _ensure_tools_on_path() -> None:
    """nbgrader runs the ``alembic`` executable that sits beside python."""
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def load_config(root: Path | None = None, **overrides: dict[str, Any]):
    """Load the course's ``nbgrader_config.py`` and apply overrides.

    ``overrides`` maps a configurable class name to trait values, e.g.
    ``CourseDirectory={"root": "/tmp/x"}``.
    """
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    root = Path(root) if root else project_root()
    config = PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config()
    for section, values in overrides.items():
        config.merge(Config({section: values}))
    return config


def open_api(config):
    """An ``NbGraderAPI`` for ``config`` (from :func:`load_config`)."""
    _ensure_tools_on_path()
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=config)
    _make_sqlite_folder(coursedir.db_url)
    return NbGraderAPI(coursedir=coursedir, config=config)


def _make_sqlite_folder(db_url: str) -> None:
    """SQLite cannot create the folder of its file; do it (never touches the file)."""
    if db_url.startswith("sqlite:///"):
        Path(db_url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)


def run_step(api, step: str, *args: str, **kwargs: Any) -> StepResult:
    """Call ``api.<step>(*args)`` and wrap its result dict."""
    with contextlib.chdir(api.coursedir.root):
        raw = getattr(api, step)(*args, **kwargs)
    return StepResult(
        step=step,
        target="/".join(args),
        success=bool(raw.get("success")),
        error=raw.get("error", "") or "",
        log=raw.get("log", "") or "",
    )


def gradebook(config):
    """A context manager over the course's nbgrader ``Gradebook``."""
    _ensure_tools_on_path()
    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=config)
    return Gradebook(coursedir.db_url, coursedir.course_id)


def readonly_url(db_url: str) -> str | None:
    """A read-only URL for the gradebook, or None when a SQLite file does not exist yet."""
    if not db_url.startswith("sqlite:///"):
        return db_url
    from pathlib import Path

    path = db_url[len("sqlite:///"):].split("?")[0]
    if not Path(path).exists():
        return None
    return f"sqlite:///file:{path}?mode=ro&uri=true"


# nbgrader's gradebook tables, read by the reports and the event log: every grade with its cell, notebook,
# submission and module (``g``, ``bc``, ``n``, ``sa``, ``a``), and the cell's maximum score.
GRADE_JOINS = """
FROM grade g
JOIN submitted_notebook sn ON g.notebook_id = sn.id
JOIN notebook n ON sn.notebook_id = n.id
JOIN submitted_assignment sa ON sn.assignment_id = sa.id
JOIN assignment a ON sa.assignment_id = a.id
JOIN base_cell bc ON g.cell_id = bc.id
LEFT JOIN grade_cells gc ON gc.id = g.cell_id
LEFT JOIN task_cells tc ON tc.id = g.cell_id
"""
GRADE_MAX_SCORE = "COALESCE(gc.max_score, tc.max_score, 0)"
