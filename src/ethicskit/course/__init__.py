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
    "build": "authoring.build", "Outcome": "authoring.gate", "check_module": "authoring.gate", "run_checks": "authoring.gate",
    "execute_notebook": "authoring.execute", "failing_cells": "authoring.execute", "UNKNOWN_MODULE": "modules",
    "Module": "modules", "all_modules": "modules", "resolve_modules": "modules",
    "StepResult": "nbgrader", "load_config": "nbgrader", "open_api": "nbgrader", "prepare": "authoring.prepare",
    "Problem": "authoring.notebook_rules", "lint_notebook": "authoring.notebook_rules", "ScratchCourse": "authoring.scratch", "with_answers": "authoring.scratch",
    # errors a user can cause (every one is an ethicskit.errors.EthicskitError)
    "CourseError": "errors",
    # completion tracking
    "RosterError": "records.roster", "import_roster": "records.roster", "list_roster": "records.roster", "export_roster": "records.roster",
    "release": "delivery.release", "submit": "delivery.submit", "collect": "delivery.collect", "collect_exchange": "delivery.collect",
    "grade": "grading.grade", "feedback": "delivery.feedback", "Report": "reporting.report", "build_report": "reporting.report",
    "write_report": "reporting.report", "ManagerDashboard": "reporting.dashboard", "certificates": "reporting.certificates",
    "run_demo": "demo.run", "STATUSES": "reporting.status", "PASS_MARK": "reporting.status",
    # follow-up: extensions and reminders
    "extend": "records.extensions", "Extension": "records.extensions", "remind": "reporting.remind",
    "RemindRun": "reporting.remind",
    # feedback minutes after submitting: the grading watch service
    "watch": "grading.watch", "WatchStep": "grading.watch", "collect_inbound": "delivery.collect",
    # completion in the company LMS: xAPI statements to a learning record store
    "export_xapi": "reporting.xapi", "XapiResult": "reporting.xapi",
    # records an auditor can trust: the event log and certificate codes
    "verify": "records.events", "verify_chain": "records.events", "certificate_code": "records.events",
    "record_manual_grades": "records.events",
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
