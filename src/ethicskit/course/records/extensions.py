"""``ethicskit extend``: a learner's own due date for one module.

An extension replaces the due date of one learner's module: the release's
due date (or the roster's, for a release without one) becomes the extension's
date. One extension per learner and module; a new one replaces the old, and
each is an ``extension`` event in the store's log. Status, the overdue list,
reminders, the report and the dashboard read it (``completion_matrix``), and
so does nbgrader's late-submission handling (:func:`sync_nbgrader_due_dates`).

nbgrader keeps one due date per assignment (``Assignment.duedate``) and a
per-submission ``SubmittedAssignment.extension`` added to it. The kit's due
dates are per cohort and per learner, so :func:`sync_nbgrader_due_dates`
writes the module's earliest due date as the assignment's, and each
learner's own date as their submission's extension from it. A learner with
no due date at all (a self-paced release) gets ``SELF_PACED``, so nbgrader
never counts them late. A due date is a whole day: work is on time until
the end of that day (UTC), as the report counts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from ethicskit.course.errors import CourseError
from ethicskit.course.modules import resolve_modules
from ethicskit.course.nbgrader import gradebook, load_config
from ethicskit.course.records.store import (
    append_event,
    extension_rows,
    grading_digests,
    learner_by_id,
    learners,
    open_store,
    record_extension,
    release_rows,
    utc_now,
)

# Error texts: tests import the same constants.
UNKNOWN_LEARNER = "no learner {learner!r} in the roster: give a learner id or an employee id (`ethicskit roster list`)"
INACTIVE_LEARNER = "learner {learner!r} has left the roster (inactive); import them again before extending"
NOT_RELEASED = ("module {module} is not released to {learner} (cohort {cohort!r}); release it first "
                "(`ethicskit release {number}`)")
BAD_UNTIL = "--until {until!r} is not a date; use YYYY-MM-DD, e.g. 2026-04-30"
NO_REASON = "give a reason for the extension (--reason), e.g. --reason \"on leave until April\""
SELF_PACED = timedelta(days=3650)  # nbgrader's extension for a learner whose module has no due date
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Extension:
    learner_id: str
    employee_id: str
    name: str
    module: str
    until: str
    reason: str
    due_before: str | None  # the due date it replaces (None: there was none)
    granted_at: str


def parse_day(text: str, message: str = BAD_UNTIL) -> date:
    """A YYYY-MM-DD date, or a ``CourseError`` naming the text.

    >>> parse_day("2026-04-30")
    datetime.date(2026, 4, 30)
    """
    value = str(text).strip()
    try:
        if not _ISO_DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CourseError(message.format(until=text)) from exc


def _applicable_release(rows, module: str, cohort: str):
    """The latest release of ``module`` reaching ``cohort`` (its own or everyone's), as the report chooses it."""
    found = [r for r in rows if r["module"] == module and r["cohort"] in ("", cohort)]
    return found[-1] if found else None


def original_due(release, learner) -> str | None:
    """The learner's due date before any extension: the release's, or the roster's when the release has none."""
    if release is None:
        return None
    return release["due"] or learner["due"] or None


def extend(learner: str, module: str, *, until: str, reason: str, root: Path | None = None) -> Extension:
    """Give ``learner`` (learner id or employee id) until ``until`` for ``module``; a new one replaces the old.

    Raises ``CourseError`` naming what is wrong: an unknown or inactive learner, an unknown module or one not
    released to the learner, a date that is not YYYY-MM-DD, an empty reason.
    """
    day = parse_day(until).isoformat()
    reason = (reason or "").strip()
    if not reason:
        raise CourseError(NO_REASON)
    [chosen] = resolve_modules([module], root)[:1]
    config = load_config(root)
    with open_store(config) as db:
        person = learner_by_id(db, str(learner).strip())
        if person is None:
            raise CourseError(UNKNOWN_LEARNER.format(learner=learner))
        if not person["active"]:
            raise CourseError(INACTIVE_LEARNER.format(learner=learner))
        release = _applicable_release(release_rows(db), chosen.slug, person["cohort"])
        if release is None:
            raise CourseError(NOT_RELEASED.format(module=chosen.slug, learner=person["learner_id"],
                                                  cohort=person["cohort"], number=chosen.number))
        previous = {(r["learner_id"], r["module"]): r["until"] for r in extension_rows(db)}.get(
            (person["learner_id"], chosen.slug))
        granted_at = utc_now()
        record_extension(db, person["learner_id"], chosen.slug, day, reason, granted_at)
        append_event(db, "extension", learner_id=person["learner_id"], module=chosen.slug, version=release["version"],
                     detail={"until": day, "reason": reason, "replaces": previous or "",
                             "due_before": original_due(release, person) or ""}, at=granted_at)
        graded = (person["learner_id"], chosen.slug) in grading_digests(db)
    if graded:  # nbgrader has the submission already: let it see the new date now, not at the next grading
        sync_nbgrader_due_dates(config, [chosen.slug])
    return Extension(person["learner_id"], person["employee_id"], person["name"], chosen.slug, day, reason,
                     original_due(release, person), granted_at)


def due_dates(db, module: str) -> dict[str, tuple[str | None, str | None]]:
    """(original due, due with the extension) of each learner the module is released to, by learner id."""
    rows = release_rows(db)
    extended = {r["learner_id"]: r["until"] for r in extension_rows(db) if r["module"] == module}
    found = {}
    for person in learners(db):
        release = _applicable_release(rows, module, person["cohort"])
        if release is not None:
            before = original_due(release, person)
            found[person["learner_id"]] = (before, extended.get(person["learner_id"], before))
    return found


def _end_of(day: str) -> datetime:
    """The end of a due day, as nbgrader keeps times (naive UTC): on time until midnight after it."""
    return datetime.combine(date.fromisoformat(day) + timedelta(days=1), time(0))


def nbgrader_dates(dues: dict[str, tuple[str | None, str | None]]) -> tuple[datetime | None, dict]:
    """nbgrader's assignment due date and each learner's extension from it, for the kit's due dates (pure).

    >>> base, ext = nbgrader_dates({"a": ("2026-03-10", "2026-03-10"), "b": ("2026-03-10", "2026-03-20"),
    ...                             "c": (None, None)})
    >>> base.isoformat(), ext["a"], ext["b"].days, ext["c"] == SELF_PACED
    ('2026-03-11T00:00:00', None, 10, True)
    """
    originals = [before for before, _ in dues.values() if before] or [after for _, after in dues.values() if after]
    if not originals:
        return None, {learner_id: None for learner_id in dues}
    base = _end_of(min(originals))
    return base, {learner_id: ((_end_of(after) - base) or None) if after else SELF_PACED
                  for learner_id, (_, after) in dues.items()}


def sync_nbgrader_due_dates(config, modules, *, create_for=()) -> None:
    """Write the kit's due dates and extensions into nbgrader's gradebook for ``modules``.

    Every submission row nbgrader has for those modules gets its learner's extension; ``create_for``
    ((learner_id, module) pairs about to be graded) get a submission row first, so autograde computes
    lateness against the learner's own date. Holds no gradebook connection afterwards (grading forks next).
    """
    from nbgrader.api import InvalidEntry, MissingEntry

    with open_store(config, readonly=True) as db:
        plans = {module: nbgrader_dates(due_dates(db, module)) for module in sorted(set(modules))}
    wanted = {(learner_id, module) for learner_id, module in create_for}
    with gradebook(config) as gb:
        for module, (base, extensions) in plans.items():
            try:
                assignment = gb.find_assignment(module)
            except MissingEntry:
                continue
            assignment.duedate = base
            for learner_id in sorted(lid for lid, m in wanted if m == module):
                try:
                    gb.update_or_create_submission(module, learner_id)
                except (MissingEntry, InvalidEntry):
                    continue  # a learner nbgrader does not know: autograde reports it itself
            for submission in assignment.submissions:
                submission.extension = extensions.get(submission.student_id) if base else None
            gb.db.commit()
