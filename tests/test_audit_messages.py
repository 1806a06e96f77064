"""Tests for ethicskit.audit messages: the copy reviewer (rules and a learned model) and its evaluation."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ethicskit.audit import (
    LABELS,
    MISSING_COLUMN,
    RULES,
    SOURCES,
    UNKNOWN_SOURCE,
    UNKNOWN_SPLIT,
    AuditInputError,
    MessageFlag,
    evaluate_reviewer,
    review_message,
    review_messages,
    reviewer_confusion,
)

RULES_ONLY = ("rules",)

# Written by hand by the rules' author (not taken from the dataset), to check
# that the rules generalise beyond the train templates' exact wording.
PARAPHRASES = {
    "false_urgency": [
        "This deal vanishes tonight, so order before it's too late!",
        "Only 5 cards remaining at this price. Secure yours now.",
        "Quick! The sale is ending in 10 minutes.",
        "Last few hours to save 20%. Don't wait!",
        "Stocks are running out fast, grab it now.",
        "Now or never: the Premium Card price goes up tomorrow.",
        "Just 2 vouchers remain. First come, first served.",
        "Offer expires in 30 minutes. Apply now!",
        "Only available for a very limited time: the Premium Card at half price.",
        "12 people are looking at this right now.",
        "Your basket is reserved for 10 minutes.",
        "Decide within the hour, or lose the lower price for good.",
        "Stock alert: almost all of this week's places have gone.",
        "Demand is soaring: 120 shoppers near you claimed this today.",
        "We can only hold your upgrade for another 5 minutes.",
        "Close this window and the upgrade is withdrawn for good.",
    ],
    "shaming": [
        "Only lazy shoppers pay for delivery.",
        "Smart people already switched. Why haven't you?",
        "Savvy customers know better than to miss this.",
        "Be a responsible parent and upgrade today.",
        "A real adult would have sorted this by now. Prove you're one.",
        "Are you really still shopping without rewards? Come on.",
        "Only amateurs pay full price.",
        "No thanks, I prefer paying full price.",
        "Don't be the only one who still pays delivery fees.",
        "What kind of parent ignores a deal like this?",
        "Organised people sorted this out ages ago. Are you?",
        "No wonder your budget never works: you still haven't switched.",
        "You'd be mad to turn this down. Rookie mistake.",
        "We expected more from you. Why the delay?",
        "Letting this voucher expire says a lot about how you handle money.",
    ],
    "stereotyping": [
        "Girls love shopping, so here is 15% off fashion.",
        "Men never read instructions: that's why our app is so simple.",
        "Calling all mums: treat the kids with Pay Later Plus.",
        "Even your grandma could set up Pay Later Plus.",
        "Perfect for the grandparents who find apps confusing.",
        "Young women: your beauty haul, now in 4 payments.",
        "Simple enough even for grandparents.",
        "For the man of the house: a card that works as hard as you.",
        "Over 70? Our app is so simple you won't get confused.",
        "Gentlemen, leave the browsing to us: gadgets and tools, picked for you.",
        "Under 30 and always out? This card is made for you.",
        "Aged 65 or more? We kept it simple, because apps aren't your thing.",
    ],
    "exploiting_insecurity": [
        "Scared of what your friends will think of your old phone?",
        "Self-conscious about your wardrobe? Spread the cost and nobody will know.",
        "Feeling alone this weekend? Treat yourself, you deserve to feel loved.",
        "Want people to finally notice you? Upgrade your look today.",
        "Tired of being the only one who can't afford nice things?",
        "Don't let anyone see you struggle. Split the cost.",
        "Ashamed of your wrinkles? Look years younger today.",
        "Bills piling up? Harbour Flex is the answer.",
        "Can't stop thinking about the overdraft? Let Harbour Flex ease the stress.",
        "Nobody to share the evening with? Our deliveries keep you company.",
        "The card that tells everyone you've made it.",
        "Drowning in card balances? Harbour Flex helps you breathe again.",
        "Dreading the holidays? Take the panic away with Harbour Flex.",
    ],
    "hidden_terms": [
        "0% interest!* *Subject to status. Rate may change.",
        "Free trial. Auto-renews monthly; see website for details.",
        "Get the card today. Terms apply.",
        "Pay nothing upfront. Additional charges may apply later.",
        "Spread the cost. Rates vary; we will tell you later.",
        "Free trial. Cancel before day 30 or you'll be charged.",
        "Interest-free credit on all sofas.",
        "Booking fee added at checkout.",
        "Spread the cost. Fees are set out in clause 12 of your agreement.",
        "Rates and charges are listed in the Help Centre.",
        "Membership continues each year at the then-current price.",
        "By continuing you agree to our terms, shown after registration.",
        "Extra charges may be added at our discretion.",
    ],
    "respectful": [
        "Pay Later Plus costs 29.9% APR after the promotion. Only use it if the repayments fit your budget.",
        "You can turn off personalised offers at any time in Settings.",
        "Need help with a payment? Our team can talk you through your options, free of charge.",
        "The Premium Card gives 3% back on every shop. It costs €45 a year; no other fees.",
        "Your order has shipped and should arrive in 2 to 3 working days.",
        "Reminder: your voucher is valid until 31 March. There is no rush.",
        "Women's and men's running shoes are now in the sports section.",
        "We're here if you need support with repayments: call 0800 000 000.",
        "Falling behind on payments? Talk to us about a payment plan, free of charge.",
        "No rush, no pressure: take your time to decide.",
        "Unhappy with your order? Return it within 90 days for a full refund.",
        "If your budget is tight, this may not be the right time; there is no need to decide now.",
        "We take the stress out of returns: free collection from your door.",
        "Thanks for shopping with us for years. Here is 15% off your next order.",
        "You have left the Premium Card in your basket. It costs €45 a year, and there is no deadline.",
        "Free parking for 2 hours at our Dock Street store.",
        "You must be aged 18 or over to apply. Harbour Flex costs 29.9% APR once the promotion ends.",
        "Not available to under-18s. The Premium Card costs €45 a year.",
        "Don't hesitate to contact us if you have questions about your account.",
        "Questions about fees? Our team is happy to help; the Premium Card costs €45 a year.",
        "Cover up in style: new winter coats, with free delivery on your next order.",
        "Over the last few months you browsed our garden range, so here is 15% off your next order.",
        "Calling all mums and dads: school shoes are back in stock.",
    ],
}


@pytest.fixture(scope="module")
def messages():
    from ethicskit.data import load

    return load("marketing_messages")


@pytest.mark.parametrize("label,text", [(lab, t) for lab, texts in PARAPHRASES.items() for t in texts])
def test_paraphrases_written_by_hand(label, text):
    flags = review_message(text, sources=RULES_ONLY)
    assert {flag.label for flag in flags} == (set() if label == "respectful" else {label}), [f.phrase for f in flags]


# Honest disclosures must stay unflagged; the same claims without the price are hidden terms
# (consumer-credit rules: "0%" and "subject to status" need the APR; FTC ROSCA: renewal price).
HIDDEN_UNLESS_PRICED = [
    ("Interest applies after 3 months at 29.9% APR.", "Interest applies after the promotion."),
    ("Credit subject to status. Representative 29.9% APR.", "Credit subject to status."),
    ("0% interest for 3 months, then 29.9% APR.", "0% interest for 3 months!"),
    ("Get it for €0 upfront, then 12 payments of €25.", "Get it for €0 upfront today."),
    ("Free trial for 30 days, then €4.99 a month.", "Free trial, then billed monthly."),
    ("It renews every year at €45; we remind you a month before.", "It renews every year; cancel any time."),
    ("There are no late fees or admin fees.", "Late payment fees apply."),
]


@pytest.mark.parametrize("honest,vague", HIDDEN_UNLESS_PRICED)
def test_hidden_terms_unless_the_price_is_stated(honest, vague):
    assert review_message(honest, sources=RULES_ONLY) == [], [f.phrase for f in review_message(honest)]
    assert {f.label for f in review_message(vague, sources=RULES_ONLY)} == {"hidden_terms"}


def test_zero_price_after_a_space_is_found():
    # Regression: a pattern starting with r"\b€0" never matched after a space (no word boundary before "€").
    phrases = [f.phrase for f in review_message("Harbour Flex: €0 upfront on any basket.", sources=RULES_ONLY)]
    assert "€0" in phrases


def test_flags_carry_phrase_and_suggestion():
    flags = review_message("Hurry! Only 3 places left. Full T&Cs available on request.", sources=RULES_ONLY)
    assert all(isinstance(f, MessageFlag) and f.source == "rules" and f.probability is None for f in flags)
    labels = {f.label for f in flags}
    assert labels == {"false_urgency", "hidden_terms"}
    phrases = {f.phrase for f in flags}
    assert "Hurry" in phrases and "T&Cs" in phrases
    assert any(p.startswith("Only 3 places") for p in phrases)
    assert all(f.suggestion and f.phrase.lower() in "hurry! only 3 places left. full t&cs available on request."
               for f in flags)
    assert review_message("", sources=RULES_ONLY) == [] and review_message(None, sources=RULES_ONLY) == []
    assert set(RULES) == set(LABELS)


def test_review_messages_keeps_order_index_and_columns():
    texts = pd.Series(["Hurry, ends at midnight!", "Thanks for your order.", "Hurry, ends at midnight!"],
                      index=[10, 20, 30])
    for sources in (RULES_ONLY, SOURCES):
        table = review_messages(texts, sources=sources)
        assert list(table.index) == [10, 20, 30]
        assert list(table.columns) == ["text", *LABELS, "flagged", "labels", "phrases", "rule_labels", "model_label",
                                       "model_probability", "model_ngrams"]
        assert review_messages([], sources=sources).empty
    rules = review_messages(texts, sources=RULES_ONLY)
    assert rules["false_urgency"].tolist() == [True, False, True]
    assert rules["labels"].tolist() == ["false_urgency", "", "false_urgency"] == rules["rule_labels"].tolist()
    assert rules["model_label"].tolist() == ["", "", ""] and rules["model_probability"].isna().all()


def test_review_messages_agrees_with_review_message(messages):
    sample = messages.sample(60, random_state=1)["text"]
    table = review_messages(sample)
    for text, row in zip(sample, table.itertuples()):
        flags = review_message(text)
        assert row.labels == ", ".join(dict.fromkeys(f.label for f in flags))
        assert row.flagged == bool(flags)
        assert row.rule_labels == ", ".join(dict.fromkeys(f.label for f in flags if f.source == "rules"))
        model = [f for f in flags if f.source == "model"]
        assert (row.model_label == model[0].label) if model else row.model_label in ("respectful", *LABELS)
        assert (row.model_probability == model[0].probability) if model else 0 < row.model_probability <= 1


def test_sources_are_checked_and_combined():
    text = "Hurry! Only 3 places left. Full T&Cs available on request."
    rules, model = review_message(text, sources=RULES_ONLY), review_message(text, sources=("model",))
    assert review_message(text) == rules + model == review_message(text, sources=("rules", "model"))
    assert {f.source for f in rules} == {"rules"} and {f.source for f in model} == {"model"}
    for bad in ((), ("rule",), "all", ("rules", "llm")):
        with pytest.raises(AuditInputError, match=re.escape(UNKNOWN_SOURCE.format(found=bad, allowed=list(SOURCES)))):
            review_message(text, sources=bad)
    assert review_message(text, sources="rules") == rules


@settings(max_examples=25, deadline=None)
@given(st.permutations(list(range(12))))
def test_review_messages_is_row_wise(order):
    texts = [t for texts in PARAPHRASES.values() for t in texts][:12]
    forward = review_messages(texts)
    permuted = review_messages([texts[i] for i in order])
    pd.testing.assert_frame_equal(permuted.reset_index(drop=True),
                                  forward.iloc[list(order)].reset_index(drop=True))


def test_evaluate_by_hand():
    data = pd.DataFrame({
        "text": ["Hurry now!", "Hurry, last chance", "Thanks for shopping.", "Only careless people wait. Hurry!"],
        "label": ["false_urgency", "false_urgency", "respectful", "shaming"],
        "split": ["holdout"] * 4,
    })
    scores = evaluate_reviewer(data, sources=RULES_ONLY)
    assert scores.loc["false_urgency", "flagged"] == 3 and scores.loc["false_urgency", "true_positives"] == 2
    assert scores.loc["false_urgency", "precision"] == pytest.approx(2 / 3)
    assert scores.loc["false_urgency", "recall"] == 1.0
    assert scores.loc["shaming", "recall"] == 1.0 and scores.loc["respectful", "precision"] == 1.0
    assert pd.isna(scores.loc["hidden_terms", "precision"]) and pd.isna(scores.loc["hidden_terms", "recall"])
    confusion = reviewer_confusion(data, sources=RULES_ONLY)
    assert confusion.to_dict("index") == {"harmful": {"flagged": 3, "not flagged": 0},
                                          "respectful": {"flagged": 0, "not flagged": 1}}
    data.loc[2, "text"] = "Thanks for shopping. Hurry!"
    data.loc[1, "text"] = "Thanks for shopping."
    confusion = reviewer_confusion(data, sources=RULES_ONLY)
    assert confusion.to_dict("index") == {"harmful": {"flagged": 2, "not flagged": 1},
                                          "respectful": {"flagged": 1, "not flagged": 0}}


def test_evaluate_errors(messages):
    with pytest.raises(AuditInputError, match=re.escape(UNKNOWN_SPLIT.format(
            split="test", allowed=["train", "validation", "holdout", "all"]))):
        evaluate_reviewer(messages, split="test")
    present = [c for c in messages.columns if c != "label"]
    with pytest.raises(AuditInputError, match=re.escape(MISSING_COLUMN.format(
            name="messages", column="label", present=present))):
        evaluate_reviewer(messages.drop(columns="label"))


def set_d_texts() -> set[str]:
    from ethicskit.data._message_set_d import SET_D
    from ethicskit.data._messages import variants

    return {text for templates in SET_D.values() for template, _, offers in templates
            for _, text in variants(template, offers)}


@pytest.mark.parametrize("split", ["train", "validation"])
def test_rules_cover_the_splits_they_were_written_from(messages, split):
    # Set D joined validation after scoring rules round 7 once; the rules were never written from it.
    written_from = messages[(messages["split"] == split) & ~messages["text"].isin(set_d_texts())]
    assert len(written_from) == {"train": 210, "validation": 476}[split]
    scores = evaluate_reviewer(written_from, split="all", sources=RULES_ONLY)
    assert (scores[["precision", "recall"]] >= 0.95).all().all(), scores


# --- the learned model -----------------------------------------------------------------------

def test_importing_the_audit_package_does_not_load_the_model():
    code = ("import sys, ethicskit.audit; "
            "print(sorted(m for m in sys.modules if m == 'ethicskit.audit._message_model' or m.startswith('sklearn')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_model_is_frozen_on_train_and_validation(messages):
    from ethicskit.audit._message_model import (
        TRAINING_FINGERPRINT,
        copy_model,
        fingerprint,
        training_data,
    )

    texts, labels, groups = training_data(messages)
    assert fingerprint(texts, labels) == TRAINING_FINGERPRINT == copy_model().training_fingerprint
    assert len(texts) == int(messages["split"].isin(["train", "validation"]).sum())
    assert len(set_d_texts() & set(texts)) == 156  # every row of set D, now in validation
    assert not set(texts) & set(messages.loc[messages["split"] == "holdout", "text"])
    assert len(set(groups)) > 200  # calibration folds are grouped by template (rationale)


def test_fit_is_deterministic_and_ignores_row_order(messages):
    from ethicskit.audit._message_model import copy_model, fit_copy_model

    again = fit_copy_model(messages.sample(frac=1.0, random_state=3))
    model = copy_model()
    assert np.array_equal(again.coef, model.coef) and np.array_equal(again.intercept, model.intercept)
    assert again.beta == model.beta and again.classes == model.classes == tuple(sorted(["respectful", *LABELS]))


def test_model_scoring_equals_scikit_learn(messages):
    """The hand-rolled scoring gives sklearn's TF-IDF values, and probabilities equal to sklearn's own
    temperature calibration (CalibratedClassifierCV) on the same grouped folds."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.model_selection import GroupKFold
    from sklearn.pipeline import make_pipeline

    from ethicskit.audit import _message_model as mm

    model = mm.copy_model()
    texts = messages["text"].tolist()
    dense = model.vectorizer.transform(texts).toarray()
    mine = np.zeros_like(dense)
    for i, text in enumerate(texts):
        indices, values = model.features(text)
        mine[i, indices] = values
    np.testing.assert_allclose(mine, dense, atol=1e-12)

    train_texts, labels, groups = mm.training_data(messages)
    folds = list(GroupKFold(n_splits=mm.CALIBRATION_FOLDS).split(train_texts, labels, groups))
    reference = CalibratedClassifierCV(make_pipeline(mm._vectorizer(), mm._classifier()), method="temperature",
                                       cv=folds, ensemble=False).fit(train_texts, labels)
    assert list(reference.classes_) == list(model.classes)
    np.testing.assert_allclose(model.probabilities(texts), reference.predict_proba(texts), atol=2e-3)


