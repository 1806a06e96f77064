"""Fairness monitoring over time: per-period disparity, first breach, drift plot.

A model that passed its launch review can drift: the population, the data or
a retrained score changes, and a group's selection rate slides. Module 07
checks the ratio to the reference group every period against the same
tolerance band as :func:`ethicskit.audit.group_report`, and finds the first
period that needs a review (GDPR Art. 35 reviews; deon E.1–E.4).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._errors import UNKNOWN_REFERENCE, AuditInputError, _listing, check_band, require_frame
from ._fairness import DEFAULT_BAND, _screen


def disparity_by_period(
    monitoring: pd.DataFrame,
    *,
    group: str = "group",
    reference: str = "group_a",
    band: tuple[float, float] = DEFAULT_BAND,
    period: str = "month",
) -> pd.DataFrame:
    """Each group's selection rate per period, as a ratio to the reference group.

    ``monitoring`` holds counts per period and group: ``eligible`` and
    ``selected`` (summed if a period and group appear on several rows, for
    example several offers). Returns a long DataFrame, one row per period and
    group, sorted by period then group, with ``eligible``, ``selected``,
    ``selection_rate``, ``reference_rate``, ``ratio_to_reference``,
    ``difference_to_reference``, ``screen`` (as in ``group_report``) and
    ``breach`` (True when outside the band, or when the reference rate is 0).
    The reference group's own rows have ratio 1.

    Examples
    --------
    >>> from ethicskit.data import load
    >>> disparity = disparity_by_period(load("monthly_monitoring"))
    >>> list(disparity.columns)[:4]
    ['month', 'group', 'eligible', 'selected']
    >>> first_breach(disparity)
    Timestamp('2026-03-01 00:00:00')
    """
    require_frame(monitoring, [period, group, "eligible", "selected"], name="monitoring")
    low_high = check_band(band)
    groups = pd.unique(monitoring[group].astype(object))
    if reference not in set(groups):
        raise AuditInputError(UNKNOWN_REFERENCE.format(reference=reference, column=group,
                                                       groups=_listing(groups)))
    counts = (
        monitoring[[period, group, "eligible", "selected"]]
        .assign(**{group: monitoring[group].astype(str)})
        .groupby([period, group], observed=True, sort=True)[["eligible", "selected"]]
        .sum()
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = (counts["selected"] / counts["eligible"].where(counts["eligible"] > 0)).astype(float)
    reference_rate = rate.xs(str(reference), level=group).rename("reference_rate")
    table = counts.assign(selection_rate=rate).join(reference_rate, on=period).reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = table["selection_rate"] / table["reference_rate"]
    is_reference = (table[group] == str(reference)).to_numpy()
    table["ratio_to_reference"] = np.where(is_reference, 1.0, ratio).astype(float)
    table["difference_to_reference"] = (table["selection_rate"] - table["reference_rate"]).astype(float)
    table["screen"] = _screen(table["ratio_to_reference"], low_high)
    table["breach"] = (table["screen"] != "within band").to_numpy()
    table.attrs.update(reference=str(reference), band=low_high, period=period, group=group)
    return table


def first_breach(disparity: pd.DataFrame, *, group: str | None = None) -> pd.Timestamp | None:
    """The first period in which any group (or the given ``group``) leaves the band.

    Returns the period's value (a ``Timestamp`` for monthly data), or ``None``
    when nothing breaches.

    Examples
    --------
    >>> from ethicskit.data import load
    >>> disparity = disparity_by_period(load("monthly_monitoring"))
    >>> first_breach(disparity, group="group_c").strftime("%Y-%m")
    '2026-03'
    >>> first_breach(disparity, group="group_a") is None
    True
    """
    period = disparity.attrs.get("period", "month")
    group_column = disparity.attrs.get("group", "group")
    require_frame(disparity, [period, group_column, "breach"], name="disparity")
    rows = disparity[disparity["breach"].astype(bool)]
    if group is not None:
        known = pd.unique(disparity[group_column].astype(str))
        if str(group) not in set(known):
            raise AuditInputError(UNKNOWN_REFERENCE.format(reference=group, column=group_column,
                                                           groups=_listing(known)))
        rows = rows[rows[group_column].astype(str) == str(group)]
    if rows.empty:
        return None
    return rows[period].min()


def plot_drift(disparity: pd.DataFrame, *, ax=None):
    """Trend of each group's ratio to the reference, with the tolerance band shaded.

    Returns ``Plot(ax, caption)``; draws nothing on screen when headless.

    Examples
    --------
    >>> from ethicskit.data import load
    >>> plot = plot_drift(disparity_by_period(load("monthly_monitoring")))
    >>> plot.ax.get_title()
    'Selection-rate ratio to group_a over time'
    >>> "group_c in 2026-03" in plot.caption
    True
    """
    from ._plots import draw_drift

    period = disparity.attrs.get("period", "month")
    require_frame(disparity, [period, "ratio_to_reference", "breach"], name="disparity")
    return draw_drift(disparity, ax=ax)
