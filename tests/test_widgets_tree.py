"""TreeWalker and QuickCheck without a browser: click, set values, assert on state."""

from __future__ import annotations

import time

import ipywidgets as widgets
import pytest
import traitlets

from ethicskit.decisions import list_trees, load_tree, walk
from ethicskit.widgets import QuickCheck, TreeWalker
from ethicskit.widgets import _quickcheck as qcmod
from tree_helpers import all_paths

STOP_PROXY = ["no", "no", "strong_proxy", "not_necessary"]


def click_answer(walker, value):
    """Click the visible button whose tooltip names this answer value."""
    (button,) = [b for b in walker.visible_buttons if b.tooltip.endswith(f"(answer value: {value})")]
    button.click()


def descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


def test_initial_state_shows_the_root_question():
    tree = load_tree("use_of_feature")
    walker = TreeWalker(tree)
    root = tree.nodes[tree.root]
    assert walker.value == [] and walker.outcome is None
    assert [b.description for b in walker.visible_buttons] == [a.label for a in root.answers]
    assert walker.back_button.disabled and walker.restart_button.disabled
    assert walker.card.layout.display == "none"
    assert "Question 1." in walker.question.value


def test_clicking_through_tree_one_reaches_stop():
    walker = TreeWalker("use_of_feature")
    seen = []
    walker.observe(lambda change: seen.append(change["new"]), names="outcome")
    for value in STOP_PROXY:
        click_answer(walker, value)
    assert walker.value == STOP_PROXY and walker.outcome == "stop" and seen == ["stop"]
    leaf = walk("use_of_feature", STOP_PROXY).outcome
    card = walker.card.value
    assert "Outcome: Stop" in card and leaf.rationale in card
    assert all(ref.replace("&", "&amp;") in card for ref in leaf.references)
    assert walker.visible_buttons == [] and walker.answers_box.layout.display == "none"
    assert "ek-outcome" in walker.card._dom_classes and "ek-outcome-stop" in walker.card._dom_classes
    assert walker.breadcrumbs.value.count("<li>") == len(STOP_PROXY)


@pytest.mark.parametrize("name", list_trees())
def test_widget_agrees_with_the_pure_walker_on_every_path(name):
    tree = load_tree(name)
    walker = TreeWalker(tree)
    for answers, leaf in all_paths(tree):
        walker.restart_button.click()
        for value in answers:
            click_answer(walker, value)
        assert walker.outcome == leaf.outcome and walker.walk.outcome == leaf
        assert f"ek-outcome-{leaf.outcome}" in walker.card._dom_classes


def test_back_and_restart():
    walker = TreeWalker("use_of_feature", value=STOP_PROXY)
    assert walker.outcome == "stop"
    walker.back_button.click()
    assert walker.value == STOP_PROXY[:-1] and walker.outcome is None
    assert walker.card.layout.display == "none" and not any(
        c.startswith("ek-outcome-") for c in walker.card._dom_classes)
    assert len(walker.visible_buttons) == len(load_tree("use_of_feature").nodes[walker.walk.current].answers)
    walker.restart_button.click()
    assert walker.value == [] and walker.back_button.disabled


def test_setting_an_invalid_value_is_refused_and_state_is_kept():
    walker = TreeWalker("use_of_feature", value=["no"])
    with pytest.raises(traitlets.TraitError, match="does not offer the answer 'maybe'"):
        walker.value = ["no", "maybe"]
    assert walker.value == ["no"] and walker.walk.current == "protected_attribute"


def test_buttons_are_built_once_and_carry_classes_and_tooltips():
    walker = TreeWalker("legal_basis")
    buttons = list(walker.answer_buttons)
    tree = load_tree("legal_basis")
    assert len(buttons) == max(len(q.answers) for q in tree.questions)
    answers, _ = next(all_paths(tree))
    for value in answers:
        click_answer(walker, value)
    assert walker.answer_buttons == buttons
    assert all("ek-answer" in b._dom_classes and isinstance(b, widgets.Button) for b in buttons)
    assert "ek-tree-walker" in walker._dom_classes
    assert walker.back_button.tooltip and walker.restart_button.tooltip


def test_no_output_widget_anywhere():
    for widget in [TreeWalker("incident_response"), QuickCheck("Q?", ["a", "b"], "a", explanation="E")]:
        assert not any(isinstance(w, widgets.Output) for w in descendants(widget))


def test_text_is_escaped_in_html():
    from ethicskit.decisions import validate

    tree = validate({"id": "x", "title": "<i>T</i>", "version": "1", "root": "q", "nodes": {
        "q": {"question": "<script>x</script>?", "answers": [
            {"value": "a", "label": "A", "next": "l"}, {"value": "b", "label": "B", "next": "l"}]},
        "l": {"outcome": "escalate", "title": "<b>L</b>", "rationale": "R & S", "references": ["<r>"]}}})
    walker = TreeWalker(tree)
    assert "<script>" not in walker.question.value and "<i>T</i>" not in walker.header.value
    walker.value = ["a"]
    assert "<b>L</b>" not in walker.card.value and "&lt;r&gt;" in walker.card.value


def test_click_callback_is_fast():
    walker = TreeWalker("use_of_feature")
    durations = []
    for _ in range(20):
        for value in STOP_PROXY:
            start = time.perf_counter()
            click_answer(walker, value)
            durations.append(time.perf_counter() - start)
        walker.restart_button.click()
    durations.sort()
    assert durations[int(0.95 * len(durations))] < 0.050


# -- QuickCheck ------------------------------------------------------------

def make_quickcheck():
    return QuickCheck("Which check fits a beneficial offer with a limited budget?",
                      ["recall parity", "false positive rate parity", "no check needed"], "recall parity",
                      explanation="Qualified people in every group should have a similar chance.",
                      feedback={"no check needed": "Every offer that selects people needs a check."})


def test_quickcheck_gives_immediate_feedback():
    qc = make_quickcheck()
    assert qc.value is None and qc.correct is None and qc.feedback.value == ""
    qc.choices.value = "false positive rate parity"
    assert qc.value == "false positive rate parity" and qc.correct is False
    assert "Incorrect." in qc.feedback.value and "Try again" in qc.feedback.value
    assert "recall parity" not in qc.feedback.value.replace("false positive rate parity", "")
    qc.value = "no check needed"
    assert qc.choices.value == "no check needed" and "Every offer that selects" in qc.feedback.value
    qc.value = "recall parity"
    assert qc.correct is True and "Correct." in qc.feedback.value and "similar chance" in qc.feedback.value
    qc.value = None
    assert qc.correct is None and qc.feedback.value == ""


def test_quickcheck_rejects_bad_definitions():
    with pytest.raises(ValueError, match="answer must be one of the options"):
        QuickCheck("Q?", ["a", "b"], "c", explanation="E")
    with pytest.raises(ValueError, match="at least 2 distinct options"):
        QuickCheck("Q?", ["a", "a"], "a", explanation="E")
    with pytest.raises(traitlets.TraitError):
        make_quickcheck().value = "not an option"


def test_quickcheck_classes():
    qc = make_quickcheck()
    assert "ek-quickcheck" in qc._dom_classes
    assert "ek-quickcheck-feedback" in qc.feedback._dom_classes
    assert qcmod.feedback_html.__doc__
