"""ThresholdExplorer: move a score threshold per group and watch selection rates.

A thin view over :func:`ethicskit.audit.group_report`: one slider per group
sets the score cut-off for that group; the table shows each group's selection
rate, its ratio to the reference group and the tolerance-band screen.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets

from ethicskit.audit import DEFAULT_BAND, WITHIN_BAND, group_report
from ethicskit.audit._errors import AuditInputError, require_frame

UNKNOWN_GROUPS = "thresholds name unknown groups {found}; groups present: {allowed}"
NOT_NUMERIC = "df[{column!r}] must be a numeric score; found dtype {dtype}"


class ThresholdExplorer(widgets.VBox):
    """Per-group threshold sliders with live selection rates, ratios and the band.

    ``value`` is a dict ``{group: threshold}`` (a partial dict changes only
    the groups it names); setting it moves the sliders. ``report`` holds the
    latest :func:`~ethicskit.audit.group_report` table. With ``y_true`` (for
    example ``"qualified"``) the table also shows each group's true positive
    rate: the share of qualified customers who get the offer.

    Examples
    --------
    >>> from ethicskit.data import load
    >>> offers = load("campaign_offers").merge(load("customers"), on="customer_id")
    >>> card = offers[offers["offer"] == "premium_card_upgrade"]
    >>> explorer = ThresholdExplorer(card, group="ethnicity_group", score="score", start=0.6)
    >>> explorer.value = {**explorer.value, "group_c": 0.3}
    >>> bool(explorer.report.loc["group_c", "selection_rate"] > explorer.report.loc["group_b", "selection_rate"])
    True
    """

    value = traitlets.Dict(help="score threshold per group")

    def __init__(self, df: pd.DataFrame, *, group: str, score: str, reference=None, y_true: str | None = None,
                 band: tuple[float, float] = DEFAULT_BAND, start: float = 0.5, step: float = 0.01, **kwargs):
        require_frame(df, [group, score] + ([y_true] if y_true else []))
        if not pd.api.types.is_numeric_dtype(df[score]) or pd.api.types.is_bool_dtype(df[score]):
            raise AuditInputError(NOT_NUMERIC.format(column=score, dtype=df[score].dtype))
        self._group, self._band = group, band
        codes, labels = pd.factorize(df[group], sort=True)
        self._codes, self._labels = codes, list(labels)
        self._scores = df[score].to_numpy(dtype=float)
        self._keys = df[group].reset_index(drop=True)
        self._truth = None if y_true is None else df[y_true].reset_index(drop=True)
        self._reference = group_report(self._frame(np.zeros(len(df), bool)), group=group, outcome="selected",
                                       reference=reference).attrs["reference"]
        low, high = float(np.nanmin(self._scores)), float(np.nanmax(self._scores))
        self._sliders = {
            label: widgets.FloatSlider(value=start, min=min(low, 0.0), max=max(high, 1.0), step=step,
                                       description=str(label), readout_format=".2f",
                                       style={"description_width": "initial"})
            for label in self._labels
        }
        self._table = widgets.HTML()
        self._summary = widgets.HTML()
        self._syncing = False
        heading = widgets.HTML(f"<b>Score threshold per {html.escape(group)}</b> "
                               f"(an offer is made when {html.escape(score)} ≥ threshold)")
        super().__init__([heading, *self._sliders.values(), self._summary, self._table], **kwargs)
        for slider in self._sliders.values():
            slider.observe(self._on_slider, names="value")
        self.value = {label: float(start) for label in self._labels}

    def _frame(self, selected: np.ndarray) -> pd.DataFrame:
        frame = pd.DataFrame({self._group: self._keys, "selected": selected})
        return frame if self._truth is None else frame.assign(qualified=self._truth)

    def _on_slider(self, change) -> None:
        if not self._syncing:
            self.value = {label: float(s.value) for label, s in self._sliders.items()}

    @traitlets.validate("value")
    def _check_value(self, proposal):
        value = dict(proposal["value"])
        unknown = [g for g in value if g not in self._sliders]
        if unknown:
            raise traitlets.TraitError(UNKNOWN_GROUPS.format(found=unknown, allowed=self._labels))
        return {label: float(value.get(label, self._sliders[label].value)) for label in self._labels}

    @traitlets.observe("value")
    def _on_value(self, change) -> None:
        self._syncing = True
        try:
            for label, threshold in change["new"].items():
                self._sliders[label].value = threshold
        finally:
            self._syncing = False
        self.refresh()

    def refresh(self) -> None:
        """Recompute the report from the current thresholds and redraw."""
        cut = np.array([self.value[label] for label in self._labels])[self._codes]
        selected = self._scores >= cut
        self.report = group_report(self._frame(selected), group=self._group, outcome="selected",
                                   reference=self._reference, band=self._band,
                                   y_true=None if self._truth is None else "qualified")
        columns = ["count", "selected", "selection_rate", "ratio_to_reference", "screen"]
        if self._truth is not None:
            columns.insert(3, "tpr")
        shown = self.report[columns].copy()
        shown.insert(0, "threshold", [self.value[label] for label in self.report.index])
        self._table.value = shown.to_html(float_format=lambda x: f"{x:.2f}", border=0)
        review = self.report.index[self.report["screen"] != WITHIN_BAND].tolist()
        low, high = self.report.attrs["band"]
        verdict = ("every group is within the band" if not review
                   else "review: " + ", ".join(map(str, review)) + " outside the band")
        self._summary.value = (f"Reference: <b>{html.escape(str(self._reference))}</b>; tolerance band "
                               f"{low:g}–{high:g} (a trigger for review, not a legal test); "
                               f"{html.escape(verdict)}.")
