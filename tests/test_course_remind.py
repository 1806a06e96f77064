"""``ethicskit remind`` against a real SMTP server (aiosmtpd) started by the test.

The course is a scratch copy with a roster and recorded releases (no grading
needed: reminders go to modules not submitted). Runs are repeated on the same
and later days to check that each mail arrives exactly once.
"""

from __future__ import annotations

import json
import socket
from datetime import date
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from click.testing import CliRunner

from course_helpers import scratch_project

from ethicskit.course.delivery.mail import MISSING_SETTING
from ethicskit.course.errors import CourseError
from ethicskit.course.reporting.remind import BAD_DAYS, BAD_TODAY, parse_days, plan_reminders

MODULE = "00-orientation"
TODAY = date(2026, 3, 20)
ROSTER = """employee_id,name,email,team,manager,cohort,due
E1,Ann Lee,ann@corp.com,Web,Bo Ray,A,
E2,Ben Ko,ben@corp.com,Web,Bo Ray,A,
E3,Cat Du,cat@corp.com,Data,Cy Li,B,
E4,Bo Ray,bo@corp.com,Lead,Di Mo,L,
E5,Dan O'Neil,dan@corp.com,Data,Cy Li,B,
"""


class Inbox:
    """An aiosmtpd handler that keeps what it receives and refuses the addresses in ``refuse``."""

    def __init__(self):
        self.messages = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=default_policy)))
        return "250 Message accepted for delivery"

    def take(self) -> dict[str, list]:
        """What arrived since the last call: recipient -> [message, ...]."""
        got = {}
        for rcpts, msg in self.messages:
            for rcpt in rcpts:
                got.setdefault(rcpt, []).append(msg)
        self.messages = []
        return got


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    env = {"ETHICSKIT_SMTP_HOST": "127.0.0.1", "ETHICSKIT_SMTP_PORT": str(controller.port),
           "ETHICSKIT_SMTP_SECURITY": "none", "ETHICSKIT_SMTP_FROM": "Training <training@corp.com>",
           "ETHICSKIT_MANAGER_EMAILS": "Cy Li=cy@corp.com"}
    yield inbox, env
    controller.stop()


@pytest.fixture
def course(tmp_path, monkeypatch):
    """Module 00 released to cohorts A (due 03-23), B (due 03-15) and L (due 03-10); Ben has submitted."""
    scratch_project(tmp_path / "course", [MODULE], monkeypatch)
    from ethicskit.course import import_roster, list_roster, load_config
    from ethicskit.course.records.store import add_release, open_store, record_submission

    (tmp_path / "hr.csv").write_text(ROSTER)
    import_roster(tmp_path / "hr.csv")
    config = load_config()
    people = {p["employee_id"]: p["learner_id"] for p in list_roster()}
    with open_store(config) as db:
        for cohort, due in (("A", "2026-03-23"), ("B", "2026-03-15"), ("L", "2026-03-10")):
            add_release(db, MODULE, "v1", cohort, due, "2026-03-01T09:00:00.000000Z", "{}")
        record_submission(db, people["E2"], MODULE, "2026-03-05T10:00:00.000000Z", "d", "zip", "2026-03-05T10:00:00Z")
    return {"config": config, "people": people}


def _rows(config):
    from ethicskit.course.records.store import events, open_store, reminder_rows

    with open_store(config, readonly=True) as db:
        return {r["reminder_key"]: dict(r) for r in reminder_rows(db)}, [e for e in events(db) if e["kind"] == "reminder"]