def test_model_findings_explain_themselves(messages):
    harmful = messages[(messages["split"] == "train") & (messages["label"] != "respectful")]
    for text, label in zip(harmful["text"], harmful["label"].astype(str)):
        (finding,) = [f for f in review_message(text) if f.source == "model"]
        assert finding.label == label, text  # the model fits the copy it learned from
        assert 0.5 < finding.probability <= 1 and finding.suggestion
        weights = [w for _, w in finding.ngrams]
        assert 0 < len(weights) <= 5 and weights == sorted(weights, reverse=True) and min(weights) > 0
        lower = text.lower()
        tokens = " " + " ".join(re.findall(r"(?u)\b\w\w+\b", lower)) + " "  # word n-grams skip punctuation
        assert all(gram.strip("…") in lower or f" {gram} " in tokens for gram, _ in finding.ngrams), finding.ngrams
        assert finding.phrase and finding.phrase in text


def test_model_on_its_training_splits(messages):
    for split in ("train", "validation"):
        scores = evaluate_reviewer(messages, split=split, sources=("model",))
        assert (scores[["precision", "recall"]] >= 0.95).all().all(), scores


# --- the fresh holdout (set E) ---------------------------------------------------------------

# Targets of #19 on copy from an author who saw neither the rules nor the model. Macro recall is the mean
# recall over the six classes (the five concerns and respectful), as in the first measurement.
PRECISION_TARGET, RECALL_TARGET, MACRO_RECALL_TARGET, RESPECTFUL_FLAGGED_MAX = 0.8, 0.7, 0.8, 0.10


