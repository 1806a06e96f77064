"""Tests for ethicskit.audit consent: ledger rules, audience filter, properties."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ethicskit.audit import (
    EMPTY_FRAME,
    MISSING_COLUMN,
    REASON_NO_RECORD,
    REASON_SUPERSEDED,
    REASON_WITHDRAWN,
    UNKNOWN_ACTION,
    UNKNOWN_POLICY_VERSION,
    UNKNOWN_PURPOSE,
    AuditInputError,
    consent_state_at,
    filter_audience,
    policy_in_force,
)
from ethicskit.data import POLICY_VERSIONS, PURPOSES_REQUIRING_CURRENT_POLICY

T = pd.Timestamp
COLUMNS = ["event_id", "customer_id", "purpose", "action", "policy_version", "event_time", "recorded_at"]


def ledger(*rows):
    return pd.DataFrame(rows, columns=COLUMNS).astype({"event_time": "datetime64[ns]",
                                                       "recorded_at": "datetime64[ns]"})


def state_of(table, customer, purpose):
    row = table[(table["customer_id"] == customer) & (table["purpose"] == purpose)]
    assert len(row) == 1
    return row.iloc[0]


def test_latest_event_by_event_time_not_row_order():
    events = ledger(
        ("e2", "C1", "personalization", "withdraw", "2025.1", T("2025-06-01"), T("2025-06-02")),
        ("e1", "C1", "personalization", "grant", "2025.1", T("2025-04-01"), T("2025-06-05")),  # arrived late
    )
    row = state_of(consent_state_at(events, "2026-01-01"), "C1", "personalization")
    assert not row["consented"] and row["reason"] == REASON_WITHDRAWN and row["deciding_event_id"] == "e2"


def test_regrant_after_withdrawal_counts():
    events = ledger(
        ("e1", "C1", "email_marketing", "grant", "2025.1", T("2025-04-01"), T("2025-04-01")),
        ("e2", "C1", "email_marketing", "withdraw", "2025.1", T("2025-06-01"), T("2025-06-01")),
        ("e3", "C1", "email_marketing", "grant", "2025.1", T("2025-09-01"), T("2025-09-01")),
    )
    assert state_of(consent_state_at(events, "2026-01-01"), "C1", "email_marketing")["consented"]
    assert not state_of(consent_state_at(events, "2025-08-31"), "C1", "email_marketing")["consented"]


def test_future_events_are_ignored_and_when_is_inclusive():
    events = ledger(("e1", "C1", "personalization", "grant", "2025.1", T("2025-04-01 10:00"), T("2025-04-01")))
    assert consent_state_at(events, "2025-04-01 09:59").empty
    assert state_of(consent_state_at(events, "2025-04-01 10:00"), "C1", "personalization")["consented"]


def test_exact_duplicates_collapse_to_first_recorded():
    events = ledger(
        ("e9", "C1", "personalization", "grant", "2025.1", T("2025-04-01"), T("2025-04-03")),
        ("e5", "C1", "personalization", "grant", "2025.1", T("2025-04-01"), T("2025-04-02")),
    )
    table = consent_state_at(events, "2026-01-01")
    assert len(table) == 1 and table.loc[0, "deciding_event_id"] == "e5"


def test_tie_on_event_time_withdraw_wins():
    events = ledger(
        ("e1", "C1", "personalization", "withdraw", "2025.1", T("2025-04-01"), T("2025-04-01")),
        ("e2", "C1", "personalization", "grant", "2025.1", T("2025-04-01"), T("2025-04-05")),
    )
    assert not state_of(consent_state_at(events, "2026-01-01"), "C1", "personalization")["consented"]


def test_superseded_policy_depends_on_policy_in_force_at_when():
    events = ledger(
        ("e1", "C1", "partner_sharing", "grant", "2025.1", T("2025-05-01"), T("2025-05-01")),
        ("e2", "C1", "personalization", "grant", "2025.1", T("2025-05-01"), T("2025-05-01")),
        ("e3", "C2", "partner_sharing", "grant", "2026.1", T("2026-02-10"), T("2026-02-10")),
    )
    before = consent_state_at(events, "2026-01-31")  # 2025.1 still in force
    assert state_of(before, "C1", "partner_sharing")["consented"]
    after = consent_state_at(events, "2026-02-15")  # 2026.1 in force
    row = state_of(after, "C1", "partner_sharing")
    assert not row["consented"]
    assert row["reason"] == REASON_SUPERSEDED.format(version="2025.1")
    assert row["reason"] == "consent given under superseded policy 2025.1"
    assert state_of(after, "C1", "personalization")["consented"]  # this purpose does not need the current one
    assert state_of(after, "C2", "partner_sharing")["consented"]
    assert after.attrs["policy_in_force"] == "2026.1"


def test_policy_in_force():
    assert policy_in_force("2023-12-31") is None
    assert policy_in_force("2024-01-01") == "2024.1"
    assert policy_in_force("2026-02-01") == "2026.1"
    assert set(PURPOSES_REQUIRING_CURRENT_POLICY) == {"partner_sharing", "credit_profiling"}
    assert set(POLICY_VERSIONS) == {"2024.1", "2025.1", "2026.1"}


def test_filter_audience_reasons_and_order():
    events = ledger(
        ("e1", "C1", "partner_sharing", "grant", "2025.1", T("2025-05-01"), T("2025-05-01")),
        ("e2", "C2", "partner_sharing", "grant", "2026.1", T("2026-02-10"), T("2026-02-10")),
        ("e3", "C3", "partner_sharing", "withdraw", "2026.1", T("2026-02-10"), T("2026-02-10")),
        ("e4", "C4", "personalization", "grant", "2026.1", T("2026-02-10"), T("2026-02-10")),
    )
    audience = filter_audience(["C4", "C2", "C1", "C3", "C5", "C2"], events, "2026-03-01", purpose="partner_sharing")
    assert audience.included.tolist() == ["C2"]
    reasons = dict(zip(audience.excluded["customer_id"], audience.excluded["reason"]))
    assert reasons == {"C4": REASON_NO_RECORD, "C1": REASON_SUPERSEDED.format(version="2025.1"),
                       "C3": REASON_WITHDRAWN, "C5": REASON_NO_RECORD}
    assert audience.summary()["included"] == 1 and audience.summary()[REASON_NO_RECORD] == 2


# --- bad input ------------------------------------------------------------------

def test_unknown_action_lists_allowed():
    events = ledger(("e1", "C1", "personalization", "opt-in", "2025.1", T("2025-05-01"), T("2025-05-01")))
    message = UNKNOWN_ACTION.format(found="[opt-in]", allowed=["grant", "withdraw"])
    with pytest.raises(AuditInputError, match=re.escape(message)):
        consent_state_at(events, "2026-01-01")


def test_unknown_policy_version_and_purpose():
    events = ledger(("e1", "C1", "personalization", "grant", "1999.9", T("2025-05-01"), T("2025-05-01")))
    with pytest.raises(AuditInputError, match=re.escape(UNKNOWN_POLICY_VERSION.format(
            found="[1999.9]", allowed=list(POLICY_VERSIONS)))):
        consent_state_at(events, "2026-01-01")
    events = ledger(("e1", "C1", "personalization", "grant", "2025.1", T("2025-05-01"), T("2025-05-01")))
    with pytest.raises(AuditInputError, match=re.escape(UNKNOWN_PURPOSE.format(
            purpose="marketing", allowed="[personalization]"))):
        consent_state_at(events, "2026-01-01", purpose="marketing")


def test_missing_column_and_empty_ledger():
    events = ledger(("e1", "C1", "personalization", "grant", "2025.1", T("2025-05-01"), T("2025-05-01")))
    with pytest.raises(AuditInputError, match=re.escape(MISSING_COLUMN.format(
            name="ledger", column="action", present=[c for c in COLUMNS if c != "action"]))):
        consent_state_at(events.drop(columns="action"), "2026-01-01")
    with pytest.raises(AuditInputError, match=re.escape(EMPTY_FRAME.format(name="ledger"))):
        consent_state_at(events.iloc[:0], "2026-01-01")


# --- properties against a plain-Python oracle ------------------------------------

def oracle(events: pd.DataFrame, when) -> dict:
    """One obvious loop per (customer, purpose): the rules written out longhand."""
    when = T(when)
    in_force = policy_in_force(when)
    result = {}
    for (customer, purpose), rows in events[events["event_time"] <= when].groupby(["customer_id", "purpose"]):
        ranked = sorted(rows.itertuples(), key=lambda r: (r.event_time, r.action == "withdraw", r.recorded_at, r.event_id))
        last = ranked[-1]
        counts = last.action == "grant" and (
            purpose not in PURPOSES_REQUIRING_CURRENT_POLICY or last.policy_version == in_force)
        result[(customer, purpose)] = counts
    return result


event = st.tuples(
    st.sampled_from(["C1", "C2", "C3"]),
    st.sampled_from(["personalization", "partner_sharing"]),
    st.sampled_from(["grant", "withdraw"]),
    st.sampled_from(list(POLICY_VERSIONS)),
    st.integers(0, 40),  # event day offset from 2025-01-01 (coarse, so ties happen)
    st.integers(0, 5),   # recording delay in days
)


def build(events):
    rows = []
    for i, (customer, purpose, action, version, day, delay) in enumerate(events):
        when = T("2025-01-01") + pd.Timedelta(days=day * 15)
        rows.append((f"E{i:03d}", customer, purpose, action, version, when, when + pd.Timedelta(days=delay)))
    return ledger(*rows)


@settings(max_examples=80, deadline=None)
@given(st.lists(event, min_size=1, max_size=25), st.integers(0, 40), st.randoms(use_true_random=False))
def test_matches_oracle_never_counts_withdrawn_and_ignores_row_order(events, day, rnd):
    table = build(events)
    when = T("2025-01-01") + pd.Timedelta(days=day * 15)
    state = consent_state_at(table, when)
    expected = oracle(table, when)
    got = {(r.customer_id, r.purpose): bool(r.consented) for r in state.itertuples()}
    assert got == expected
    assert not state.loc[state["action"] == "withdraw", "consented"].any()
    # A withdrawal at `when` always wins over anything at or before `when`.
    withdrawn = pd.concat([table, ledger(("W", "C1", "personalization", "withdraw", "2026.1", when, when))])
    assert not state_of(consent_state_at(withdrawn, when), "C1", "personalization")["consented"]
    order = list(range(len(table)))
    rnd.shuffle(order)
    shuffled = consent_state_at(table.iloc[order], when)
    pd.testing.assert_frame_equal(state, shuffled)


# --- practice data --------------------------------------------------------------

@pytest.fixture(scope="module")
def practice_ledger():
    from ethicskit.data import load

    return load("consent_ledger")


def test_practice_ledger_edge_cases(practice_ledger):
    state = consent_state_at(practice_ledger, "2026-12-31")
    assert not state.loc[state["action"] == "withdraw", "consented"].any()
    assert (state["reason"] == REASON_SUPERSEDED.format(version="2025.1")).any()
    assert state.groupby(["customer_id", "purpose"]).size().max() == 1
    shuffled = consent_state_at(practice_ledger.sample(frac=1.0, random_state=1), "2026-12-31")
    pd.testing.assert_frame_equal(state, shuffled)
