"""``ethicskit remind``: email learners before a due date and once overdue, and managers a digest.

Who gets what, from the completion matrix (extensions included) on ``today``:

- a learner whose module is released, not submitted and due in at most 7, 3
  or 1 days (``DEFAULT_DAYS``) gets one reminder per threshold crossed, the
  nearest only (a first run 2 days before the due date sends the 3-day one);
- a learner whose module is overdue gets one reminder, once per due date;
- each manager gets a digest of their own team's overdue modules when one of
  them is new since the last digest, listing every overdue module of the team.

Every message is a key in the store's ``reminders`` table
(``learner:ID:MODULE:KIND:DUE``, ``manager:NAME:ID:MODULE:DUE``): a delivered
key is never sent again, and an extension to a new date gets keys of its own.
A failed send is recorded as failed with its reason, reported, and tried again
on the next run; it stops nothing else. Each attempt is a ``reminder`` event.

Messages are the plain-text templates ``templates/email/*.txt.j2`` (first line
``Subject: ...``), which an L&D team can edit. A learner's reminder names the
module, its due date and how to open it; a manager's digest lists names and
statuses of their own team only. Nothing carries a score. ``ETHICSKIT_COURSE_URL``
(optional) is where a learner's reminder tells them to open the course.

A manager's address is, in order: ``--manager-email NAME=ADDRESS``, the
``ETHICSKIT_MANAGER_EMAILS`` variable (``NAME=ADDRESS`` pairs separated by
``;`` or ``,``), or the email of the one active learner in the roster with the
manager's name. A manager with none is reported and skipped (nothing recorded).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from ethicskit.course.delivery.mail import Mailer, SmtpSettings, describe, email_message
from ethicskit.course.errors import CourseError
from ethicskit.course.nbgrader import load_config
from ethicskit.course.records.extensions import parse_day
from ethicskit.course.records.store import append_event, open_store, record_reminder, sent_reminder_keys, utc_now
from ethicskit.course.reporting.report import build_report
from ethicskit.templates import render

DEFAULT_DAYS = (7, 3, 1)
TEMPLATES = {"due": "email/learner_due_soon.txt.j2", "overdue": "email/learner_overdue.txt.j2",
             "digest": "email/manager_digest.txt.j2"}
BAD_DAYS = "reminder days {value!r}: give whole days before the due date, e.g. 7,3,1"
BAD_MANAGER_EMAIL = "manager email {value!r}: give NAME=ADDRESS, e.g. \"Bo Ray=bo.ray@corp.com\""
BAD_TODAY = "--today {until!r} is not a date; use YYYY-MM-DD, e.g. 2026-03-20"
NO_SUBJECT = "template {name} must start with a line \"Subject: ...\""
NO_MANAGER_EMAIL = ("no email address for manager {manager!r} ({count} overdue in their team): pass "
                    "--manager-email \"{manager}=ADDRESS\" or set ETHICSKIT_MANAGER_EMAILS; the digest waits")
NO_LEARNER_EMAIL = "learner {learner_id} ({name}) has no email address in the roster; no reminder for {module}"


@dataclass
class Reminder:
    """One message to send: its recipient, text, and the keys it delivers (a digest has one per listed item)."""

    recipient: str
    subject: str
    body: str
    kind: str  # due-in-N, overdue, manager-digest
    keys: list[tuple[str, str, str, str]]  # (reminder_key, learner_id, module, version)

    @property
    def to(self) -> str:
        return "manager" if self.kind == "manager-digest" else "learner"


@dataclass
class RemindRun:
    planned: list[Reminder] = field(default_factory=list)
    sent: list[Reminder] = field(default_factory=list)
    failed: list[tuple[Reminder, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False


def parse_days(value) -> tuple[int, ...]:
    """Reminder thresholds from ``"7,3,1"`` or a sequence, largest first.

    >>> parse_days("1, 7,3")
    (7, 3, 1)
    """
    parts = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    try:
        days = sorted({int(str(p).strip()) for p in parts if str(p).strip()}, reverse=True)
    except ValueError as exc:
        raise CourseError(BAD_DAYS.format(value=value)) from exc
    if not days or days[-1] < 0:
        raise CourseError(BAD_DAYS.format(value=value))
    return tuple(days)


def parse_manager_emails(pairs) -> dict[str, str]:
    """``NAME=ADDRESS`` pairs (a list, or one string separated by ``;`` or ``,``) as a dict.

    >>> parse_manager_emails("Bo Ray=bo@corp.com; Cy Li = cy@corp.com")
    {'Bo Ray': 'bo@corp.com', 'Cy Li': 'cy@corp.com'}
    """
    items = pairs.replace(";", ",").split(",") if isinstance(pairs, str) else list(pairs or ())
    found = {}
    for item in (i.strip() for i in items):
        if not item:
            continue
        name, sep, address = item.partition("=")
        if not sep or not name.strip() or "@" not in address:
            raise CourseError(BAD_MANAGER_EMAIL.format(value=item))
        found[name.strip()] = address.strip()
    return found


def module_title(slug: str) -> str:
    """A module's name for people: ``03-stereotype-encoding-feature`` -> ``Stereotype encoding feature``.

    >>> module_title("03-stereotype-encoding-feature")
    'Stereotype encoding feature'
    """
    words = slug.split("-", 1)[-1].replace("-", " ")
    return words[:1].upper() + words[1:]


def _render(kind: str, **values) -> tuple[str, str]:
    """(subject, body) of a template whose first line is ``Subject: ...``."""
    text = render(TEMPLATES[kind], **values).lstrip("\n")
    first, _, body = text.partition("\n")
    if not first.startswith("Subject:"):
        raise CourseError(NO_SUBJECT.format(name=TEMPLATES[kind]))
    return first[len("Subject:"):].strip(), body.lstrip("\n")


def _threshold(days_left: int, days: tuple[int, ...]) -> int | None:
    """The nearest reminder threshold a module due in ``days_left`` days has crossed, if any."""
    crossed = [d for d in days if d >= days_left]
    return min(crossed) if crossed and days_left >= 0 else None


def plan_reminders(matrix: pd.DataFrame, *, today: date, days=DEFAULT_DAYS, sent: set[str] = frozenset(),
                   manager_emails: dict[str, str] | None = None,
                   course_url: str = "") -> tuple[list[Reminder], list[str]]:
    """The reminders due on ``today`` not delivered yet (``sent``), and notes on those that cannot go (pure)."""
    reminders, notes = [], []
    if matrix.empty:
        return reminders, notes
    today = pd.Timestamp(today).normalize()
    rows = matrix[matrix["status"].isin(["not started", "overdue"]) & matrix["due"].notna()].copy()
    rows["days_left"] = (pd.to_datetime(rows["due"]) - today).dt.days
    rows["due_text"] = pd.to_datetime(rows["due"]).dt.strftime("%Y-%m-%d")
    rows = rows.sort_values(["module", "team", "name"])
    for row in rows.itertuples(index=False):
        overdue = row.status == "overdue"
        step = None if overdue else _threshold(int(row.days_left), days)
        if not overdue and step is None:
            continue
        kind = "overdue" if overdue else f"due-in-{step}"
        key = f"learner:{row.learner_id}:{row.module}:{kind}:{row.due_text}"
        if key in sent:
            continue
        if not _text(row.email):
            notes.append(NO_LEARNER_EMAIL.format(learner_id=row.learner_id, name=row.name, module=row.module))
            continue
        values = {"name": row.name, "module": row.module, "title": module_title(row.module), "due": row.due_text,
                  "course_url": course_url}
        if overdue:
            subject, body = _render("overdue", **values, days_overdue=-int(row.days_left))
        else:
            subject, body = _render("due", **values, days_left=int(row.days_left))
        reminders.append(Reminder(_text(row.email), subject, body, kind, [(key, row.learner_id, row.module,
                                                                            _text(row.version))]))
    reminders += _digests(rows[rows["status"] == "overdue"], matrix, sent=sent, notes=notes,
                          manager_emails=manager_emails or {})
    return reminders, notes


def _manager_address(manager: str, matrix: pd.DataFrame, manager_emails: dict[str, str]) -> str:
    if manager in manager_emails:
        return manager_emails[manager]
    people = matrix.drop_duplicates("learner_id")
    same = people.loc[people["name"] == manager, "email"]
    return _text(same.iloc[0]) if len(same) == 1 else ""


def _text(value) -> str:
    """A table cell as text: a missing value is ''."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def _digests(overdue: pd.DataFrame, matrix: pd.DataFrame, *, sent: set[str], notes: list[str],
             manager_emails: dict[str, str]) -> list[Reminder]:
    digests = []
    for manager, team in overdue.groupby("manager", sort=True):
        team = team.sort_values(["days_left", "name", "module"])
        keys = [(f"manager:{manager}:{r.learner_id}:{r.module}:{r.due_text}", r.learner_id, r.module, _text(r.version))
                for r in team.itertuples(index=False)]
        new = [k for k in keys if k[0] not in sent]
        if not new:
            continue
        address = _manager_address(manager, matrix, manager_emails)
        if not address:
            notes.append(NO_MANAGER_EMAIL.format(manager=manager, count=len(keys)))
            continue
        fresh = {k[0] for k in new}
        listed = [{"name": r.name, "module": r.module, "title": module_title(r.module), "due": r.due_text,
                   "days_overdue": -int(r.days_left), "new": key[0] in fresh}
                  for r, key in zip(team.itertuples(index=False), keys)]
        subject, body = _render("digest", manager=manager, rows=listed)
        digests.append(Reminder(address, subject, body, "manager-digest", new))
    return digests


