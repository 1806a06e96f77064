"""Course operations through nbgrader's Python API: build, check and completion tracking.

Nothing here knows about lesson content.
"""

from ethicskit.course._build import build
from ethicskit.course._check import Outcome, check_module, run_checks
from ethicskit.course._execute import execute_notebook, failing_cells
from ethicskit.course._modules import (
    UNKNOWN_MODULE,
    Module,
    all_modules,
    resolve_modules,
)
from ethicskit.course._nbgrader import StepResult, load_config, open_api
from ethicskit.course._prepare import prepare
from ethicskit.course._rules import Problem, lint_notebook
from ethicskit.course._scratch import ScratchCourse, with_answers

__all__ = [
    "Module", "Outcome", "Problem", "ScratchCourse", "StepResult", "UNKNOWN_MODULE",
    "all_modules", "build", "check_module", "execute_notebook", "failing_cells", "lint_notebook",
    "load_config", "open_api", "prepare", "resolve_modules", "run_checks", "with_answers",
]

# Completion tracking (issue 9). Imported on first use: some of it needs pandas,
# ipywidgets or nbgrader, which ``import ethicskit.course`` should not pay for.
_TRACKING = {
    "RosterError": "_roster", "import_roster": "_roster", "list_roster": "_roster", "export_roster": "_roster",
    "release": "_release", "submit": "_submit", "collect": "_collect", "collect_exchange": "_collect",
    "grade": "_grade", "feedback": "_feedback", "Report": "_report", "build_report": "_report",
    "write_report": "_report", "ManagerDashboard": "_dashboard", "certificates": "_certificates",
    "run_demo": "_demo", "STATUSES": "_status", "PASS_MARK": "_status",
}
__all__ += sorted(_TRACKING)


def __getattr__(name: str):
    if name in _TRACKING:
        import importlib

        return getattr(importlib.import_module(f"ethicskit.course.{_TRACKING[name]}"), name)
    raise AttributeError(f"module 'ethicskit.course' has no attribute {name!r}")
