"""Audit toolkit: the analysis functions the lessons teach and the graders trust.

Pure functions over pandas DataFrames, grouped by question:

* fairness — :func:`group_report`, :func:`intersectional_report`,
  :func:`wilson_interval` (for fairlearn's one-number summaries, such as
  ``demographic_parity_ratio``, use ``fairlearn.metrics``);
* proxies — :func:`proxy_strength`, :func:`cramers_v`,
  :func:`correlation_ratio`, :func:`reconstruction_auc`,
  :func:`plot_proxy_heatmap`;
* consent — :func:`consent_state_at`, :func:`filter_audience`;
* vulnerability — :func:`vulnerability_flags`, :func:`exposure`;
* messages — :func:`review_message`, :func:`review_messages`,
  :func:`evaluate_reviewer`, :func:`reviewer_confusion` (rules plus a learned model);
* monitoring — :func:`disparity_by_period`, :func:`first_breach`,
  :func:`plot_drift`.

Bad input raises :class:`AuditInputError` (a ``ValueError``) whose text comes
from the message constants listed in ``ERRORS``.
"""

from ._consent import (
    ACTIONS,
    REASON_NO_RECORD,
    REASON_SUPERSEDED,
    REASON_WITHDRAWN,
    Audience,
    consent_state_at,
    filter_audience,
    policy_in_force,
)
from ._errors import (
    BAD_BAND,
    BAD_CONFIDENCE,
    BAD_COUNTS,
    EMPTY_FRAME,
    MISSING_COLUMN,
    MISSING_THRESHOLDS,
    NON_BINARY_OUTCOME,
    TOO_FEW_CLASSES,
    UNKNOWN_ACTION,
    UNKNOWN_CUSTOMERS,
    UNKNOWN_FLAG,
    UNKNOWN_POLICY_VERSION,
    UNKNOWN_PURPOSE,
    UNKNOWN_REFERENCE,
    UNKNOWN_SPLIT,
    UNKNOWN_THRESHOLDS,
    AuditInputError,
)
from ._fairness import (
    ABOVE_BAND,
    BELOW_BAND,
    DEFAULT_BAND,
    MISSING_GROUP,
    NO_REFERENCE_RATE,
    SUPPRESSED,
    WITHIN_BAND,
    group_report,
    intersectional_report,
    wilson_interval,
)
from ._message_rules import RULES, SUGGESTIONS
from ._messages import (LABELS, SOURCES, UNKNOWN_SOURCE, MessageFlag, evaluate_reviewer, review_message,
                        review_messages, reviewer_confusion)
from ._monitoring import disparity_by_period, first_breach, plot_drift
from ._plots import Plot
from ._proxies import correlation_ratio, cramers_v, plot_proxy_heatmap, proxy_strength, reconstruction_auc
from ._vulnerability import FLAGS, VULNERABILITY_THRESHOLDS, exposure, vulnerability_flags

__all__ = [
    # fairness
    "group_report", "intersectional_report", "wilson_interval", "DEFAULT_BAND", "WITHIN_BAND", "BELOW_BAND",
    "ABOVE_BAND", "NO_REFERENCE_RATE", "SUPPRESSED",
    # proxies
    "cramers_v", "correlation_ratio", "proxy_strength", "reconstruction_auc", "plot_proxy_heatmap",
    # consent
    "consent_state_at", "filter_audience", "policy_in_force", "Audience", "ACTIONS", "REASON_NO_RECORD",
    "REASON_SUPERSEDED", "REASON_WITHDRAWN",
    # vulnerability
    "vulnerability_flags", "exposure", "VULNERABILITY_THRESHOLDS", "FLAGS",
    # messages
    "review_message", "review_messages", "evaluate_reviewer", "reviewer_confusion", "MessageFlag", "LABELS", "RULES",
    "SUGGESTIONS", "SOURCES", "UNKNOWN_SOURCE",
    # monitoring
    "disparity_by_period", "first_breach", "plot_drift",
    # plots
    "Plot",
    # errors (message constants; tests import them)
    "MISSING_COLUMN", "EMPTY_FRAME", "NON_BINARY_OUTCOME", "UNKNOWN_REFERENCE", "UNKNOWN_ACTION",
    "UNKNOWN_POLICY_VERSION", "UNKNOWN_PURPOSE", "UNKNOWN_FLAG", "UNKNOWN_THRESHOLDS", "MISSING_THRESHOLDS",
    "UNKNOWN_CUSTOMERS", "UNKNOWN_SPLIT", "BAD_BAND", "BAD_COUNTS", "BAD_CONFIDENCE", "TOO_FEW_CLASSES",
    "MISSING_GROUP", "AuditInputError",
]

# The names of the error-message constants (tests check each message).
ERRORS = [
    "MISSING_COLUMN", "EMPTY_FRAME", "NON_BINARY_OUTCOME", "UNKNOWN_REFERENCE", "UNKNOWN_ACTION",
    "UNKNOWN_POLICY_VERSION", "UNKNOWN_PURPOSE", "UNKNOWN_FLAG", "UNKNOWN_THRESHOLDS", "MISSING_THRESHOLDS",
    "UNKNOWN_CUSTOMERS", "UNKNOWN_SPLIT", "BAD_BAND", "BAD_COUNTS", "BAD_CONFIDENCE", "TOO_FEW_CLASSES",
    "MISSING_GROUP",
]
