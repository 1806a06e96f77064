"""Monthly monitoring of the premium card upgrade: 24 months x 5 ethnicity groups.

The counts come from the production scoring log, which is not part of the kit;
they are on the scale of the committed customer base, so the table does not
change with ``rows``. The drift is planted on the ratio of group_c's selection
rate to group_a's, with noise kept inside bands so the first month below the
tolerance (0.8) is exactly ``FIRST_BREACH_MONTH`` for every seed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ethicskit.data._customers import ETHNICITY_SHARES
from ethicskit.data._frame import typed_frame
from ethicskit.data._random import rng_for
from ethicskit.data._spec import ETHNICITY_GROUPS, FIRST_BREACH_MONTH

FIRST_MONTH = "2025-01"
MONTHS = 24
TOLERANCE = 0.8
MONTHLY_ELIGIBLE = 6_000  # customers scored for the upgrade in an average month
BASE_RATE = 0.27  # group_a's selection rate, before noise
# group_c / group_a planted ratio by month: stable, a retrain in 2025-10 adds neighborhood_tier,
# a near miss in 2026-02, then the first breach and a slow further decline.
C_RATIO_PATH = (0.98, 0.97, 0.99, 0.96, 0.97, 0.96, 0.97, 0.95, 0.96, 0.92, 0.89, 0.88,
                0.86, 0.83, 0.78, 0.77, 0.75, 0.76, 0.74, 0.73, 0.74, 0.72, 0.71, 0.71)
# Realised ratios stay at least this far from the tolerance on the planned side.
MARGIN = 0.012


def _months() -> np.ndarray:
    return np.arange(np.datetime64(FIRST_MONTH, "M"), np.datetime64(FIRST_MONTH, "M") + MONTHS)


def build_monitoring(seed: int) -> pd.DataFrame:
    """The monthly_monitoring table (sorted by month, then group)."""
    rng = rng_for(seed, "monthly_monitoring")
    months = _months()
    breach = int(np.flatnonzero(months == np.datetime64(FIRST_BREACH_MONTH, "M"))[0])
    season = 1.0 + 0.25 * np.isin(months.astype(int) % 12, (10, 11))  # Nov and Dec campaigns
    k = len(ETHNICITY_GROUPS)
    shares = np.asarray(ETHNICITY_SHARES)
    eligible = rng.poisson(MONTHLY_ELIGIBLE * season[:, None] * shares[None, :])
    rate_a = np.clip(BASE_RATE + rng.normal(0.0, 0.008, MONTHS), 0.2, 0.35)
    ratio = np.clip(1.0 + rng.normal(0.0, 0.025, (MONTHS, k)), 0.93, 1.07)
    ratio[:, 0] = 1.0
    c = ETHNICITY_GROUPS.index("group_c")
    planned = np.asarray(C_RATIO_PATH) + rng.normal(0.0, 0.006, MONTHS)
    before = np.arange(MONTHS) < breach
    planned = np.where(before, np.maximum(planned, TOLERANCE + 2 * MARGIN), np.minimum(planned, TOLERANCE - 2 * MARGIN))
    ratio[:, c] = planned
    selected = np.rint(eligible * rate_a[:, None] * ratio).astype(np.int64)
    rate = selected / eligible
    realised = rate[:, c] / rate[:, 0]
    if not (np.all(realised[before] >= TOLERANCE + MARGIN) and np.all(realised[~before] <= TOLERANCE - MARGIN)):
        raise RuntimeError("monitoring drift left its bands; widen MARGIN")  # pragma: no cover
    # Complaints about not being offered the upgrade rise where the gap widens; opt-outs are flat.
    gap = np.maximum(0.0, 0.95 - ratio)
    complaints = rng.poisson(eligible * (0.0015 + 0.02 * gap))
    opt_outs = rng.poisson(eligible * 0.008)
    return typed_frame("monthly_monitoring", {
        "month": np.repeat(months.astype("datetime64[D]"), k), "offer": np.zeros(MONTHS * k, dtype=np.int64),
        "group": np.tile(np.arange(k), MONTHS), "eligible": eligible.ravel(), "selected": selected.ravel(),
        "selection_rate": rate.ravel(), "complaints": complaints.ravel(), "opt_outs": opt_outs.ravel(),
    })
