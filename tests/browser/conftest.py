"""Browser tests: real Voila servers driven by Playwright with Debian's chromium.

Never downloads a browser: Playwright launches /usr/bin/chromium. Screenshots
go to test-artifacts/ (gitignored) for humans to look at. Shared helpers live
in voila_helpers.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from voila_helpers import ARTIFACTS


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def console_errors(page):
    """Console errors the page logs while the test runs."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors
