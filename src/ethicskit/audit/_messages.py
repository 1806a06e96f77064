"""The copy reviewer: transparent rules plus a learned model, each finding saying why.

Each label has a list of regular expressions (``RULES``), grouped and
sourced, readable by a marketer and open to challenge; a rule finding names
the phrase it matched and a rewrite direction. Beside the rules, a learned
model (:mod:`ethicskit.audit._message_model`: TF-IDF word and character
n-grams, a class-balanced logistic regression, a calibrated probability)
reads the copy as a whole; a model finding names its label, its probability
and the n-grams that pushed the copy towards it, with their weights. A
message can carry several findings; a message with none is treated as
*respectful*. The reviewer is a screening aid for a human review, never the
judge of tone: both sources miss new phrasings and can misfire on unusual ones.

Labels (FTC "Bringing Dark Patterns to Light" 2022; UCPD Art. 5(3); DSA Art. 25):

* ``false_urgency``: invented deadlines, countdowns, scarcity, "last chance";
* ``shaming``: implies the reader is careless, inferior or failing;
* ``stereotyping``: addresses people by gender, age or family role with an
  assumption about what they want or can do;
* ``exploiting_insecurity``: plays on worries about money, looks, loneliness
  or status;
* ``hidden_terms``: costs and conditions held back ("T&Cs on request",
  "fees may apply", auto-renewal in small print).

How the rules were written, and how well they do
------------------------------------------------
``marketing_messages`` has three splits, each from its own templates with no
three-word phrase shared between them: *train* (210 messages), *validation*
(632, set D included) and *holdout* (156, set E). Rules are written from
train and validation only. Each round's rules were committed before the copy
that scores them was read, and every score is reported, good or bad:

* **Rounds 1-3** were written from train, with dark-pattern vocabulary from
  the FTC staff report "Bringing Dark Patterns to Light" (2022), the UCPD
  (Art. 7, Annex I point 7) and consumer-credit advertising rules, and scored
  once each on the first holdout (13 messages per label; rounds 2 and 3 after
  seeing the previous aggregate score, never the texts).
* That first holdout was then spent, so it joined *validation* and round 4 was
  written from its misses. Rounds 4 to 7 were each scored once on a fresh set
  of copy (A, B, C, D) written by a separate author who followed the label
  definitions and never saw the rules; after scoring, each set joined
  validation and the next round was written from its misses and false alarms.

Precision / recall per label on copy the round had never seen:

===========  =============  ===========  ============  =============  ============
round        false urgency  shaming      stereotyping  exploiting     hidden terms
                                                       insecurity
===========  =============  ===========  ============  =============  ============
1            1.00 / 0.46    n/a  / 0.00  1.00 / 0.54   1.00 / 0.46    n/a  / 0.00
2            1.00 / 0.46    1.00 / 0.23  1.00 / 1.00   1.00 / 0.46    1.00 / 0.15
3            1.00 / 0.46    1.00 / 0.23  1.00 / 1.00   1.00 / 0.46    1.00 / 0.46
4 (set A)    0.86 / 0.38    1.00 / 0.83  1.00 / 0.83   1.00 / 0.67    1.00 / 0.70
5 (set B)    1.00 / 0.80    1.00 / 0.40  1.00 / 0.80   1.00 / 0.60    1.00 / 0.80
6 (set C)    0.86 / 0.75    1.00 / 0.50  0.91 / 0.83   0.78 / 0.29    0.74 / 0.58
7 (set D)    0.75 / 0.25    1.00 / 0.17  1.00 / 0.92   0.64 / 0.29    1.00 / 0.50
===========  =============  ===========  ============  =============  ============

("n/a": nothing flagged with that label. Round 4 is scored over every text
set A's templates yield; the others over the dataset's rows.) On the train
and validation rows they were written from, the rules score 1.00 / 1.00 for
every label. Seven rounds did not converge on the target of 0.8: each fresh
author says the same things in new words, and wider lexicons start to misfire
on honest copy.

The learned model, and both together, on set E
----------------------------------------------
The model (#19) is fitted on train and validation, set D included (it was
spent for the rules, not for the model). It was committed and frozen before
set E was read: 72 templates written from the label definitions only by an
author who saw neither the rules nor the model, then scored once. Precision /
recall on set E (24 messages per concern, 36 respectful):

=====================  ===========  ===========  ===========
label                  rules        model        combined
=====================  ===========  ===========  ===========
false urgency          0.89 / 0.67  0.96 / 0.96  0.88 / 0.96
shaming                1.00 / 0.50  0.92 / 0.92  0.92 / 0.92
stereotyping           1.00 / 0.58  0.81 / 0.88  0.81 / 0.92
exploiting insecurity  0.88 / 0.58  0.79 / 0.79  0.76 / 0.92
hidden terms           1.00 / 0.67  1.00 / 0.50  1.00 / 0.75
respectful flagged     0 of 36      1 of 36      1 of 36
macro recall           0.67         0.84         0.90
=====================  ===========  ===========  ===========

(Macro recall: the mean recall over the six classes, respectful included.)
The reviewer (both sources, the default) meets the targets of #19 (precision
>= 0.8 and recall >= 0.7 per concern, macro recall >= 0.8, at most 10% of
respectful copy flagged) **except one: exploiting insecurity's precision is
0.76**. Of the 29 messages it flags with that label, 7 are wrong: the model
reads two stereotyping, two hidden-terms and one respectful message as
insecurity, and a rule matches it in two shaming messages. Hidden terms is the
model's weakest recall (0.50): it misses what is *absent* (no price) and
leans on the rules. Harmful copy let through: 5 of 120 combined (46 by the
rules alone). The model also misfires on short copy unlike anything it learned
from ("Thanks for your order." reads as shaming). Treat every finding as a
prompt to read closely, and a message with none as unreviewed, not approved.
``tests/test_audit_messages.py`` recomputes and prints these figures per
source; the precision test is a strict expected failure with the measured
figure as its reason.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from ._errors import UNKNOWN_SPLIT, AuditInputError, require_frame
from ._message_rules import (
    _FIGURE,
    _NEGATED,
    _SENTENCE,
    _VAGUE_COST,
    RULES,
    SUGGESTIONS,
    UNLESS_FIGURE,
    UNLESS_PRICE_STATED,
)

LABELS = ("false_urgency", "shaming", "stereotyping", "exploiting_insecurity", "hidden_terms")
RESPECTFUL = "respectful"
SPLITS = ("train", "validation", "holdout", "all")
Source = Literal["rules", "model"]
SOURCES: tuple[Source, ...] = ("rules", "model")
UNKNOWN_SOURCE = "sources {found!r} is not a non-empty choice of the reviewer's sources: {allowed}"


def _first_chars(pattern: str) -> frozenset[str] | None:
    """Lower-case letters a match of ``pattern`` can start with (None: anything, or not known)."""
    try:
        from re import _constants as c
        from re import _parser
    except ImportError:  # the private parser moved: every pattern stays a plain alternative
        return None

    def first(items) -> set[str] | None:
        out: set[str] = set()
        for op, av in items:
            if op in (c.AT, c.ASSERT, c.ASSERT_NOT):  # zero-width: look at the next item
                continue
            if op is c.LITERAL:
                return out | {chr(av).lower()}
            if op is c.SUBPATTERN:
                inner = first(av[-1])
            elif op is c.BRANCH:
                branches = [first(b) for b in av[1]]
                inner = None if any(b is None for b in branches) else set().union(*branches)
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] == 0:
                inner = first(av[2])
                if inner is None:
                    return None
                out |= inner
                continue
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
                inner = first(av[2])
            else:
                return None
            return None if inner is None else out | inner
        return None

    try:
        found = first(_parser.parse(pattern, re.IGNORECASE))
    except Exception:  # noqa: BLE001 - an unknown parser version only loses the speed-up
        return None
    return frozenset(found) if found and all(ch.isalpha() and ch.isascii() for ch in found) else None


def _join(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regex per label: every pattern as an alternative, same matches as ``"|".join(patterns)``.

    Alternatives are grouped by the letter they start with, behind a one-letter lookahead, so the
    engine tries only the few that can match at each position (about 5x faster than a flat join).
    """
    buckets: dict[str, list[str]] = {}
    other = []
    for p in patterns:
        chars = _first_chars(p)
        for ch in sorted(chars) if chars else []:
            buckets.setdefault(ch, []).append(f"(?:{p})")
        if not chars:
            other.append(f"(?:{p})")
    grouped = [f"(?={ch})(?:{'|'.join(alts)})" for ch, alts in sorted(buckets.items())]
    return re.compile("|".join(grouped + other), re.IGNORECASE)


