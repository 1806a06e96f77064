"""Shared fixtures: the repository root and scratch copies of the course."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

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
    if not Path(CHROMIUM).exists():
        pytest.fail(f"browser tests need Debian's chromium at {CHROMIUM}: apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture
def make_project(tmp_path, monkeypatch):
    """Copy the course config and the named modules into a scratch project root.

    The practice datasets stay where they are (``ETHICSKIT_DATASETS``), and the
    scratch root becomes the project (``ETHICSKIT_ROOT``) for the kit and for
    the kernels it starts.
    """

    def _make(*slugs: str) -> Path:
        root = tmp_path / "course"
        root.mkdir(exist_ok=True)
        for name in ("nbgrader_config.py", "autotests.yml"):
            shutil.copy(REPO / name, root / name)
        shutil.copytree(REPO / "decision_trees", root / "decision_trees")
        for slug in slugs:
            for parent in ("modules", "solutions", "exercises"):
                if (REPO / parent / slug).is_dir():
                    shutil.copytree(REPO / parent / slug, root / parent / slug)
        monkeypatch.setenv("ETHICSKIT_ROOT", str(root))
        monkeypatch.setenv("ETHICSKIT_DATASETS", str(REPO / "datasets"))
        return root

    return _make
