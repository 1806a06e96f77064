"""The versioned consent ledger, with the edge cases real ledgers have.

Each (customer, purpose) pair lives through a short chain of slots, simulated in
time order for all pairs at once: an initial answer at onboarding, up to two
later toggles (withdraw / grant again), and a refresh grant when a new policy
version takes effect. Withdrawals only ever follow a grant in event time. Rows
are then written in the order they were recorded, so late arrivals from stores
and call centres appear out of event-time order, and a few sync retries leave
exact duplicates under a new event id.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ethicskit.data._frame import make_ids, typed_frame
from ethicskit.data._random import draw_given, rng_for
from ethicskit.data._spec import POLICY_VERSIONS, PURPOSES

LEDGER_START = np.datetime64("2024-01-01T00:00:00", "s")  # the ledger went live with policy 2024.1
LAST_EVENT = np.datetime64("2026-12-20T23:59:59", "s")  # every event has arrived by the snapshot
MIGRATION_DAYS = 180  # existing customers answered the first prompt within this many days
INITIAL_GRANT = (0.80, 0.50, 0.20, 0.25)  # P(grant at onboarding) per purpose, in PURPOSES order
WITHDRAW = (0.10, 0.22, 0.15, 0.12)  # P(withdraw later | granted)
LATE_GRANT = (0.10, 0.06, 0.04, 0.05)  # P(grant later | declined at onboarding)
QUICK_CHANGE_SHARE = 0.10  # first changes of mind made within hours of onboarding
REGRANT = 0.30  # P(grant again | withdrew)
WITHDRAW_AFTER_LATE = 0.10
# P(refresh grant under the new version | active under an older one), for 2025.1 and 2026.1.
REFRESH = {"2025.1": (0.12, 0.12, 0.15, 0.15), "2026.1": (0.10, 0.10, 0.45, 0.45)}
STALE_FORM_DAYS = 120  # store forms printed under the old version stay in use this long...
STALE_FORM_SHARE = 0.30  # ...for this share of store grants
DUPLICATE_SHARE = 0.015
CHANNELS = ("web", "app", "store", "call_centre", "email_link")
# Onboarding channel given the customer's preferred channel (app, web, store, email).
ONBOARD_CHANNEL = np.array([
    [0.15, 0.80, 0.03, 0.02, 0.00],
    [0.85, 0.08, 0.03, 0.04, 0.00],
    [0.10, 0.05, 0.80, 0.05, 0.00],
    [0.70, 0.10, 0.05, 0.05, 0.10],
])
# Later events: grants (rows 0) and withdrawals (row 1: email_marketing unsubscribes use the link).
LATER_CHANNEL = np.array([
    [0.40, 0.35, 0.10, 0.10, 0.05],
    [0.30, 0.30, 0.05, 0.15, 0.20],
    [0.10, 0.10, 0.02, 0.03, 0.75],
    [0.35, 0.30, 0.00, 0.00, 0.35],
])

_SECOND = np.timedelta64(1, "s")
_DAY = 86_400


def _secs(t: np.ndarray) -> np.ndarray:
    return t.astype("datetime64[s]").astype(np.int64)


def _later(rng, after: np.ndarray) -> np.ndarray:
    """A time after ``after`` (seconds) and before the last event, skewed towards soon after."""
    end = _secs(np.array([LAST_EVENT]))[0]
    gap = np.maximum(end - after, 0)
    return after + 60 + np.floor(gap * rng.beta(1.2, 2.5, len(after))).astype(np.int64)


def _version_at(t: np.ndarray) -> np.ndarray:
    effective = _secs(np.array(list(POLICY_VERSIONS.values()), dtype="datetime64[s]"))
    return np.searchsorted(effective, t, side="right") - 1


def _next_effective(version: str) -> int:
    """Seconds of the next version's effective date (or far future for the current one)."""
    dates = list(POLICY_VERSIONS.values())
    i = list(POLICY_VERSIONS).index(version)
    return _secs(np.array([dates[i + 1]], dtype="datetime64[s]"))[0] if i + 1 < len(dates) else 2**62


def _chains(rng, n: int, onboard: np.ndarray):
    """Per pair slot times (seconds) and inclusion flags: initial, toggle 1, toggle 2."""
    purpose = np.tile(np.arange(len(PURPOSES)), n)
    cust = np.repeat(np.arange(n), len(PURPOSES))
    t0 = onboard[cust]
    granted = rng.random(len(cust)) < np.asarray(INITIAL_GRANT)[purpose]
    quick = rng.random(len(cust)) < QUICK_CHANGE_SHARE
    t1 = np.where(quick, t0 + np.floor(rng.uniform(0.5, 12.0, len(cust)) * 3600).astype(np.int64), _later(rng, t0))
    p1 = np.where(granted, np.asarray(WITHDRAW)[purpose], np.asarray(LATE_GRANT)[purpose])
    toggle1 = rng.random(len(cust)) < p1
    t2 = _later(rng, t1)
    toggle2 = toggle1 & (rng.random(len(cust)) < np.where(granted, REGRANT, WITHDRAW_AFTER_LATE))
    return cust, purpose, (t0, t1, t2), (granted, toggle1, toggle2), granted


