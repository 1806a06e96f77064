"""Candidate segmentation features: two planted proxies and five genuine behavior features."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ethicskit.data._frame import typed_frame
from ethicskit.data._random import rng_for
from ethicskit.data._spec import AREA_TIER

# PLANTED: a data-broker "lifestyle affinity" score (0-100) that is in effect a gender classifier.
# Mean and spread by gender: female, male, non_binary, not_disclosed.
LIFESTYLE_MEAN = (72.0, 28.0, 50.0, 50.0)
LIFESTYLE_SD = (9.0, 9.0, 13.0, 20.0)
AFFINITY_THRESHOLD = 0.3  # a category counts towards breadth above this affinity


def build_features(customers: pd.DataFrame, behavior: pd.DataFrame, drivers: dict, seed: int) -> pd.DataFrame:
    """The candidate_features table for the given customers and behavior."""
    rng = rng_for(seed, "candidate_features")
    n = len(customers)
    gender = customers["gender"].cat.codes.to_numpy()
    lifestyle = rng.normal(np.asarray(LIFESTYLE_MEAN)[gender], np.asarray(LIFESTYLE_SD)[gender])
    lifestyle = np.clip(lifestyle + 2.0 * drivers["engagement"], 0.0, 100.0)

    # The neighborhood tier is a lookup on the postcode area (tiers cluster by ethnicity group).
    area = customers["postcode_area"].cat.codes.to_numpy()
    orders_90d = behavior["orders_90d"].to_numpy()
    signup_days = np.asarray(drivers["days_since_signup"])
    months_active = np.clip(signup_days / 30.4375, 0.0, 12.0)
    # Orders in the 12 months: the last 90 days plus the months before them at the customer's rate.
    earlier = rng.poisson(np.maximum(months_active - 3.0, 0.0) * drivers["order_rate"])
    orders_12m = orders_90d + earlier
    purchase_frequency = orders_12m / np.maximum(months_active, 1.0)

    affinity = behavior.filter(like="affinity_").to_numpy()
    breadth = np.minimum((affinity > AFFINITY_THRESHOLD).sum(axis=1), orders_12m)

    loyalty = 1 / (1 + np.exp(-(-0.4 + 0.7 * drivers["engagement"] + 0.5 * customers["has_store_card"].to_numpy()
                                 + rng.normal(0.0, 0.5, n))))
    basket = behavior["avg_basket_eur"].to_numpy()
    basket = np.where(basket > 0, basket, np.exp(3.75 + rng.normal(0.0, 0.42, n)))
    premium_share = rng.beta(1.6, 5.0, n)
    premium_spend = orders_12m * basket * premium_share

    return typed_frame("candidate_features", {
        "customer_id": customers["customer_id"], "lifestyle_affinity": lifestyle,
        "neighborhood_tier": AREA_TIER[area], "purchase_frequency": purchase_frequency,
        "category_breadth": breadth, "loyalty_engagement": loyalty,
        "recency_days": behavior["days_since_last_order"].to_numpy(), "premium_category_spend_12m": premium_spend,
    })
