"""Course operations through nbgrader's Python API: build, check and completion tracking.

Nothing here knows about lesson content. Every name is imported on first use
(PEP 562): ``from ethicskit.course import ManagerDashboard`` loads the report
code only, not nbformat, whose jsonschema import alone costs about 1.3 s, nor
nbgrader.
"""

from __future__ import annotations

import importlib

_WHERE = {
    # authoring
    "build": "_build", "Outcome": "_check", "check_module": "_check", "run_checks": "_check",
    "execute_notebook": "_execute", "failing_cells": "_execute", "UNKNOWN_MODULE": "_modules",
    "Module": "_modules", "all_modules": "_modules", "resolve_modules": "_modules",
    "StepResult": "_nbgrader", "load_config": "_nbgrader", "open_api": "_nbgrader", "prepare": "_prepare",
    "Problem": "_rules", "lint_notebook": "_rules", "ScratchCourse": "_scratch", "with_answers": "_scratch",
    # completion tracking
    "RosterError": "_roster", "import_roster": "_roster", "list_roster": "_roster", "export_roster": "_roster",
    "release": "_release", "submit": "_submit", "collect": "_collect", "collect_exchange": "_collect",
    "grade": "_grade", "feedback": "_feedback", "Report": "_report", "build_report": "_report",
    "write_report": "_report", "ManagerDashboard": "_dashboard", "certificates": "_certificates",
    "run_demo": "_demo", "STATUSES": "_status", "PASS_MARK": "_status",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(importlib.import_module(f"ethicskit.course.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ethicskit.course' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
