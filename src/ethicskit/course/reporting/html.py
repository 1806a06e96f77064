"""The HTML completion report: seaborn charts with captions, then the tables.

Charts are PNGs embedded in the page, so the file can be emailed as it is.
"""

from __future__ import annotations

import base64
import html
import io

import pandas as pd

from ethicskit.course.reporting.status import STATUSES

STATUS_COLORS = {
    "not released": "#d9d9d9", "not started": "#9ecae1", "overdue": "#e6550d", "submitted": "#fdd0a2", "grading failed": "#7f2704",
    "needs manual grading": "#bcbddc", "passed": "#31a354", "not passed": "#de2d26",
}
MAX_MATRIX_ROWS = 2000
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; max-width: 72rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; }
th { background: #f3f3f3; }
figure { margin: 1rem 0 2rem; } figcaption { color: #555; font-size: 0.9rem; }
"""


def _png(fig) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def status_by_module_chart(matrix: pd.DataFrame, *, title: str = "Completion by module"):
    """A stacked bar per module: how many learners are in each status."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    counts = pd.crosstab(matrix["module"], matrix["status"]).reindex(columns=list(STATUSES), fill_value=0)
    fig, ax = plt.subplots(figsize=(8, 0.5 + 0.45 * max(1, len(counts))))
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
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    fig, ax = plt.subplots(figsize=(8, 0.5 + 0.35 * max(1, len(data))))
    sns.barplot(data=data, x=x, y=y, ax=ax, color="#3182bd")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    return fig


def _figure(fig, caption: str) -> str:
    return (f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{_png(fig)}">'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def _table(df: pd.DataFrame, empty: str) -> str:
    if df.empty:
        return f"<p>{html.escape(empty)}</p>"
    return df.to_html(index=False, border=0, na_rep="", escape=True)


def render_html(report) -> str:
    """The whole report as one self-contained HTML page."""
    m = report.matrix
    parts = [f"<h1>Completion report</h1><p>As of {report.today.isoformat()}: {m['learner_id'].nunique()} "
             f"learners, {len(report.modules)} modules. Pass mark: 80% of a module's points.</p>"]
    if m.empty:
        parts.append("<p>No learners yet: import a roster with <code>ethicskit roster import</code>.</p>")
    else:
        parts.append("<h2>Completion</h2>")
        parts.append(_figure(status_by_module_chart(m), "Each bar is a module; colors show how many learners "
                             "are in each status, from not started to passed."))
        teams = report.teams.sort_values("passed %")
        parts.append(_figure(_bar_chart(teams, "passed %", "team", "Share of released modules passed, by team",
                                        "passed (%)"),
                             "The share of released modules each team has passed; the lowest first."))
        if not report.items.empty:
            items = report.items.assign(item=report.items["grade_id"], pass_rate=100 * report.items["pass_rate"])
            parts.append(_figure(_bar_chart(items, "pass_rate", "item", "Pass rate per graded item",
                                            "learners with full marks (%)"),
                                 "Items that few learners get fully right come first: what facilitators "
                                 "should revisit (all teams)."))
    from ethicskit.course.reporting.status import (
        FLAGS_HEADING,
        FLAGS_HINT,
        flagged_list,
    )

    parts += [f"<h2>{FLAGS_HEADING}</h2>", f"<p>{FLAGS_HINT}</p>",
              _table(flagged_list(report.matrix), "No grading failed, and nothing was flagged.")]
    parts += ["<h2>By team</h2>", _table(report.teams, "No teams yet."),
              "<h2>By manager</h2>", _table(report.managers, "No managers yet."),
              "<h2>Overdue</h2>", _table(report.overdue.assign(due=report.overdue["due"].dt.strftime("%Y-%m-%d")),
                                         "Nobody is overdue."),
              "<h2>Written answers waiting for a facilitator</h2>",
              _table(report.queue, "No written answers are waiting."),
              "<h2>Item analysis</h2>", _table(report.items, "Nothing graded yet.")]
    wide = report.wide
    parts.append("<h2>Learners by module</h2>")
    if len(wide) > MAX_MATRIX_ROWS:
        parts.append(f"<p>The first {MAX_MATRIX_ROWS} of {len(wide)} learners; the CSV has everyone.</p>")
    parts.append(_table(wide.head(MAX_MATRIX_ROWS), "No learners yet."))
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>ethicskit completion report</title>"
            f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>")
