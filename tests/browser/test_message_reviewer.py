"""The MessageReviewer in lesson 05, in a real browser: both sources show, and typing updates them."""

from __future__ import annotations

from voila_helpers import REPO, voila_server

LESSON = REPO / "modules" / "05-manipulative-targeting" / "lesson.ipynb"


def test_message_reviewer_shows_rules_and_model_and_reacts_to_typing(page, console_errors, artifacts):
    with voila_server(LESSON) as url:
        page.goto(url)
        reviewer = page.locator(".ek-message-reviewer").first
        reviewer.wait_for(timeout=90_000)
        text = reviewer.inner_text()
        assert "Rules" in text and "Money worries" in text and "Model" in text, text
        assert "false urgency, probability" in text, text  # the model's finding on the original copy
        assert reviewer.locator("mark").count() >= 3  # the rules' phrases are highlighted

        box = reviewer.locator("textarea")
        box.fill("Cringe at every photo of yourself? A flattering new wardrobe is within reach.")
        page.wait_for_function(
            "() => document.querySelector('.ek-message-reviewer').innerText.includes('exploiting insecurity, probability')",
            timeout=15_000,
        )
        text = reviewer.inner_text()
        assert "no phrase matched" in text and "“yourself”" in text, text
        reviewer.screenshot(path=str(artifacts / "message-reviewer-model.png"))
        assert not console_errors, console_errors
