"""Consent state as of a moment, from an append-only, versioned consent ledger.

Rules, applied per customer and purpose (GDPR Art. 7(3): withdrawing must be
as easy as giving, and takes effect from then on):

1. Events with ``event_time`` after ``when`` are ignored (``recorded_at`` is
   when the row reached the ledger; it only breaks ties).
2. Exact duplicates (same customer, purpose, action, policy version and
   event time; only the ``event_id`` differs) collapse into one; the first
   recorded (then the smallest ``event_id``) is kept as the deciding event.
3. Events are ordered by ``event_time``, not by row order. Ties on
   ``event_time`` are broken by action (a withdraw beats a grant: when in
   doubt, there is no consent), then by ``recorded_at`` (the later-recorded
   event wins), then by ``event_id``.
4. The latest event wins. A withdraw means not consented.
5. For purposes that require the current policy
   (``PURPOSES_REQUIRING_CURRENT_POLICY``), a grant counts only if it was given
   under the policy version *in force at* ``when`` (from the effective dates in
   ``POLICY_VERSIONS``); a grant under an older version is reported as
   "consent given under superseded policy 2025.1".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._errors import (
    UNKNOWN_ACTION,
    UNKNOWN_POLICY_VERSION,
    UNKNOWN_PURPOSE,
    AuditInputError,
    _listing,
    require_frame,
)

ACTIONS = ("grant", "withdraw")
LEDGER_COLUMNS = ("event_id", "customer_id", "purpose", "action", "policy_version", "event_time")
REASON_GRANTED = "consent granted under policy {version}"
REASON_WITHDRAWN = "consent withdrawn"
REASON_SUPERSEDED = "consent given under superseded policy {version}"
REASON_NOT_IN_FORCE = "consent given under policy {version}, which was not in force yet"
REASON_NO_RECORD = "no consent record"


def _policy_defaults(policy_versions, requires_current):
    if policy_versions is None or requires_current is None:
        from ethicskit.data import POLICY_VERSIONS, PURPOSES_REQUIRING_CURRENT_POLICY

        policy_versions = POLICY_VERSIONS if policy_versions is None else policy_versions
        requires_current = PURPOSES_REQUIRING_CURRENT_POLICY if requires_current is None else requires_current
    return dict(policy_versions), tuple(requires_current)


def policy_in_force(when, policy_versions: Mapping[str, str] | None = None) -> str | None:
    """The policy version in force at ``when`` (latest effective date not after it).

    Examples
    --------
    >>> policy_in_force("2026-01-31"), policy_in_force("2026-02-01")
    ('2025.1', '2026.1')
    """
    versions, _ = _policy_defaults(policy_versions, ())
    when = _as_timestamp(when)
    effective = {v: pd.Timestamp(d) for v, d in versions.items()}
    started = [v for v, d in effective.items() if d <= when]
    return max(started, key=effective.__getitem__) if started else None


def _as_timestamp(when) -> pd.Timestamp:
    when = pd.Timestamp(when)
    return when.tz_convert("UTC").tz_localize(None) if when.tzinfo is not None else when


def _check_values(values: pd.Series, allowed: Iterable[str], message: str) -> None:
    allowed = list(allowed)
    found = pd.unique(values.astype(object))
    unknown = [v for v in found if pd.isna(v) or str(v) not in allowed]
    if unknown:
        raise AuditInputError(message.format(found=_listing(unknown), allowed=allowed))


def consent_state_at(
    ledger: pd.DataFrame,
    when,
    *,
    purpose: str | None = None,
    policy_versions: Mapping[str, str] | None = None,
    requires_current: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Consent per customer and purpose as of ``when`` (see the module rules).

    Parameters
    ----------
    ledger : the consent ledger (columns ``event_id``, ``customer_id``,
        ``purpose``, ``action``, ``policy_version``, ``event_time``, and
        optionally ``recorded_at``).
    when : anything ``pandas.Timestamp`` accepts; a date means its midnight.
    purpose : one purpose, or ``None`` for all.
    policy_versions, requires_current : override ``POLICY_VERSIONS`` and
        ``PURPOSES_REQUIRING_CURRENT_POLICY`` from ``ethicskit.data``.

    Returns
    -------
    DataFrame with one row per customer and purpose that has at least one
    event at or before ``when``: ``customer_id``, ``purpose``, ``consented``
    (bool), ``reason``, ``deciding_event_id``, ``action``, ``policy_version``
    and ``event_time`` of the deciding event; sorted by customer and purpose.

    Examples
    --------
    >>> from ethicskit.data import load
    >>> ledger = load("consent_ledger")
    >>> state = consent_state_at(ledger, "2026-06-30", purpose="partner_sharing")
    >>> list(state.columns)[:6]
    ['customer_id', 'purpose', 'consented', 'reason', 'deciding_event_id', 'action']
    >>> bool(state.loc[state["action"] == "withdraw", "consented"].any())
    False
    >>> "consent given under superseded policy 2025.1" in set(state["reason"])
    True
    """
    require_frame(ledger, LEDGER_COLUMNS, name="ledger")
    versions, requiring = _policy_defaults(policy_versions, requires_current)
    _check_values(ledger["action"], ACTIONS, UNKNOWN_ACTION)
    _check_values(ledger["policy_version"], versions, UNKNOWN_POLICY_VERSION)
    when = _as_timestamp(when)
    if purpose is not None:
        known = ledger["purpose"].cat.categories if isinstance(ledger["purpose"].dtype, pd.CategoricalDtype) \
            else pd.unique(ledger["purpose"])
        if purpose not in set(map(str, known)):
            raise AuditInputError(UNKNOWN_PURPOSE.format(purpose=purpose, allowed=_listing(known)))
    times = pd.to_datetime(ledger["event_time"])
    keep = (times <= when).to_numpy(copy=True)
    if purpose is not None:
        keep &= (ledger["purpose"] == purpose).to_numpy(dtype=bool, na_value=False)
    columns = [*LEDGER_COLUMNS] + (["recorded_at"] if "recorded_at" in ledger.columns else [])
    events = ledger.loc[keep, columns].assign(event_time=times[keep])
    latest = _latest_events(events)
    return _explain(events.iloc[latest], when, versions, requiring)


