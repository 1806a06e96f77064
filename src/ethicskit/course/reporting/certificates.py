"""``ethicskit certificates``: a printable HTML certificate per learner who passed every required module.

Required modules are, by default, every module released to the learner's
cohort. The certificate names each module with the version completed and
the date of the submission that passed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from ethicskit.course.nbgrader import load_config
from ethicskit.course.records.store import course_data_dir
from ethicskit.course.reporting.report import build_report
from ethicskit.templates import render


def eligible(matrix: pd.DataFrame, required: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """learner_id -> their passed rows, for learners who passed every required module (pure)."""
    found = {}
    for learner_id, rows in matrix.groupby("learner_id"):
        wanted = rows[rows["module"].isin(required)] if required else rows[rows["status"] != "not released"]
        if len(wanted) and (not required or len(wanted) == len(required)) and (wanted["status"] == "passed").all():
            found[learner_id] = wanted
    return found


def render_certificate(rows: pd.DataFrame, *, issued: date) -> str:
    """One learner's certificate page (``templates/certificate.html.j2``; Jinja2 escapes every value)."""
    first = rows.iloc[0]
    modules = [{"module": r.module, "version": str(r.version),
                "passed_on": pd.Timestamp(r.submitted_at).strftime("%Y-%m-%d")} for r in rows.itertuples()]
    return render("certificate.html.j2", name=first["name"], learner_id=first["learner_id"],
                  issued=issued.isoformat(), rows=modules)


def certificates(*, out: Path | None = None, required: list[str] | None = None, root: Path | None = None,
                 today: date | None = None) -> list[Path]:
    """Write one certificate per eligible learner into ``out`` (default course-data/certificates)."""
    today = today or date.today()
    report = build_report(root=root, today=today)
    if required:
        from ethicskit.course.modules import resolve_modules

        required = [m.slug for m in resolve_modules(required, root)]
    out = Path(out) if out else course_data_dir(load_config(root)) / "certificates"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for learner_id, rows in sorted(eligible(report.matrix, required).items()):
        path = out / f"{learner_id}.html"
        path.write_text(render_certificate(rows, issued=today), encoding="utf-8")
        written.append(path)
    return written
