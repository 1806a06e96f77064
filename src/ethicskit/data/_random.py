"""Seeded random streams and vectorised categorical draws shared by the generators."""

from __future__ import annotations

import zlib

import numpy as np


def rng_for(seed: int, stream: str) -> np.random.Generator:
    """An independent random stream per named part, so tables do not depend on call order."""
    return np.random.default_rng([seed, zlib.crc32(stream.encode("utf-8"))])


def draw_given(rng: np.random.Generator, table: np.ndarray, given: np.ndarray) -> np.ndarray:
    """One category index per row, drawn from the row of ``table`` that ``given`` selects."""
    table = np.atleast_2d(np.asarray(table, dtype=float))
    cdf = np.cumsum(table, axis=1)
    cdf /= cdf[:, -1:]
    u = rng.random(len(given))
    out = np.empty(len(given), dtype=np.int64)
    for row in range(len(table)):
        mask = given == row
        out[mask] = np.searchsorted(cdf[row], u[mask], side="right")
    return np.minimum(out, table.shape[1] - 1)


def draw(rng: np.random.Generator, probs, n: int) -> np.ndarray:
    """``n`` category indices from one probability vector."""
    return draw_given(rng, np.asarray(probs, dtype=float)[None, :], np.zeros(n, dtype=np.int64))


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function."""
    return 1.0 / (1.0 + np.exp(-x))


def standardize(x: np.ndarray) -> np.ndarray:
    """Zero mean, unit variance (a constant column becomes zeros)."""
    x = np.asarray(x, dtype=float)
    sd = x.std()
    return (x - x.mean()) / sd if sd > 0 else np.zeros_like(x)
