"""ConsentTimeline: one customer's consent events, and what each purpose allows on a date.

A thin view over :func:`ethicskit.audit.consent_state_at`: pick a customer
and a date; see every ledger event (marked as deciding, overruled, duplicate
or after the date) and, per purpose, whether it is allowed and why.
"""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as widgets
import pandas as pd
import traitlets

from ethicskit.audit import REASON_NO_RECORD, consent_state_at
from ethicskit.audit._consent import LEDGER_COLUMNS
from ethicskit.audit._errors import require_frame

DUPLICATE_KEYS = ["purpose", "action", "policy_version", "event_time"]


def _interesting(ledger: pd.DataFrame, limit: int = 40) -> list[str]:
    """Customers whose history shows an edge case: withdrawals, duplicates, several versions."""
    withdrew = ledger.loc[ledger["action"] == "withdraw", "customer_id"]
    dup = ledger.loc[ledger.duplicated(["customer_id", *DUPLICATE_KEYS], keep=False), "customer_id"]
    versions = ledger.groupby("customer_id", observed=True)["policy_version"].nunique()
    picks = []
    for series in (withdrew, dup, pd.Series(versions[versions > 1].index)):
        picks.extend(sorted(set(map(str, series)))[: limit // 3])
    return list(dict.fromkeys(picks))


class ConsentTimeline(widgets.VBox):
    """Pick a customer and a date: their consent events and what each purpose allows.

    ``value`` is ``{"customer_id": str, "when": "YYYY-MM-DD"}``; ``events`` and
    ``state`` hold the current tables.

    Examples
    --------
    >>> from ethicskit.data import load
    >>> ledger = load("consent_ledger")
    >>> timeline = ConsentTimeline(ledger)
    >>> customer = ledger["customer_id"].iloc[0]
    >>> timeline.value = {"customer_id": customer, "when": "2026-12-31"}
    >>> sorted(timeline.state.columns)
    ['allowed', 'purpose', 'reason']
    >>> len(timeline.events) == int((ledger["customer_id"] == customer).sum())
    True
    """

    value = traitlets.Dict(help='{"customer_id": ..., "when": "YYYY-MM-DD"}')

    def __init__(self, ledger: pd.DataFrame, *, customer_id: str | None = None, when="2026-12-31", **kwargs):
        require_frame(ledger, LEDGER_COLUMNS, name="ledger")
        self._ledger = ledger
        self._rows = ledger.groupby(ledger["customer_id"].astype(str), observed=True).indices
        purposes = ledger["purpose"]
        self._purposes = [str(p) for p in (purposes.cat.categories if isinstance(purposes.dtype, pd.CategoricalDtype)
                                           else sorted(pd.unique(purposes)))]
        examples = _interesting(ledger)
        first = customer_id or (examples[0] if examples else str(ledger["customer_id"].iloc[0]))
        self._customer = widgets.Combobox(options=examples, value=first, ensure_option=False,
                                          description="Customer", placeholder="customer id, e.g. C00001")
        self._date = widgets.DatePicker(value=pd.Timestamp(when).date(), description="As of")
        self._state_html = widgets.HTML()
        self._events_html = widgets.HTML()
        self._syncing = False
        super().__init__([widgets.HBox([self._customer, self._date]), self._state_html, self._events_html],
                         **kwargs)
        self._customer.observe(self._on_control, names="value")
        self._date.observe(self._on_control, names="value")
        self.value = {"customer_id": first, "when": pd.Timestamp(when).date().isoformat()}

    def _on_control(self, change) -> None:
        if self._syncing:
            return
        when = self._date.value or dt.date.today()
        self.value = {"customer_id": self._customer.value.strip(), "when": when.isoformat()}

    @traitlets.validate("value")
    def _check_value(self, proposal):
        value = dict(proposal["value"])
        if set(value) != {"customer_id", "when"}:
            raise traitlets.TraitError(f"value needs keys ['customer_id', 'when']; found {sorted(value)}")
        return {"customer_id": str(value["customer_id"]), "when": pd.Timestamp(value["when"]).date().isoformat()}

    @traitlets.observe("value")
    def _on_value(self, change) -> None:
        self._syncing = True
        try:
            self._customer.value = change["new"]["customer_id"]
            self._date.value = dt.date.fromisoformat(change["new"]["when"])
        finally:
            self._syncing = False
        self.refresh()

    def refresh(self) -> None:
        """Recompute the events and the per-purpose state for the current choice."""
        customer, when = self.value["customer_id"], pd.Timestamp(self.value["when"])
        positions = self._rows.get(customer)
        events = self._ledger.iloc[positions if positions is not None else []].sort_values(
            ["event_time", "recorded_at"] if "recorded_at" in self._ledger.columns else ["event_time"])
        decided = (consent_state_at(events, when) if len(events) and (events["event_time"] <= when).any()
                   else pd.DataFrame(columns=["purpose", "consented", "reason", "deciding_event_id"]))
        by_purpose = decided.set_index("purpose") if len(decided) else decided
        self.state = pd.DataFrame({
            "purpose": self._purposes,
            "allowed": [bool(by_purpose.loc[p, "consented"]) if p in by_purpose.index else False
                        for p in self._purposes],
            "reason": [str(by_purpose.loc[p, "reason"]) if p in by_purpose.index else REASON_NO_RECORD
                       for p in self._purposes],
        })
        deciding = set(decided["deciding_event_id"]) if len(decided) else set()
        duplicate = events.duplicated(DUPLICATE_KEYS, keep=False).to_numpy()
        status = [
            "after the chosen date (ignored)" if t > when
            else "deciding event" if e in deciding
            else "duplicate (collapsed)" if d
            else "earlier (overruled)"
            for t, e, d in zip(events["event_time"], events["event_id"].astype(str), duplicate)
        ]
        shown = [c for c in ["event_id", "purpose", "action", "policy_version", "event_time", "recorded_at",
                             "channel"] if c in events.columns]
        self.events = events[shown].assign(status=status).reset_index(drop=True)
        rows = "".join(
            f"<tr><td>{html.escape(p)}</td><td>{'<strong>allowed</strong>' if a else 'not allowed'}</td>"
            f"<td>{html.escape(r)}</td></tr>"
            for p, a, r in zip(self.state["purpose"], self.state["allowed"], self.state["reason"])
        )
        self._state_html.value = (
            f"<p>What <b>{html.escape(customer)}</b>'s consent allows on {when.date().isoformat()}:</p>"
            f"<table><tr><th>purpose</th><th>allowed?</th><th>why</th></tr>{rows}</table>"
        )
        self._events_html.value = (
            "<p>Ledger events, in event-time order:</p>" + self.events.to_html(index=False, border=0)
            if len(self.events) else "<p>No ledger events for this customer.</p>"
        )
