"""Tests for ethicskit.audit fairness: hand-built frames, fairlearn agreement, properties."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import (
    MetricFrame,
    demographic_parity_difference,
    demographic_parity_ratio,
    equalized_odds_difference,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest

from ethicskit.audit import (
    ABOVE_BAND,
    BAD_COUNTS,
    BELOW_BAND,
    EMPTY_FRAME,
    MISSING_COLUMN,
    MISSING_GROUP,
    NO_REFERENCE_RATE,
    NON_BINARY_OUTCOME,
    SUPPRESSED,
    UNKNOWN_REFERENCE,
    WITHIN_BAND,
    AuditInputError,
    group_report,
    intersectional_report,
    wilson_interval,
)

TOL = 1e-9


def frame(groups, selected, truth=None):
    data = {"group": pd.Categorical(groups), "selected": np.asarray(selected, dtype=bool)}
    if truth is not None:
        data["qualified"] = np.asarray(truth, dtype=bool)
    return pd.DataFrame(data)


@pytest.fixture(scope="module")
def card():
    from ethicskit.data import load

    offers = load("campaign_offers").merge(load("customers"), on="customer_id")
    return offers[offers["offer"] == "premium_card_upgrade"].reset_index(drop=True)


# --- hand-built ---------------------------------------------------------------

def test_group_report_counts_rates_and_ratios_by_hand():
    df = frame(["a"] * 10 + ["b"] * 5, [1] * 5 + [0] * 5 + [1, 0, 0, 0, 0],
               [1, 1, 1, 0, 0, 1, 1, 0, 0, 0] + [1, 1, 0, 0, 0])
    report = group_report(df, group="group", outcome="selected", y_true="qualified")
    assert report.attrs["reference"] == "a"  # the largest group by default
    assert report.loc["a", "count"] == 10 and report.loc["b", "selected"] == 1
    assert report.loc["b", "selection_rate"] == pytest.approx(0.2)
    assert report.loc["b", "ratio_to_reference"] == pytest.approx(0.2 / 0.5)
    assert report.loc["b", "difference_to_reference"] == pytest.approx(-0.3)
    assert report.loc["a", "tpr"] == pytest.approx(3 / 5)  # qualified and selected / qualified
    assert report.loc["a", "fpr"] == pytest.approx(2 / 5)
    assert report.loc["b", "tpr"] == pytest.approx(1 / 2)
    assert report.loc["b", "fpr"] == pytest.approx(0.0)
    assert report.loc["b", "screen"] == BELOW_BAND
    assert report.loc["a", "screen"] == WITHIN_BAND
    assert list(report.columns) == ["count", "selected", "selection_rate", "tpr", "fpr",
                                    "ratio_to_reference", "difference_to_reference", "screen"]


def test_screen_above_band_and_explicit_reference():
    df = frame(["a"] * 10 + ["b"] * 10, [1] * 2 + [0] * 8 + [1] * 5 + [0] * 5)
    report = group_report(df, group="group", outcome="selected", reference="a")
    assert report.loc["b", "screen"] == ABOVE_BAND
    assert report["tpr"].isna().all() and report["fpr"].isna().all()
    flipped = group_report(df, group="group", outcome="selected", reference="b")
    assert flipped.loc["a", "ratio_to_reference"] == pytest.approx(0.4)


def test_band_edges_are_inside_and_custom_band_is_used():
    df = frame(["a"] * 10 + ["b"] * 10, [1] * 5 + [0] * 5 + [1] * 4 + [0] * 6)
    assert group_report(df, group="group", outcome="selected", reference="a").loc["b", "screen"] == WITHIN_BAND
    strict = group_report(df, group="group", outcome="selected", reference="a", band=(0.9, 1.1))
    assert strict.loc["b", "screen"] == BELOW_BAND


def test_reference_with_zero_rate():
    df = frame(["a"] * 4 + ["b"] * 2 + ["c"] * 2, [0] * 4 + [1, 0] + [0, 0])
    report = group_report(df, group="group", outcome="selected")
    assert report.loc["a", "ratio_to_reference"] == 1.0
    assert np.isinf(report.loc["b", "ratio_to_reference"]) and report.loc["b", "screen"] == ABOVE_BAND
    assert np.isnan(report.loc["c", "ratio_to_reference"]) and report.loc["c", "screen"] == NO_REFERENCE_RATE


def test_group_report_accepts_zero_one_integers_and_bool_groups():
    df = pd.DataFrame({"flag": [True, True, False, False], "out": [1, 0, 1, 1]})
    report = group_report(df, group="flag", outcome="out")
    assert report.loc[False, "selection_rate"] == 1.0 and report.loc[True, "selection_rate"] == 0.5


# --- bad input ------------------------------------------------------------------

def test_missing_column_names_it_and_lists_present():
    df = frame(["a", "b"], [1, 0])
    message = MISSING_COLUMN.format(name="df", column="segment", present=["group", "selected"])
    with pytest.raises(AuditInputError, match=re.escape(message)):
        group_report(df, group="segment", outcome="selected")


def test_empty_frame():
    df = frame([], [])
    with pytest.raises(AuditInputError, match=re.escape(EMPTY_FRAME.format(name="df"))):
        group_report(df, group="group", outcome="selected")


def test_non_binary_outcome_shows_values():
    df = pd.DataFrame({"group": ["a", "b", "a"], "score": [0.2, 1.0, 0.7]})
    message = NON_BINARY_OUTCOME.format(name="df", column="score", found="[0.2, 0.7, 1.0]")
    with pytest.raises(AuditInputError, match=re.escape(message)):
        group_report(df, group="group", outcome="score")
    strings = pd.DataFrame({"group": ["a", "b"], "out": ["yes", "no"]})
    with pytest.raises(ValueError, match=r"found values \[no, yes\]"):
        group_report(strings, group="group", outcome="out")
    missing = pd.DataFrame({"group": ["a", "b"], "out": [1.0, np.nan]})
    with pytest.raises(ValueError, match="no missing values"):
        group_report(missing, group="group", outcome="out")


def test_unknown_reference_lists_groups():
    df = frame(["a", "b"], [1, 0])
    message = UNKNOWN_REFERENCE.format(reference="z", column="group", groups="[a, b]")
    with pytest.raises(AuditInputError, match=re.escape(message)):
        group_report(df, group="group", outcome="selected", reference="z")
    with pytest.raises(AuditInputError, match=re.escape("reference group ('a', 'z')")):
        intersectional_report(df.assign(g2="z2"), groups=["group", "g2"], outcome="selected",
                              reference=("a", "z"))


def test_missing_group_values_are_refused():
    df = pd.DataFrame({"group": ["a", None, "b"], "selected": [True, False, True]})
    with pytest.raises(AuditInputError, match=re.escape(MISSING_GROUP.format(name="df", column="group", count=1))):
        group_report(df, group="group", outcome="selected")


# --- Wilson and intersectional ------------------------------------------------

@pytest.mark.parametrize("k,n", [(0, 1), (0, 7), (3, 10), (7, 7), (50, 1000), (999, 1000)])
@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_wilson_matches_scipy(k, n, confidence):
    expected = binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    low, high = wilson_interval(k, n, confidence=confidence)
    assert low == pytest.approx(expected.low, abs=TOL) and high == pytest.approx(expected.high, abs=TOL)


def test_wilson_bad_counts():
    with pytest.raises(AuditInputError, match=re.escape(BAD_COUNTS.format(successes=5, n=3))):
        wilson_interval(5, 3)
    with pytest.raises(AuditInputError):
        wilson_interval(0, 0)


def test_intersectional_flags_and_suppresses_small_slices():
    df = pd.DataFrame({
        "g": ["a"] * 80 + ["b"] * 30,
        "h": ["x"] * 60 + ["y"] * 20 + ["x"] * 30,
        "out": [True, False] * 55,
    })
    table = intersectional_report(df, groups=["g", "h"], outcome="out", min_count=25)
    assert table.attrs["reference"] == ("a", "x")
    assert bool(table.loc[("a", "y"), "small_group"]) and not bool(table.loc[("b", "x"), "small_group"])
    assert pd.isna(table.loc[("a", "y"), "selection_rate"]) and pd.isna(table.loc[("a", "y"), "selected"])
    assert table.loc[("a", "y"), "count"] == 20
    assert table.loc[("a", "y"), "screen"] == SUPPRESSED.format(min_count=25)
    shown = intersectional_report(df, groups=["g", "h"], outcome="out", min_count=25, suppress=False)
    assert shown.loc[("a", "y"), "selection_rate"] == pytest.approx(0.5)
    assert bool(shown.loc[("a", "y"), "small_group"])
    low, high = wilson_interval(15, 30)
    assert table.loc[("b", "x"), "ci_low"] == pytest.approx(low) and table.loc[("b", "x"), "ci_high"] == pytest.approx(high)


# --- agreement with fairlearn --------------------------------------------------

def fairlearn_frame(df, group, outcome, y_true):
    return MetricFrame(
        metrics={"selection_rate": selection_rate, "tpr": true_positive_rate, "fpr": false_positive_rate,
                 "count": lambda t, p: len(t)},
        y_true=df[y_true], y_pred=df[outcome], sensitive_features=df[group],
    ).by_group


def assert_agrees_with_fairlearn(df, group):
    ours = group_report(df, group=group, outcome="selected", y_true="qualified")
    theirs = fairlearn_frame(df, group, "selected", "qualified")
    theirs.index = theirs.index.astype(ours.index.dtype)
    theirs = theirs.reindex(ours.index)  # (not .loc: a bool index would act as a mask)
    np.testing.assert_allclose(ours["selection_rate"], theirs["selection_rate"], atol=TOL, rtol=0)
    np.testing.assert_array_equal(ours["count"], theirs["count"])
    # fairlearn reports 0 where a rate has no cases; ours is NaN there.
    np.testing.assert_allclose(ours["tpr"].fillna(0), theirs["tpr"].astype(float), atol=TOL, rtol=0)
    np.testing.assert_allclose(ours["fpr"].fillna(0), theirs["fpr"].astype(float), atol=TOL, rtol=0)
    # fairlearn's one-number summaries, called directly, read the same numbers off the report.
    y_true, y_pred, sf = df["qualified"], df["selected"], df[group]
    rate = ours["selection_rate"]
    assert rate.min() / rate.max() == pytest.approx(
        demographic_parity_ratio(y_true, y_pred, sensitive_features=sf), abs=TOL)
    assert rate.max() - rate.min() == pytest.approx(
        demographic_parity_difference(y_true, y_pred, sensitive_features=sf), abs=TOL)
    gaps = [ours[c].fillna(0).max() - ours[c].fillna(0).min() for c in ("tpr", "fpr")]  # fairlearn counts 0
    assert max(gaps) == pytest.approx(equalized_odds_difference(y_true, y_pred, sensitive_features=sf), abs=TOL)


@pytest.mark.parametrize("group", ["ethnicity_group", "gender", "age_band", "disability"])
def test_agrees_with_fairlearn_on_practice_data(card, group):
    assert_agrees_with_fairlearn(card, group)


def test_practice_data_planted_card_disparity(card):
    report = group_report(card, group="ethnicity_group", outcome="selected")
    assert report.attrs["reference"] == "group_a"
    assert report.loc["group_c", "ratio_to_reference"] < 0.8
    others = report.drop(index=["group_a", "group_c"])["ratio_to_reference"]
    assert others.between(0.9, 1.1).all()


rows = st.lists(
    st.tuples(st.sampled_from(["g1", "g2", "g3", "g4"]), st.booleans(), st.booleans()),
    min_size=1, max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(rows)
def test_agrees_with_fairlearn_on_generated_frames(data):
    df = pd.DataFrame(data, columns=["group", "selected", "qualified"])
    if group_report(df, group="group", outcome="selected")["selection_rate"].max() == 0:
        return  # fairlearn's ratio is 0/0 here
    assert_agrees_with_fairlearn(df, "group")


# --- properties -----------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(rows, st.randoms(use_true_random=False))
def test_properties_rates_reference_and_permutation(data, rnd):
    df = pd.DataFrame(data, columns=["group", "selected", "qualified"])
    report = group_report(df, group="group", outcome="selected", y_true="qualified")
    for column in ("selection_rate", "tpr", "fpr"):
        values = report[column].dropna()
        assert ((values >= 0) & (values <= 1)).all()
    assert report.loc[report.attrs["reference"], "ratio_to_reference"] == 1.0
    assert report["count"].sum() == len(df)
    order = list(range(len(df)))
    rnd.shuffle(order)
    shuffled = group_report(df.iloc[order], group="group", outcome="selected", y_true="qualified")
    pd.testing.assert_frame_equal(report, shuffled)
    inter = intersectional_report(df, groups=["group", "qualified"], outcome="selected", min_count=3)
    inter_shuffled = intersectional_report(df.iloc[order], groups=["group", "qualified"], outcome="selected",
                                           min_count=3)
    pd.testing.assert_frame_equal(inter, inter_shuffled)
    rates = inter[["selection_rate", "ci_low", "ci_high"]].dropna().astype(float)
    assert ((rates >= 0) & (rates <= 1)).all().all()
    assert (rates["ci_low"] <= rates["selection_rate"] + TOL).all()
    assert (rates["selection_rate"] <= rates["ci_high"] + TOL).all()
