"""Build frames whose dtypes follow the spec, so generated and loaded frames are equal."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ethicskit.data._spec import ORDERED, SPECS, Column

DATETIME_DTYPE = "datetime64[s]"


def make_ids(prefix: str, n: int, *, width: int = 5) -> np.ndarray:
    """Ids like ``C00001``: ``prefix`` plus a zero-padded 1-based number, widened for large ``n``."""
    width = max(width, len(str(n)))
    digits = np.char.zfill(np.arange(1, n + 1).astype(str), width)
    return np.char.add(prefix, digits)


def customer_ids(n: int) -> np.ndarray:
    """The customer ids ``C00001`` .. for ``n`` customers (the join key of every table)."""
    return make_ids("C", n)


def round_to(values: np.ndarray, decimals: int) -> np.ndarray:
    """Round half to even at ``decimals`` places the way the CSV writer prints them."""
    scale = 10.0**decimals
    return np.rint(np.asarray(values, dtype=float) * scale) / scale


def typed_column(column: Column, values: object) -> pd.Series | pd.Categorical | np.ndarray:
    """Coerce one column's values to the dtype its spec promises."""
    if column.kind == "cat":
        dtype = pd.CategoricalDtype(list(column.labels), ordered=column.name in ORDERED)
        arr = np.asarray(values) if not isinstance(values, pd.Series) else values
        if isinstance(arr, np.ndarray) and arr.dtype.kind in "iu":
            return pd.Categorical.from_codes(arr, dtype=dtype)
        return pd.Categorical(arr, dtype=dtype)
    if column.kind == "str":
        return pd.array(np.asarray(values, dtype=object), dtype="str")
    if column.kind == "bool":
        return np.asarray(values, dtype=bool)
    if column.kind == "int":
        return np.asarray(values, dtype=np.int64)
    if column.kind == "float":
        return round_to(values, column.decimals)
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return values.astype(DATETIME_DTYPE)
    return pd.to_datetime(pd.Series(values)).to_numpy().astype(DATETIME_DTYPE)


def typed_frame(name: str, columns: Mapping[str, object]) -> pd.DataFrame:
    """A frame with exactly the spec's columns, in order, each with its promised dtype."""
    spec = SPECS[name]
    frame = pd.DataFrame({col.name: typed_column(col, columns[col.name]) for col in spec})
    return frame
