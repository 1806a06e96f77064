"""The contract of the practice datasets: names, columns, dtypes, constants.

One table (``SPECS``) says, for every dataset, its columns in file order, each
column's kind and, for categories, the allowed labels. The writer, the loader
and the tests all read this table, so a column cannot drift between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Kind = Literal["str", "cat", "bool", "int", "float", "date", "datetime"]

DEFAULT_ROWS = 20_000
DEFAULT_SEED = 2026

# The fictional world's "today": behavior windows end here, tenure is counted to here.
SNAPSHOT_DATE = "2026-12-31"

POLICY_VERSIONS: dict[str, str] = {"2024.1": "2024-01-01", "2025.1": "2025-03-01", "2026.1": "2026-02-01"}
CURRENT_POLICY = "2026.1"
PURPOSES_REQUIRING_CURRENT_POLICY: tuple[str, ...] = ("partner_sharing", "credit_profiling")
FIRST_BREACH_MONTH = "2026-03"

AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
GENDERS = ("female", "male", "non_binary", "not_disclosed")
ETHNICITY_GROUPS = ("group_a", "group_b", "group_c", "group_d", "group_e")
REGIONS = ("north", "south", "east", "west", "central")
POSTCODE_AREAS = tuple(f"PA{i:02d}" for i in range(1, 41))
INCOME_BANDS = ("under_20k", "20k_40k", "40k_70k", "70k_plus")
CHANNELS = ("app", "web", "store", "email")
LANGUAGES = ("en", "de", "fr", "es", "pl", "pt")
TIERS = ("tier_1", "tier_2", "tier_3", "tier_4", "tier_5")
PURPOSES = ("personalization", "email_marketing", "partner_sharing", "credit_profiling")
ACTIONS = ("grant", "withdraw")
CONSENT_CHANNELS = ("web", "app", "store", "call_centre", "email_link")
OFFERS = ("premium_card_upgrade", "bnpl_high_apr_push", "discount_voucher")
MESSAGE_CHANNELS = ("email", "sms", "app_push", "web_banner")
MESSAGE_LABELS = ("respectful", "false_urgency", "shaming", "stereotyping", "exploiting_insecurity", "hidden_terms")
SPLITS = ("train", "validation", "holdout")
AFFINITIES = ("beauty", "home", "electronics", "sports", "fashion", "kids")

# Each postcode area lies in one region (8 per region) and has one neighborhood tier (8 per tier).
AREA_REGION = np.repeat(np.arange(len(REGIONS)), 8)
AREA_TIER = (np.arange(40) + AREA_REGION) % len(TIERS)

ORDERED = {"age_band", "income_band", "neighborhood_tier", "policy_version"}


@dataclass(frozen=True)
class Column:
    """One column of a dataset: its name, kind, labels (categories) and decimals (floats)."""

    name: str
    kind: Kind
    labels: tuple[str, ...] = ()
    decimals: int = 3


def _cols(*items: tuple) -> tuple[Column, ...]:
    return tuple(Column(*item) for item in items)


SPECS: dict[str, tuple[Column, ...]] = {
    "customers": _cols(
        ("customer_id", "str"), ("age_band", "cat", AGE_BANDS), ("gender", "cat", GENDERS),
        ("ethnicity_group", "cat", ETHNICITY_GROUPS), ("disability", "bool"), ("region", "cat", REGIONS),
        ("postcode_area", "cat", POSTCODE_AREAS), ("income_band", "cat", INCOME_BANDS),
        ("tenure_months", "int"), ("preferred_channel", "cat", CHANNELS), ("language", "cat", LANGUAGES),
        ("has_store_card", "bool"), ("signup_date", "date"),
    ),
    "behavior": _cols(
        ("customer_id", "str"), ("sessions_90d", "int"), ("late_night_share", "float", (), 3),
        *[(f"affinity_{a}", "float", (), 3) for a in AFFINITIES],
        ("cart_abandon_rate", "float", (), 3), ("orders_90d", "int"), ("returns_90d", "int"),
        ("avg_basket_eur", "float", (), 2), ("payment_failures_90d", "int"), ("hardship_contacts_90d", "int"),
        ("bnpl_uses_90d", "int"), ("min_payment_only_3m", "bool"), ("days_since_last_order", "int"),
    ),
    "consent_ledger": _cols(
        ("event_id", "str"), ("customer_id", "str"), ("purpose", "cat", PURPOSES), ("action", "cat", ACTIONS),
        ("policy_version", "cat", tuple(POLICY_VERSIONS)), ("event_time", "datetime"),
        ("recorded_at", "datetime"), ("channel", "cat", CONSENT_CHANNELS),
    ),
    "candidate_features": _cols(
        ("customer_id", "str"), ("lifestyle_affinity", "float", (), 1), ("neighborhood_tier", "cat", TIERS),
        ("purchase_frequency", "float", (), 2), ("category_breadth", "int"), ("loyalty_engagement", "float", (), 3),
        ("recency_days", "int"), ("premium_category_spend_12m", "float", (), 2),
    ),
    "campaign_offers": _cols(
        ("customer_id", "str"), ("offer", "cat", OFFERS), ("score", "float", (), 4), ("selected", "bool"),
        ("qualified", "bool"), ("responded", "bool"),
    ),
    "marketing_messages": _cols(
        ("message_id", "str"), ("offer", "cat", OFFERS), ("channel", "cat", MESSAGE_CHANNELS), ("text", "str"),
        ("label", "cat", MESSAGE_LABELS), ("rationale", "str"), ("split", "cat", SPLITS),
    ),
    "monthly_monitoring": _cols(
        ("month", "date"), ("offer", "cat", ("premium_card_upgrade",)), ("group", "cat", ETHNICITY_GROUPS),
        ("eligible", "int"), ("selected", "int"), ("selection_rate", "float", (), 4), ("complaints", "int"),
        ("opt_outs", "int"),
    ),
}

DATASET_NAMES: tuple[str, ...] = tuple(SPECS)
# Tables whose row count does not follow ``rows`` (fixed content).
FIXED_SIZE = ("marketing_messages", "monthly_monitoring")

UNKNOWN_DATASET_ERROR = "unknown dataset {name!r}; valid names are: {valid}"
ROWS_ERROR = "rows must be a positive integer (number of customers), got {value!r} of type {type}"
SEED_ERROR = "seed must be a non-negative integer, got {value!r} of type {type}"
COLUMNS_ERROR = (
    "{path} does not match the {name} data card (datasets/{name}.md): "
    "missing columns {missing}, extra columns {extra}; expected {expected}"
)
MISSING_CSV_ERROR = "no CSV for dataset {name!r} at {path}; run `ethicskit data` to write it"


def check_name(name: object) -> str:
    """Return ``name`` if it is a dataset name, else raise ``ValueError`` listing the valid ones."""
    if not isinstance(name, str) or name not in SPECS:
        raise ValueError(UNKNOWN_DATASET_ERROR.format(name=name, valid=", ".join(DATASET_NAMES)))
    return name


def check_rows(rows: object) -> int:
    """Return ``rows`` if it is a positive int (not a bool), else raise ``ValueError``."""
    if isinstance(rows, bool) or not isinstance(rows, (int, np.integer)) or rows < 1:
        raise ValueError(ROWS_ERROR.format(value=rows, type=type(rows).__name__))
    return int(rows)


def check_seed(seed: object) -> int:
    """Return ``seed`` if it is a non-negative int (not a bool), else raise ``ValueError``."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(SEED_ERROR.format(value=seed, type=type(seed).__name__))
    return int(seed)