def _sorted_codes(values: pd.Series) -> np.ndarray:
    """Integer codes ordered like the values' text, sorting only the distinct values."""
    codes, uniques = pd.factorize(values)
    text = np.asarray(uniques, dtype=object).astype(str)
    rank = np.empty(len(text), dtype=np.int64)
    rank[np.argsort(text, kind="stable")] = np.arange(len(text))
    return rank[codes]


def _nanoseconds(values) -> np.ndarray:
    return pd.to_datetime(values).to_numpy().astype("datetime64[ns]").view(np.int64)


def _run_starts(columns: list[np.ndarray]) -> np.ndarray:
    """For rows sorted by ``columns``: True where a row differs from the previous one."""
    start = np.ones(len(columns[0]), dtype=bool)
    if len(start) > 1:
        same = np.ones(len(start) - 1, dtype=bool)
        for column in columns:
            same &= column[1:] == column[:-1]
        start[1:] = ~same
    return start


def _latest_events(events: pd.DataFrame) -> np.ndarray:
    """Positions (in ``events``) of the deciding event per customer and purpose."""
    n = len(events)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    customer = _sorted_codes(events["customer_id"])
    purpose = _sorted_codes(events["purpose"])
    time = _nanoseconds(events["event_time"])
    withdraw = (events["action"] == "withdraw").to_numpy(dtype=bool)
    recorded = (_nanoseconds(events["recorded_at"]) if "recorded_at" in events.columns
                else np.zeros(n, dtype=np.int64))
    version = _sorted_codes(events["policy_version"])
    keys = [customer, purpose, time, withdraw, recorded]
    order = np.lexsort(keys[::-1])
    ranked = [k[order] for k in keys]
    # event_id only matters where everything before it ties; rank just those ids.
    starts = _run_starts(ranked)
    tied = ~starts | np.append(~starts[1:], False)
    if tied.any():
        event = np.zeros(n, dtype=np.int64)
        positions = order[tied]
        event[positions] = _sorted_codes(events["event_id"].iloc[positions])
        order = np.lexsort([event, *keys[::-1]])
        ranked = [k[order] for k in keys]
    # Exact duplicates (same customer, purpose, time, action, version): the first
    # recorded copy (then the smallest event_id) stands for all of them.
    block = np.cumsum(_run_starts(ranked[:4]))
    repeat = pd.Series(block * (version.max() + 1) + version[order]).duplicated().to_numpy()
    order = order[~repeat]
    # The latest remaining event per customer and purpose is the last of its run.
    pair = [customer[order], purpose[order]]
    last = np.append(_run_starts(pair)[1:], True)
    return order[last]


