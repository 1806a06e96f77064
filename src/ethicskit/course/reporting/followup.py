"""Follow-up tables for the report and the dashboard: active extensions and the reminders sent (pure).

Both take the completion matrix (for names, teams and statuses, and so that a
filtered view shows its own learners only) and a table of the store.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

EXTENSION_COLUMNS = ["name", "team", "manager", "learner_id", "module", "until", "reason", "status", "granted_on"]
REMINDER_COLUMNS = ["name", "team", "learner_id", "module", "to", "kind", "status", "attempts", "last_attempt",
                    "error"]
EXTENSIONS_HEADING = "Extensions"
EXTENSIONS_HINT = ("Active extensions: each learner's own due date for a module, granted with "
                   "<code>ethicskit extend LEARNER MODULE --until YYYY-MM-DD --reason TEXT</code>.")
REMINDERS_HEADING = "Reminders"
REMINDERS_HINT = ("The last reminder per learner and module, failed sends first; <code>ethicskit remind</code> "
                  "tries a failed one again on its next run.")


def _people(matrix: pd.DataFrame) -> pd.DataFrame:
    return matrix[["learner_id", "module", "name", "team", "manager", "status"]]


def extension_list(matrix: pd.DataFrame, extensions: pd.DataFrame | None, *, today: date) -> pd.DataFrame:
    """Extensions not yet run out (``until`` today or later) of the learners in ``matrix``, soonest first."""
    if extensions is None or extensions.empty or matrix.empty:
        return pd.DataFrame(columns=EXTENSION_COLUMNS)
    active = extensions[extensions["until"] >= today.isoformat()]
    rows = active.merge(_people(matrix), on=["learner_id", "module"], how="inner")
    rows = rows.assign(granted_on=rows["granted_at"].str[:10])
    return rows.sort_values(["until", "team", "name", "module"])[EXTENSION_COLUMNS].reset_index(drop=True)


def reminder_list(matrix: pd.DataFrame, reminders: pd.DataFrame | None) -> pd.DataFrame:
    """The last reminder of each learner's module, to the learner and to their manager; failed ones first."""
    if reminders is None or reminders.empty or matrix.empty:
        return pd.DataFrame(columns=REMINDER_COLUMNS)
    rows = reminders.assign(to=reminders["reminder_key"].str.split(":").str[0])
    rows = rows.sort_values("updated_at").drop_duplicates(["learner_id", "module", "to"], keep="last")
    rows = rows.merge(_people(matrix).drop(columns=["manager", "status"]), on=["learner_id", "module"], how="inner")
    rows = rows.assign(last_attempt=rows["updated_at"].str[:16].str.replace("T", " "), error=rows["last_error"],
                       _ok=rows["status"] == "sent")
    return rows.sort_values(["_ok", "module", "team", "name", "to"])[REMINDER_COLUMNS].reset_index(drop=True)
