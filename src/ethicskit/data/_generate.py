"""Generate the practice datasets: one public function per dataset over one shared core.

``generate_all`` builds the customers once and derives every related table from
them, so ids join and planted effects use the same people. The per-dataset
functions are thin wrappers that ask it for one table.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ethicskit.data._behavior import build_behavior
from ethicskit.data._consent import build_consent
from ethicskit.data._customers import build_customers
from ethicskit.data._features import build_features
from ethicskit.data._messages import build_messages
from ethicskit.data._monitoring import build_monitoring
from ethicskit.data._offers import build_offers
from ethicskit.data._spec import DATASET_NAMES, DEFAULT_ROWS, DEFAULT_SEED, check_name, check_rows, check_seed

# What each table needs built first.
_NEEDS = {
    "customers": (), "behavior": ("customers",), "consent_ledger": ("customers",),
    "candidate_features": ("behavior",), "campaign_offers": ("candidate_features",),
    "marketing_messages": (), "monthly_monitoring": (),
}


def _closure(names: Iterable[str]) -> set[str]:
    todo, seen = list(names), set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(_NEEDS[name])
    return seen


def generate_all(
    *, rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED, names: Iterable[str] | None = None
) -> dict[str, pd.DataFrame]:
    """Every dataset (or those in ``names``) for ``rows`` customers, keyed by name in file order.

    ``rows`` is the number of customers; behavior and candidate_features have one
    row per customer, campaign_offers three, the consent ledger about 2.6. The
    marketing_messages (998) and monthly_monitoring (120) tables do not scale.

    >>> tables = generate_all(rows=100, seed=7)
    >>> {name: len(frame) for name, frame in tables.items() if name != "consent_ledger"}
    ... # doctest: +NORMALIZE_WHITESPACE
    {'customers': 100, 'behavior': 100, 'candidate_features': 100, 'campaign_offers': 300,
     'marketing_messages': 998, 'monthly_monitoring': 120}
    """
    rows, seed = check_rows(rows), check_seed(seed)
    wanted = list(DATASET_NAMES) if names is None else [check_name(n) for n in names]
    build = _closure(wanted)
    out: dict[str, pd.DataFrame] = {}
    if "customers" in build:
        out["customers"], hidden = build_customers(rows, seed)
    if "behavior" in build:
        out["behavior"], drivers = build_behavior(out["customers"], hidden, seed)
        drivers = {**hidden, **drivers}
    if "consent_ledger" in build:
        out["consent_ledger"] = build_consent(out["customers"], seed)
    if "candidate_features" in build:
        out["candidate_features"] = build_features(out["customers"], out["behavior"], drivers, seed)
    if "campaign_offers" in build:
        out["campaign_offers"] = build_offers(out["customers"], out["behavior"], out["candidate_features"], seed)
    if "marketing_messages" in build:
        out["marketing_messages"] = build_messages(seed)
    if "monthly_monitoring" in build:
        out["monthly_monitoring"] = build_monitoring(seed)
    return {name: out[name] for name in DATASET_NAMES if name in wanted}


def generate(name: str, *, rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """One dataset by name (``ValueError`` listing the valid names for an unknown one).

    >>> generate("customers", rows=3)["customer_id"].tolist()
    ['C00001', 'C00002', 'C00003']
    """
    return generate_all(rows=rows, seed=seed, names=[check_name(name)])[name]


def customers(*, rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The customer base: one row per customer, ids ``C00001``.., demographics for audit only.

    Columns: customer_id, age_band, gender, ethnicity_group (neutral synthetic labels),
    disability, region, postcode_area, income_band, tenure_months, preferred_channel,
    language, has_store_card, signup_date. Details: ``datasets/customers.md``.

    >>> people = customers(rows=1_000)
    >>> people["ethnicity_group"].value_counts().index[0]
    'group_a'
    """
    return generate("customers", rows=rows, seed=seed)


def behavior(*, rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Behavioral signals over the 90 days before the snapshot, one row per customer.

    Columns: sessions, late-night share, six category affinities, cart abandonment,
    orders, returns, basket size, payment failures, hardship contacts, BNPL uses,
    minimum payments, days since last order. Details: ``datasets/behavior.md``.

    >>> signals = behavior(rows=500)
    >>> bool(signals["late_night_share"].between(0, 1).all())
    True
    """
    return generate("behavior", rows=rows, seed=seed)


def consent_ledger(*, rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Versioned consent events (grant / withdraw per purpose), in recorded order.

    Includes withdrawals, re-grants, grants under a superseded policy version,
    exact duplicates under a new event id, out-of-order arrival and customers with
    no record at all. Details: ``datasets/consent_ledger.md``.

    >>> ledger = consent_ledger(rows=500)
    >>> bool((ledger["recorded_at"] >= ledger["event_time"]).all())
    True
    """
    return generate("consent_ledger", rows=rows, seed=seed)


def candidate_features(*, rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Features a segmentation team proposes: two planted proxies and five genuine ones.

    ``lifestyle_affinity`` encodes gender and ``neighborhood_tier`` encodes
    ethnicity_group (Cramér's V >= 0.5); the behavior features do not (V <= 0.1).
    Details: ``datasets/candidate_features.md``.

    >>> sorted(candidate_features(rows=200)["neighborhood_tier"].cat.categories)
    ['tier_1', 'tier_2', 'tier_3', 'tier_4', 'tier_5']
    """
    return generate("candidate_features", rows=rows, seed=seed)


def campaign_offers(*, rows: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Model score, decision, ground truth and response: one row per customer per offer.

    Planted: disparate impact of the premium card upgrade on group_c (selection-rate
    ratio to group_a < 0.8) and over-targeting of financially vulnerable customers by
    the high-APR BNPL push (>= 2x their share). Details: ``datasets/campaign_offers.md``.

    >>> offers = campaign_offers(rows=100)
    >>> offers["offer"].value_counts().tolist()
    [100, 100, 100]
    """
    return generate("campaign_offers", rows=rows, seed=seed)


def marketing_messages(*, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """998 labelled copy variants with a one-line rationale and a train/validation/holdout split.

    Each split comes from its own templates, with no phrase shared between them.
    The table does not scale with ``rows``. Details: ``datasets/marketing_messages.md``.

    >>> marketing_messages()["split"].value_counts().sort_index().to_dict()
    {'train': 210, 'validation': 632, 'holdout': 156}
    """
    return generate("marketing_messages", rows=DEFAULT_ROWS, seed=seed)


def monthly_monitoring(*, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Premium card upgrade selection by ethnicity group and month, 2025-01 to 2026-12.

    Planted: group_c's selection-rate ratio to group_a first falls below 0.8 in
    ``FIRST_BREACH_MONTH`` (2026-03). Details: ``datasets/monthly_monitoring.md``.

    >>> monthly_monitoring().shape
    (120, 8)
    """
    return generate("monthly_monitoring", rows=DEFAULT_ROWS, seed=seed)
