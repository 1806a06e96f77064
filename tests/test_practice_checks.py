"""Instant practice checks: questions raise, the Checker turns outcomes into messages."""

from __future__ import annotations

import pytest

from ethicskit import practice_checks as checks
from ethicskit.practice_checks import (
    Checker,
    ChoiceQuestion,
    Incorrect,
    Message,
    NotAttempted,
    SetQuestion,
    TreeQuestion,
    ValueQuestion,
    question_from_data,
)


class ProxyFeatures(SetQuestion):
    """An example lesson question, defined as class attributes."""

    _prompt = "Which candidate features are proxies for a protected attribute?"
    _expected = ("lifestyle_affinity", "neighborhood_tier")
    _hints = ("Look at the association table.", "Two features stand out.")
    _solution = "`['lifestyle_affinity', 'neighborhood_tier']`"


LEGAL_BASIS_WITHDRAWN = {
    "kind": "tree", "tree": "legal_basis", "expected": "stop",
    "prompt": "A customer granted personalization consent, then withdrew it. Walk the legal-basis tree.",
    "hints": ["Start with the special-category question."],
}


def test_check_only_raises():
    question = ProxyFeatures()
    assert question.check(["neighborhood_tier", "lifestyle_affinity"]) is None
    with pytest.raises(NotAttempted):
        question.check(None)
    with pytest.raises(NotAttempted):
        question.check(...)
    with pytest.raises(Incorrect):
        question.check(["lifestyle_affinity"])


def test_set_question_messages_count_without_giving_the_answer_away():
    message = Checker(ProxyFeatures()).check(["lifestyle_affinity", "recency_days"])
    assert message.kind == "incorrect" and not message.passed
    assert "1 of your 2 item(s) do not belong, and 1 expected item(s) are missing" in message.text
    assert "recency_days" in message.text and "neighborhood_tier" not in message.text
    assert Checker(ProxyFeatures()).check("lifestyle_affinity").text.startswith("Expected a list of items")


@pytest.mark.parametrize("expected, wrong, kind_text", [
    (0.2, "0.2", "Expected a number, found '0.2' (type str)."),
    (0.2, True, "Expected a number, found True (type bool)."),
    ("stop", 3, "Expected text, found 3 (type int)."),
    (True, "yes", "Expected True or False, found 'yes' (type str)."),
    (["a", "b"], ["a"], "Expected a list of 2 item(s), found ['a'] (type list)."),
])
def test_value_question_names_the_expected_kind(expected, wrong, kind_text):
    message = Checker(ValueQuestion(expected=expected)).check(wrong)
    assert message.kind == "incorrect" and message.text == kind_text


def test_value_question_compares_with_tolerance_and_ignores_case():
    assert Checker(ValueQuestion(expected=0.2, tolerance=0.01)).check(0.205).passed
    wrong = Checker(ValueQuestion(expected=0.2, tolerance=0.01)).check(0.25)
    assert not wrong.passed and "0.2" not in wrong.text.replace("0.25", "")
    assert Checker(ValueQuestion(expected="Stop")).check("  stop ").passed
    assert Checker(ValueQuestion(expected=["a", "b"])).check(("a", "b")).passed
    assert not Checker(ValueQuestion(expected=["a", "b"])).check(["b", "a"]).passed


def test_choice_question_feedback():
    question = ChoiceQuestion(options=("proceed", "escalate", "stop"), expected="stop",
                              feedback={"proceed": "A strong proxy needs a closer look."})
    view = Checker(question)
    assert view.check("stop").passed
    wrong = view.check("proceed")
    assert wrong.text == "'proceed' is one of the options, but not the best answer. A strong proxy needs a closer look."
    assert view.check("go").text.startswith("Expected one of the options ['proceed', 'escalate', 'stop']")


def test_tree_question_from_data():
    view = Checker(question_from_data(LEGAL_BASIS_WITHDRAWN))
    assert view.check(["no", "consent", "valid_current", "withdrawn"]).passed
    assert "lead to 'proceed'" in view.check(["no", "consent", "valid_current", "not_withdrawn"]).text
    assert "stop at question 'withdrawn'" in view.check(["no", "consent", "valid_current"]).text
    assert "does not offer the answer 'maybe'" in view.check(["maybe"]).text
    by_leaf = Checker(TreeQuestion(tree="legal_basis", expected="stop_withdrawn"))
    assert by_leaf.check(["no", "consent", "valid_current", "withdrawn"]).passed


def test_messages_render_for_notebooks_and_consoles():
    view = Checker(ProxyFeatures())
    correct = view.check(["lifestyle_affinity", "neighborhood_tier"])
    assert isinstance(correct, Message) and correct.passed
    assert repr(correct) == "Correct" and "**Correct**" in correct._repr_markdown_()
    wrong = view.check([])
    assert repr(wrong).startswith("Incorrect: ") and "**Incorrect**" in wrong._repr_markdown_()
    not_yet = view.check(None)
    assert not_yet.kind == "not_attempted" and repr(not_yet) == f"Not attempted: {checks.NOT_ATTEMPTED}"


def test_hints_and_solution():
    view = Checker(ProxyFeatures())
    assert repr(view.hint()) == "Hint 1: Look at the association table. (For another hint, call `.hint(2)`.)"
    assert repr(view.hint(2)) == "Hint 2: Two features stand out."
    assert view.hint(3).text == checks.NO_MORE_HINTS.format(count=2)
    assert view.solution().text == ProxyFeatures._solution
    bare = Checker(ValueQuestion(expected=1))
    assert bare.hint().text == checks.NO_HINTS and bare.solution().text == checks.NO_SOLUTION
    single = Checker(ValueQuestion(expected=1, hints=["Only one."]))
    assert repr(single.hint()) == "Hint: Only one."


def test_a_crashing_check_becomes_a_message():
    class Fragile(ValueQuestion):
        def check(self, value):
            raise ZeroDivisionError("boom")

    message = Checker(Fragile()).check(1)
    assert message.kind == "incorrect" and "ZeroDivisionError: boom" in message.text


def test_the_question_has_no_reference_to_its_view():
    question = ProxyFeatures()
    Checker(question).check(["x"])
    assert not any(isinstance(v, Checker) for v in vars(question).values())


def test_building_from_data_checks_fields():
    with pytest.raises(ValueError, match="question kind must be one of"):
        question_from_data({"kind": "essay"})
    with pytest.raises(TypeError, match="has no field 'expectd'"):
        question_from_data({"kind": "value", "expectd": 1})
    assert question_from_data({"kind": "value", "expected": 2, "hints": ["h"]}).hints == ("h",)
