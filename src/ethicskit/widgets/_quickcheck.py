"""``QuickCheck``: a multiple-choice practice question with immediate feedback.

For practice only: a graded answer always lives in a notebook cell. The check
itself is ``ethicskit.practice_checks.ChoiceQuestion``, so the widget and a code cell
give the same feedback.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import ipywidgets as widgets
import traitlets

from ethicskit.practice_checks import Checker, ChoiceQuestion, Message

ANSWER_NOT_AN_OPTION = "answer must be one of the options {options}, found {found!r}"
TOO_FEW_OPTIONS = "a quick check needs at least 2 distinct options, found {options}"
_FEEDBACK_COLORS = {"correct": "#029E73", "incorrect": "#D55E00"}


def feedback_html(message: Message) -> str:
    """A message as HTML, with its label in words (colour is never the only cue)."""
    color = _FEEDBACK_COLORS.get(message.kind, "#0173B2")
    text = f" {html.escape(message.text)}" if message.text else ""
    return (f'<div role="status" aria-live="polite"><b style="color:{color};">'
            f"{html.escape(message.title)}.</b>{text}</div>")


class QuickCheck(widgets.VBox):
    """A question, radio-button options and feedback as soon as one is picked.

    ``value`` is the option picked (``None`` at first); ``correct`` is
    ``True``/``False`` once one is picked.

    >>> qc = QuickCheck("Which feature is the stronger proxy for gender?",
    ...                 ["lifestyle_affinity", "recency_days"], "lifestyle_affinity",
    ...                 explanation="Its distribution differs sharply by gender.")
    >>> qc.value = "recency_days"
    >>> qc.correct
    False
    >>> qc.value = "lifestyle_affinity"
    >>> qc.correct, "Correct" in qc.feedback.value
    (True, True)
    """

    value = traitlets.Unicode(None, allow_none=True, help="The option picked, or None.")
    correct = traitlets.Bool(None, allow_none=True, help="Whether the option picked is right.")

    def __init__(self, question: str, options: Sequence[str], answer: str, *, explanation: str,
                 feedback: Mapping[str, str] | None = None, **kwargs) -> None:
        options = list(options)
        if len(set(options)) < 2 or len(set(options)) != len(options):
            raise ValueError(TOO_FEW_OPTIONS.format(options=options))
        if answer not in options:
            raise ValueError(ANSWER_NOT_AN_OPTION.format(options=options, found=answer))
        self.checker = Checker(ChoiceQuestion(prompt=question, options=tuple(options), expected=answer,
                                              explanation=explanation, feedback=dict(feedback or {})))
        self.prompt = widgets.HTML(f"<p><b>{html.escape(question)}</b></p>")
        self.choices = widgets.RadioButtons(options=options, index=None,
                                            layout=widgets.Layout(width="auto"))
        self.feedback = widgets.HTML("")
        self.prompt.add_class("ek-quickcheck-question")
        self.choices.add_class("ek-quickcheck-options")
        self.feedback.add_class("ek-quickcheck-feedback")
        super().__init__([self.prompt, self.choices, self.feedback], **kwargs)
        self.add_class("ek-quickcheck")
        traitlets.link((self.choices, "value"), (self, "value"))
        self.observe(self._on_value, names="value")

    def _on_value(self, change) -> None:
        if change["new"] is None:
            self.feedback.value, self.correct = "", None
            return
        message = self.checker.check(change["new"])
        if message.kind == "incorrect":
            message = Message("incorrect", f"{message.text} Try again.")
        self.feedback.value = feedback_html(message)
        self.correct = message.passed
