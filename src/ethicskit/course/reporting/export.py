"""An nbgrader export plugin that writes the completion CSV.

    nbgrader export --exporter=ethicskit.course.reporting.export.CompletionExporter --to completion.csv

writes the same rows as ``ethicskit report --format csv``: one per learner
and module, with status, score, version and flags. ``--student`` and
``--assignment`` limit the rows to those learner ids and modules.
"""

from __future__ import annotations

from pathlib import Path

from nbgrader.plugins import ExportPlugin

from ethicskit.course.reporting.report import build_report, csv_rows
from ethicskit.course.safe_csv import frame_csv
from ethicskit.paths import project_root

DEFAULT_DEST = "completion.csv"


class CompletionExporter(ExportPlugin):
    """Export the kit's completion matrix (learner x module) as CSV."""

    def _course_root(self) -> Path:
        coursedir = getattr(self.parent, "coursedir", None)
        return project_root(coursedir.root if coursedir is not None else None)

    def export(self, gradebook) -> None:
        dest = self.to or DEFAULT_DEST
        db_url = gradebook.engine.url.render_as_string(hide_password=False)
        rows = csv_rows(build_report(root=self._course_root(), db_url=db_url))
        if self.student:
            rows = rows[rows["learner_id"].isin([str(s) for s in self.student])]
        if self.assignment:
            rows = rows[rows["module"].isin([str(a) for a in self.assignment])]
        self.log.info("Exporting %d completion rows to %s", len(rows), dest)
        frame_csv(rows, dest)
