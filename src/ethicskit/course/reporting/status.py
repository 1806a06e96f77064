"""Completion status per learner and module: pure, vectorized functions over tables.

The status of a learner's module is one of ``STATUSES``:

- ``not released``: no release of the module reaches the learner's cohort;
- ``not started``: released, nothing submitted, not past the due date;
- ``overdue``: released, nothing submitted, past the due date;
- ``submitted``: collected, not graded yet (or changed since grading);
- ``grading failed``: the last attempt to grade it failed (``failure`` says why;
  ``ethicskit grade`` retries it);
- ``needs manual grading``: graded, but written answers await a facilitator;
- ``passed`` / ``not passed``: graded, and the pass rule holds or not.

The pass rule is one definition for the report, the dashboard, certificates,
the export plugin and the demo (DESIGN.md section 4): at least 80% of the
points of the module's core (the optional analyst extension never counts),
**and** every written answer graded with at least half its points. Every graded
module has a written answer (``ethicskit check`` refuses one without).
The analyst extension's score is reported in its own columns.

The version completed is the module version released to the learner's
cohort most recently before they submitted.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

PASS_MARK = 0.8
WRITTEN_MARK = 0.5  # each written answer needs at least half its points
STATUSES = ("not released", "not started", "overdue", "submitted", "grading failed", "needs manual grading", "passed",
            "not passed")
MATRIX_COLUMNS = ["learner_id", "employee_id", "name", "email", "team", "manager", "cohort", "module", "version",
                  "status", "score", "max_score", "percent", "analyst_score", "analyst_max_score", "submitted_at", "due",
                  "late", "tampered", "timed_out", "failure"]


def _latest_releases(releases: pd.DataFrame) -> pd.DataFrame:
    r = releases.sort_values("id") if "id" in releases else releases
    return r.drop_duplicates(["module", "cohort"], keep="last")


def _applicable_release(grid: pd.DataFrame, releases: pd.DataFrame) -> pd.DataFrame:
    """The latest release reaching each (learner, module): the cohort's own or the one for everyone."""
    latest = _latest_releases(releases)[["module", "cohort", "version", "due", "released_at"]]
    own = grid[["module", "cohort"]].merge(latest, on=["module", "cohort"], how="left")
    everyone = grid[["module"]].merge(latest[latest["cohort"] == ""].drop(columns="cohort"), on="module", how="left")
    use_own = own["released_at"].notna() & ~(everyone["released_at"] > own["released_at"])
    chosen = everyone.copy()
    for col in ("version", "due", "released_at"):
        chosen[col] = np.where(use_own, own[col], everyone[col])
    chosen.index = grid.index
    return chosen


def _version_at_submission(grid: pd.DataFrame, releases: pd.DataFrame) -> pd.Series:
    """The version released to the learner's cohort most recently before the submission."""
    subs = grid.loc[grid["submitted_at"].notna(), ["module", "cohort", "submitted_at"]].reset_index()
    if subs.empty or releases.empty:
        return pd.Series(pd.NA, index=grid.index, dtype="object")
    rel = releases[["module", "cohort", "version", "released_at"]].rename(columns={"cohort": "r_cohort"})
    rel = rel.assign(released_at=pd.to_datetime(rel["released_at"], utc=True, format="mixed"))
    pairs = subs.merge(rel, on="module")
    pairs = pairs[((pairs["r_cohort"] == "") | (pairs["r_cohort"] == pairs["cohort"]))
                  & (pairs["released_at"] <= pairs["submitted_at"])]
    last = pairs.sort_values("released_at").drop_duplicates("index", keep="last").set_index("index")["version"]
    return last.reindex(grid.index)


def meets_pass_rule(graded: pd.DataFrame) -> pd.Series:
    """The pass rule on graded rows (``score``, ``max_score``, ``written_below_half``): core points only.

    Pending written answers are a status of their own ("needs manual grading"), decided before this.

    >>> rows = pd.DataFrame({"score": [8.0, 9.0, 9.0], "max_score": [10.0, 10.0, 10.0], "written_below_half": [0, 0, 1]})
    >>> meets_pass_rule(rows).tolist()
    [True, True, False]
    """
    percent = graded["score"] / graded["max_score"].where(graded["max_score"] > 0)
    return (percent >= PASS_MARK - 1e-9) & (graded["written_below_half"].fillna(0) == 0)


