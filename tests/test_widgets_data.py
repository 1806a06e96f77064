"""Headless tests for the data widgets: set ``.value`` or a control, assert on state."""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets
import numpy as np
import pandas as pd
import pytest
import traitlets

from ethicskit.audit import (
    REASON_NO_RECORD,
    REASON_SUPERSEDED,
    WITHIN_BAND,
    consent_state_at,
    group_report,
    proxy_strength,
    review_message,
)
from ethicskit.widgets import ConsentTimeline, MessageReviewer, ProxyExplorer, ThresholdExplorer


@pytest.fixture(scope="module")
def card():
    from ethicskit.data import load

    offers = load("campaign_offers").merge(load("customers"), on="customer_id")
    return offers[offers["offer"] == "premium_card_upgrade"].reset_index(drop=True)


@pytest.fixture(scope="module")
def people():
    from ethicskit.data import load

    return load("customers").merge(load("candidate_features"), on="customer_id")


@pytest.fixture(scope="module")
def ledger():
    from ethicskit.data import load

    return load("consent_ledger")


def test_composite_widgets_have_described_controls(card, people, ledger):
    built = [
        ThresholdExplorer(card, group="ethnicity_group", score="score"),
        ProxyExplorer(people, features=["lifestyle_affinity"], protected=["gender"]),
        ConsentTimeline(ledger),
        MessageReviewer(),
    ]
    for widget in built:
        assert isinstance(widget, widgets.VBox)
        controls = [w for w in _walk(widget) if isinstance(w, widgets.ValueWidget) and not isinstance(w, widgets.HTML)]
        assert controls and all(c.description for c in controls), type(widget).__name__
        assert not any(isinstance(w, widgets.Output) for w in _walk(widget))


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


# --- ThresholdExplorer -------------------------------------------------------

def test_threshold_value_drives_report(card):
    explorer = ThresholdExplorer(card, group="ethnicity_group", score="score", y_true="qualified")
    expected = group_report(card.assign(selected=card["score"] >= 0.5), group="ethnicity_group",
                            outcome="selected", y_true="qualified")
    pd.testing.assert_frame_equal(explorer.report, expected, check_names=False, check_index_type=False)
    explorer.value = {"group_c": 0.3}
    assert explorer.value["group_c"] == 0.3 and explorer.value["group_a"] == 0.5
    cut = np.where(card["ethnicity_group"] == "group_c", 0.3, 0.5)
    rate_c = (card.loc[card["ethnicity_group"] == "group_c", "score"] >= 0.3).mean()
    assert explorer.report.loc["group_c", "selection_rate"] == pytest.approx(rate_c)
    assert explorer.report["selected"].sum() == int((card["score"] >= cut).sum())
    assert "group_c" in explorer._table.value and "tpr" in explorer._table.value


def test_threshold_sliders_and_value_stay_in_sync(card):
    explorer = ThresholdExplorer(card, group="ethnicity_group", score="score")
    explorer._sliders["group_b"].value = 0.7
    assert explorer.value["group_b"] == pytest.approx(0.7)
    explorer.value = {"group_b": 0.2}
    assert explorer._sliders["group_b"].value == pytest.approx(0.2)
    with pytest.raises(traitlets.TraitError, match="group_z"):
        explorer.value = {"group_z": 0.1}


def test_threshold_band_summary(card):
    explorer = ThresholdExplorer(card, group="ethnicity_group", score="score")
    assert "review: group_c" in explorer._summary.value
    lowered = (card.loc[card["ethnicity_group"] == "group_c", "score"]).quantile(
        1 - explorer.report.loc["group_a", "selection_rate"])
    explorer.value = {"group_c": float(lowered)}
    assert explorer.report.loc["group_c", "screen"] == WITHIN_BAND
    assert "every group is within the band" in explorer._summary.value


# --- ProxyExplorer -----------------------------------------------------------