def build_consent(customers: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The consent_ledger table for the given customers."""
    rng = rng_for(seed, "consent_ledger")
    n = len(customers)
    signup = _secs(customers["signup_date"].to_numpy())
    start = _secs(np.array([LEDGER_START]))[0]
    daytime = np.floor(rng.uniform(8, 22, n) * 3600).astype(np.int64)
    migrated = start + np.floor(rng.random(n) * MIGRATION_DAYS).astype(np.int64) * _DAY + daytime
    onboard = np.where(signup >= start, signup + daytime, migrated)
    cust, purpose, times, included, first_is_grant = _chains(rng, n, onboard)
    # Actions alternate along a chain: grant, withdraw, grant (or, if declined first: -, grant, withdraw).
    actions = (np.zeros_like(cust), np.where(first_is_grant, 1, 0), np.where(first_is_grant, 0, 1))
    kinds = (0, 1, 1)  # 0 = onboarding, 1 = later change, 2 = refresh under a new version
    events = [_take(inc, t, cust, purpose, act, kind) for t, inc, act, kind in zip(times, included, actions, kinds)]
    last = _secs(np.array([LAST_EVENT]))[0]
    for version, probs in REFRESH.items():
        eff = _secs(np.array([POLICY_VERSIONS[version]], dtype="datetime64[s]"))[0]
        t_ref = eff + np.floor(rng.exponential(40 * _DAY, len(cust))).astype(np.int64)
        before = [(t < t_ref) & inc for t, inc in zip(times, included)]
        latest_grant = np.max([np.where(b & (a == 0), t, -1) for b, a, t in zip(before, actions, times)], axis=0)
        # Chains alternate grant / withdraw starting with a grant, so an odd count means active.
        active = sum(b.astype(int) for b in before) % 2 == 1
        ok = (active & (latest_grant < eff) & (t_ref < min(_next_effective(version), last))
              & (rng.random(len(cust)) < np.asarray(probs)[purpose]))
        events.append(_take(ok, t_ref, cust, purpose, np.zeros_like(cust), 2))
    t, c, p, a, k = (np.concatenate(part) for part in zip(*events))
    return _finish(rng, customers, t, c, p, a, k)


def _take(mask, t, cust, purpose, action, kind):
    """The included events of one slot as (time, customer, purpose, action, kind) arrays."""
    return t[mask], cust[mask], purpose[mask], action[mask], np.full(int(mask.sum()), kind)


def _finish(rng, customers, t, c, p, a, k) -> pd.DataFrame:
    m = len(t)
    pref = customers["preferred_channel"].cat.codes.to_numpy()[c]
    channel = np.where(k == 0, draw_given(rng, ONBOARD_CHANNEL, pref),
                       draw_given(rng, LATER_CHANNEL, np.where(a == 0, 0, np.where(p == 1, 2, 1))))
    channel = np.where(k == 2, draw_given(rng, LATER_CHANNEL, np.full(m, 3)), channel)
    version = _version_at(t)
    eff = _secs(np.array(list(POLICY_VERSIONS.values()), dtype="datetime64[s]"))
    stale = ((a == 0) & (channel == CHANNELS.index("store")) & (version > 0)
             & (t - eff[version] < STALE_FORM_DAYS * _DAY) & (rng.random(m) < STALE_FORM_SHARE))
    version = version - stale
    delay = _delay(rng, channel)
    # Exact duplicates: a sync retry re-sends the event later under a new event id.
    dup = rng.random(m) < DUPLICATE_SHARE
    idx = np.concatenate([np.arange(m), np.flatnonzero(dup)])
    retry = np.concatenate([np.zeros(m, dtype=np.int64), 1 + np.floor(rng.exponential(6 * 3600, dup.sum()))
                            .astype(np.int64)])
    recorded = t[idx] + delay[idx] + retry
    order = np.lexsort((p[idx], c[idx], t[idx], recorded))
    idx, recorded = idx[order], recorded[order]
    return typed_frame("consent_ledger", {
        "event_id": make_ids("E", len(idx), width=6),
        "customer_id": customers["customer_id"].to_numpy(dtype=object)[c[idx]],
        "purpose": p[idx], "action": a[idx], "policy_version": version[idx],
        "event_time": t[idx].astype("datetime64[s]"), "recorded_at": recorded.astype("datetime64[s]"),
        "channel": channel[idx],
    })


def _delay(rng, channel: np.ndarray) -> np.ndarray:
    """Seconds from event to recording: online at once, call centres within hours, stores in batches."""
    m = len(channel)
    online = 1 + np.floor(rng.exponential(20.0, m))
    call = 60 + np.floor(rng.exponential(2 * 3600.0, m))
    store = (1 + (rng.random(m) < 0.1) * rng.integers(1, 6, m)) * _DAY * 0.75 + np.floor(rng.random(m) * 3 * 3600)
    delay = np.where(channel == CHANNELS.index("store"), store,
                     np.where(channel == CHANNELS.index("call_centre"), call, online))
    return delay.astype(np.int64)