class _Compiled(NamedTuple):
    by_label: dict[str, re.Pattern[str]]
    unless_figure: re.Pattern[str]
    unless_price_stated: re.Pattern[str]


@functools.cache
def _compiled() -> _Compiled:
    """The rules, compiled at first use and cached (compiling them all takes about 0.3 s, so not at import)."""
    return _Compiled({label: _join(patterns) for label, patterns in RULES.items()},
                     _join(UNLESS_FIGURE), _join(UNLESS_PRICE_STATED))


class MessageFlag(NamedTuple):
    """One finding: the label, the phrase, a rewrite direction, and which source found it and why.

    ``source`` is ``"rules"`` (``phrase`` is the text a rule matched) or ``"model"`` (``phrase`` is the
    strongest word n-gram behind the model's verdict, ``probability`` its calibrated probability of the
    label, and ``ngrams`` the n-grams that pushed the message towards the label, with their weights).
    """

    label: str
    phrase: str
    suggestion: str
    source: str = "rules"
    probability: float | None = None
    ngrams: tuple[tuple[str, float], ...] = ()


def _normalise(text: str) -> str:
    return str(text).replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")


def _conditional_terms(text: str) -> list[str]:
    """Hidden-terms phrases that count only where no price or rate is stated, and that are not negated.

    ``UNLESS_PRICE_STATED`` ("0% interest", "€0 today") needs a price anywhere in the message;
    ``UNLESS_FIGURE`` ("interest applies after", "renews automatically") needs one in its sentence.
    "No late fees or admin fees" negates the fee, so it is not a vague cost.
    """
    rules = _compiled()
    found = [] if _FIGURE.search(text) else [(text, m) for m in rules.unless_price_stated.finditer(text)]
    for sentence in _SENTENCE.split(text):
        if not _FIGURE.search(sentence):
            found += [(sentence, m) for m in rules.unless_figure.finditer(sentence)]
    return [m.group(0) for where, m in found if not _NEGATED.search(where[: m.start()])]


