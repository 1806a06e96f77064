"""Per-customer behavioral signals over the 90 days before the snapshot date."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ethicskit.data._frame import typed_frame
from ethicskit.data._random import rng_for
from ethicskit.data._spec import AFFINITIES

# P(financial stress | income band): under_20k, 20k_40k, 40k_70k, 70k_plus (+0.05 with a disability).
STRESS_BY_INCOME = (0.24, 0.12, 0.06, 0.03)
NIGHT_PATTERN_SHARE = (0.07, 0.16)  # P(late-night pattern) without / with financial stress
SESSION_CHANNEL_EFFECT = (0.35, 0.1, -0.55, -0.25)  # app, web, store, email
KIDS_AFFINITY_AGE = (0.8, 1.6, 1.8, 1.2, 0.7, 0.6)  # Beta alpha for affinity_kids by age band


def build_behavior(customers: pd.DataFrame, hidden: dict[str, np.ndarray], seed: int):
    """The behavior table plus hidden drivers (engagement, stress, order rate) for later tables."""
    rng = rng_for(seed, "behavior")
    n = len(customers)
    age_band = customers["age_band"].cat.codes.to_numpy()
    income = customers["income_band"].cat.codes.to_numpy()
    channel = customers["preferred_channel"].cat.codes.to_numpy()
    has_card = customers["has_store_card"].to_numpy()
    disability = customers["disability"].to_numpy()
    signup_days = hidden["days_since_signup"]

    # Latent engagement: mildly higher for 25-44 year olds, independent of gender and ethnicity.
    engagement = rng.normal(0.0, 1.0, n) + np.array([0.0, 0.12, 0.12, 0.05, -0.05, -0.15])[age_band]
    stress_p = np.asarray(STRESS_BY_INCOME)[income] + 0.05 * disability
    stress = rng.random(n) < stress_p
    night = rng.random(n) < np.where(stress, NIGHT_PATTERN_SHARE[1], NIGHT_PATTERN_SHARE[0])

    mean_sessions = np.exp(2.55 + 0.45 * engagement + np.asarray(SESSION_CHANNEL_EFFECT)[channel] + 0.3 * night)
    sessions = rng.negative_binomial(2, 2 / (2 + mean_sessions))
    night_p = np.where(night, rng.beta(5, 7, n), rng.beta(1.2, 16, n))
    night_sessions = rng.binomial(sessions, night_p)
    late_night_share = np.divide(night_sessions, sessions, out=np.zeros(n), where=sessions > 0)

    affinity = {a: rng.beta(1.4, 3.6, n) for a in AFFINITIES}
    affinity["kids"] = rng.beta(np.asarray(KIDS_AFFINITY_AGE)[age_band], 3.6)
    cart_abandon = np.where(sessions > 0, rng.beta(2.0, 3.2, n), 0.0)

    order_rate = np.exp(-0.35 + 0.5 * engagement + 0.2 * has_card)  # expected orders per 30 days
    orders = rng.poisson(np.minimum(3.0, signup_days / 30 + 0.01) * order_rate)
    # A customer's first order is on the signup date, so anyone who joined < 90 days ago has one.
    orders = np.where(signup_days < 90, np.maximum(orders, 1), orders)
    returns = rng.binomial(orders, 0.14)
    basket = np.exp(3.75 + 0.16 * income + rng.normal(0.0, 0.42, n))
    basket = np.where(orders > 0, basket, 0.0)

    payment_failures = rng.poisson(0.06 + 1.7 * stress)
    hardship = rng.poisson(0.01 + stress * rng.gamma(1.0, 0.95, n))
    bnpl = rng.poisson(0.35 + 1.4 * stress + 0.6 * night)
    min_payment = has_card & (rng.random(n) < 0.06 + 0.5 * stress)

    # Days since last order: within the window if any order in it, else after the window
    # but never before the signup date (the first order).
    within = np.floor(90 * rng.beta(1.0, np.maximum(orders, 1))).astype(np.int64)
    before = 90 + np.floor(rng.exponential(160.0, n)).astype(np.int64)
    days_since = np.where(orders > 0, np.minimum(within, signup_days), np.minimum(before, signup_days))

    frame = typed_frame("behavior", {
        "customer_id": customers["customer_id"], "sessions_90d": sessions, "late_night_share": late_night_share,
        **{f"affinity_{a}": v for a, v in affinity.items()}, "cart_abandon_rate": cart_abandon,
        "orders_90d": orders, "returns_90d": returns, "avg_basket_eur": basket,
        "payment_failures_90d": payment_failures, "hardship_contacts_90d": hardship, "bnpl_uses_90d": bnpl,
        "min_payment_only_3m": min_payment, "days_since_last_order": days_since,
    })
    drivers = {"engagement": engagement, "stress": stress, "night": night, "order_rate": order_rate}
    return frame, drivers
