"""Checks for graded exercises: form checks in visible test cells, marking in hidden tests.

The release carries no answer (DESIGN.md section 4), so the two halves never meet:

- ``check_*`` run in the learner's **visible** check cells. They validate only
  the form of an answer (type, allowed values, range) and name the common
  slip, never the right value. Each returns the answer in its normal form.
- ``mark_*`` run only in **hidden** tests (``### BEGIN HIDDEN TESTS``), which
  nbgrader strips from the release and restores at autograde. The right
  answer and the explanation of each wrong option live there; a failed mark
  raises ``AssertionError`` with the explanation, which is what the learner's
  feedback shows after grading.

Right answers in another form are accepted wherever the question does not
ask for a form: whole numbers of any integer type (and floats such as 3.0),
numpy booleans, sets given as lists or tuples, any case and surrounding
whitespace.

>>> check_choice(" B ", "abcd", name="q1")
'b'
>>> check_choice("e", "abcd", name="q1")
Traceback (most recent call last):
AssertionError: q1 should be one of the letters a, b, c, d; found 'e'.
>>> mark_choice("c", "b", name="q1", why={"a": "A is about consent.", "c": "C needs an AI system."})
Traceback (most recent call last):
AssertionError: q1: you chose c. C needs an AI system.
>>> import numpy as np
>>> check_whole_number(np.int64(3), name="q2"), check_flag(np.bool_(True), name="q3")
(3, True)
>>> sorted(check_choices(["A", "c "], "abcde", name="q4"))
['a', 'c']
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from typing import Any

NOT_TEXT = "{name} should be text such as {example!r}; found {found!r} (type {found_type})."
NOT_AN_OPTION = "{name} should be one of {allowed}; found {found!r}."
NOT_A_SET = "{name} should be a set of letters such as {{\"a\", \"c\"}}; found {found!r} (type {found_type})."
EMPTY_SET = "{name} is empty; choose at least one option."
NOT_A_NUMBER = "{name} should be a number; found {found!r} (type {found_type})."
NOT_WHOLE = "{name} should be a whole number (it counts something); found {found!r}."
OUT_OF_RANGE = "{name} should lie between {low:g} and {high:g}; found {found!r}. {hint}"
NOT_A_FLAG = "{name} should be True or False (no quotes); found {found!r} (type {found_type})."
TOO_SHORT = "{name} should be at least {words} words; found {count}."
WRONG_CHOICE = "{name}: you chose {found}. {why}"
WRONG_SET = "{name}: {details}"
WRONGLY_IN = "you included {option}. {why}"
WRONGLY_OUT = "you left out {option}. {why}"
WRONG_NUMBER = "{name}: {found!r} is not the expected value. {why}"
WRONG_FLAG = "{name}: {found!r} is not right. {why}"
NO_EXPLANATION = "Re-read the case and the hint."


def _type(value: Any) -> str:
    return type(value).__name__


def _letters(options: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(o).strip().lower() for o in options)


def _allowed(options: tuple[str, ...]) -> str:
    if all(len(o) == 1 for o in options):
        return "the letters " + ", ".join(options)
    return ", ".join(repr(o) for o in options)


def normal_text(value: Any) -> str | None:
    """Text in its compared form (stripped, lower case), or None for anything that is not text.

    >>> normal_text("  Stop "), normal_text(3)
    ('stop', None)
    """
    if isinstance(value, str):
        return value.strip().lower()
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is a dependency
        return None
    return str(value).strip().lower() if isinstance(value, np.str_) else None


def check_choice(value: Any, options: Iterable[str], *, name: str) -> str:
    """Form check for a single choice: one of ``options`` (any case, spaces ignored)."""
    allowed = _letters(options)
    text = normal_text(value)
    if text is None:
        raise AssertionError(NOT_TEXT.format(name=name, example=allowed[0], found=value, found_type=_type(value)))
    if text not in allowed:
        raise AssertionError(NOT_AN_OPTION.format(name=name, allowed=_allowed(allowed), found=value))
    return text


def check_choices(value: Any, options: Iterable[str], *, name: str, allow_empty: bool = False) -> frozenset[str]:
    """Form check for a set of choices: a set, list or tuple of ``options``."""
    allowed = _letters(options)
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise AssertionError(NOT_A_SET.format(name=name, found=value, found_type=_type(value)))
    chosen = []
    for item in value:
        text = normal_text(item)
        if text is None or text not in allowed:
            raise AssertionError(NOT_AN_OPTION.format(name=f"every item of {name}", allowed=_allowed(allowed),
                                                      found=item))
        chosen.append(text)
    if not chosen and not allow_empty:
        raise AssertionError(EMPTY_SET.format(name=name))
    return frozenset(chosen)


def check_number(value: Any, *, name: str, low: float = -math.inf, high: float = math.inf, hint: str = "") -> float:
    """Form check for a number in ``[low, high]``; ``hint`` names the usual slip (a percentage for a share)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise AssertionError(NOT_A_NUMBER.format(name=name, found=value, found_type=_type(value)))
    number = float(value)
    if math.isnan(number) or not low <= number <= high:
        raise AssertionError(OUT_OF_RANGE.format(name=name, low=low, high=high, found=value, hint=hint).strip())
    return number