@pytest.fixture(scope="module")
def holdout_scores(messages):
    scores = {}
    for name, sources in (("rules", RULES_ONLY), ("model", ("model",)), ("combined", SOURCES)):
        table = evaluate_reviewer(messages, split="holdout", sources=sources)
        assert table["support"].sum() == int((messages["split"] == "holdout").sum())
        scores[name] = table
    figures = pd.concat({name: t[["precision", "recall", "support", "flagged"]] for name, t in scores.items()},
                        axis=1)
    print("\nmessage reviewer on the holdout split (set E), per source:\n" + figures.round(2).to_string())
    for name, t in scores.items():
        print(f"{name}: macro recall {t['recall'].mean():.3f}, respectful flagged "
              f"{1 - t.loc['respectful', 'recall']:.3f}")
    return scores["combined"]


# Scored once on set E after the model was frozen: the one target missed. The combined reviewer flags 29
# messages as exploiting insecurity, 22 rightly: the model read two stereotyping, two hidden-terms and one
# respectful message as insecurity, and a rule matched it in two shaming messages.
@pytest.mark.xfail(strict=True, reason="set E, scored once: exploiting_insecurity precision is 0.76 combined "
                                       "(0.79 model, 0.88 rules), below 0.8; the other labels are 0.81-1.00")
def test_holdout_precision_of_each_concern(holdout_scores):
    assert (holdout_scores.loc[list(LABELS), "precision"] >= PRECISION_TARGET).all(), holdout_scores


def test_holdout_recall_of_each_concern(holdout_scores):
    assert (holdout_scores.loc[list(LABELS), "recall"] >= RECALL_TARGET).all(), holdout_scores


def test_holdout_macro_recall(holdout_scores):
    assert holdout_scores["recall"].mean() >= MACRO_RECALL_TARGET, holdout_scores


def test_holdout_respectful_copy_rarely_flagged(holdout_scores):
    assert 1 - holdout_scores.loc["respectful", "recall"] <= RESPECTFUL_FLAGGED_MAX, holdout_scores
