"""The learned half of the copy reviewer: TF-IDF n-grams and a class-balanced logistic regression.

The model reads a message as two bags of features: word 1-2-grams and
character 3-5-grams inside word boundaries (``char_wb``), each weighted by
TF-IDF with sublinear term frequency. A multinomial logistic regression with
balanced class weights scores the six classes (the five concerns and
*respectful*); a single temperature, fitted on cross-validated scores, turns
those scores into calibrated probabilities. It is fitted on the ``train`` and
``validation`` splits of ``marketing_messages``, never on the holdout.

It is deterministic: the rows are sorted before fitting, the calibration folds
are grouped by template (a template's variants are never split between folds,
so the calibration is not fooled by near-copies), and nothing is drawn at
random. It is fitted at first use (about 2 s, then cached in the process), and
scikit-learn is imported only then, so ``import ethicskit.audit`` does not pay
for it.

Every finding is explained: the n-grams of the message that pushed its score
towards the label, each with its weight (its TF-IDF value times the label's
coefficient, times the temperature: its share of the calibrated log-odds).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

TRAINING_SPLITS = ("train", "validation")
RESPECTFUL = "respectful"
TOP_NGRAMS = 5
CALIBRATION_FOLDS = 3
# sha256 of the sorted (label, text) pairs the frozen model is fitted on (train and validation, set D
# included). A test checks it, so a change to the training data cannot slip in unseen.
TRAINING_FINGERPRINT = "07dd3abfa03b822e4ccf962506f9956d7880ed9a43d6cdff9fbb8376db09820a"
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern, for locating word n-grams


class ModelVerdict(NamedTuple):
    """The model's reading of one message: its most probable class and why."""

    label: str
    probability: float
    ngrams: tuple[tuple[str, float], ...]
    phrase: str


def training_data(messages) -> tuple[list[str], list[str], list[str]]:
    """Texts, labels and template groups of the training splits, sorted so the fit does not depend on row order.

    The group of a row is its rationale, which its template gives to every variant.
    """
    chosen = messages[messages["split"].astype(str).isin(TRAINING_SPLITS)]
    rows = sorted(zip(chosen["label"].astype(str), chosen["text"].astype(str), chosen["rationale"].astype(str)))
    labels, texts, groups = (list(col) for col in zip(*rows)) if rows else ([], [], [])
    return texts, labels, groups


def fingerprint(texts: Sequence[str], labels: Sequence[str]) -> str:
    """sha256 over the sorted (label, text) pairs."""
    digest = hashlib.sha256()
    for label, text in sorted(zip(labels, texts)):
        digest.update(f"{label}\t{text}\n".encode())
    return digest.hexdigest()


def _show(name: str) -> str:
    """A feature name as a reader sees it: word n-grams as they are, character n-grams with … where cut."""
    kind, gram = name.split("__", 1)
    if kind == "word":
        return gram
    return ("" if gram.startswith(" ") else "…") + gram.strip() + ("" if gram.endswith(" ") else "…")


def _temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    """The factor ``beta`` minimising the log loss of softmax(beta * scores): Newton steps on a convex loss."""
    beta = 1.0
    rows = np.arange(len(truth))
    for _ in range(50):
        z = beta * scores
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        mean = (p * scores).sum(axis=1)
        grad = float(np.mean(mean - scores[rows, truth]))
        hess = float(np.mean((p * scores**2).sum(axis=1) - mean**2))
        step = grad / hess if hess > 1e-12 else 0.0
        beta = max(beta - step, beta / 2)
        if abs(step) < 1e-10:
            break
    return beta


