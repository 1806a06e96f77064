"""Course operations through nbgrader's Python API: build, check and, later, tracking.

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
