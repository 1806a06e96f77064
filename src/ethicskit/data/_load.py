"""Read a practice CSV back with the dtypes its data card promises."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ethicskit.data._frame import typed_column
from ethicskit.data._spec import (
    COLUMNS_ERROR,
    MISSING_CSV_ERROR,
    SPECS,
    check_name,
)

UNKNOWN_LABELS_ERROR = "{path}: column {column!r} has values {found} outside its categories {allowed}"
_FORMATS = {"date": "%Y-%m-%d", "datetime": "%Y-%m-%d %H:%M:%S"}


def csv_path(name: str, folder: str | os.PathLike | None = None) -> Path:
    """Where dataset ``name`` lives: ``<folder>/<name>.csv`` (default: the kit's datasets folder)."""
    if folder is None:
        from ethicskit.paths import datasets_dir

        folder = datasets_dir()
    return Path(folder) / f"{check_name(name)}.csv"


def check_columns(name: str, found: list[str], path: Path) -> None:
    """Raise ``ValueError`` naming missing and extra columns if ``found`` differs from the spec."""
    expected = [col.name for col in SPECS[name]]
    missing = [c for c in expected if c not in found]
    extra = [c for c in found if c not in expected]
    if missing or extra:
        raise ValueError(COLUMNS_ERROR.format(path=path, name=name, missing=missing, extra=extra, expected=expected))


def load(name: str, *, folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """Read the practice dataset ``name`` with categories, datetimes, bools and ints set.

    Raises ``ValueError`` for an unknown name (listing the valid ones) or for a CSV
    whose columns no longer match the data card (naming the missing and extra
    columns), and ``FileNotFoundError`` if the CSV has not been written yet.

    >>> people = load("customers")
    >>> people.shape, str(people["signup_date"].dtype), str(people["gender"].dtype)
    ((20000, 13), 'datetime64[s]', 'category')
    """
    path = csv_path(name, folder)
    if not path.is_file():
        raise FileNotFoundError(MISSING_CSV_ERROR.format(name=name, path=path))
    header = list(pd.read_csv(path, nrows=0).columns)
    check_columns(name, header, path)
    spec = SPECS[name]
    dtypes = {c.name: ("str" if c.kind in ("str", "cat", "date", "datetime") else
                       "bool" if c.kind == "bool" else "int64" if c.kind == "int" else "float64") for c in spec}
    raw = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values={
        c.name: [""] for c in spec if c.kind == "float"})
    columns = {}
    for col in spec:
        values = raw[col.name]
        if col.kind == "cat":
            unknown = sorted(set(values.unique()) - set(col.labels))
            if unknown:
                raise ValueError(UNKNOWN_LABELS_ERROR.format(
                    path=path, column=col.name, found=unknown[:5], allowed=list(col.labels)))
        elif col.kind in _FORMATS:
            values = pd.to_datetime(values, format=_FORMATS[col.kind]).to_numpy()
        columns[col.name] = typed_column(col, values)
    return pd.DataFrame(columns)