def test_proxy_explorer_views(people):
    features, protected = ["lifestyle_affinity", "neighborhood_tier", "recency_days"], ["gender", "ethnicity_group"]
    explorer = ProxyExplorer(people, features=features, protected=protected)
    pd.testing.assert_frame_equal(explorer.table, proxy_strength(people, features=features, protected=protected))
    explorer.value = "neighborhood_tier"
    assert explorer._feature.value == "neighborhood_tier"
    assert explorer.association.index[0] == "ethnicity_group"
    explorer._attribute.value = "ethnicity_group"
    shares = explorer.distribution
    assert list(shares.index) == sorted(people["ethnicity_group"].unique())
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)
    explorer._feature.value = "lifestyle_affinity"
    assert explorer.value == "lifestyle_affinity"
    explorer._attribute.value = "gender"
    means = people.groupby("gender", observed=True)["lifestyle_affinity"].mean()
    np.testing.assert_allclose(explorer.distribution["mean"], means.to_numpy())
    assert "lifestyle_affinity" in explorer._association_html.value
    with pytest.raises(traitlets.TraitError, match="unknown feature"):
        explorer.value = "ethnicity_group"


# --- ConsentTimeline ----------------------------------------------------------

def test_consent_timeline_matches_consent_state(ledger):
    timeline = ConsentTimeline(ledger)
    state = consent_state_at(ledger, "2026-12-31")
    superseded = state[state["reason"] == REASON_SUPERSEDED.format(version="2025.1")].iloc[0]
    timeline.value = {"customer_id": superseded["customer_id"], "when": "2026-12-31"}
    row = timeline.state.set_index("purpose").loc[superseded["purpose"]]
    assert not row["allowed"] and row["reason"] == superseded["reason"]
    assert len(timeline.events) == int((ledger["customer_id"] == superseded["customer_id"]).sum())
    assert (timeline.events["status"] == "deciding event").sum() == int(
        (state["customer_id"] == superseded["customer_id"]).sum())
    assert timeline._customer.value == superseded["customer_id"]


def test_consent_timeline_controls_and_dates(ledger):
    timeline = ConsentTimeline(ledger)
    customer = str(ledger["customer_id"].iloc[0])
    timeline._customer.value = customer
    timeline._date.value = dt.date(2024, 1, 1)
    assert timeline.value == {"customer_id": customer, "when": "2024-01-01"}
    early = ledger[(ledger["customer_id"] == customer) & (ledger["event_time"] > pd.Timestamp("2024-01-01"))]
    assert (timeline.events["status"] == "after the chosen date (ignored)").sum() == len(early)
    timeline.value = {"customer_id": "C99999", "when": "2026-12-31"}
    assert timeline.events.empty
    assert set(timeline.state["reason"]) == {REASON_NO_RECORD} and not timeline.state["allowed"].any()


# --- MessageReviewer ------------------------------------------------------------

def test_message_reviewer_flags_and_examples():
    from ethicskit.data import load

    messages = load("marketing_messages")
    reviewer = MessageReviewer(messages)
    text = "Hurry! Only 3 places left. Full T&Cs available on request."
    reviewer.value = text
    assert reviewer.flags == review_message(text)
    assert "<mark>Hurry</mark>" in reviewer._preview.value
    assert "false urgency" in reviewer._findings.value and "hidden terms" in reviewer._findings.value
    model = [f for f in reviewer.flags if f.source == "model"]
    assert model and f"probability {model[0].probability:.0%}" in reviewer._model.value
    assert all(f"“{gram}”" in reviewer._model.value for gram, _ in model[0].ngrams)
    reviewer._copy.value = "Thanks for your order."
    assert reviewer.value == "Thanks for your order." and reviewer.flags == review_message("Thanks for your order.")
    assert "no phrase matched" in reviewer._findings.value
    assert ("reads this as respectful" in reviewer._model.value) == (not reviewer.flags)
    example = reviewer._examples.options[1][1]
    reviewer._examples.value = example
    assert reviewer.value == example and reviewer._copy.value == example
    reviewer.value = "<script>alert(1)</script> hurry"
    assert "<script>" not in reviewer._preview.value
