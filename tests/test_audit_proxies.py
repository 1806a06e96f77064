"""Tests for ethicskit.audit proxies: association measures, ranking, reconstruction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats.contingency import association

from ethicskit.audit import (
    TOO_FEW_CLASSES,
    AuditInputError,
    Plot,
    correlation_ratio,
    cramers_v,
    plot_proxy_heatmap,
    proxy_strength,
    reconstruction_auc,
)


def eta_longhand(categories, values):
    frame = pd.DataFrame({"c": categories, "v": values}).astype({"v": float})
    mean = frame["v"].mean()
    between = sum(len(g) * (g["v"].mean() - mean) ** 2 for _, g in frame.groupby("c"))
    total = ((frame["v"] - mean) ** 2).sum()
    return 0.0 if total == 0 else float(np.sqrt(between / total))


labels = st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("xyz"), st.integers(-5, 5)),
                  min_size=2, max_size=80)


@settings(max_examples=60, deadline=None)
@given(labels)
def test_measures_agree_with_scipy_and_longhand(rows):
    x, y, v = (list(c) for c in zip(*rows))
    table = pd.crosstab(pd.Series(x), pd.Series(y)).to_numpy()
    expected = association(table, method="cramer") if min(table.shape) > 1 else 0.0
    assert cramers_v(x, y) == pytest.approx(expected, abs=1e-9)
    assert correlation_ratio(x, v) == pytest.approx(eta_longhand(x, v), abs=1e-9)
    assert 0 <= cramers_v(x, y) <= 1 and 0 <= correlation_ratio(x, v) <= 1
    assert cramers_v(x, y) == pytest.approx(cramers_v(y, x), abs=1e-12)


def test_measure_extremes():
    x = ["a", "b", "c"] * 10
    assert cramers_v(x, x) == pytest.approx(1.0)
    assert cramers_v(x, ["k"] * 30) == 0.0
    assert correlation_ratio(x, [{"a": 1, "b": 5, "c": 9}[i] for i in x]) == pytest.approx(1.0)
    assert correlation_ratio(x, [3.0] * 30) == 0.0


def planted(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    gender = rng.choice(["f", "m"], n)
    area = rng.choice(["p1", "p2", "p3"], n)
    return pd.DataFrame({
        "gender": pd.Categorical(gender),
        "area": pd.Categorical(area),
        "proxy_num": np.where(gender == "f", 60, 40) + rng.normal(0, 8, n),
        "proxy_cat": pd.Categorical(np.where(rng.random(n) < 0.9, area, rng.choice(["p1", "p2", "p3"], n))),
        "noise": rng.normal(size=n),
    })


def test_proxy_strength_ranks_planted_proxies_first():
    table = proxy_strength(planted(), features=["noise", "proxy_cat", "proxy_num"], protected=["gender", "area"])
    assert list(table.columns) == ["feature", "protected", "measure", "method"]
    assert len(table) == 6 and table["measure"].is_monotonic_decreasing
    top = set(map(tuple, table.iloc[:2][["feature", "protected"]].to_numpy()))
    assert top == {("proxy_cat", "area"), ("proxy_num", "gender")}
    methods = dict(zip(zip(table["feature"], table["protected"]), table["method"]))
    assert methods[("proxy_cat", "area")] == "cramers_v" and methods[("proxy_num", "gender")] == "correlation_ratio"


def test_reconstruction_auc_separates_proxy_from_noise():
    data = planted()
    assert reconstruction_auc(data, features=["proxy_num"], protected="gender", cv=3) > 0.8
    assert 0.4 < reconstruction_auc(data, features=["noise"], protected="gender", cv=3) < 0.6
    multi = reconstruction_auc(data, features=["proxy_cat", "noise"], protected="area", cv=3)
    assert multi > 0.8
    boosted = reconstruction_auc(planted(600), features=["proxy_num"], protected="gender", cv=3, model="boosting")
    assert boosted > 0.8


def test_reconstruction_needs_two_classes():
    data = planted(50).assign(gender="f")
    with pytest.raises(AuditInputError, match="needs at least two groups"):
        reconstruction_auc(data, features=["noise"], protected="gender")
    assert TOO_FEW_CLASSES.startswith("{name}")


def test_heatmap_plot_is_headless():
    table = proxy_strength(planted(500), features=["noise", "proxy_cat"], protected=["gender", "area"])
    plot = plot_proxy_heatmap(table)
    assert isinstance(plot, Plot) and plot.ax.get_title() and plot.ax.get_ylabel() == "candidate feature"
    assert "strongest: proxy_cat with area" in plot.caption
    import matplotlib.pyplot as plt

    assert plt.get_fignums() == []


@pytest.fixture(scope="module")
def people():
    from ethicskit.data import load

    return load("customers").merge(load("candidate_features"), on="customer_id")


def test_practice_planted_proxies_rank_first(people):
    features = ["lifestyle_affinity", "neighborhood_tier", "purchase_frequency", "category_breadth",
                "loyalty_engagement", "recency_days", "premium_category_spend_12m"]
    table = proxy_strength(people, features=features, protected=["gender", "ethnicity_group", "age_band"])
    top = set(map(tuple, table.iloc[:2][["feature", "protected"]].to_numpy()))
    assert top == {("lifestyle_affinity", "gender"), ("neighborhood_tier", "ethnicity_group")}
    genuine = table[~table["feature"].isin(["lifestyle_affinity", "neighborhood_tier"])]
    assert genuine["measure"].max() < table.iloc[1]["measure"] / 2


def test_proxy_strength_ignores_row_order():
    data = planted(800)
    table = proxy_strength(data, features=["noise", "proxy_cat", "proxy_num"], protected=["gender", "area"])
    shuffled = proxy_strength(data.sample(frac=1.0, random_state=5), features=["noise", "proxy_cat", "proxy_num"],
                              protected=["gender", "area"])
    pd.testing.assert_frame_equal(table, shuffled, atol=1e-12)
