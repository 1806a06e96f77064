"""Write the datasets as byte-reproducible CSVs.

Every column is turned into text by rules fixed here, not by locale or pandas
defaults: floats with the spec's number of decimals, dates as ``YYYY-MM-DD``,
timestamps as ``YYYY-MM-DD HH:MM:SS``, booleans as ``True``/``False``, UTF-8,
``\\n`` line endings, columns in spec order and rows in generator order.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from ethicskit.data._generate import generate_all
from ethicskit.data._spec import DEFAULT_ROWS, DEFAULT_SEED, SPECS, Column

CHUNK_ROWS = 250_000  # rows formatted at a time; bounds the memory of the text copy


def format_floats(values: np.ndarray, decimals: int) -> np.ndarray:
    """Fixed-point text for finite floats, e.g. ``0.5`` -> ``"0.500"`` (3 decimals), fast and exact."""
    values = np.asarray(values, dtype=float)
    if not np.isfinite(values).all():
        raise ValueError("cannot write non-finite floats to a practice CSV")
    scaled = np.rint(values * 10.0**decimals).astype(np.int64)
    whole, frac = np.divmod(np.abs(scaled), 10**decimals)
    text = np.char.add(whole.astype(str), ".")
    text = np.char.add(text, np.char.zfill(frac.astype(str), decimals))
    return np.where(scaled < 0, np.char.add("-", text), text)


def _text(column: Column, series: pd.Series) -> object:
    if column.kind == "float":
        return format_floats(series.to_numpy(), column.decimals)
    if column.kind == "date":
        return np.datetime_as_string(series.to_numpy().astype("datetime64[D]"), unit="D")
    if column.kind == "datetime":
        iso = np.datetime_as_string(series.to_numpy().astype("datetime64[s]"), unit="s")
        return np.char.replace(iso, "T", " ")
    if column.kind == "bool":
        return np.where(series.to_numpy(dtype=bool), "True", "False")
    return series


def csv_text_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as text columns, exactly as they will appear in the CSV."""
    return pd.DataFrame({col.name: _text(col, frame[col.name]) for col in SPECS[name]})


def write_csv(name: str, frame: pd.DataFrame, path: Path) -> Path:
    """Write one dataset atomically (a temporary file, then a rename), in chunks to bound memory."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        for start in range(0, max(len(frame), 1), CHUNK_ROWS):
            chunk = csv_text_frame(name, frame.iloc[start:start + CHUNK_ROWS])
            chunk.to_csv(handle, index=False, header=start == 0, lineterminator="\n")
    os.replace(tmp, path)
    return path


def write_all(
    out_dir: str | os.PathLike, *, rows: int | None = None, seed: int | None = None
) -> list[Path]:
    """Generate every dataset and write ``<out_dir>/<name>.csv``; return the paths in name order.

    ``rows`` (customers) and ``seed`` default to the committed 20,000 and 2026. The
    data cards (``<name>.md``) are written by hand and are not touched.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in write_all(folder, rows=50)][:2]
    ['customers.csv', 'behavior.csv']
    """
    tables = generate_all(rows=DEFAULT_ROWS if rows is None else rows, seed=DEFAULT_SEED if seed is None else seed)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return [write_csv(name, frame, folder / f"{name}.csv") for name, frame in tables.items()]
