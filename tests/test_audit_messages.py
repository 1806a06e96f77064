"""Tests for ethicskit.audit messages: the rule-based copy reviewer and its evaluation."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ethicskit.audit import (
    LABELS,
    MISSING_COLUMN,
    RULES,
    UNKNOWN_SPLIT,
    AuditInputError,
    MessageFlag,
    evaluate_reviewer,
    review_message,
    review_messages,
)

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
    found = {flag.label for flag in review_message(text)}
    assert found == (set() if label == "respectful" else {label}), [f.phrase for f in review_message(text)]


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
    assert review_message(honest) == [], [f.phrase for f in review_message(honest)]
    assert {f.label for f in review_message(vague)} == {"hidden_terms"}


def test_zero_price_after_a_space_is_found():
    # Regression: a pattern starting with r"\b€0" never matched after a space (no word boundary before "€").
    phrases = [f.phrase for f in review_message("Harbour Flex: €0 upfront on any basket.")]
    assert "€0" in phrases


def test_flags_carry_phrase_and_suggestion():
    flags = review_message("Hurry! Only 3 places left. Full T&Cs available on request.")
    assert all(isinstance(f, MessageFlag) for f in flags)
    labels = {f.label for f in flags}
    assert labels == {"false_urgency", "hidden_terms"}
    phrases = {f.phrase for f in flags}
    assert "Hurry" in phrases and "T&Cs" in phrases
    assert any(p.startswith("Only 3 places") for p in phrases)
    assert all(f.suggestion and f.phrase.lower() in "hurry! only 3 places left. full t&cs available on request."
               for f in flags)
    assert review_message("") == [] and review_message(None) == []
    assert set(RULES) == set(LABELS)


def test_review_messages_keeps_order_index_and_columns():
    texts = pd.Series(["Hurry, ends at midnight!", "Thanks for your order.", "Hurry, ends at midnight!"],
                      index=[10, 20, 30])
    table = review_messages(texts)
    assert list(table.index) == [10, 20, 30]
    assert list(table.columns) == ["text", *LABELS, "flagged", "labels", "phrases"]
    assert table["false_urgency"].tolist() == [True, False, True]
    assert table["labels"].tolist() == ["false_urgency", "", "false_urgency"]
    assert review_messages([]).empty


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
    scores = evaluate_reviewer(data)
    assert scores.loc["false_urgency", "flagged"] == 3 and scores.loc["false_urgency", "true_positives"] == 2
    assert scores.loc["false_urgency", "precision"] == pytest.approx(2 / 3)
    assert scores.loc["false_urgency", "recall"] == 1.0
    assert scores.loc["shaming", "recall"] == 1.0 and scores.loc["respectful", "precision"] == 1.0
    assert pd.isna(scores.loc["hidden_terms", "precision"]) and pd.isna(scores.loc["hidden_terms", "recall"])


def test_evaluate_errors(messages):
    with pytest.raises(AuditInputError, match=re.escape(UNKNOWN_SPLIT.format(
            split="test", allowed=["train", "validation", "holdout", "all"]))):
        evaluate_reviewer(messages, split="test")
    present = [c for c in messages.columns if c != "label"]
    with pytest.raises(AuditInputError, match=re.escape(MISSING_COLUMN.format(
            name="messages", column="label", present=present))):
        evaluate_reviewer(messages.drop(columns="label"))


@pytest.mark.parametrize("split", ["train", "validation"])
def test_rules_cover_the_splits_they_were_written_from(messages, split):
    scores = evaluate_reviewer(messages, split=split)
    assert (scores[["precision", "recall"]] >= 0.95).all().all(), scores


def holdout_scores(messages):
    scores = evaluate_reviewer(messages, split="holdout")
    assert scores["support"].sum() == int((messages["split"] == "holdout").sum())
    print("\nmessage reviewer on the holdout split:\n" + scores.round(3).to_string())
    return scores.loc[list(LABELS)]


# The holdout (set D) was written independently of the rules and scored once, after round 7 was frozen
# (see the _messages docstring). Both tests flag themselves (strict) if a later honest round meets the target.
@pytest.mark.xfail(strict=True, reason="honest holdout precision is below 0.8 for two labels (0.75, 0.64) after round 7")
def test_holdout_precision_meets_target(messages):
    scores = holdout_scores(messages)
    assert (scores["precision"] >= 0.8).all(), scores


@pytest.mark.xfail(strict=True, reason="honest holdout recall is 0.17-0.92 after seven rounds of rules, each "
                                       "round scored once on copy written independently of its rules")
def test_holdout_recall_meets_target(messages):
    scores = holdout_scores(messages)
    assert (scores["recall"] >= 0.8).all(), scores
