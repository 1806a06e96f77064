"""``ethicskit report``: who has completed what, and who needs a nudge.

:func:`build_report` gathers the tables (read-only) and computes the
completion matrix, roll-ups per team and manager, the overdue list, item
analysis and the manual-grading queue. Writers turn a report into CSV (the
same rows as the nbgrader export plugin) or an HTML page with charts.
Reports carry status and score only, never learners' written answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import pandas as pd

from ethicskit.course.errors import CourseError
from ethicskit.course.modules import all_modules
from ethicskit.course.nbgrader import load_config
from ethicskit.course.reporting.followup import extension_list, reminder_list
from ethicskit.course.reporting.gradebook import read_gradebook, read_store
from ethicskit.course.reporting.status import (
    completion_matrix,
    item_analysis,
    overdue_list,
    rollup,
    wide_matrix,
)
from ethicskit.course.safe_csv import frame_csv

CSV_COLUMNS = ["learner_id", "employee_id", "name", "team", "manager", "cohort", "module", "version", "status",
               "score", "max_score", "percent", "analyst_score", "analyst_max_score", "submitted_at", "due", "late", "tampered", "timed_out", "failure"]
UNKNOWN_TEAM = "team {team!r} is not in the roster; the teams are: {valid}"
UNKNOWN_FORMAT = "unknown format {fmt!r}; the formats are: csv, html"


@dataclass
class Report:
    matrix: pd.DataFrame
    teams: pd.DataFrame
    managers: pd.DataFrame
    overdue: pd.DataFrame
    items: pd.DataFrame
    queue: pd.DataFrame
    modules: list[str]
    today: date
    item_counts: pd.DataFrame
    pending: pd.DataFrame
    extension_rows: pd.DataFrame | None = None  # the store's extensions and reminders, for the views below
    reminder_rows: pd.DataFrame | None = None

    @property
    def wide(self) -> pd.DataFrame:
        return wide_matrix(self.matrix)

    @property
    def extensions(self) -> pd.DataFrame:
        """Active extensions of the learners in this report."""
        return extension_list(self.matrix, self.extension_rows, today=self.today)

    @property
    def reminders(self) -> pd.DataFrame:
        """The last reminder of each learner's module in this report, failed sends first."""
        return reminder_list(self.matrix, self.reminder_rows)

    def filtered(self, **criteria: str | None) -> Report:
        """The same report for a subset: team=, manager=, cohort=, module= (None keeps everyone)."""
        mask = pd.Series(True, index=self.matrix.index)
        for column, value in criteria.items():
            if value not in (None, "", "All"):
                mask &= self.matrix[column] == value
        return assemble(self.matrix[mask].reset_index(drop=True), self.item_counts, self.pending,
                        modules=self.modules, today=self.today, extension_rows=self.extension_rows,
                        reminder_rows=self.reminder_rows)


def assemble(matrix: pd.DataFrame, item_counts: pd.DataFrame, pending: pd.DataFrame, *,
             modules: list[str], today: date, extension_rows: pd.DataFrame | None = None,
             reminder_rows: pd.DataFrame | None = None) -> Report:
    """Roll-ups, overdue list and the manual-grading queue for a matrix (pure).

    ``item_counts`` and ``pending`` are the gradebook's per-item counts and
    ungraded written answers; the queue keeps those of learners in ``matrix``.
    """
    people = matrix.drop_duplicates("learner_id")[["learner_id", "team", "manager"]]
    queue = pending.merge(people, on="learner_id", how="inner") if len(pending) else \
        pd.DataFrame(columns=["learner_id", "module", "grade_id", "max_score", "team", "manager"])
    return Report(matrix, rollup(matrix, "team"), rollup(matrix, "manager"), overdue_list(matrix, today=today),
                  item_analysis(item_counts), queue.sort_values(["module", "learner_id"]).reset_index(drop=True),
                  modules, today, item_counts, pending, extension_rows, reminder_rows)


def load_tables(config) -> tuple[dict, object]:
    """Everything a report needs, read-only: the store's tables and the gradebook's."""
    return read_store(config), read_gradebook(config.CourseDirectory.db_url)


def build_report(*, team: str | None = None, today: date | None = None, root: Path | None = None,
                 db_url: str | None = None, config=None) -> Report:
    """The completion report for the course (for one team with ``team``).

    Its modules are those released plus every graded module of the course
    (``config`` defaults to the course's ``nbgrader_config.py``).
    """
    config = config if config is not None else load_config(root)
    if db_url:
        config.CourseDirectory.db_url = db_url
    store, gb = load_tables(config)
    today = today or date.today()
    released = set(store["releases"]["module"].unique())
    graded_modules = {m.slug for m in all_modules(Path(config.CourseDirectory.root)) if m.graded}
    modules = sorted(released | graded_modules)
    matrix = completion_matrix(store["learners"], store["releases"], store["submissions"], store["gradings"],
                               gb.submissions, modules=modules, today=today, failures=store.get("grading_failures"),
                               extensions=store.get("extensions"))
    report = assemble(matrix, gb.items, gb.queue, modules=modules, today=today,
                      extension_rows=store.get("extensions"), reminder_rows=store.get("reminders"))
    if team:
        teams = sorted(matrix["team"].unique())
        if team not in teams:
            raise CourseError(UNKNOWN_TEAM.format(team=team, valid=", ".join(teams) or "(no roster yet)"))
        report = report.filtered(team=team)
    return report


def csv_rows(report: Report) -> pd.DataFrame:
    """The report's rows for CSV: one per learner and module (no email, no answers)."""
    rows = report.matrix[CSV_COLUMNS].copy()
    rows["due"] = rows["due"].dt.strftime("%Y-%m-%d")
    rows["submitted_at"] = pd.to_datetime(rows["submitted_at"], utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return rows


def write_extensions(report: Report, out: Path) -> Path:
    """Write the report's active extensions as CSV to ``out`` (``ethicskit report --extensions``)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    frame_csv(report.extensions, out)
    return out


def write_report(report: Report, out: Path, *, fmt: Literal["csv", "html"] = "csv") -> Path:
    """Write ``report`` as CSV or HTML to ``out``."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        frame_csv(csv_rows(report), out)
    elif fmt == "html":
        from ethicskit.course.reporting.html import render_html

        out.write_text(render_html(report), encoding="utf-8")
    else:
        raise CourseError(UNKNOWN_FORMAT.format(fmt=fmt))
    return out