def _rule_flags(text: str) -> list[MessageFlag]:
    """The rules' findings for one (normalised) message."""
    flags = []
    for label, pattern in _compiled().by_label.items():
        found = [match.group(0) for match in pattern.finditer(text)]
        if label == "hidden_terms":
            found += _conditional_terms(text)
        seen = set()
        for phrase in (p.strip() for p in found):
            if phrase and phrase.lower() not in seen:
                seen.add(phrase.lower())
                flags.append(MessageFlag(label, phrase, SUGGESTIONS[label]))
    if not any(f.label == "hidden_terms" for f in flags):
        for sentence in _SENTENCE.split(text):
            match = _VAGUE_COST.search(sentence)
            if match and not _FIGURE.search(sentence):
                flags.append(MessageFlag("hidden_terms", match.group(0).strip(), SUGGESTIONS["hidden_terms"]))
                break
    return flags


def _sources(sources) -> tuple[str, ...]:
    chosen = (sources,) if isinstance(sources, str) else tuple(sources)
    if not chosen or any(s not in SOURCES for s in chosen):
        raise AuditInputError(UNKNOWN_SOURCE.format(found=sources, allowed=list(SOURCES)))
    return chosen


def _model_flag(verdict) -> list[MessageFlag]:
    if verdict.label == RESPECTFUL:
        return []
    return [MessageFlag(verdict.label, verdict.phrase, SUGGESTIONS[verdict.label], "model",
                        round(verdict.probability, 3), verdict.ngrams)]


