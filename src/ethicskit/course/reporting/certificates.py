"""``ethicskit certificates``: a printable HTML certificate per learner who passed every required module.

Required modules are, by default, every module released to the learner's
cohort. The certificate names each module with the version completed and
the date of the submission that passed.

Each certificate is a ``certificate`` event in the store's event log, and
carries a verification code taken from that event's hash, which
``ethicskit verify CODE`` resolves. Writing the certificates again for a
learner whose modules, versions and submissions are unchanged prints the
same certificate, with the same code and date of issue.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd

from ethicskit.course.nbgrader import load_config
from ethicskit.course.records.events import certificate_code, certificate_event
from ethicskit.course.records.store import (
    course_data_dir,
    events_of_kind,
    grading_digests,
    open_store,
)
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


def passed_modules(rows: pd.DataFrame) -> list[dict]:
    """A learner's passed rows as the certificate lists them: module, version and date passed (pure)."""
    return [{"module": r.module, "version": str(r.version),
             "passed_on": pd.Timestamp(r.submitted_at).strftime("%Y-%m-%d")} for r in rows.itertuples()]


def render_certificate(rows: pd.DataFrame, *, issued: date | str, code: str) -> str:
    """One learner's certificate page (``templates/certificate.html.j2``; Jinja2 escapes every value)."""
    first = rows.iloc[0]
    return render("certificate.html.j2", name=first["name"], learner_id=first["learner_id"],
                  issued=issued if isinstance(issued, str) else issued.isoformat(), rows=passed_modules(rows),
                  code=code)


def certificates(*, out: Path | None = None, required: list[str] | None = None, root: Path | None = None,
                 today: date | None = None) -> list[Path]:
    """Write one certificate per eligible learner into ``out`` (default course-data/certificates)."""
    today = today or date.today()
    report = build_report(root=root, today=today)
    if required:
        from ethicskit.course.modules import resolve_modules

        required = [m.slug for m in resolve_modules(required, root)]
    config = load_config(root)
    out = Path(out) if out else course_data_dir(config) / "certificates"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with open_store(config) as db:
        digests = grading_digests(db)
        last = {e["learner_id"]: e for e in events_of_kind(db, "certificate")}
    for learner_id, rows in sorted(eligible(report.matrix, required).items()):
        path = out / f"{learner_id}.html"
        modules = [{**m, "digest": digests.get((learner_id, m["module"]), "")} for m in passed_modules(rows)]
        with open_store(config) as db:  # one transaction a certificate: its event is kept only if its page is
            event = certificate_event(db, learner_id, modules, issued=today.isoformat(), last=last.get(learner_id))
            issued = json.loads(event["detail"])["issued"]
            path.write_text(render_certificate(rows, issued=issued, code=certificate_code(event["hash"])),
                            encoding="utf-8")
        written.append(path)
    return written
