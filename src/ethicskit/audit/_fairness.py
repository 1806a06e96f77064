"""Group fairness: selection rates, error rates and ratios to a reference group.

One core, :func:`group_report`, does the counting with a single vectorised
``groupby``. The numbers agree with fairlearn's ``MetricFrame`` (tests check
to 1e-9); for fairlearn's one-number summaries (``demographic_parity_ratio``,
``equalized_odds_difference``, ...) call ``fairlearn.metrics`` itself. Two deliberate
differences, both documented where they apply: a true/false positive rate is
NaN (not 0) for a group with no positive/negative cases, and the screen is a
*trigger for review* against a tolerance band, not a legal test.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd
from statistics import NormalDist

from ._errors import (
    BAD_CONFIDENCE,
    BAD_COUNTS,
    UNKNOWN_REFERENCE,
    AuditInputError,
    _listing,
    binary_values,
    check_band,
    require_frame,
)

WITHIN_BAND = "within band"
BELOW_BAND = "review: below band"
ABOVE_BAND = "review: above band"
NO_REFERENCE_RATE = "review: reference rate is 0"
SUPPRESSED = "suppressed: fewer than {min_count} rows"
MISSING_GROUP = (
    "{name}[{column!r}] has {count} missing value(s); label them (for example "
    "'not_disclosed') or drop them before comparing groups"
)
DEFAULT_BAND = (0.8, 1.25)


def _screen(ratio: pd.Series, band: tuple[float, float]) -> pd.Series:
    low, high = band
    values = ratio.to_numpy(dtype=float)
    verdict = np.select(
        [np.isnan(values), values < low, values > high],
        [NO_REFERENCE_RATE, BELOW_BAND, ABOVE_BAND],
        default=WITHIN_BAND,
    )
    return pd.Series(verdict, index=ratio.index, dtype=object)


def _pick_reference(counts: pd.Series, reference, column: str) -> Hashable:
    """The reference label: the given one (checked) or the largest group."""
    if reference is None:
        return counts.idxmax()
    if reference not in counts.index:
        raise AuditInputError(
            UNKNOWN_REFERENCE.format(reference=reference, column=column, groups=_listing(counts.index))
        )
    return reference


def _group_keys(df: pd.DataFrame, columns: Sequence[str], name: str) -> list[pd.Series]:
    keys = []
    for column in columns:
        missing = int(df[column].isna().sum())
        if missing:
            raise AuditInputError(MISSING_GROUP.format(name=name, column=column, count=missing))
        keys.append(df[column])
    return keys


def _ratios(rate: pd.Series, ref) -> tuple[pd.Series, pd.Series]:
    ref_rate = float(rate.loc[ref])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = rate / ref_rate
    ratio = ratio.astype(float)
    ratio.loc[ref] = 1.0  # a group compared with itself, even when its rate is 0
    return ratio, (rate - ref_rate).astype(float)


def group_report(
    df: pd.DataFrame,
    *,
    group: str,
    outcome: str,
    reference: Hashable | None = None,
    y_true: str | None = None,
    band: tuple[float, float] = DEFAULT_BAND,
) -> pd.DataFrame:
    """Selection rate (and error rates) per group, compared with a reference group.

    Parameters
    ----------
    df : DataFrame with one row per decision.
    group : column holding the group of each row (no missing values).
    outcome : binary column, True/1 when the row was selected (offer made).
    reference : the group to compare with; ``None`` means the largest group.
    y_true : optional binary column of ground truth (for example ``qualified``);
        gives the true positive rate (share of qualified rows selected) and the
        false positive rate (share of unqualified rows selected).
    band : the tolerance band for the ratio to the reference, (0.8, 1.25) by
        default (Aequitas' tau). Outside it the screen asks for a review; it is
        a screening trigger, not a legal test of discrimination.

    Returns
    -------
    DataFrame indexed by group with columns ``count``, ``selected``,
    ``selection_rate``, ``tpr``, ``fpr`` (NaN without ``y_true``, or for a group
    with no positive/negative cases, where fairlearn reports 0),
    ``ratio_to_reference``, ``difference_to_reference`` and ``screen`` (one of
    ``"within band"``, ``"review: below band"``, ``"review: above band"``, or
    ``"review: reference rate is 0"`` when the ratio is undefined). The
    reference row's ratio is 1. ``attrs`` records the reference and band.

    Examples
    --------
    >>> from ethicskit.data import load
    >>> offers = load("campaign_offers").merge(load("customers"), on="customer_id")
    >>> card = offers[offers["offer"] == "premium_card_upgrade"]
    >>> report = group_report(card, group="ethnicity_group", outcome="selected", y_true="qualified")
    >>> report.attrs["reference"]
    'group_a'
    >>> report.loc["group_c", "screen"]
    'review: below band'
    >>> bool(report.loc["group_c", "ratio_to_reference"] < 0.8)
    True
    """
    columns = [group, outcome] + ([y_true] if y_true is not None else [])
    require_frame(df, columns)
    low_high = check_band(band)
    (keys,) = _group_keys(df, [group], "df")
    selected = binary_values(df[outcome], name="df")
    parts = {"count": np.ones(len(df), dtype=np.int64), "selected": selected}
    if y_true is not None:
        truth = binary_values(df[y_true], name="df")
        parts.update(positives=truth, tp=selected & truth, fp=selected & ~truth)
    sums = pd.DataFrame(parts, index=df.index).groupby(keys, observed=True, sort=True).sum()
    sums.index.name = group
    report = pd.DataFrame(index=sums.index)
    report["count"] = sums["count"].astype(np.int64)
    report["selected"] = sums["selected"].astype(np.int64)
    report["selection_rate"] = report["selected"] / report["count"]
    if y_true is not None:
        positives = sums["positives"].astype(float)
        negatives = report["count"] - positives
        with np.errstate(divide="ignore", invalid="ignore"):
            report["tpr"] = (sums["tp"] / positives.where(positives > 0)).astype(float)
            report["fpr"] = (sums["fp"] / negatives.where(negatives > 0)).astype(float)
    else:
        report["tpr"] = np.nan
        report["fpr"] = np.nan
    ref = _pick_reference(report["count"], reference, group)
    report["ratio_to_reference"], report["difference_to_reference"] = _ratios(
        report["selection_rate"], ref
    )
    report["screen"] = _screen(report["ratio_to_reference"], low_high)
    report.attrs.update(reference=ref, band=low_high, group=group, outcome=outcome)
    return report


def wilson_interval(successes: int, n: int, *, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion ``successes / n``.

    Better than the textbook ``p ± z·se`` interval for small groups and for
    rates near 0 or 1: it never leaves [0, 1] and keeps its coverage.

    Examples
    --------
    >>> from ethicskit.data import load
    >>> offers = load("campaign_offers")
    >>> card = offers[offers["offer"] == "premium_card_upgrade"].head(40)
    >>> low, high = wilson_interval(int(card["selected"].sum()), len(card))
    >>> 0 <= low <= card["selected"].mean() <= high <= 1
    True
    >>> [round(x, 3) for x in wilson_interval(3, 10)]
    [0.108, 0.603]
    """
    if not 0 < confidence < 1:
        raise AuditInputError(BAD_CONFIDENCE.format(confidence=confidence))
    if not (0 < n and 0 <= successes <= n):
        raise AuditInputError(BAD_COUNTS.format(successes=successes, n=n))
    low, high = _wilson(np.array([successes], float), np.array([n], float), confidence)
    return float(low[0]), float(high[0])


def _wilson(successes: np.ndarray, n: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    p = successes / n
    denominator = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denominator
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


def intersectional_report(
    df: pd.DataFrame,
    *,
    groups: Sequence[str],
    outcome: str,
    min_count: int = 50,
    confidence: float = 0.95,
    reference: Hashable | None = None,
    band: tuple[float, float] = DEFAULT_BAND,
    suppress: bool = True,
) -> pd.DataFrame:
    """Selection rates for every combination of several group columns.

    Slicing by two or three attributes quickly yields small groups whose rates
    swing by chance. Each slice therefore gets a Wilson interval, and a slice
    with fewer than ``min_count`` rows is flagged ``small_group``. With
    ``suppress=True`` (the default) a small slice's ``selected``,
    ``selection_rate``, ``ci_low``, ``ci_high`` and ``ratio_to_reference`` are
    set to missing and its screen reads ``"suppressed: fewer than 50 rows"``, so
    no one reads a verdict into noise; its ``count`` stays visible.

    ``reference`` is a tuple of labels (one per column), defaulting to the
    largest slice. Only combinations present in the data appear.

    Examples
    --------
    >>> from ethicskit.data import load
    >>> offers = load("campaign_offers").merge(load("customers"), on="customer_id")
    >>> card = offers[offers["offer"] == "premium_card_upgrade"]
    >>> table = intersectional_report(card, groups=["ethnicity_group", "age_band"], outcome="selected")
    >>> list(table.columns)
    ['count', 'selected', 'selection_rate', 'ci_low', 'ci_high', 'ratio_to_reference', 'screen', 'small_group']
    >>> bool((table["ci_low"] <= table["selection_rate"]).all())
    True
    >>> bool(table.loc[table["small_group"], "selection_rate"].isna().all())
    True
    """
    groups = [groups] if isinstance(groups, str) else list(groups)
    if not groups:
        raise AuditInputError("groups must name at least one column; found []")
    require_frame(df, [*groups, outcome])
    low_high = check_band(band)
    if not 0 < confidence < 1:
        raise AuditInputError(BAD_CONFIDENCE.format(confidence=confidence))
    keys = _group_keys(df, groups, "df")
    selected = binary_values(df[outcome], name="df")
    sums = (
        pd.DataFrame({"count": np.ones(len(df), dtype=np.int64), "selected": selected}, index=df.index)
        .groupby(keys, observed=True, sort=True)
        .sum()
    )
    sums.index.names = groups
    table = pd.DataFrame(index=sums.index)
    table["count"] = sums["count"].astype(np.int64)
    table["selected"] = sums["selected"].astype("Int64")
    table["selection_rate"] = (sums["selected"] / sums["count"]).astype(float)
    low, high = _wilson(sums["selected"].to_numpy(float), sums["count"].to_numpy(float), confidence)
    table["ci_low"], table["ci_high"] = low, high
    small = table["count"] < min_count
    if reference is None:
        candidates = table.loc[~small, "count"] if (~small).any() else table["count"]
        ref = candidates.idxmax()
    else:
        ref = tuple(reference) if len(groups) > 1 and not isinstance(reference, str) else reference
        ref = _pick_reference(table["count"], ref, "/".join(groups))
    table["ratio_to_reference"], _ = _ratios(table["selection_rate"], ref)
    table["screen"] = _screen(table["ratio_to_reference"], low_high)
    table["small_group"] = small.astype(bool)
    if suppress and small.any():
        hidden = ["selected", "selection_rate", "ci_low", "ci_high", "ratio_to_reference"]
        table.loc[small, hidden] = pd.NA
        table["screen"] = table["screen"].where(~small, SUPPRESSED.format(min_count=min_count))
    table.attrs.update(reference=ref, band=low_high, min_count=min_count, confidence=confidence)
    return table
