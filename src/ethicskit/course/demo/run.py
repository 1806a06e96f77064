"""``ethicskit demo``: a simulated cohort through the whole pipeline, in a scratch course.

About 60 employees across five teams and two cohorts get a roster; the
modules are released (cohort 2026-Q1 due soon, 2026-Q2 later); learners
submit complete, partial, blank, late, tampered and never-ending notebooks as
zips, with a few hostile files among them; the zips are collected and
graded in parallel; a facilitator marks some written answers; the report is
taken ten days on, so some learners are overdue. The real course data are
never touched: the demo runs with its own root, records and gradebook.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

from ethicskit.course.delivery.collect import CollectResult, collect
from ethicskit.course.delivery.release import release
from ethicskit.course.demo.simulate import hostile_zips, simulated_notebooks, write_zip
from ethicskit.course.errors import CourseError
from ethicskit.course.grading.grade import GradeRun, grade
from ethicskit.course.modules import resolve_modules
from ethicskit.course.nbgrader import gradebook, load_config
from ethicskit.course.records.roster import import_roster, list_roster
from ethicskit.course.reporting.report import Report, build_report, write_report
from ethicskit.paths import datasets_dir, project_root

TEAMS = {"Marketing": "Maya Ortiz", "Analytics": "Sam Okafor", "Product": "Lena Fischer",
         "CRM": "Ravi Menon", "Customer care": "Joan Walsh"}
FIRST = ["Alex", "Bea", "Chen", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kofi", "Lia", "Mo",
         "Nia", "Omar", "Pia", "Quinn", "Rosa", "Sven", "Tara"]
LAST = ["Adams", "Baker", "Costa", "Diaz", "Evans", "Ferreira", "Gupta", "Haddad", "Ito", "Jensen", "Kowalski",
        "Larsen", "Moreau", "Nakamura", "Osei"]
# The kind of work of every 20 learners, in order ("none" never submits): 8 complete, 2 partial,
# 2 late, 1 blank, 1 tampered, 1 never-ending and 5 who do nothing; every kind is in the first 8.
MIX = ("complete", "partial", "none", "late", "blank", "tampered", "never-ending", "complete",
       "none", "complete", "complete", "partial", "none", "complete", "late", "complete", "none",
       "complete", "none", "complete")
CONTROLLED_ENV = ("ETHICSKIT_COURSE_DATA", "ETHICSKIT_DB_URL", "ETHICSKIT_EXCHANGE", "ETHICSKIT_COURSE_ID")
NO_GRADED_MODULE = "the demo needs a graded module; none of {modules} has one"


@dataclass
class DemoResult:
    folder: Path
    kinds: dict[str, str]
    collected: CollectResult
    graded: GradeRun
    report: Report
    outputs: list[Path]


@contextlib.contextmanager
def demo_environment(folder: Path, datasets: Path):
    """Point the kit (and the kernels it starts) at the scratch course; restore the environment after."""
    saved = {k: os.environ.get(k) for k in ("ETHICSKIT_ROOT", "ETHICSKIT_DATASETS", *CONTROLLED_ENV)}
    for key in CONTROLLED_ENV:
        os.environ.pop(key, None)
    os.environ["ETHICSKIT_ROOT"], os.environ["ETHICSKIT_DATASETS"] = str(folder), str(datasets)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def scratch_project(folder: Path, slugs: list[str], source: Path) -> Path:
    """Copy the course configuration and the named modules into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "nbgrader_config.py", folder / "nbgrader_config.py")
    for slug in slugs:
        for parent in ("solutions", "exercises"):
            if (source / parent / slug).is_dir():
                shutil.copytree(source / parent / slug, folder / parent / slug, dirs_exist_ok=True)
    return folder