def completion_matrix(learners: pd.DataFrame, releases: pd.DataFrame, submissions: pd.DataFrame,
                      gradings: pd.DataFrame, graded: pd.DataFrame, *, modules: list[str],
                      today: date | None = None, failures: pd.DataFrame | None = None,
                      extensions: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per active learner and module, with ``MATRIX_COLUMNS`` (``failures``: the store's grading_failures).

    ``extensions`` (the store's extensions) replace the due date of a learner's released module by its ``until``.
    """
    today = pd.Timestamp(today or date.today())
    people = learners[learners["active"].astype(bool)] if len(learners) else learners
    if people.empty or not modules:
        return pd.DataFrame(columns=MATRIX_COLUMNS).astype({"due": "datetime64[ns]", "submitted_at": "datetime64[ns, UTC]"})
    grid = people.drop(columns=["due"]).assign(person_due=people["due"]).merge(
        pd.DataFrame({"module": modules}), how="cross")
    chosen = _applicable_release(grid, releases)
    grid["version"] = chosen["version"]
    grid["released"] = chosen["released_at"].notna()
    due = chosen["due"].where(chosen["due"].notna() & (chosen["due"] != ""), grid["person_due"])
    grid["due"] = pd.to_datetime(due.where(grid["released"]), format="%Y-%m-%d", errors="coerce")
    if extensions is not None and len(extensions):
        until = grid[["learner_id", "module"]].merge(extensions[["learner_id", "module", "until"]],
                                                      on=["learner_id", "module"], how="left")["until"]
        until = pd.to_datetime(until, format="%Y-%m-%d", errors="coerce").set_axis(grid.index)
        grid["due"] = until.where(until.notna() & grid["released"], grid["due"])

    subs = submissions[["learner_id", "module", "timestamp"]].rename(columns={"timestamp": "submitted_at"})
    grid = grid.merge(subs, on=["learner_id", "module"], how="left")
    grid["submitted_at"] = pd.to_datetime(grid["submitted_at"], utc=True, format="mixed")
    grid = grid.merge(graded, on=["learner_id", "module"], how="left")
    flags = gradings[["learner_id", "module", "tampered", "timed_out"]]
    grid = grid.merge(flags, on=["learner_id", "module"], how="left")
    grid[["tampered", "timed_out"]] = grid[["tampered", "timed_out"]].fillna("")
    failed = failures if failures is not None and len(failures) else pd.DataFrame(columns=["learner_id", "module", "reason"])
    grid = grid.merge(failed[["learner_id", "module", "reason"]].rename(columns={"reason": "failure"}),
                      on=["learner_id", "module"], how="left")
    grid["failure"] = grid["failure"].fillna("")

    submitted_version = _version_at_submission(grid, releases)
    grid["version"] = submitted_version.where(submitted_version.notna(), grid["version"])
    is_graded = grid["graded_timestamp"].notna() & (
        grid["submitted_at"].isna() | (grid["graded_timestamp"] >= grid["submitted_at"].dt.floor("s")))
    grid["percent"] = (grid["score"] / grid["max_score"].where(grid["max_score"] > 0)).round(4)
    has_sub = grid["submitted_at"].notna() | grid["graded_timestamp"].notna()
    past_due = grid["due"].notna() & (today.normalize() > grid["due"])
    meets_rule = meets_pass_rule(grid)
    grid["status"] = np.select(
        [~grid["released"], grid["failure"] != "", is_graded & (grid["pending_items"] > 0), is_graded & meets_rule,
         is_graded, has_sub, past_due],
        ["not released", "grading failed", "needs manual grading", "passed", "not passed", "submitted", "overdue"],
        default="not started")
    when = grid["submitted_at"].fillna(grid["graded_timestamp"])
    grid["late"] = grid["due"].notna() & when.notna() & (when.dt.tz_localize(None).dt.normalize() > grid["due"])
    grid["submitted_at"] = when
    return grid[MATRIX_COLUMNS].reset_index(drop=True)


def wide_matrix(matrix: pd.DataFrame) -> pd.DataFrame:
    """Learner x module table of statuses, with the learner's name, team and manager."""
    if matrix.empty:
        return pd.DataFrame()
    return matrix.pivot_table(index=["team", "manager", "name", "learner_id"], columns="module",
                              values="status", aggfunc="first").reset_index()


def rollup(matrix: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts of each status per ``by`` (team or manager), and the share of released modules passed."""
    if matrix.empty:
        return pd.DataFrame(columns=[by, "learners", *STATUSES, "passed %"])
    counts = pd.crosstab(matrix[by], matrix["status"]).reindex(columns=list(STATUSES), fill_value=0)
    counts.insert(0, "learners", matrix.groupby(by)["learner_id"].nunique())
    released = counts[list(STATUSES[1:])].sum(axis=1)
    counts["passed %"] = (100 * counts["passed"] / released.where(released > 0)).round(1).fillna(0.0)
    return counts.reset_index()


FLAG_COLUMNS = ["name", "team", "learner_id", "module", "status", "failure", "tampered", "timed_out"]
FLAGS_HEADING = "Grading failures, tampering and timeouts"
FLAGS_HINT = ("A failed submission is graded again by the next <code>ethicskit grade NN</code> once its cause is "
              "fixed; <code>ethicskit grade --force NN</code> regrades everyone.")


def flagged_list(matrix: pd.DataFrame) -> pd.DataFrame:
    """Submissions whose grading failed, was tampered with or hit the time limit, failures first."""
    if matrix.empty:
        return pd.DataFrame(columns=FLAG_COLUMNS)
    hit = (matrix["failure"] != "") | (matrix["tampered"] != "") | (matrix["timed_out"] != "")
    rows = matrix.loc[hit, FLAG_COLUMNS]
    return rows.assign(_f=rows["failure"] == "").sort_values(["_f", "module", "team", "name"]).drop(
        columns="_f").reset_index(drop=True)


def overdue_list(matrix: pd.DataFrame, *, today: date | None = None) -> pd.DataFrame:
    """Who needs a nudge: learners with an overdue module, most overdue first."""
    today = pd.Timestamp(today or date.today()).normalize()
    late = matrix[matrix["status"] == "overdue"].copy()
    late["due"] = pd.to_datetime(late["due"])
    late["days_overdue"] = (today - late["due"]).dt.days
    columns = ["name", "email", "team", "manager", "module", "due", "days_overdue"]
    return late.sort_values(["days_overdue", "team", "name"], ascending=[False, True, True])[columns].reset_index(drop=True)


def item_analysis(items: pd.DataFrame) -> pd.DataFrame:
    """Pass rate (full marks) and mean score per graded item, hardest first."""
    if items.empty:
        return pd.DataFrame(columns=["module", "grade_id", "graded", "pass_rate", "mean_score"])
    out = items.assign(pass_rate=(items["full_marks"] / items["graded"]).round(3),
                       mean_score=(items["points"] / items["max_points"].where(items["max_points"] > 0)).round(3))
    return out[["module", "grade_id", "graded", "pass_rate", "mean_score"]].sort_values(
        ["pass_rate", "module", "grade_id"]).reset_index(drop=True)
