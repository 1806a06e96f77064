"""The manager dashboard: a widget over a completion report, served by Voila.

It reads the report once (read-only) and recomputes its views from the
filters (team, manager, cohort, module) with pure functions. The current
view is kept in plain traits (``summary``) so tests need no browser.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
from traitlets import Dict

from ethicskit.course.reporting.followup import (
    EXTENSIONS_HEADING,
    EXTENSIONS_HINT,
    REMINDERS_HEADING,
    REMINDERS_HINT,
)
from ethicskit.course.reporting.report import Report, build_report, csv_rows
from ethicskit.course.reporting.status import (
    FLAGS_HEADING,
    FLAGS_HINT,
    STATUSES,
    flagged_list,
)
from ethicskit.course.safe_csv import frame_csv
from ethicskit.figures import png_bytes

FILTERS = (("team", "Team"), ("manager", "Manager"), ("cohort", "Cohort"), ("module", "Module"))
ALL = "All"
EMPTY = ("<p>No learners yet. Import a roster (<code>ethicskit roster import FILE.csv</code>) and release a "
         "module (<code>ethicskit release 00</code>) to see completion here.</p>")


def _table(df: pd.DataFrame, empty: str, limit: int = 200) -> str:
    if df.empty:
        return f"<p>{html.escape(empty)}</p>"
    more = f"<p>Showing {limit} of {len(df)}; download the CSV for all.</p>" if len(df) > limit else ""
    return more + df.head(limit).to_html(index=False, border=0, na_rep="", escape=True)


def _chart_png(matrix: pd.DataFrame, title: str) -> bytes:
    from ethicskit.course.reporting.html import status_by_module_chart

    return png_bytes(status_by_module_chart(matrix, title=title), dpi=90)


MODULES_HEADING = "Modules: passed, and the optional analyst extension"
MODULES_HINT = ("The pass needs the core only (80% of its points and every written answer at half its points "
                "or more). The analyst extension is optional and never counts towards the pass.")


def module_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """Per module: learners it is released to, passed, and analyst extensions completed in full (pure)."""
    released = matrix[matrix["status"] != "not released"]
    full = (released["analyst_max_score"] > 0) & (released["analyst_score"] >= released["analyst_max_score"])
    table = released.assign(passed=released["status"] == "passed", analyst=full).groupby("module").agg(
        learners=("learner_id", "nunique"), passed=("passed", "sum"), analyst_extension_completed=("analyst", "sum"))
    return table.reset_index()


class ManagerDashboard(widgets.VBox):
    """Filters, a completion chart, the overdue list, the manual-grading queue and a CSV download."""

    summary = Dict(help="learners and the count of each status in the current view")

    def __init__(self, report: Report, **kwargs):
        super().__init__(**kwargs)
        self.report = report
        matrix = report.matrix
        self.filters = {
            column: widgets.Dropdown(description=label, options=[ALL, *sorted(matrix[column].dropna().unique())],
                                     value=ALL, layout=widgets.Layout(width="260px"))
            for column, label in FILTERS
        }
        self.headline = widgets.HTML()
        self.chart = widgets.Image(format="png", layout=widgets.Layout(max_width="760px"))
        self.overdue = widgets.HTML()
        self.queue = widgets.HTML()
        self.flags = widgets.HTML()
        self.modules = widgets.HTML()
        self.extensions = widgets.HTML()
        self.reminders = widgets.HTML()
        self.download = widgets.HTML()
        if matrix.empty:
            self.children = [widgets.HTML(EMPTY)]
            self.summary = {"learners": 0}
            return
        for dropdown in self.filters.values():
            dropdown.observe(self._refresh, names="value")
        self.children = [
            widgets.HBox(list(self.filters.values())), self.headline, self.chart,
            widgets.HTML(f"<h3>{MODULES_HEADING}</h3><p>{MODULES_HINT}</p>"), self.modules,
            widgets.HTML("<h3>Overdue: who needs a nudge</h3>"), self.overdue,
            widgets.HTML("<h3>Written answers waiting for a facilitator</h3>"), self.queue,
            widgets.HTML(f"<h3>{FLAGS_HEADING}</h3><p>{FLAGS_HINT}</p>"), self.flags,
            widgets.HTML(f"<h3>{EXTENSIONS_HEADING}</h3><p>{EXTENSIONS_HINT}</p>"), self.extensions,
            widgets.HTML(f"<h3>{REMINDERS_HEADING}</h3><p>{REMINDERS_HINT}</p>"), self.reminders, self.download,
        ]
        self._refresh()

    @classmethod
    def from_course(cls, root: Path | None = None) -> ManagerDashboard:
        """A dashboard over the course's gradebook and roster (read-only)."""
        return cls(build_report(root=root))

    def selection(self) -> dict[str, str | None]:
        return {column: (None if d.value == ALL else d.value) for column, d in self.filters.items()}

    def _refresh(self, change=None) -> None:
        chosen = self.selection()
        view = self.report.filtered(**chosen)
        matrix = view.matrix
        counts = matrix["status"].value_counts()
        self.summary = {"learners": int(matrix["learner_id"].nunique()),
                        **{s: int(counts.get(s, 0)) for s in STATUSES}}
        scope = ", ".join(f"{k} {v}" for k, v in chosen.items() if v) or "everyone"
        passed = self.summary["passed"]
        released = sum(self.summary[s] for s in STATUSES[1:])
        self.headline.value = (f"<p><b>{self.summary['learners']}</b> learners ({html.escape(scope)}): "
                               f"{passed} of {released} released modules passed, "
                               f"{self.summary['overdue']} overdue.</p>")
        self.chart.value = _chart_png(matrix, f"Completion by module: {scope}")
        self.modules.value = _table(module_table(matrix), "No module is released yet.")
        overdue = view.overdue.assign(due=view.overdue["due"].dt.strftime("%Y-%m-%d"))
        self.overdue.value = _table(overdue, "Nobody is overdue.")
        self.queue.value = _table(view.queue, "No written answers are waiting.")
        self.flags.value = _table(flagged_list(matrix), "No grading failed, and nothing was flagged.")
        self.extensions.value = _table(view.extensions, "No active extensions.")
        self.reminders.value = _table(view.reminders, "No reminders sent yet (ethicskit remind).")
        data = base64.b64encode(frame_csv(csv_rows(view)).encode()).decode()
        self.download.value = (f'<a download="completion.csv" href="data:text/csv;base64,{data}" '
                               f'class="ek-download">Download this view as CSV ({len(matrix)} rows)</a>')
