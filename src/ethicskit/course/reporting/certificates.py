"""``ethicskit certificates``: a printable HTML certificate per learner who passed every required module.

Required modules are, by default, every module released to the learner's
cohort. The certificate names each module with the version completed and
the date of the submission that passed.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pandas as pd

from ethicskit.course.nbgrader import load_config
from ethicskit.course.records.store import course_data_dir
from ethicskit.course.reporting.report import build_report

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Certificate: {name}</title>
<style>
@page {{ size: A4 landscape; margin: 2cm; }}
body {{ font-family: Georgia, serif; text-align: center; color: #222; padding: 3rem; border: 6px double #31a354; }}
h1 {{ font-size: 2.4rem; margin-bottom: 0.2rem; }} .name {{ font-size: 2rem; margin: 1.5rem 0; }}
table {{ margin: 1.5rem auto; border-collapse: collapse; }} td, th {{ padding: 0.3rem 1rem; border-bottom: 1px solid #ccc; }}
.small {{ color: #555; font-size: 0.9rem; }}
</style></head><body>
<h1>Certificate of completion</h1>
<p>Ethical customer segmentation and personalization</p>
<p class="name">{name}</p>
<p>has completed every required module of the ethicskit course:</p>
<table><tr><th>module</th><th>version</th><th>passed on</th></tr>{rows}</table>
<p class="small">Issued {issued}. Learner id {learner_id}. Pass mark: 80% of each module's points.</p>
</body></html>
"""


def eligible(matrix: pd.DataFrame, required: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """learner_id -> their passed rows, for learners who passed every required module (pure)."""
    found = {}
    for learner_id, rows in matrix.groupby("learner_id"):
        wanted = rows[rows["module"].isin(required)] if required else rows[rows["status"] != "not released"]
        if len(wanted) and (not required or len(wanted) == len(required)) and (wanted["status"] == "passed").all():
            found[learner_id] = wanted
    return found


def render_certificate(rows: pd.DataFrame, *, issued: date) -> str:
    first = rows.iloc[0]
    cells = "".join(
        f"<tr><td>{html.escape(r.module)}</td><td>{html.escape(str(r.version))}</td>"
        f"<td>{pd.Timestamp(r.submitted_at).strftime('%Y-%m-%d')}</td></tr>" for r in rows.itertuples())
    return PAGE.format(name=html.escape(first["name"]), rows=cells, issued=issued.isoformat(),
                       learner_id=html.escape(first["learner_id"]))


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