def review_message(text: str, *, sources: Sequence[Source] = SOURCES) -> list[MessageFlag]:
    """Findings for one message: one ``MessageFlag`` per rule match, then the model's (empty = none found).

    ``sources`` picks the reviewers: ``("rules",)`` for the transparent rules alone, ``("model",)`` for
    the learned model alone, both by default. The model adds a finding when its most probable class is
    a concern; it is fitted on the practice copy at first use (about 2 s, once per process).

    Examples
    --------
    A rule finding names the phrase it matched:

    >>> from ethicskit.data import load
    >>> messages = load("marketing_messages")
    >>> train = messages[messages["split"] == "train"]
    >>> text = train.loc[train["label"] == "false_urgency", "text"].iloc[0]
    >>> [(flag.source, flag.label) for flag in review_message(text, sources=("rules",))][:1]
    [('rules', 'false_urgency')]
    >>> review_message("Your order has shipped. Track it in the app.", sources=("rules",))
    []

    A model finding gives a calibrated probability and the n-grams that pushed the message towards the
    label, with their weights; here on practice copy (from set D) that no rule catches:

    >>> copy = "Cringe at every photo of yourself? 3% back on every shop puts a flattering new wardrobe within reach."
    >>> review_message(copy, sources=("rules",))
    []
    >>> finding = review_message(copy)[0]
    >>> finding.source, finding.label, finding.probability > 0.9
    ('model', 'exploiting_insecurity', True)
    >>> [gram for gram, weight in finding.ngrams][:3]
    ['new', 'yourself', 'photo']
    """
    chosen = _sources(sources)
    text = _normalise(text if isinstance(text, str) else "")
    flags = _rule_flags(text) if "rules" in chosen else []
    if "model" in chosen:
        from ._message_model import copy_model

        flags += _model_flag(copy_model().verdict(text))
    return flags


def review_messages(texts: Iterable[str], *, sources: Sequence[Source] = SOURCES) -> pd.DataFrame:
    """Review many messages: one row per input, in order (the index of a Series is kept).

    Columns: ``text``; one bool column per label (found by any chosen source); ``flagged`` (any label);
    ``labels`` (comma-separated); ``phrases`` (semicolon-separated phrases the rules matched);
    ``rule_labels`` (the rules' labels); ``model_label`` (the model's most probable class, which may be
    ``respectful``; empty when the model is not among ``sources``); ``model_probability`` (its calibrated
    probability, NaN without the model) and ``model_ngrams`` (the n-grams behind a model finding, with
    their weights). Each distinct text is reviewed once, so a campaign that sends the same copy to many
    people costs no more than its distinct texts (``benchmarks/bench_audit.py``).

    Examples
    --------
    >>> from ethicskit.data import load
    >>> messages = load("marketing_messages")
    >>> reviewed = review_messages(messages.loc[messages["split"] == "train", "text"])
    >>> list(reviewed.columns)[:3]
    ['text', 'false_urgency', 'shaming']
    >>> bool(reviewed["flagged"].any()), sorted(set(reviewed["model_label"]))[:2]
    (True, ['exploiting_insecurity', 'false_urgency'])
    """
    chosen = _sources(sources)
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    codes, uniques = pd.factorize(series.astype(object).where(series.notna(), ""))
    normalised = [_normalise(text) for text in uniques]
    rules = [_rule_flags(text) if "rules" in chosen else [] for text in normalised]
    if "model" in chosen:
        from ._message_model import copy_model

        verdicts = copy_model().verdicts(normalised)
    else:
        verdicts = []
    found = [flags + (_model_flag(verdicts[i]) if verdicts else []) for i, flags in enumerate(rules)]

    def column(values, dtype):
        array = np.array(values, dtype=dtype)
        return array[codes] if len(codes) else np.zeros(0, dtype=dtype)

    table = pd.DataFrame(index=series.index)
    table["text"] = series.to_numpy()
    for label in LABELS:
        table[label] = column([any(f.label == label for f in flags) for flags in found], bool)
    table["flagged"] = table[list(LABELS)].any(axis=1)
    text_columns = {
        "labels": [", ".join(dict.fromkeys(f.label for f in flags)) for flags in found],
        "phrases": ["; ".join(f.phrase for f in flags) for flags in rules],
        "rule_labels": [", ".join(dict.fromkeys(f.label for f in flags)) for flags in rules],
        "model_label": [v.label for v in verdicts] if verdicts else [""] * len(found),
    }
    for name in ("labels", "phrases", "rule_labels", "model_label"):
        table[name] = pd.array(column(text_columns[name], object), dtype="str")
    table["model_probability"] = column([round(v.probability, 3) for v in verdicts] if verdicts
                                        else [np.nan] * len(found), float)
    ngrams = ["; ".join(f"{gram} ({weight:+.2f})" for f in flags if f.source == "model" for gram, weight in f.ngrams)
              for flags in found]
    table["model_ngrams"] = pd.array(column(ngrams, object), dtype="str")
    return table


