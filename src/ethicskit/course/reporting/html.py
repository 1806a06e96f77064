"""The HTML completion report: seaborn charts with captions, then the tables.

Charts are PNGs embedded in the page, so the file can be emailed as it is.
The page is ``templates/report.html.j2``. Charts are drawn on
``matplotlib.figure.Figure`` objects, not through pyplot, so writing a report
switches no matplotlib backend (a notebook that renders one keeps its own).
"""

from __future__ import annotations

import base64
from typing import NamedTuple

import pandas as pd
from markupsafe import Markup

from ethicskit.course.reporting.followup import EXTENSIONS_HEADING, EXTENSIONS_HINT
from ethicskit.course.reporting.status import (
    FLAGS_HEADING,
    FLAGS_HINT,
    STATUSES,
    flagged_list,
)
from ethicskit.figures import png_bytes
from ethicskit.templates import render

STATUS_COLORS = {
    "not released": "#d9d9d9", "not started": "#9ecae1", "overdue": "#e6550d", "submitted": "#fdd0a2", "grading failed": "#7f2704",
    "needs manual grading": "#bcbddc", "passed": "#31a354", "not passed": "#de2d26",
}
MAX_MATRIX_ROWS = 2000
CHART_DPI = 110


class Chart(NamedTuple):
    """A chart of the report: its PNG in base64, and the caption (also its alt text)."""

    png: Markup
    caption: str


class Section(NamedTuple):
    """A heading, an optional line under it, and a table (``None`` when empty, then ``empty`` is shown)."""

    heading: str
    table: Markup | None
    empty: str
    intro: str | Markup = ""


def status_by_module_chart(matrix: pd.DataFrame, *, title: str = "Completion by module"):
    """A stacked bar per module: how many learners are in each status (a ``Figure``, not known to pyplot)."""
    from matplotlib.figure import Figure

    counts = pd.crosstab(matrix["module"], matrix["status"]).reindex(columns=list(STATUSES), fill_value=0)
    fig = Figure(figsize=(8, 0.5 + 0.45 * max(1, len(counts))))
    ax = fig.subplots()
    left = pd.Series(0, index=counts.index)
    for status in STATUSES:
        if counts[status].sum():
            ax.barh(counts.index, counts[status], left=left, color=STATUS_COLORS[status], label=status)
            left += counts[status]
    ax.invert_yaxis()
    ax.set_xlabel("learners")
    ax.set_title(title)
    ax.legend(loc="center left", bbox_to_anchor=(1, 0.5), frameon=False)
    return fig


def _bar_chart(data: pd.DataFrame, x: str, y: str, title: str, xlabel: str):
    import seaborn as sns
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 0.5 + 0.35 * max(1, len(data))))
    ax = fig.subplots()
    sns.barplot(data=data, x=x, y=y, ax=ax, color="#3182bd")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    return fig


def _chart(fig, caption: str) -> Chart:
    # Safe as it is: base64 is letters, digits, "+", "/" and "=", nothing HTML would read as markup.
    return Chart(Markup(base64.b64encode(png_bytes(fig, dpi=CHART_DPI)).decode()), caption)


def _section(heading: str, df: pd.DataFrame, empty: str, intro: str | Markup = "") -> Section:
    # Safe as it is: pandas escapes every header and cell itself (escape=True).
    table = None if df.empty else Markup(df.to_html(index=False, border=0, na_rep="", escape=True))
    return Section(heading, table, empty, intro)


def render_html(report) -> str:
    """The whole report as one self-contained HTML page."""
    m = report.matrix
    charts = None
    if not m.empty:
        teams = report.teams.sort_values("passed %")
        charts = [
            _chart(status_by_module_chart(m), "Each bar is a module; colors show how many learners "
                   "are in each status, from not started to passed."),
            _chart(_bar_chart(teams, "passed %", "team", "Share of released modules passed, by team", "passed (%)"),
                   "The share of released modules each team has passed; the lowest first."),
        ]
        if not report.items.empty:
            items = report.items.assign(item=report.items["grade_id"], pass_rate=100 * report.items["pass_rate"])
            charts.append(_chart(_bar_chart(items, "pass_rate", "item", "Pass rate per graded item",
                                            "learners with full marks (%)"),
                                 "Items that few learners get fully right come first: what facilitators "
                                 "should revisit (all teams)."))
    wide = report.wide
    first = (f"The first {MAX_MATRIX_ROWS} of {len(wide)} learners; the CSV has everyone."
             if len(wide) > MAX_MATRIX_ROWS else "")
    sections = [
        # FLAGS_HINT is the kit's own text, written with <code> tags: trusted HTML.
        _section(FLAGS_HEADING, flagged_list(report.matrix), "No grading failed, and nothing was flagged.",
                 Markup(FLAGS_HINT)),
        _section("By team", report.teams, "No teams yet."),
        _section("By manager", report.managers, "No managers yet."),
        _section("Overdue", report.overdue.assign(due=report.overdue["due"].dt.strftime("%Y-%m-%d")),
                 "Nobody is overdue."),
        _section("Written answers waiting for a facilitator", report.queue, "No written answers are waiting."),
        _section("Item analysis", report.items, "Nothing graded yet."),
        _section("Learners by module", wide.head(MAX_MATRIX_ROWS), "No learners yet.", first),
    ]
    extensions = report.extensions
    if not extensions.empty:  # a section only when there are any, so a course without extensions reads as before
        # EXTENSIONS_HINT is the kit's own text, written with <code> tags: trusted HTML.
        sections.insert(4, _section(EXTENSIONS_HEADING, extensions, "", Markup(EXTENSIONS_HINT)))
    return render("report.html.j2", today=report.today.isoformat(), learners=m["learner_id"].nunique(),
                  modules=len(report.modules), charts=charts, sections=sections)