def _record(config, reminder: Reminder, error: str) -> None:
    status, when = ("failed" if error else "sent"), utc_now()
    with open_store(config) as db:
        for key, learner_id, module, version in reminder.keys:
            record_reminder(db, key, reminder.recipient, reminder.kind, learner_id, module, status, error, when)
            append_event(db, "reminder", learner_id=learner_id, module=module, version=version, at=when,
                         detail={"key": key, "kind": reminder.kind, "to": reminder.to, "status": status,
                                 **({"error": error} if error else {})})


def remind(*, dry_run: bool = False, today: date | str | None = None, days=None, manager_emails=None,
           root: Path | None = None, env=None) -> RemindRun:
    """Send the reminders due today that were not delivered yet; ``dry_run`` only lists them and records nothing.

    ``days`` defaults to ``ETHICSKIT_REMIND_DAYS`` or 7,3,1; ``manager_emails`` (NAME=ADDRESS pairs) come before
    ``ETHICSKIT_MANAGER_EMAILS``; SMTP settings come from ``ETHICSKIT_SMTP_*`` (:mod:`~ethicskit.course.delivery.mail`).
    """
    env = os.environ if env is None else env
    today = parse_day(today, BAD_TODAY) if isinstance(today, str) else (today or date.today())
    days = parse_days(days if days is not None else env.get("ETHICSKIT_REMIND_DAYS") or DEFAULT_DAYS)
    addresses = {**parse_manager_emails(env.get("ETHICSKIT_MANAGER_EMAILS", "")),
                 **parse_manager_emails(manager_emails)}
    settings = None if dry_run else SmtpSettings.from_env(env)  # refuses before anything is planned or sent
    config = load_config(root)
    report = build_report(config=config, today=today)
    with open_store(config, readonly=True) as db:
        sent = sent_reminder_keys(db)
    run = RemindRun(dry_run=dry_run)
    run.planned, run.notes = plan_reminders(report.matrix, today=today, days=days, sent=sent, manager_emails=addresses,
                                            course_url=(env.get("ETHICSKIT_COURSE_URL") or "").strip())
    if dry_run:
        return run
    with Mailer(settings) as mailer:
        for reminder in run.planned:
            try:
                mailer.send(email_message(settings.sender, reminder.recipient, reminder.subject, reminder.body))
                error = ""
            except (OSError, ValueError, TypeError) as exc:  # smtplib's errors are OSErrors; a bad header, ValueError
                error = describe(exc)
            _record(config, reminder, error)
            (run.failed.append((reminder, error)) if error else run.sent.append(reminder))
    return run