def _chosen_split(messages: pd.DataFrame, split: str) -> pd.DataFrame:
    if split not in SPLITS:
        raise AuditInputError(UNKNOWN_SPLIT.format(split=split, allowed=list(SPLITS)))
    require_frame(messages, ["text", "label"] + ([] if split == "all" else ["split"]), name="messages")
    chosen = messages if split == "all" else messages[messages["split"].astype(str) == split]
    require_frame(chosen, ["text"], name=f"messages[split == {split!r}]")
    return chosen


def evaluate_reviewer(messages: pd.DataFrame, *, split: str = "holdout",
                      sources: Sequence[Source] = SOURCES) -> pd.DataFrame:
    """Precision, recall and support per label on a split of labelled messages.

    ``messages`` needs ``text`` and ``label`` (and ``split`` unless
    ``split="all"``). A message counts as predicted for every label it is
    flagged with (by any of ``sources``), and as predicted *respectful* when it
    has no flag. Returns a DataFrame indexed by label (the five concerns, then
    ``respectful``) with ``precision`` (NaN if nothing was flagged with the
    label), ``recall``, ``support`` (messages truly with the label),
    ``flagged`` and ``true_positives``.

    Examples
    --------
    >>> from ethicskit.data import load
    >>> messages = load("marketing_messages")
    >>> scores = evaluate_reviewer(messages, split="train", sources=("rules",))
    >>> list(scores.columns)
    ['precision', 'recall', 'support', 'flagged', 'true_positives']
    >>> scores.loc["stereotyping", ["precision", "recall"]].round(2).tolist()
    [1.0, 1.0]
    >>> int(scores["support"].sum())
    210
    """
    chosen = _chosen_split(messages, split)
    reviewed = review_messages(chosen["text"], sources=sources)
    truth = chosen["label"].astype(str).to_numpy()
    rows = {}
    for label in (*LABELS, RESPECTFUL):
        predicted = (~reviewed["flagged"] if label == RESPECTFUL else reviewed[label]).to_numpy(dtype=bool)
        actual = truth == label
        tp, flagged, support = int((predicted & actual).sum()), int(predicted.sum()), int(actual.sum())
        rows[label] = {"precision": tp / flagged if flagged else np.nan,
                       "recall": tp / support if support else np.nan,
                       "support": support, "flagged": flagged, "true_positives": tp}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "label"
    return table


def reviewer_confusion(messages: pd.DataFrame, *, split: str = "holdout",
                       sources: Sequence[Source] = SOURCES) -> pd.DataFrame:
    """The reviewer's two kinds of error on a split: harmful copy let through, and respectful copy flagged.

    Rows are the truth (``harmful``: any of the five concerns; ``respectful``), columns the reviewer's
    verdict (``flagged``, ``not flagged``), cells are message counts. A harmful message counts as
    flagged whatever label it is flagged with.

    Examples
    --------
    >>> from ethicskit.data import load
    >>> table = reviewer_confusion(load("marketing_messages"), split="train", sources=("rules",))
    >>> table.to_dict("index")
    {'harmful': {'flagged': 150, 'not flagged': 0}, 'respectful': {'flagged': 0, 'not flagged': 60}}
    """
    chosen = _chosen_split(messages, split)
    flagged = review_messages(chosen["text"], sources=sources)["flagged"].to_numpy(dtype=bool)
    harmful = chosen["label"].astype(str).to_numpy() != RESPECTFUL
    counts = {truth: {"flagged": int((flagged & mask).sum()), "not flagged": int((~flagged & mask).sum())}
              for truth, mask in (("harmful", harmful), ("respectful", ~harmful))}
    table = pd.DataFrame.from_dict(counts, orient="index")
    table.index.name = "truth"
    table.columns.name = "reviewer"
    return table
