"""Planted effects, measured from the committed CSVs with the statistic each data card documents.

If a generator change makes an effect disappear, these tests fail. The statistics
are computed here with pandas/scipy directly, independent of ``ethicskit.audit``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from ethicskit.data import FIRST_BREACH_MONTH, load
from ethicskit.paths import datasets_dir

DATASETS = datasets_dir()  # ETHICSKIT_DATASETS overrides it (e.g. to test a changed generator)
PROTECTED = ("gender", "ethnicity_group", "age_band", "disability")
GENUINE = ("purchase_frequency", "category_breadth", "loyalty_engagement", "recency_days",
           "premium_category_spend_12m")


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    customers = load("customers", folder=DATASETS)
    return customers.merge(load("candidate_features", folder=DATASETS), on="customer_id", validate="1:1")


@pytest.fixture(scope="module")
def offers() -> pd.DataFrame:
    frame = load("campaign_offers", folder=DATASETS)
    frame = frame.merge(load("customers", folder=DATASETS), on="customer_id", validate="m:1")
    return frame.merge(load("behavior", folder=DATASETS), on="customer_id", validate="m:1")


def cramers_v(a: pd.Series, b: pd.Series) -> float:
    """Cramér's V of two categorical series (no continuity correction)."""
    table = pd.crosstab(a, b)
    chi2 = chi2_contingency(table, correction=False)[0]
    return float(np.sqrt(chi2 / (table.to_numpy().sum() * (min(table.shape) - 1))))


def binned(values: pd.Series) -> pd.Series:
    """The data cards' binning rule: integers with <= 10 distinct values as they are,
    other numeric columns in quintiles (pd.qcut, q=5, duplicate edges dropped)."""
    if pd.api.types.is_integer_dtype(values) and values.nunique() <= 10:
        return values
    return pd.qcut(values, 5, labels=False, duplicates="drop")


def selection_ratios(frame: pd.DataFrame, group: str, reference: str) -> pd.Series:
    rates = frame.groupby(group, observed=True)["selected"].mean()
    return rates / rates[reference]


def test_cramers_v_helper_detects_association_and_independence():
    rng = np.random.default_rng(0)
    a = pd.Series(rng.integers(0, 3, 5_000))
    assert cramers_v(a, a) == pytest.approx(1.0)
    assert cramers_v(a, pd.Series(rng.integers(0, 3, 5_000))) < 0.05


def test_lifestyle_affinity_is_a_proxy_for_gender(people):
    assert cramers_v(binned(people["lifestyle_affinity"]), people["gender"]) >= 0.5


def test_neighborhood_tier_is_a_proxy_for_ethnicity_group(people):
    assert cramers_v(people["neighborhood_tier"], people["ethnicity_group"]) >= 0.5


@pytest.mark.parametrize("feature", GENUINE)
@pytest.mark.parametrize("attribute", PROTECTED)
def test_genuine_features_are_weakly_associated(people, feature, attribute):
    assert cramers_v(binned(people[feature]), people[attribute]) <= 0.1


def test_upgrade_has_disparate_impact_on_group_c_only(offers):
    upgrade = offers[offers["offer"] == "premium_card_upgrade"]
    ratios = selection_ratios(upgrade, "ethnicity_group", "group_a")
    assert ratios["group_c"] < 0.8
    for group in ("group_b", "group_d", "group_e"):
        assert 0.9 <= ratios[group] <= 1.1, (group, ratios[group])


def test_upgrade_gender_gap_is_visible_but_inside_the_band(offers):
    upgrade = offers[offers["offer"] == "premium_card_upgrade"]
    ratio = selection_ratios(upgrade, "gender", "female")["male"]
    assert 0.8 < ratio < 0.95


def vulnerable(frame: pd.DataFrame) -> pd.Series:
    """The card's 'financially vulnerable' flag (the audit module's default thresholds)."""
    return ((frame["hardship_contacts_90d"] >= 1) | (frame["payment_failures_90d"] >= 2)
            | frame["min_payment_only_3m"] | (frame["bnpl_uses_90d"] >= 4)
            | ((frame["late_night_share"] >= 0.35) & (frame["sessions_90d"] >= 10)))


def test_bnpl_push_over_targets_financially_vulnerable_customers(offers):
    bnpl = offers[offers["offer"] == "bnpl_high_apr_push"]
    flag = vulnerable(bnpl)
    exposure = flag[bnpl["selected"]].mean() / flag.mean()
    assert exposure >= 2.0
    for signal in (bnpl["hardship_contacts_90d"] >= 1, bnpl["payment_failures_90d"] >= 2,
                   (bnpl["late_night_share"] >= 0.35) & (bnpl["sessions_90d"] >= 10)):
        assert signal[bnpl["selected"]].mean() / signal.mean() >= 2.0


def test_upgrade_and_voucher_do_not_over_target_vulnerable_customers(offers):
    for offer in ("premium_card_upgrade", "discount_voucher"):
        part = offers[offers["offer"] == offer]
        flag = vulnerable(part)
        assert flag[part["selected"]].mean() / flag.mean() < 1.25


def test_monitoring_drift_first_crosses_tolerance_in_the_documented_month():
    monitoring = load("monthly_monitoring", folder=DATASETS)
    rates = monitoring.pivot(index="month", columns="group", values="selection_rate")
    ratio = rates.div(rates["group_a"], axis=0)
    below = ratio.index[ratio["group_c"] < 0.8]
    assert below.min().strftime("%Y-%m") == FIRST_BREACH_MONTH
    assert (ratio.loc[ratio.index >= below.min(), "group_c"] < 0.8).all()
    assert ratio[["group_b", "group_d", "group_e"]].stack().between(0.9, 1.1).all()
    assert np.allclose(monitoring["selection_rate"], monitoring["selected"] / monitoring["eligible"], atol=5e-5)