def _explain(latest: pd.DataFrame, when, versions, requiring) -> pd.DataFrame:
    in_force = policy_in_force(when, versions)
    effective = {v: pd.Timestamp(d) for v, d in versions.items()}
    names = sorted(versions)
    version = pd.Categorical(latest["policy_version"].astype(object).astype(str), categories=names)
    code = version.codes.astype(np.int64)
    grant = (latest["action"] == "grant").to_numpy(dtype=bool)
    needs_current = latest["purpose"].isin(requiring).to_numpy(dtype=bool)
    older = np.array([in_force is not None and effective[v] < effective[in_force] for v in names])
    off_policy = np.array([v != in_force for v in names])
    invalid = grant & needs_current & off_policy[code]
    consented = grant & ~invalid
    # One reason per (kind, version): 0 granted, 1 withdrawn, 2 superseded, 3 not yet in force.
    texts = np.array([[REASON_GRANTED.format(version=v) for v in names],
                      [REASON_WITHDRAWN] * len(names),
                      [REASON_SUPERSEDED.format(version=v) for v in names],
                      [REASON_NOT_IN_FORCE.format(version=v) for v in names]], dtype=object)
    kind = np.select([~grant, invalid & older[code], invalid], [1, 2, 3], default=0)
    state = pd.DataFrame({
        "customer_id": latest["customer_id"].to_numpy(),
        "purpose": latest["purpose"].to_numpy(),
        "consented": consented,
        "reason": pd.array(texts[kind, code], dtype="str"),
        "deciding_event_id": latest["event_id"].to_numpy(),
        "action": latest["action"].to_numpy(),
        "policy_version": latest["policy_version"].to_numpy(),
        "event_time": latest["event_time"].to_numpy(),
    })
    state.attrs.update(when=when, policy_in_force=in_force)
    return state


class Audience(NamedTuple):
    """Who may be contacted for a purpose, and who may not (with a reason each)."""

    included: pd.Series
    excluded: pd.DataFrame

    def summary(self) -> pd.Series:
        """Counts: ``included`` plus one entry per exclusion reason."""
        counts = self.excluded["reason"].value_counts()
        return pd.concat([pd.Series({"included": len(self.included)}), counts]).astype(int)


def filter_audience(customer_ids, ledger: pd.DataFrame, when, *, purpose: str, **policy) -> Audience:
    """Split a proposed audience into those with valid consent for ``purpose`` and the rest.

    ``included`` is a Series of customer ids (input order, duplicates dropped).
    ``excluded`` has ``customer_id`` and ``reason``: the reason from
    :func:`consent_state_at`, or ``"no consent record"`` when the ledger holds
    no event for that customer and purpose at or before ``when``.

    Examples
    --------
    >>> from ethicskit.data import load
    >>> customers, ledger = load("customers"), load("consent_ledger")
    >>> audience = filter_audience(customers["customer_id"], ledger, "2026-06-30", purpose="personalization")
    >>> len(audience.included) + len(audience.excluded) == len(customers)
    True
    >>> "no consent record" in set(audience.excluded["reason"])
    True
    """
    ids = pd.Series(list(customer_ids) if not isinstance(customer_ids, pd.Series) else customer_ids,
                    name="customer_id").astype(str).drop_duplicates().reset_index(drop=True)
    state = consent_state_at(ledger, when, purpose=purpose, **policy)
    merged = pd.DataFrame({"customer_id": ids}).merge(
        state[["customer_id", "consented", "reason"]], on="customer_id", how="left"
    )
    consented = merged["consented"].fillna(False).astype(bool)
    included = merged.loc[consented, "customer_id"].reset_index(drop=True)
    excluded = merged.loc[~consented, ["customer_id", "reason"]].fillna({"reason": REASON_NO_RECORD})
    return Audience(included, excluded.reset_index(drop=True))
