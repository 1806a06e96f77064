"""Shared fixtures: the repository root and scratch copies of the course."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from course_helpers import scratch_project
from tools import missing_tools, need, under_ci

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("ETHICSKIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]

# --doctest-modules would import every conftest.py as a module named "conftest"; they clash.
collect_ignore_glob = ["conftest.py", "*/conftest.py"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    need("chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture
def make_project(tmp_path, monkeypatch):
    """A scratch copy of the course with the named modules (see ``course_helpers.scratch_project``)."""

    def _make(*slugs: str) -> Path:
        return scratch_project(tmp_path / "course", slugs, monkeypatch)

    return _make


def pytest_terminal_summary(terminalreporter):
    """One line per missing system tool and the command that installs it (tests that need it were skipped)."""
    tools = missing_tools()
    if not tools:
        return
    terminalreporter.section("missing test tools" + (" (CI: their tests failed)" if under_ci() else
                                                     " (their tests were skipped)"))
    for tool in tools:
        terminalreporter.write_line(f"{tool.name}: {tool.install}")