def check_whole_number(value: Any, *, name: str, low: float = 0, high: float = math.inf, hint: str = "") -> int:
    """Form check for a count: any integer type, or a float with no fraction such as 3.0."""
    number = check_number(value, name=name, low=low, high=high, hint=hint)
    if not number.is_integer():
        raise AssertionError(NOT_WHOLE.format(name=name, found=value))
    return int(number)


def check_flag(value: Any, *, name: str) -> bool:
    """Form check for True or False (Python's or numpy's), never the text "True"."""
    if isinstance(value, bool):
        return value
    try:
        import numpy as np
    except ImportError:  # pragma: no cover
        np = None
    if np is not None and isinstance(value, np.bool_):
        return bool(value)
    raise AssertionError(NOT_A_FLAG.format(name=name, found=value, found_type=_type(value)))


def check_words(value: Any, *, name: str, words: int) -> str:
    """Form check for a short text answer of at least ``words`` words."""
    if normal_text(value) is None:
        raise AssertionError(NOT_TEXT.format(name=name, example="...", found=value, found_type=_type(value)))
    count = len(str(value).split())
    if count < words:
        raise AssertionError(TOO_SHORT.format(name=name, words=words, count=count))
    return str(value).strip()


def mark_choice(value: Any, correct: str, *, name: str, why: Mapping[str, str]) -> None:
    """Hidden test for a single choice; ``why`` explains each wrong option (shown in feedback)."""
    chosen = normal_text(value)
    if chosen != correct:
        raise AssertionError(WRONG_CHOICE.format(name=name, found=chosen if chosen is not None else repr(value),
                                                 why=why.get(chosen, NO_EXPLANATION)))


def mark_choices(value: Any, correct: Iterable[str], *, name: str, why: Mapping[str, str]) -> None:
    """Hidden test for a set of choices; ``why`` explains every option, for when it is wrongly in or out.

    >>> mark_choices(["a", "b"], {"a", "c"}, name="q7", why={"b": "B pressures.", "c": "C helps."})
    Traceback (most recent call last):
    AssertionError: q7: you included b. B pressures. You left out c. C helps.
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise AssertionError(NOT_A_SET.format(name=name, found=value, found_type=_type(value)))
    chosen = {normal_text(v) for v in value}
    correct = set(correct)
    details = [WRONGLY_IN.format(option=o, why=why.get(o, NO_EXPLANATION)) for o in sorted(chosen - correct, key=str)]
    details += [WRONGLY_OUT.format(option=o, why=why.get(o, NO_EXPLANATION)) for o in sorted(correct - chosen)]
    if details:
        text = " ".join(d[0].upper() + d[1:] if i else d for i, d in enumerate(details))
        raise AssertionError(WRONG_SET.format(name=name, details=text))


def mark_number(value: Any, expected: float, *, name: str, tolerance: float, why: str) -> None:
    """Hidden test for a number within ``tolerance`` of ``expected``; ``why`` names the likely mistake."""
    ok = (not isinstance(value, bool) and isinstance(value, numbers.Real)
          and abs(float(value) - expected) <= tolerance + 1e-9)
    if not ok:
        raise AssertionError(WRONG_NUMBER.format(name=name, found=value, why=why))


def mark_flag(value: Any, expected: bool, *, name: str, why: str) -> None:
    """Hidden test for True or False; ``why`` explains the right reading."""
    try:
        got = check_flag(value, name=name)
    except AssertionError:
        got = None
    if got is not expected:
        raise AssertionError(WRONG_FLAG.format(name=name, found=value, why=why))
