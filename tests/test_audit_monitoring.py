"""Tests for ethicskit.audit monitoring: per-period disparity, first breach, drift plot."""

from __future__ import annotations

import re

import matplotlib
import pandas as pd
import pytest

from ethicskit.audit import (
    BELOW_BAND,
    MISSING_COLUMN,
    UNKNOWN_REFERENCE,
    AuditInputError,
    Plot,
    disparity_by_period,
    first_breach,
    plot_drift,
)


def monitoring(rate_b):
    months = pd.date_range("2025-01-01", periods=len(rate_b), freq="MS")
    rows = []
    for month, b in zip(months, rate_b):
        rows.append((month, "group_a", 100, 50))
        rows.append((month, "group_b", 200, round(b * 200)))
    return pd.DataFrame(rows, columns=["month", "group", "eligible", "selected"])


def test_disparity_and_first_breach_by_hand():
    table = disparity_by_period(monitoring([0.5, 0.45, 0.41, 0.35, 0.5]))
    b = table[table["group"] == "group_b"].reset_index(drop=True)
    assert b["ratio_to_reference"].round(6).tolist() == [1.0, 0.9, 0.82, 0.7, 1.0]
    assert b.loc[3, "screen"] == BELOW_BAND and b["breach"].tolist() == [False, False, False, True, False]
    a = table[table["group"] == "group_a"]
    assert (a["ratio_to_reference"] == 1.0).all() and not a["breach"].any()
    assert first_breach(table) == pd.Timestamp("2025-04-01")
    assert first_breach(table, group="group_b") == pd.Timestamp("2025-04-01")
    assert first_breach(table, group="group_a") is None
    assert first_breach(disparity_by_period(monitoring([0.5, 0.5]))) is None


def test_rows_are_summed_per_period_and_group():
    doubled = pd.concat([monitoring([0.3, 0.5]), monitoring([0.5, 0.5])])
    table = disparity_by_period(doubled)
    b = table[table["group"] == "group_b"]
    assert b["eligible"].tolist() == [400, 400] and b["selection_rate"].tolist() == [0.4, 0.5]


def test_errors():
    data = monitoring([0.5])
    with pytest.raises(AuditInputError, match=re.escape(UNKNOWN_REFERENCE.format(
            reference="group_z", column="group", groups="[group_a, group_b]"))):
        disparity_by_period(data, reference="group_z")
    with pytest.raises(AuditInputError, match=re.escape(MISSING_COLUMN.format(
            name="monitoring", column="eligible", present=["month", "group", "selected"]))):
        disparity_by_period(data.drop(columns="eligible"))
    with pytest.raises(AuditInputError, match="group_q"):
        first_breach(disparity_by_period(data), group="group_q")


def test_plot_drift_is_headless_and_labelled():
    backend = matplotlib.get_backend()
    plot = plot_drift(disparity_by_period(monitoring([0.5, 0.45, 0.35])))
    assert isinstance(plot, Plot)
    assert plot.ax.get_title() and plot.ax.get_xlabel() == "month" and plot.ax.get_ylabel()
    assert "group_b in 2025-03" in plot.caption
    assert len(plot.ax.patches) >= 1  # the shaded band
    import matplotlib.pyplot as plt

    assert plt.get_fignums() == []  # nothing registered with pyplot, so nothing is shown
    assert matplotlib.get_backend() == backend


def test_practice_monitoring_first_breach():
    from ethicskit.data import FIRST_BREACH_MONTH, load

    table = disparity_by_period(load("monthly_monitoring"))
    assert first_breach(table).strftime("%Y-%m") == FIRST_BREACH_MONTH
    assert first_breach(table, group="group_c").strftime("%Y-%m") == FIRST_BREACH_MONTH


def test_plot_renders_inline_with_caption():
    plot = plot_drift(disparity_by_period(monitoring([0.5, 0.3])))
    rendered = plot._repr_html_()
    assert rendered.startswith("<figure><img src=\"data:image/png;base64,")
    assert "<figcaption>" in rendered and "group_b in 2025-02" in rendered


def test_disparity_ignores_row_order():
    data = monitoring([0.5, 0.45, 0.41, 0.35, 0.5])
    table = disparity_by_period(data)
    shuffled = disparity_by_period(data.sample(frac=1.0, random_state=3))
    pd.testing.assert_frame_equal(table, shuffled)
