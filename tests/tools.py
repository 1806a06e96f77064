"""System tools the tests need beyond the Python packages, and what to do when one is missing.

``scripts/test-tools`` (run by ``make test`` and ``.ci/run``) installs them where the machine allows.
Outside CI a test whose tool is missing is skipped, and the run ends with one line per missing tool
and the command that installs it (see ``pytest_terminal_summary`` in conftest.py). Under CI
(``CI`` set) the test fails instead: CI must run everything.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Tool:
    name: str
    install: str

    def present(self) -> bool:
        return PRESENT[self.name]()


def _postgres_available() -> bool:
    from hub.harness import postgres_available  # the hub harness finds a server URL or the binaries

    return postgres_available()


PRESENT = {
    "chromium": lambda: Path(os.environ.get("ETHICSKIT_CHROMIUM", "/usr/bin/chromium")).exists(),
    "axe-core": lambda: (REPO / "node_modules" / "axe-core" / "axe.min.js").exists(),
    "configurable-http-proxy": lambda: (REPO / "node_modules" / ".bin" / "configurable-http-proxy").exists(),
    "postgresql": lambda: _postgres_available(),
    "bubblewrap": lambda: shutil.which("bwrap") is not None,
    "ralph": lambda: ralph_path().exists(),
}
TOOLS = {
    "chromium": Tool("chromium", "sudo apt-get install chromium"),
    "axe-core": Tool("axe-core", "npm ci   (in the repository; package.json)"),
    "configurable-http-proxy": Tool("configurable-http-proxy", "npm ci   (in the repository; package.json)"),
    "postgresql": Tool("postgresql", "sudo apt-get install postgresql"),
    "bubblewrap": Tool("bubblewrap", "sudo apt-get install bubblewrap"),
    "ralph": Tool("ralph", "scripts/test-tools   (makes .venv/ralph, a virtual environment with ralph-malph, an LRS)"),
}


def ralph_path() -> Path:
    """The ``ralph`` command of the learning record store's own virtual environment (ETHICSKIT_TEST_RALPH)."""
    return Path(os.environ.get("ETHICSKIT_TEST_RALPH") or REPO / ".venv" / "ralph" / "bin" / "ralph")


def under_ci() -> bool:
    return bool(os.environ.get("CI"))


def need(name: str) -> None:
    """Skip (or, under CI, fail) the calling test when the system tool ``name`` is missing."""
    tool = TOOLS[name]
    if tool.present():
        return
    message = f"{tool.name} is missing: {tool.install}"
    if under_ci():
        pytest.fail(f"CI must run this test. {message}")
    pytest.skip(message)


def missing_tools() -> list[Tool]:
    return [tool for tool in TOOLS.values() if not tool.present()]