class CopyModel:
    """A fitted copy model: the vectoriser's parts, the coefficients, the temperature and the classes.

    Scoring needs no scikit-learn call: each part's analyser (a plain function), vocabulary and IDF weights
    give the same TF-IDF values as ``vectorizer.transform`` (a test checks this), at a fraction of its
    per-call cost on one text.
    """

    def __init__(self, vectorizer, coef: np.ndarray, intercept: np.ndarray, beta: float,
                 classes: Sequence[str], training_fingerprint: str):
        self.vectorizer, self.coef, self.intercept, self.beta = vectorizer, coef, intercept, beta
        self.classes = tuple(classes)
        self.training_fingerprint = training_fingerprint
        names = vectorizer.get_feature_names_out()
        self.names = [_show(n) for n in names]
        self.is_word = np.array([n.startswith("word__") for n in names])
        self._parts, offset = [], 0
        for _, part in vectorizer.transformer_list:
            self._parts.append((part.build_analyzer(), part.vocabulary_, part.idf_, offset))
            offset += len(part.vocabulary_)

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The non-zero TF-IDF features of one text: (feature indices, values), each part L2-normalised."""
        indices, values = [], []
        for analyze, vocabulary, idf, offset in self._parts:
            counts: dict[int, int] = {}
            for gram in analyze(text):
                j = vocabulary.get(gram)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            idx = np.fromiter(counts, dtype=np.int64, count=len(counts))
            val = (np.log(np.fromiter(counts.values(), dtype=float, count=len(counts))) + 1.0) * idf[idx]
            indices.append(idx + offset)
            values.append(val / np.sqrt(val @ val))
        if not indices:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(indices), np.concatenate(values)

    def _calibrated(self, indices: np.ndarray, values: np.ndarray) -> np.ndarray:
        z = self.beta * (self.coef[:, indices] @ values + self.intercept)
        p = np.exp(z - z.max())
        return p / p.sum()

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities, one row per text and one column per class (in ``classes`` order)."""
        return np.array([self._calibrated(*self.features(str(t))) for t in texts]).reshape(-1, len(self.classes))

    def verdict(self, text: str, *, top: int = TOP_NGRAMS) -> ModelVerdict:
        """The most probable class of ``text``, its probability and the n-grams that pushed it there."""
        text = str(text)
        indices, values = self.features(text)
        probs = self._calibrated(indices, values)
        k = int(probs.argmax())
        weights = self.beta * values * self.coef[k, indices]
        pushed = [j for j in np.argsort(-weights, kind="stable") if weights[j] > 0]
        ngrams = tuple((self.names[indices[j]], round(float(weights[j]), 3)) for j in pushed[:top])
        words = [self.names[indices[j]] for j in pushed if self.is_word[indices[j]]]
        return ModelVerdict(self.classes[k], float(probs[k]), ngrams, _locate(text, words[0]) if words else "")

    def verdicts(self, texts: Sequence[str], *, top: int = TOP_NGRAMS) -> list[ModelVerdict]:
        """:meth:`verdict` for each text, in order."""
        return [self.verdict(t, top=top) for t in texts]


def _locate(text: str, gram: str) -> str:
    """The span of ``text`` where the word n-gram ``gram`` occurs (as tokenised), in the text's own case."""
    lower = text.lower()
    if len(lower) != len(text):  # lower-casing changed offsets (rare letters): give the n-gram itself
        return gram
    tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(lower)]
    words = gram.split(" ")
    for i in range(len(tokens) - len(words) + 1):
        if [t[0] for t in tokens[i:i + len(words)]] == words:
            return text[tokens[i][1]:tokens[i + len(words) - 1][2]]
    return gram


def _vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion([
        ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)),
    ])


def _classifier():
    from sklearn.linear_model import LogisticRegression

    # newton-cg reaches the same optimum as the default lbfgs, more precisely and about 5x faster here.
    return LogisticRegression(class_weight="balanced", solver="newton-cg", max_iter=1000)


def fit_copy_model(messages=None) -> CopyModel:
    """Fit the model on the training splits of ``messages`` (default: the practice ``marketing_messages``).

    The probabilities are calibrated with one temperature fitted on out-of-fold scores from
    ``CALIBRATION_FOLDS`` folds grouped by template; the coefficients come from a fit on all the rows.
    """
    from sklearn.model_selection import GroupKFold

    if messages is None:
        from ethicskit.data import load

        messages = load("marketing_messages")
    texts, labels, groups = training_data(messages)
    y = np.asarray(labels)
    classes = sorted(set(labels))
    truth = np.searchsorted(classes, y)
    scores = np.zeros((len(texts), len(classes)))
    for train, test in GroupKFold(n_splits=CALIBRATION_FOLDS).split(texts, y, groups):
        vectorizer = _vectorizer()
        fold = _classifier().fit(vectorizer.fit_transform([texts[i] for i in train]), y[train])
        scores[test] = fold.decision_function(vectorizer.transform([texts[i] for i in test]))
    vectorizer = _vectorizer()
    classifier = _classifier().fit(vectorizer.fit_transform(texts), y)
    assert list(classifier.classes_) == classes
    return CopyModel(vectorizer, classifier.coef_, classifier.intercept_, _temperature(scores, truth), classes,
                     fingerprint(texts, labels))


@functools.cache
def copy_model() -> CopyModel:
    """The practice model, fitted at first use and cached for the process."""
    return fit_copy_model()
