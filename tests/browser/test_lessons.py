"""Every lesson renders in Voila as a clean app, and its main interaction works."""

from __future__ import annotations

import pytest

from voila_helpers import REPO, voila_server

LESSONS = sorted(REPO.glob("modules/*/lesson.ipynb"))
ERROR_OUTPUTS = "[data-mime-type='application/vnd.jupyter.stderr'], .jp-OutputArea-output.jp-mod-error"


def wait_for_widgets(page):
    page.locator(".jupyter-widgets").first.wait_for(state="attached", timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.locator(".jupyter-widgets:visible").first.wait_for(timeout=30_000)


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.parent.name for p in LESSONS])
def test_lesson_renders_cleanly_and_reacts(lesson, page, console_errors, artifacts):
    with voila_server(lesson) as url:
        page.goto(url)
        wait_for_widgets(page)
        assert page.locator(ERROR_OUTPUTS).count() == 0, page.locator(ERROR_OUTPUTS).first.inner_text()
        assert page.locator(".jp-CodeMirrorEditor, .jp-CodeCell .jp-InputArea:visible").count() == 0, "code is visible"
        assert page.locator("h1").count() >= 1

        answer = page.locator(".ek-answer:visible").first
        if answer.count():
            before = page.locator(".ek-tree-walker .ek-breadcrumbs").first.inner_text()
            answer.click()
            page.wait_for_function(
                "before => document.querySelector('.ek-tree-walker .ek-breadcrumbs').innerText !== before",
                arg=before, timeout=10_000,
            )
        else:
            slider = page.locator(".noUi-handle").first
            assert slider.count(), "the lesson has neither a tree nor a slider to interact with"
            before = page.inner_text("body")
            slider.focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_function("before => document.body.innerText !== before", arg=before, timeout=10_000)
        page.screenshot(path=str(artifacts / f"lesson-{lesson.parent.name}.png"), full_page=True)
        assert not console_errors, console_errors


def test_tree_one_clicks_through_to_stop_from_the_keyboard(page, console_errors, artifacts):
    lesson = REPO / "modules" / "00-orientation" / "lesson.ipynb"
    with voila_server(lesson) as url:
        page.goto(url)
        wait_for_widgets(page)
        walker = page.locator(".ek-tree-walker").filter(has_text="Can we use this attribute").first
        for value in ["no", "no", "strong_proxy", "not_necessary"]:
            button = walker.locator(f".ek-answer[title$='(answer value: {value})']:visible")
            button.focus()
            page.keyboard.press("Enter")
        card = walker.locator(".ek-outcome-stop")
        card.wait_for(timeout=10_000)
        assert "Stop" in card.inner_text() and "D.1" in card.inner_text()
        walker.screenshot(path=str(artifacts / "tree-use-of-feature-stop.png"))
        assert not console_errors, console_errors
