"""Instant practice checks for lessons (never the graded answer).

A question is data plus one check, after Kaggle learntools' ``Problem``: the
class attributes ``_expected``, ``_hints``, ``_solution`` (and a few more) hold
the data, and ``check(value)`` only raises ``NotAttempted`` or ``Incorrect``.
A separate ``Checker`` turns that into messages that render in a notebook
(``_repr_markdown_``) and in a console (``__repr__``). The question knows
nothing about the checker.

Define a question as a class, or build one from data:

>>> class SelectionRate(ValueQuestion):
...     _prompt = "A group has 40 of its 200 customers selected. What is its selection rate?"
...     _expected = 0.2
...     _tolerance = 0.001
...     _hints = ("Selected divided by all.", "Give a share between 0 and 1, not a percentage.")
...     _solution = "`40 / 200`, which is 0.2"
>>> q1 = Checker(SelectionRate())
>>> q1.check(None)
Not attempted: Replace the placeholder with your answer, then run the check again.
>>> q1.check("0.2")
Incorrect: Expected a number, found '0.2' (type str).
>>> q1.check(20)
Incorrect: 20 is a number, but not the expected one.
>>> q1.check(40 / 200)
Correct
>>> q1.hint()
Hint 1: Selected divided by all. (For another hint, call `.hint(2)`.)
>>> q2 = Checker(question_from_data({"kind": "choice", "options": ["a", "b"], "expected": "b"}))
>>> q2.check("a").passed
False
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

NOT_ATTEMPTED = "Replace the placeholder with your answer, then run the check again."
EXPECTED_KIND = "Expected {kind}, found {found!r} (type {found_type})."
WRONG_VALUE = "{found!r} is {kind}, but not the expected one."
NOT_AN_OPTION = "Expected one of the options {options}, found {found!r} (type {found_type})."
WRONG_CHOICE = "{found!r} is one of the options, but not the best answer."
WRONG_SET = "{extra} of your {count} item(s) do not belong, and {missing} expected item(s) are missing."
EXTRA_ITEMS = "These do not belong: {items}."
UNFINISHED_WALK = "Your answers stop at question {node!r}; add answers until you reach an outcome."
WRONG_OUTCOME = "Your answers lead to {found!r}, which is not the expected outcome."
UNCHECKABLE = "Could not check your answer: {error}"
UNKNOWN_FIELD = "{cls} has no field {field!r}; fields are {fields}"
UNKNOWN_KIND = "question kind must be one of {kinds}, found {found!r}"
NO_HINTS = "There are no hints for this question."
NO_MORE_HINTS = "There are only {count} hint(s) for this question."
NO_SOLUTION = "There is no solution text for this question."

MessageKind = Literal["correct", "incorrect", "not_attempted", "hint", "solution"]
_LABELS = {"correct": "Correct", "incorrect": "Incorrect", "not_attempted": "Not attempted",
           "hint": "Hint", "solution": "Solution"}
# Seaborn "colorblind" palette; the label always says it in words too.
_COLORS = {"correct": "#029E73", "incorrect": "#D55E00", "not_attempted": "#0173B2",
           "hint": "#CC78BC", "solution": "#DE8F05"}


class NotAttempted(Exception):
    """The value is still the placeholder."""


class Incorrect(Exception):
    """The value is wrong; the message says what kind was expected and what was found."""


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "True or False"
    if isinstance(value, numbers.Real):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)} item(s)"
    return f"a {type(value).__name__}"


def _same_kind(expected: Any, value: Any) -> bool:
    if isinstance(expected, bool) or isinstance(value, bool):
        return isinstance(expected, bool) and isinstance(value, bool)
    if isinstance(expected, numbers.Real):
        return isinstance(value, numbers.Real)
    if isinstance(expected, (list, tuple)):
        return isinstance(value, (list, tuple)) and len(value) == len(expected)
    return isinstance(value, type(expected))


class Question:
    """Base class: data in class attributes (or keyword arguments), one ``check``."""

    _prompt: str = ""
    _expected: Any = None
    _hints: tuple[str, ...] = ()
    _solution: str = ""
    _explanation: str = ""  # shown with "Correct"
    _placeholders: tuple = (None, ...)

    def __init__(self, **data: Any) -> None:
        fields = sorted(n[1:] for n in dir(type(self)) if n.startswith("_") and not n.startswith("__")
                        and not callable(getattr(type(self), n)))
        for name, value in data.items():
            if name not in fields:
                raise TypeError(UNKNOWN_FIELD.format(cls=type(self).__name__, field=name, fields=fields))
            setattr(self, f"_{name}", tuple(value) if name == "hints" else value)

    @property
    def prompt(self) -> str:
        return self._prompt

    @property
    def hints(self) -> tuple[str, ...]:
        return tuple(self._hints)

    @property
    def solution(self) -> str:
        return self._solution

    @property
    def explanation(self) -> str:
        return self._explanation

    def check_attempted(self, value: Any) -> None:
        if any(value is p for p in self._placeholders):
            raise NotAttempted(NOT_ATTEMPTED)

    def check(self, value: Any) -> None:
        """Return quietly if ``value`` is right; else raise ``NotAttempted`` or ``Incorrect``."""
        raise NotImplementedError


class ValueQuestion(Question):
    """A number, a piece of text, True/False or an ordered list, compared with ``_expected``.

    Numbers match within ``_tolerance`` (absolute); text ignores case and
    surrounding spaces.
    """

    _tolerance: float = 1e-6

    def check(self, value: Any) -> None:
        self.check_attempted(value)
        expected = self._expected
        if not _same_kind(expected, value):
            raise Incorrect(EXPECTED_KIND.format(kind=_kind_of(expected), found=value,
                                                 found_type=type(value).__name__))
        if isinstance(expected, numbers.Real) and not isinstance(expected, bool):
            ok = math.isclose(float(value), float(expected), rel_tol=0, abs_tol=self._tolerance)
        elif isinstance(expected, str):
            ok = value.strip().casefold() == expected.strip().casefold()
        else:
            ok = list(value) == list(expected) if isinstance(expected, (list, tuple)) else value == expected
        if not ok:
            raise Incorrect(WRONG_VALUE.format(found=value, kind=_kind_of(expected)))


class ChoiceQuestion(Question):
    """Pick one of ``_options``; ``_feedback`` may explain each wrong option."""

    _options: tuple = ()
    _feedback: Mapping[Any, str] = {}

    def check(self, value: Any) -> None:
        self.check_attempted(value)
        if value not in list(self._options):
            raise Incorrect(NOT_AN_OPTION.format(options=list(self._options), found=value,
                                                 found_type=type(value).__name__))
        if value != self._expected:
            extra = self._feedback.get(value, "")
            raise Incorrect(" ".join(filter(None, [WRONG_CHOICE.format(found=value), extra])))


class SetQuestion(Question):
    """A collection of items where order does not matter (e.g. the proxy features)."""

    def check(self, value: Any) -> None:
        self.check_attempted(value)
        if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__iter__"):
            raise Incorrect(EXPECTED_KIND.format(kind="a list of items", found=value,
                                                 found_type=type(value).__name__))
        given, expected = set(value), set(self._expected)
        extra, missing = given - expected, expected - given
        if extra or missing:
            text = WRONG_SET.format(extra=len(extra), count=len(given), missing=len(missing))
            if extra:
                text += " " + EXTRA_ITEMS.format(items=sorted(extra, key=str))
            raise Incorrect(text)


class TreeQuestion(Question):
    """Answers to a decision tree (a list of answer values) that should reach ``_expected``.

    ``_expected`` is an outcome (``"stop"``, ...) or a leaf id of ``_tree``.
    """

    _tree: str = ""

    def check(self, value: Any) -> None:
        self.check_attempted(value)
        from ethicskit.decisions import OUTCOMES, TreeError, walk

        try:
            result = walk(self._tree, value)
        except TreeError as exc:
            raise Incorrect(str(exc)) from exc
        if result.outcome is None:
            raise Incorrect(UNFINISHED_WALK.format(node=result.current))
        found = result.outcome.outcome if self._expected in OUTCOMES else result.outcome.id
        if found != self._expected:
            raise Incorrect(WRONG_OUTCOME.format(found=found))


QUESTION_KINDS: Mapping[str, type[Question]] = {
    "value": ValueQuestion, "choice": ChoiceQuestion, "set": SetQuestion, "tree": TreeQuestion,
}


def question_from_data(data: Mapping[str, Any]) -> Question:
    """Build a question from plain data (e.g. YAML): ``kind`` plus the fields without ``_``."""
    fields = dict(data)
    kind = fields.pop("kind", None)
    if kind not in QUESTION_KINDS:
        raise ValueError(UNKNOWN_KIND.format(kinds=list(QUESTION_KINDS), found=kind))
    return QUESTION_KINDS[kind](**fields)


@dataclass(frozen=True)
class Message:
    """Feedback that renders as Markdown in a notebook and as plain text in a console."""

    kind: MessageKind
    text: str = ""
    label: str = ""

    @property
    def passed(self) -> bool:
        return self.kind == "correct"

    @property
    def title(self) -> str:
        return self.label or _LABELS[self.kind]

    def _repr_markdown_(self) -> str:
        head = f'<span style="color:{_COLORS[self.kind]}">**{self.title}**</span>'
        return f"{head}: {self.text}" if self.text else head

    def __repr__(self) -> str:
        return f"{self.title}: {self.text}" if self.text else self.title

    __str__ = __repr__


class Checker:
    """The view of one question: ``check(value)``, ``hint(n)``, ``solution()`` return ``Message``s."""

    def __init__(self, question: Question) -> None:
        self.question = question

    def __repr__(self) -> str:
        return f"Checker({type(self.question).__name__})"

    def check(self, value: Any) -> Message:
        try:
            self.question.check(value)
        except NotAttempted as exc:
            return Message("not_attempted", str(exc) or NOT_ATTEMPTED)
        except Incorrect as exc:
            return Message("incorrect", str(exc))
        except Exception as exc:  # noqa: BLE001 - a learner's value must never crash the lesson
            return Message("incorrect", UNCHECKABLE.format(error=f"{type(exc).__name__}: {exc}"))
        return Message("correct", self.question.explanation)

    def hint(self, n: int = 1) -> Message:
        hints = self.question.hints
        if not hints:
            return Message("hint", NO_HINTS)
        if not 1 <= n <= len(hints):
            return Message("hint", NO_MORE_HINTS.format(count=len(hints)))
        label = f"Hint {n}" if len(hints) > 1 else "Hint"
        more = f" (For another hint, call `.hint({n + 1})`.)" if n < len(hints) else ""
        return Message("hint", hints[n - 1] + more, label=label)

    def solution(self) -> Message:
        return Message("solution", self.question.solution or NO_SOLUTION)


__all__ = [
    # questions: data plus one check
    "Question", "ValueQuestion", "ChoiceQuestion", "SetQuestion", "TreeQuestion", "QUESTION_KINDS",
    "question_from_data",
    # the view: messages for notebooks and consoles
    "Checker", "Message", "NotAttempted", "Incorrect",
]
