"""Campaign offers: a model score, the offer decision, ground truth and response per customer."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ethicskit.data._frame import round_to, typed_frame
from ethicskit.data._random import rng_for, sigmoid, standardize
from ethicskit.data._spec import OFFERS

SELECTION_THRESHOLD = 0.5  # an offer is made when the model score is at least this
# PLANTED: the upgrade model learned a penalty for tier_5 areas (group_c's home tier) from
# historical campaigns that were rarely shown there. Tiers tier_1..tier_5.
UPGRADE_TIER_EFFECT = (0.0, 0.0, 0.0, 0.0, -0.8)
UPGRADE_LIFESTYLE_WEIGHT = 0.0035  # per point of lifestyle_affinity above 50
RESPONSE_RATE = {  # P(respond | offer made), if qualified / if not
    "premium_card_upgrade": (0.34, 0.07),
    "bnpl_high_apr_push": (0.16, 0.27),
    "discount_voucher": (0.30, 0.12),
}


def _upgrade(rng, customers, behavior, features):
    n = len(customers)
    need = (0.9 * standardize(np.log1p(features["premium_category_spend_12m"].to_numpy()))
            + 0.5 * standardize(features["loyalty_engagement"].to_numpy())
            + 0.3 * standardize(features["purchase_frequency"].to_numpy()))
    financially_ok = (behavior["payment_failures_90d"].to_numpy() == 0) & (
        behavior["hardship_contacts_90d"].to_numpy() == 0) & ~behavior["min_payment_only_3m"].to_numpy()
    qualified = (need + rng.normal(0.0, 0.35, n) > 0.55) & financially_ok
    tier = features["neighborhood_tier"].cat.codes.to_numpy()
    logit = (-0.55 + 1.15 * need - 0.8 * ~financially_ok + np.asarray(UPGRADE_TIER_EFFECT)[tier]
             + UPGRADE_LIFESTYLE_WEIGHT * (features["lifestyle_affinity"].to_numpy() - 50.0)
             + rng.normal(0.0, 0.45, n))
    return sigmoid(logit), qualified


def _bnpl(rng, customers, behavior):
    n = len(customers)
    b = behavior
    late = (b["late_night_share"].to_numpy() >= 0.25) & (b["sessions_90d"].to_numpy() >= 5)
    logit = (-1.55 + 1.1 * late + 0.55 * np.minimum(b["payment_failures_90d"].to_numpy(), 4)
             + 0.6 * np.minimum(b["hardship_contacts_90d"].to_numpy(), 3)
             + 0.35 * np.minimum(b["bnpl_uses_90d"].to_numpy(), 5) + 0.7 * b["min_payment_only_3m"].to_numpy()
             + rng.normal(0.0, 0.5, n))
    income = customers["income_band"].cat.codes.to_numpy()
    could_afford = ((b["payment_failures_90d"].to_numpy() == 0) & (b["hardship_contacts_90d"].to_numpy() == 0)
                    & ~b["min_payment_only_3m"].to_numpy() & (income >= 1))
    return sigmoid(logit), could_afford


def _voucher(rng, behavior):
    n = len(behavior)
    b = behavior
    lapsing = np.clip(b["days_since_last_order"].to_numpy() / 120.0, 0.0, 2.0)
    logit = -1.3 + 1.6 * b["cart_abandon_rate"].to_numpy() + 0.6 * lapsing + rng.normal(0.0, 0.6, n)
    would_use = (b["cart_abandon_rate"].to_numpy() > 0.35) | (b["days_since_last_order"].to_numpy() > 60)
    return sigmoid(logit), would_use


def build_offers(customers: pd.DataFrame, behavior: pd.DataFrame, features: pd.DataFrame, seed: int):
    """The long campaign_offers table: one row per customer per offer, sorted by customer then offer."""
    rng = rng_for(seed, "campaign_offers")
    n = len(customers)
    parts = {
        "premium_card_upgrade": _upgrade(rng, customers, behavior, features),
        "bnpl_high_apr_push": _bnpl(rng, customers, behavior),
        "discount_voucher": _voucher(rng, behavior),
    }
    k = len(OFFERS)
    score = np.empty(n * k)
    qualified = np.empty(n * k, dtype=bool)
    responded = np.empty(n * k, dtype=bool)
    for j, offer in enumerate(OFFERS):
        s, q = parts[offer]
        s = round_to(s, 4)
        yes, no = RESPONSE_RATE[offer]
        score[j::k], qualified[j::k] = s, q
        responded[j::k] = (s >= SELECTION_THRESHOLD) & (rng.random(n) < np.where(q, yes, no))
    return typed_frame("campaign_offers", {
        "customer_id": np.repeat(customers["customer_id"].to_numpy(dtype=object), k),
        "offer": np.tile(np.arange(k), n), "score": score, "selected": score >= SELECTION_THRESHOLD,
        "qualified": qualified, "responded": responded,
    })
