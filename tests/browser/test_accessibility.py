"""Lessons pass an axe-core scan (no serious or critical violations) and every control is reachable by keyboard."""

from __future__ import annotations

import pytest

from tools import need
from voila_helpers import REPO, voila_server
from test_lessons import LESSONS, wait_for_widgets

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CONTROLS = ".jupyter-widgets button:visible, .jupyter-widgets input:visible, .jupyter-widgets select:visible, " \
           ".jupyter-widgets textarea:visible, .jupyter-widgets .noUi-handle:visible"


@pytest.fixture(scope="session")
def axe_source() -> str:
    need("axe-core")
    return AXE.read_text()


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.parent.name for p in LESSONS])
def test_lesson_has_no_serious_accessibility_violations_and_works_by_keyboard(lesson, page, axe_source):
    with voila_server(lesson) as url:
        page.goto(url)
        wait_for_widgets(page)
        page.add_script_tag(content=axe_source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes'][:3]]}"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, "\n".join(bad)

        controls = page.locator(CONTROLS)
        total = controls.count()
        assert total > 0
        page.evaluate("() => { window.__ekFocused = new Set(); document.addEventListener('focusin', "
                      "e => window.__ekFocused.add(e.target)); }")
        page.locator("body").click(position={"x": 1, "y": 1})
        for _ in range(total * 3 + 20):
            page.keyboard.press("Tab")
        unreached = page.evaluate(
            "sel => [...document.querySelectorAll('.jupyter-widgets button, .jupyter-widgets input, "
            ".jupyter-widgets select, .jupyter-widgets textarea, .jupyter-widgets .noUi-handle')]"
            ".filter(e => e.offsetParent !== null && !e.disabled && !window.__ekFocused.has(e))"
            ".map(e => e.outerHTML.slice(0, 120))", CONTROLS)
        assert not unreached, f"{len(unreached)} of {total} controls cannot be reached with Tab: {unreached[:5]}"