def demo_roster(path: Path, learners: int, *, seed: int = 7) -> Path:
    """A fictional HR export: ``learners`` people across five teams and two cohorts."""
    rng = random.Random(seed)
    lines = ["employee_id,name,email,team,manager,cohort,due"]
    teams = list(TEAMS)
    for i in range(learners):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7 + i // len(FIRST)) % len(LAST)]
        team = teams[rng.randrange(len(teams))]
        cohort = "2026-Q1" if i % 3 else "2026-Q2"
        lines.append(f"E{1000 + i},{first} {last},{first.lower()}.{last.lower()}{i}@example.com,"
                     f"{team},{TEAMS[team]},{cohort},")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def assign_kinds(learner_ids: list[str]) -> dict[str, str]:
    """Each learner's kind of submission, following ``MIX`` in a fixed order."""
    return {lid: MIX[i % len(MIX)] for i, lid in enumerate(learner_ids)}


def _grade_some_written_answers(config, kinds: dict[str, str], modules: list[str]) -> int:
    """A facilitator marks two in three written answers of complete submissions (full marks)."""
    marked = 0
    with gradebook(config) as gb:
        for i, (learner_id, kind) in enumerate(sorted(kinds.items())):
            if kind not in ("complete", "late") or i % 3 == 0:
                continue
            for module in modules:
                try:
                    submission = gb.find_submission(module, learner_id)
                except Exception:  # noqa: BLE001 - not graded (e.g. rejected); nothing to mark
                    continue
                for nb in submission.notebooks:
                    for grade_row in nb.grades:
                        if grade_row.needs_manual_grade:
                            grade_row.manual_score = grade_row.max_score
                            grade_row.needs_manual_grade = False
                            marked += 1
        gb.db.commit()
    return marked


def run_demo(*, learners: int = 60, modules: list[str] | None = None, workers: int | None = None,
             timeout: int = 10, folder: Path | None = None, progress: bool = False) -> DemoResult:
    """Build the demo course in ``folder`` (a new temporary folder by default) and run the pipeline."""
    source = project_root()
    chosen = [m for m in resolve_modules(modules or ["00"], source) if m.graded]
    if not chosen:
        raise CourseError(NO_GRADED_MODULE.format(modules=", ".join(modules or ["00"])))
    folder = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="ethicskit-demo-"))
    scratch_project(folder, [m.slug for m in chosen], source)
    start = datetime.now(timezone.utc).replace(microsecond=0)
    q1_due, q2_due = start.date() + timedelta(days=3), start.date() + timedelta(days=30)
    with demo_environment(folder, datasets_dir(source)):
        import_roster(demo_roster(folder / "hr-export.csv", learners))
        slugs = [m.slug for m in chosen]
        release(slugs, cohort="2026-Q1", due=q1_due.isoformat())
        release(slugs, cohort="2026-Q2", due=q2_due.isoformat())
        people = list_roster()
        kinds = assign_kinds([p["learner_id"] for p in people])
        inbox, late_inbox = folder / "inbox", folder / "inbox-late"
        for n, person in enumerate(people):
            kind = kinds[person["learner_id"]]
            if kind == "none":
                continue
            when = datetime.combine(q1_due + timedelta(days=2), time(9), tzinfo=timezone.utc) if kind == "late" \
                else start + timedelta(hours=1 + n)
            for module in chosen:  # late work arrives late: collect records the time of receipt
                write_zip(inbox if kind != "late" else late_inbox, person["learner_id"], module.slug,
                          simulated_notebooks(module, kind), when)
        hostile_zips(inbox, learner_id=people[0]["learner_id"], module=chosen[0].slug,
                               when=start + timedelta(days=1))
        write_zip(inbox, "ek0000000000", chosen[0].slug, simulated_notebooks(chosen[0], "complete"), start)
        collected = collect(inbox)
        if late_inbox.is_dir():
            late = collect(late_inbox, now=datetime.combine(q1_due + timedelta(days=2), time(10), tzinfo=timezone.utc))
            collected.ingested += late.ingested
            collected.rejected += late.rejected
            collected.skipped += late.skipped
        graded = grade(slugs, workers=workers, timeout=timeout, progress=progress)
        _grade_some_written_answers(load_config(), kinds, slugs)
        report = build_report(today=start.date() + timedelta(days=10))
        outputs = [write_report(report, folder / "completion.csv"),
                   write_report(report, folder / "completion.html", fmt="html")]
    return DemoResult(folder, kinds, collected, graded, report, outputs)