def test_the_right_people_get_the_right_mail_exactly_once_and_a_refused_one_is_retried(course, smtp):
    from ethicskit.course import ManagerDashboard, build_report, remind

    inbox, env = smtp
    inbox.refuse = {"cat@corp.com"}
    run = remind(today=TODAY, env=env)
    got = inbox.take()
    assert sorted(got) == ["ann@corp.com", "bo@corp.com", "cy@corp.com", "dan@corp.com"]
    assert all(len(m) == 1 for m in got.values())
    assert [(r.recipient, e) for r, e in run.failed] == [("cat@corp.com", run.failed[0][1])]
    assert "550" in run.failed[0][1] and "cat@corp.com" in run.failed[0][1]
    assert any("Di Mo" in note for note in run.notes), "Bo Ray is overdue; his manager has no address"

    [ann] = got["ann@corp.com"]
    assert ann["Subject"] == 'Reminder: your training "Orientation" is due on 2026-03-23'
    assert ann["From"] == "Training <training@corp.com>"
    text = ann.get_content()
    assert "Ann Lee" in text and "2026-03-23" in text and "in 3 days" in text
    assert "exercises/00-orientation/00-orientation.ipynb" in text, "how to open it"
    assert "Dan O'Neil" in got["dan@corp.com"][0].get_content(), "plain text: no HTML escaping"
    assert got["dan@corp.com"][0]["Subject"].startswith("Overdue:")
    [digest] = got["cy@corp.com"]
    body = digest.get_content()
    assert "Cat Du" in body and "Dan O'Neil" in body and "overdue" in body
    assert not any(name in body for name in ("Ann Lee", "Ben Ko", "Bo Ray")), "their own team only"
    for msgs in got.values():
        assert not any(word in msgs[0].get_content().lower() for word in ("score", "%", "points"))

    rows, log = _rows(course["config"])
    cat = course["people"]["E3"]
    assert rows[f"learner:{cat}:{MODULE}:overdue:2026-03-15"]["status"] == "failed"
    assert "550" in rows[f"learner:{cat}:{MODULE}:overdue:2026-03-15"]["last_error"]
    assert len(log) == 6 and sum(json.loads(e["detail"])["status"] == "failed" for e in log) == 1
    reminders = ManagerDashboard(build_report(today=TODAY)).reminders.value
    assert "failed" in reminders and "mailbox unavailable" in reminders

    inbox.refuse = set()
    again = remind(today=TODAY, env=env)
    assert sorted(inbox.take()) == ["cat@corp.com"] and not again.failed, "only the failed one is sent again"
    rows, _ = _rows(course["config"])
    assert rows[f"learner:{cat}:{MODULE}:overdue:2026-03-15"]["attempts"] == 2
    assert remind(today=TODAY, env=env).planned == [] and inbox.take() == {}, "nothing twice"
    assert "failed" not in ManagerDashboard(build_report(today=TODAY)).reminders.value

    remind(today=date(2026, 3, 22), env=env)
    assert {r: len(m) for r, m in inbox.take().items()} == {"ann@corp.com": 1}, "the 1-day reminder"
    remind(today=date(2026, 3, 24), env=env)
    got = inbox.take()
    assert sorted(got) == ["ann@corp.com", "bo@corp.com"], "Ann is overdue; Bo Ray's address is his own in the roster"
    assert got["ann@corp.com"][0]["Subject"].startswith("Overdue:")
    assert "Ann Lee" in got["bo@corp.com"][0].get_content()
    assert remind(today=date(2026, 3, 25), env=env).planned == []


def test_an_extension_gets_reminders_of_its_own_and_silences_the_old_date(course, smtp):
    from ethicskit.course import extend, remind

    inbox, env = smtp
    extend("E1", "00", until="2026-04-10", reason="on leave")
    remind(today=date(2026, 3, 22), env=env)
    assert "ann@corp.com" not in inbox.take(), "not due soon any more"
    assert remind(today=date(2026, 3, 24), env=env).planned == [], "not overdue either"
    remind(today=date(2026, 4, 3), env=env)
    [msg] = inbox.take()["ann@corp.com"]
    assert "2026-04-10" in msg["Subject"] and "in 7 days" in msg.get_content()
    rows, _ = _rows(course["config"])
    assert f"learner:{course['people']['E1']}:{MODULE}:due-in-7:2026-04-10" in rows


