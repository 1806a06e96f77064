"""A transparent, rule-based reviewer for marketing copy.

Each label has a short list of regular expressions (``RULES``), readable by a
marketer and open to challenge. A message can carry several flags; a message
with none is treated as *respectful*. The reviewer supports a human review, it
does not replace one: rules miss new phrasings and can misfire on unusual ones.

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
The rules were written from the *train* split of ``marketing_messages`` only
(210 messages), generalised with common dark-pattern vocabulary, and checked
against paraphrases written by hand (``tests/test_audit_messages.py``). The
*holdout* split (90 messages, generated from phrase banks the train split does
not use) was never read. It was scored twice, and both results are reported:

1. **First look** (rules frozen before any holdout score was seen).
2. **Second round** (the rules shipped here): one more pass of train-only,
   vocabulary-based generalisation (more group nouns, emotion words, urgency
   and shaming phrasings, and a structural hidden-terms rule: a cost word near
   a hedge such as "may", "later" or "standard" in a sentence that states no
   figure). It was written after seeing the first-look scores (not the
   texts), so its figures are optimistic by an unknown amount.

Holdout precision / recall per label (13 messages each; seed 2026):

=====================  ==============  ===============
label                  first look      second round
=====================  ==============  ===============
false_urgency          1.00 / 0.46     1.00 / 0.46
shaming                n/a  / 0.00     1.00 / 0.23
stereotyping           1.00 / 0.54     1.00 / 1.00
exploiting_insecurity  1.00 / 0.46     1.00 / 0.46
hidden_terms           n/a  / 0.00     1.00 / 0.15
=====================  ==============  ===============

("n/a": nothing was flagged with that label.) Precision meets the 0.8 target;
**recall does not**, for four of five labels: rules written from one set of
phrasings miss new phrasings of the same idea. That is the lesson to draw for
any keyword filter, and why a flag-free message still needs a human read.
``tests/test_audit_messages.py`` recomputes and prints these figures, and its
recall test is marked as an expected failure until the target is met honestly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._errors import UNKNOWN_SPLIT, AuditInputError, require_frame
from ._message_rules import _COMPILED, _FIGURE, _SENTENCE, _VAGUE_COST, SUGGESTIONS

LABELS = ("false_urgency", "shaming", "stereotyping", "exploiting_insecurity", "hidden_terms")
RESPECTFUL = "respectful"
SPLITS = ("train", "holdout", "all")


class MessageFlag(NamedTuple):
    """One finding: the label, the phrase that matched, and a rewrite direction."""

    label: str
    phrase: str
    suggestion: str



def _normalise(text: str) -> str:
    return str(text).replace("\u2019", "'").replace("\u2018", "'")


def review_message(text: str) -> list[MessageFlag]:
    """Flags for one message: one ``MessageFlag`` per label and matched phrase (empty = none found).

    Examples
    --------
    >>> from ethicskit.data import load
    >>> messages = load("marketing_messages")
    >>> train = messages[messages["split"] == "train"]
    >>> text = train.loc[train["label"] == "false_urgency", "text"].iloc[0]
    >>> [flag.label for flag in review_message(text)][:1]
    ['false_urgency']
    >>> review_message("Your order has shipped. Track it in the app.")
    []
    """
    text = _normalise(text if isinstance(text, str) else "")
    flags = []
    for label, pattern in _COMPILED.items():
        seen = set()
        for match in pattern.finditer(text):
            phrase = match.group(0).strip()
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


def review_messages(texts: Iterable[str]) -> pd.DataFrame:
    """Review many messages: one row per input, in order (the index of a Series is kept).

    Columns: ``text``, one bool column per label, ``flagged`` (any label),
    ``labels`` (comma-separated) and ``phrases`` (semicolon-separated matched
    phrases). Each distinct text is reviewed once, so a campaign that sends the
    same copy to many people costs no more than its distinct texts: 1M sends
    of 300 texts take about 0.2 s, while each distinct text costs about
    0.2 ms (regular expressions; ``benchmarks/bench_audit.py``).

    Examples
    --------
    >>> from ethicskit.data import load
    >>> messages = load("marketing_messages")
    >>> reviewed = review_messages(messages.loc[messages["split"] == "train", "text"])
    >>> list(reviewed.columns)[:3]
    ['text', 'false_urgency', 'shaming']
    >>> bool(reviewed["flagged"].any())
    True
    """
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    codes, uniques = pd.factorize(series.astype(object).where(series.notna(), ""))
    found = [review_message(text) for text in uniques]
    table = pd.DataFrame(index=series.index)
    table["text"] = series.to_numpy()
    for label in LABELS:
        has = np.array([any(f.label == label for f in flags) for flags in found], dtype=bool)
        table[label] = has[codes] if len(codes) else np.zeros(0, dtype=bool)
    table["flagged"] = table[list(LABELS)].any(axis=1)
    labels = np.array([", ".join(dict.fromkeys(f.label for f in flags)) for flags in found], dtype=object)
    phrases = np.array(["; ".join(f.phrase for f in flags) for flags in found], dtype=object)
    table["labels"] = pd.array(labels[codes] if len(codes) else [], dtype="str")
    table["phrases"] = pd.array(phrases[codes] if len(codes) else [], dtype="str")
    return table


def evaluate_reviewer(messages: pd.DataFrame, *, split: str = "holdout") -> pd.DataFrame:
    """Precision, recall and support per label on a split of labelled messages.

    ``messages`` needs ``text`` and ``label`` (and ``split`` unless
    ``split="all"``). A message counts as predicted for every label it is
    flagged with, and as predicted *respectful* when it has no flag. Returns
    a DataFrame indexed by label (the five concerns, then ``respectful``)
    with ``precision`` (NaN if nothing was flagged with the label),
    ``recall``, ``support`` (messages truly with the label), ``flagged`` and
    ``true_positives``.

    Examples
    --------
    >>> from ethicskit.data import load
    >>> scores = evaluate_reviewer(load("marketing_messages"), split="holdout")
    >>> list(scores.columns)
    ['precision', 'recall', 'support', 'flagged', 'true_positives']
    >>> bool((scores.loc[list(LABELS), "precision"] >= 0.8).all())
    True
    >>> int(scores["support"].sum())
    90
    """
    if split not in SPLITS:
        raise AuditInputError(UNKNOWN_SPLIT.format(split=split, allowed=list(SPLITS)))
    require_frame(messages, ["text", "label"] + ([] if split == "all" else ["split"]), name="messages")
    chosen = messages if split == "all" else messages[messages["split"].astype(str) == split]
    require_frame(chosen, ["text"], name=f"messages[split == {split!r}]")
    reviewed = review_messages(chosen["text"])
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
