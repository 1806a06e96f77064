"""The customer base: demographics (for audit only), geography, income and relationship."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ethicskit.data._frame import customer_ids, typed_frame
from ethicskit.data._random import draw, draw_given, rng_for
from ethicskit.data._spec import AREA_REGION, AREA_TIER, SNAPSHOT_DATE

ETHNICITY_SHARES = (0.49, 0.19, 0.15, 0.10, 0.07)
GENDER_SHARES = (0.49, 0.47, 0.015, 0.025)
AGE_SHARES = (0.11, 0.19, 0.19, 0.18, 0.16, 0.17)
AGE_LIMITS = ((18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 85))
# P(neighborhood tier | ethnicity group): each group has a "home" tier (residential clustering).
# Rows: group_a..group_e; columns: tier_1..tier_5. group_c's home tier is tier_5.
TIER_GIVEN_GROUP = np.array([
    [0.72, 0.08, 0.08, 0.07, 0.05],
    [0.08, 0.72, 0.08, 0.07, 0.05],
    [0.06, 0.06, 0.07, 0.07, 0.74],
    [0.08, 0.08, 0.72, 0.07, 0.05],
    [0.08, 0.07, 0.08, 0.72, 0.05],
])
# P(income band | age band); income is generated independently of ethnicity and area (see card).
INCOME_GIVEN_AGE = np.array([
    [0.42, 0.38, 0.15, 0.05],
    [0.22, 0.38, 0.28, 0.12],
    [0.17, 0.33, 0.32, 0.18],
    [0.16, 0.32, 0.33, 0.19],
    [0.19, 0.34, 0.30, 0.17],
    [0.30, 0.38, 0.22, 0.10],
])
# P(preferred channel | age band): app, web, store, email.
CHANNEL_GIVEN_AGE = np.array([
    [0.58, 0.27, 0.10, 0.05],
    [0.50, 0.30, 0.12, 0.08],
    [0.42, 0.32, 0.16, 0.10],
    [0.32, 0.34, 0.20, 0.14],
    [0.22, 0.32, 0.28, 0.18],
    [0.12, 0.28, 0.38, 0.22],
])
LANGUAGE_SHARES = (0.62, 0.10, 0.09, 0.08, 0.06, 0.05)
DISABILITY_BY_AGE = (0.07, 0.08, 0.10, 0.13, 0.17, 0.24)
FIRST_SIGNUP = np.datetime64("2014-01-01")
NEWEST_SIGNUP_DAYS = 14  # the newest customers joined two weeks before the snapshot


def months_between(start: np.ndarray, end: np.datetime64) -> np.ndarray:
    """Complete calendar months from each ``start`` date to ``end``."""
    s = pd.DatetimeIndex(start)
    e = pd.Timestamp(end)
    months = (e.year - s.year) * 12 + (e.month - s.month)
    return np.asarray(months - (e.day < s.day), dtype=np.int64)


def build_customers(rows: int, seed: int) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """The customers table plus hidden per-customer drivers other tables reuse (exact age)."""
    rng = rng_for(seed, "customers")
    n = rows
    ethnicity = draw(rng, ETHNICITY_SHARES, n)
    gender = draw(rng, GENDER_SHARES, n)
    age_band = draw(rng, AGE_SHARES, n)
    lo = np.array([a for a, _ in AGE_LIMITS])[age_band]
    hi = np.array([b for _, b in AGE_LIMITS])[age_band]
    age = lo + np.floor(rng.random(n) * (hi - lo + 1)).astype(np.int64)
    disability = rng.random(n) < np.asarray(DISABILITY_BY_AGE)[age_band]
    tier = draw_given(rng, TIER_GIVEN_GROUP, ethnicity)
    # Within a tier, areas have unequal populations (weights 1..8 shuffled once, fixed).
    area_weight = 1.0 + (np.arange(40) * 7 % 8)
    area = _area_in_tier(rng, tier, area_weight)
    income = draw_given(rng, INCOME_GIVEN_AGE, age_band)
    channel = draw_given(rng, CHANNEL_GIVEN_AGE, age_band)
    language = draw(rng, LANGUAGE_SHARES, n)
    snapshot = np.datetime64(SNAPSHOT_DATE)
    # Tenure: most customers are recent; nobody signed up before age 18 or before the shop opened.
    max_days = np.minimum((age - 18) * 365 + 180, int((snapshot - FIRST_SIGNUP).astype(int)))
    days_ago = np.minimum(NEWEST_SIGNUP_DAYS + np.floor(rng.exponential(900.0, n)).astype(np.int64), max_days)
    signup = (snapshot - days_ago.astype("timedelta64[D]")).astype("datetime64[D]")
    tenure = months_between(signup, snapshot)
    card_p = 0.18 + 0.25 * np.minimum(tenure, 96) / 96
    has_card = rng.random(n) < card_p
    frame = typed_frame("customers", {
        "customer_id": customer_ids(n), "age_band": age_band, "gender": gender, "ethnicity_group": ethnicity,
        "disability": disability, "region": AREA_REGION[area], "postcode_area": area, "income_band": income,
        "tenure_months": tenure, "preferred_channel": channel, "language": language,
        "has_store_card": has_card, "signup_date": signup,
    })
    return frame, {"age": age, "tier": tier, "days_since_signup": days_ago}


def _area_in_tier(rng: np.random.Generator, tier: np.ndarray, weight: np.ndarray) -> np.ndarray:
    table = np.where(AREA_TIER[None, :] == np.arange(5)[:, None], weight[None, :], 0.0)
    return draw_given(rng, table, tier)