def test_dry_run_prints_what_would_be_sent_and_sends_and_records_nothing(course, smtp, monkeypatch):
    from ethicskit.cli import main
    from ethicskit.course import remind

    inbox, env = smtp
    run = remind(dry_run=True, today=TODAY, env={"ETHICSKIT_COURSE_URL": "https://hub.corp.com"})  # no SMTP settings
    assert "Go to https://hub.corp.com and sign in." in run.planned[0].body
    assert sorted(r.recipient for r in run.planned) == ["ann@corp.com", "bo@corp.com", "cat@corp.com",
                                                        "dan@corp.com"], "Cy Li has no address without the setting"
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    out = CliRunner().invoke(main, ["remind", "--dry-run", "--today", "2026-03-20"])
    assert out.exit_code == 0, out.output
    assert 'would send to ann@corp.com: Reminder: your training "Orientation" is due on 2026-03-23' in out.output
    assert "would send to cy@corp.com" in out.output and "5 to send" in out.output
    assert inbox.take() == {} and _rows(course["config"]) == ({}, [])


def test_cli_sends_reports_a_failure_and_exits_non_zero(course, smtp, monkeypatch):
    from ethicskit.cli import main

    inbox, env = smtp
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    inbox.refuse = {"dan@corp.com"}
    out = CliRunner().invoke(main, ["remind", "--today", "2026-03-20", "--manager-email", "Di Mo=di@corp.com"])
    assert out.exit_code == 1
    assert "FAILED to dan@corp.com" in out.output and "5 sent, 1 failed" in out.output
    assert "di@corp.com" in inbox.take()


def test_an_unreachable_server_fails_every_message_which_waits_for_the_next_run(course, smtp):
    from ethicskit.course import remind

    inbox, env = smtp
    down = remind(today=TODAY, env={**env, "ETHICSKIT_SMTP_PORT": str(_free_port())})
    assert len(down.failed) == 5 and not down.sent
    assert all("could not connect" in error for _, error in down.failed)
    up = remind(today=TODAY, env=env)
    assert len(up.sent) == 5 and len(inbox.take()) == 5


def test_settings_and_options_are_checked_before_anything_is_sent(course):
    from ethicskit.course import remind

    with pytest.raises(CourseError, match="ETHICSKIT_SMTP_HOST"):
        remind(today=TODAY, env={})
    assert MISSING_SETTING.format(name="ETHICSKIT_SMTP_FROM") in _error(remind, today=TODAY,
                                                                        env={"ETHICSKIT_SMTP_HOST": "x"})
    with pytest.raises(CourseError) as caught:
        parse_days("seven")
    assert str(caught.value) == BAD_DAYS.format(value="seven")
    assert parse_days([1, 3]) == (3, 1)
    assert _error(remind, dry_run=True, today="tomorrow") == BAD_TODAY.format(until="tomorrow")


def _error(func, **kwargs) -> str:
    with pytest.raises(CourseError) as caught:
        func(**kwargs)
    return str(caught.value)


def test_only_the_nearest_threshold_is_sent_and_submitted_work_gets_nothing(course):
    from ethicskit.course import build_report

    matrix = build_report(today=date(2026, 3, 21)).matrix
    planned, _ = plan_reminders(matrix, today=date(2026, 3, 21), sent=set())
    kinds = {r.recipient: r.kind for r in planned}
    assert kinds["ann@corp.com"] == "due-in-3", "2 days left: the 3-day reminder, not the 7-day one as well"
    assert "ben@corp.com" not in kinds, "Ben has submitted"
    early, _ = plan_reminders(build_report(today=date(2026, 3, 1)).matrix, today=date(2026, 3, 1))
    assert "ann@corp.com" not in {r.recipient for r in early}, "more than 7 days left"
