"""Practice datasets of one fictional omnichannel retailer (synthetic: about no real person).

Seven deterministic generators share one customer base, so ids join across
tables and planted effects use the same people. ``ethicskit data`` writes them
to ``datasets/`` with :func:`write_all`; lessons read them with :func:`load`.
Each dataset has a data card, ``datasets/<name>.md``, with every column and
each planted effect with the statistic that measures it.

>>> from ethicskit.data import DATASET_NAMES, load
>>> DATASET_NAMES[:3]
('customers', 'behavior', 'consent_ledger')
>>> load("monthly_monitoring")["group"].cat.categories.tolist()
['group_a', 'group_b', 'group_c', 'group_d', 'group_e']
"""

from ethicskit.data._generate import (
    behavior,
    campaign_offers,
    candidate_features,
    consent_ledger,
    customers,
    generate,
    generate_all,
    marketing_messages,
    monthly_monitoring,
)
from ethicskit.data._load import UNKNOWN_LABELS_ERROR, load
from ethicskit.data._spec import (
    COLUMNS_ERROR,
    CURRENT_POLICY,
    DATASET_NAMES,
    DEFAULT_ROWS,
    DEFAULT_SEED,
    FIRST_BREACH_MONTH,
    MISSING_CSV_ERROR,
    POLICY_VERSIONS,
    PURPOSES_REQUIRING_CURRENT_POLICY,
    ROWS_ERROR,
    SEED_ERROR,
    SNAPSHOT_DATE,
    SPECS,
    UNKNOWN_DATASET_ERROR,
)
from ethicskit.data._write import write_all

__all__ = [
    # generators (one per dataset, plus the shared core)
    "customers", "behavior", "consent_ledger", "candidate_features", "campaign_offers",
    "marketing_messages", "monthly_monitoring", "generate", "generate_all",
    # files
    "load", "write_all",
    # constants
    "DATASET_NAMES", "POLICY_VERSIONS", "CURRENT_POLICY", "PURPOSES_REQUIRING_CURRENT_POLICY",
    "FIRST_BREACH_MONTH", "SNAPSHOT_DATE", "DEFAULT_ROWS", "DEFAULT_SEED", "SPECS",
    # error messages (tests import the same constants)
    "UNKNOWN_DATASET_ERROR", "ROWS_ERROR", "SEED_ERROR", "COLUMNS_ERROR", "MISSING_CSV_ERROR",
    "UNKNOWN_LABELS_ERROR",
]
