"""``ethicskit export xapi`` against a real learning record store: ralph-malph, started by the test.

Ralph runs from its own virtual environment (``scripts/test-tools`` makes ``.venv/ralph``). The course is a
synthetic nbgrader gradebook with known scores (``synthetic_course``): 6 learners x 2 modules, of which 3
passed, 4 did not pass and 5 wait for a facilitator's manual grading.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest
from click.testing import CliRunner
from tools import need, ralph_path

from ethicskit.cli import main
from ethicskit.course.nbgrader import load_config
from ethicskit.course.records.store import (
    events,
    open_store,
    store_path,
    xapi_sent_rows,
)
from ethicskit.course.reporting.report import build_report
from ethicskit.course.reporting.xapi import (
    CREDENTIALS_IN_URL,
    DEFAULT_ACTIVITY_BASE,
    HALF_CREDENTIALS,
    MODULE_VERSION,
    VERBS,
    export_xapi,
    matrix_statements,
    statement_id,
    statements_endpoint,
)
from ethicskit.errors import EthicskitError

USER, PASSWORD = "ethicskit", "lrs-test-password"
CREDENTIALS = {"ETHICSKIT_LRS_USER": USER, "ETHICSKIT_LRS_PASSWORD": PASSWORD}
XAPI_HEADERS = {"X-Experience-API-Version": "1.0.3",
                "Authorization": "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()}
# ralph 5.1.0's filesystem LRS creates its statements file on the first POST and refuses every later one
# ("already exists and overwrite is not allowed"): this launcher makes it append, and serves ralph's own app.
LAUNCHER = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.data.fs import FSDataBackend
FSDataBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Ralph:
    """One ralph LRS process on 127.0.0.1, with its statements in ``folder``."""

    def __init__(self, folder: Path, auth_file: Path, port: int | None = None):
        self.folder, self.auth_file, self.port = folder, auth_file, port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> Ralph:
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "RALPH_AUTH_FILE": str(self.auth_file), "RALPH_RUNSERVER_BACKEND": "fs",
               "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.folder / "data")}
        log = (self.folder / "ralph.log").open("ab")
        self.process = subprocess.Popen([str(ralph_path().parent / "python"), "-c", LAUNCHER, str(self.port)],
                                        cwd=self.folder, env=env, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"ralph stopped: {(self.folder / 'ralph.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/__heartbeat__", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        pytest.fail("ralph did not answer within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)

    def statements(self) -> list[dict]:
        """Every statement the LRS stores, page by page (``more``)."""
        found, path = [], "/xAPI/statements?limit=5"
        while path:
            request = urllib.request.Request(self.url + path, headers=XAPI_HEADERS)
            with urllib.request.urlopen(request, timeout=30) as response:
                page = json.load(response)
            found.extend(page["statements"])
            path = page.get("more") if page["statements"] else None
        return found


@pytest.fixture(scope="module")
def auth_file(tmp_path_factory) -> Path:
    """Ralph's credentials file for the kit's user, written by ``ralph auth``."""
    need("ralph")
    path = tmp_path_factory.mktemp("ralph-auth") / "auth.json"
    subprocess.run([str(ralph_path()), "auth", "--username", USER, "--password", PASSWORD, "--scope",
                    "statements/write", "--scope", "statements/read", "--agent-ifi-mbox", "mailto:kit@example.com",
                    "--write-to-disk"], env={**os.environ, "RALPH_AUTH_FILE": str(path),
                                             "RALPH_RUNSERVER_BACKEND": "fs"},
                   check=True, capture_output=True, timeout=120)
    return path


@pytest.fixture(scope="module")
def lrs(tmp_path_factory, auth_file):
    server = Ralph(tmp_path_factory.mktemp("lrs"), auth_file).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory) -> Path:
    from synthetic_course import synthetic_config, synthetic_course

    folder = tmp_path_factory.mktemp("course-template")
    synthetic_course(synthetic_config(folder), learners=6, modules=2, seed=3, everyone_submits=True)
    return folder


@pytest.fixture
def course(graded_course, tmp_path, monkeypatch):
    """A copy of the graded course, with its nbgrader_config.py, as the project (ETHICSKIT_ROOT)."""
    folder = tmp_path / "course"
    shutil.copytree(graded_course, folder)
    lines = [f"c.CourseDirectory.{name} = {str(folder / sub)!r}" for name, sub in (
        ("root", ""), ("submitted_directory", "submitted"), ("autograded_directory", "autograded"),
        ("feedback_directory", "feedback"))]
    (folder / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n" + "\n".join(lines) + f"\nc.CourseDirectory.db_url = "
        f"{'sqlite:///' + str(folder / 'gradebook.db')!r}\n", encoding="utf-8")
    monkeypatch.setenv("ETHICSKIT_ROOT", str(folder))
    for name in ("ETHICSKIT_XAPI_ACTOR", "ETHICSKIT_XAPI_ACTIVITY_BASE", "ETHICSKIT_XAPI_HOMEPAGE",
                 "ETHICSKIT_LRS_USER", "ETHICSKIT_LRS_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return folder


def _graded_rows(folder: Path) -> pd.DataFrame:
    matrix = build_report(config=load_config(folder)).matrix
    assert set(matrix["status"]) >= {"passed", "not passed", "needs manual grading"}, "the course must have all three"
    return matrix


def _sent_and_events(folder: Path) -> tuple[list, list]:
    with open_store(load_config(folder), readonly=True) as db:
        return xapi_sent_rows(db), [e for e in events(db) if e["kind"] == "xapi"]


def test_statements_reach_a_real_lrs_once_however_often_the_export_runs(lrs, course, monkeypatch):
    matrix = _graded_rows(course)
    graded = matrix[matrix["status"].isin(["passed", "not passed"])]
    backup = course / "roster-before.db"
    shutil.copy(store_path(load_config(course)), backup)
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()

    first = runner.invoke(main, ["export", "xapi", "--lrs", lrs.url, "--batch", "5"])
    assert first.exit_code == 0, first.output
    stored = lrs.statements()
    assert len(stored) == 2 * len(graded) == 14
    sent, logged = _sent_and_events(course)
    assert len(sent) == 14 and {s["statement_id"] for s in sent} == {s["id"] for s in stored}
    assert [json.loads(e["detail"])["statements"] for e in logged] == [5, 5, 4]  # one event per batch

    by_pair = {}
    for s in stored:
        by_pair.setdefault((s["actor"]["account"]["name"], s["object"]["id"].rsplit("/", 1)[1]), []).append(s)
    for row in matrix.to_dict("records"):
        got = by_pair.get((row["learner_id"], row["module"]), [])
        if row["status"] == "needs manual grading":
            assert got == [], "a module waiting for manual grading sends nothing yet"
            continue
        verbs = {s["verb"]["id"] for s in got}
        assert verbs == {VERBS["completed"], VERBS["passed" if row["status"] == "passed" else "failed"]}
        for s in got:
            assert "mbox" not in s["actor"] and s["actor"]["account"]["homePage"]
            assert s["object"]["id"] == f"{DEFAULT_ACTIVITY_BASE}/{row['module']}"
            assert s["context"]["revision"] == row["version"] == s["context"]["extensions"][MODULE_VERSION]
            assert s["result"]["success"] is (row["status"] == "passed") and s["result"]["completion"] is True
            score = s["result"]["score"]
            assert (score["raw"], score["max"]) == (row["score"], row["max_score"])
            assert score["scaled"] == pytest.approx(row["percent"], abs=1e-4)

    again = runner.invoke(main, ["export", "xapi", "--lrs", lrs.url, "--batch", "5"])
    assert again.exit_code == 0, again.output
    assert "sent 0 statement(s)" in again.output and "14 sent before" in again.output
    assert len(lrs.statements()) == 14

    # The store's record is lost (an older backup is restored): everything is sent again, and the LRS, which
    # gets the same ids with the same content, still holds each statement once.
    shutil.copy(backup, store_path(load_config(course)))
    resent = runner.invoke(main, ["export", "xapi", "--lrs", lrs.url])
    assert resent.exit_code == 0, resent.output
    assert "sent 14 statement(s)" in resent.output
    assert len(lrs.statements()) == 14


def test_a_stopped_lrs_is_reported_and_the_next_run_sends_everything(course, auth_file, tmp_path):
    config = load_config(course)
    server = Ralph(tmp_path / "lrs", auth_file)  # not started yet: nothing answers at its address
    env = {**CREDENTIALS, "ETHICSKIT_XAPI_ACTOR": "email"}  # this company sends the roster's email

    down = export_xapi(server.url, config=config, env=env, batch=4, backoff=0.01)
    assert not down.ok and len(down.failures) == 1 and "did not answer after 3 tries" in down.failures[0]
    assert down.sent == [] and len(down.unsent) == 14 and down.batches == 1
    assert _sent_and_events(course) == ([], [])

    server.start()
    try:
        up = export_xapi(server.url, config=config, env=env, batch=4, backoff=0.01)
        assert up.ok and len(up.sent) == 14 and up.already_sent == 0 and up.pending == 5
        stored = server.statements()
    finally:
        server.stop()
    assert len(stored) == 14 and {s["id"] for s in stored} == {s.id for s in down.unsent}
    emails = set(build_report(config=config).matrix["email"])
    assert all("account" not in s["actor"] and s["actor"]["mbox"][len("mailto:"):] in emails for s in stored)
    sent, logged = _sent_and_events(course)
    assert len(sent) == 14 and len(logged) == 4


def test_a_refusal_names_the_lrs_answer_and_records_nothing(lrs, course):
    result = export_xapi(lrs.url, config=load_config(course),
                         env={"ETHICSKIT_LRS_USER": USER, "ETHICSKIT_LRS_PASSWORD": "wrong"}, batch=10)
    assert not result.ok and len(result.failures) == 2 and result.sent == []
    assert all("HTTP 401" in f and "ETHICSKIT_LRS_PASSWORD" in f for f in result.failures)
    assert "credentials" in result.failures[0].lower()  # ralph's own answer is quoted
    assert _sent_and_events(course) == ([], [])


class _Flaky(BaseHTTPRequestHandler):
    """Answers HTTP 503 to the first two POSTs, then 200; remembers the requests' headers and bodies."""

    seen: ClassVar[list] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).seen.append((self.path, self.headers, json.loads(body)))  # headers: case-insensitive
        status = 503 if len(type(self).seen) <= 2 else 200
        self.send_response(status)
        self.end_headers()
        self.wfile.write(b"[]" if status == 200 else b"busy")

    def log_message(self, *args):
        pass


def test_a_failing_batch_is_retried_with_the_xapi_version_header(course):
    _Flaky.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/lrs/xAPI/"
        result = export_xapi(url, config=load_config(course), env=CREDENTIALS, batch=20, backoff=0.01)
    finally:
        server.shutdown()
        server.server_close()
    assert result.ok and len(result.sent) == 14
    assert len(_Flaky.seen) == 3 and all(path == "/lrs/xAPI/statements" for path, _, _ in _Flaky.seen)
    headers = _Flaky.seen[-1][1]
    assert headers["X-Experience-API-Version"] == "1.0.3" and headers["Authorization"] == XAPI_HEADERS["Authorization"]
    assert len(_Flaky.seen[-1][2]) == 14


def test_dry_run_prints_the_statements_and_sends_or_records_nothing(course, monkeypatch):
    monkeypatch.setenv("ETHICSKIT_XAPI_ACTIVITY_BASE", "https://lms.example.com/ethics")
    result = CliRunner().invoke(main, ["export", "xapi", "--lrs", f"http://127.0.0.1:{_free_port()}", "--dry-run",
                                       "--actor", "email"])
    assert result.exit_code == 0, result.output
    printed = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert len(printed) == 14 and "would send 14 statement(s)" in result.output
    assert all(s["actor"]["mbox"].startswith("mailto:person") for s in printed)
    assert all(s["object"]["id"].startswith("https://lms.example.com/ethics/0") for s in printed)
    assert _sent_and_events(course) == ([], [])


def test_ids_are_deterministic_and_rows_without_what_they_need_are_named():
    matrix = pd.DataFrame([
        {"learner_id": "l1", "module": "03-x", "version": "abc", "status": "passed", "score": 8.0, "max_score": 10.0,
         "email": "a@x.org", "submitted_at": pd.Timestamp("2026-03-01T09:00:00", tz="UTC")},
        {"learner_id": "l2", "module": "03-x", "version": "abc", "status": "not passed", "score": 9.0,
         "max_score": 10.0, "email": "", "submitted_at": pd.Timestamp("2026-03-02T09:00:00", tz="UTC")},
        {"learner_id": "l3", "module": "03-x", "version": "abc", "status": "needs manual grading", "score": 5.0,
         "max_score": 10.0, "email": "c@x.org", "submitted_at": pd.Timestamp("2026-03-02T09:00:00", tz="UTC")},
    ])
    args = {"activity_base": "https://lms.example.com/m/", "homepage": "https://sso.example.com"}
    statements, pending, problems = matrix_statements(matrix, **args)
    assert pending == 1 and problems == [] and [s.verb for s in statements] == ["completed", "passed", "completed",
                                                                                 "failed"]
    assert statements[1].id == statement_id("l1", "03-x", "abc", "2026-03-01T09:00:00.000000Z", "passed")
    assert [s.id for s in matrix_statements(matrix, **args)[0]] == [s.id for s in statements]
    assert statements[0].body["object"]["id"] == "https://lms.example.com/m/03-x"
    assert statements[2].body["result"]["success"] is False and statements[2].body["result"]["score"]["scaled"] == 0.9
    by_email, _, problems = matrix_statements(matrix, actor="email", **args)
    assert [s.learner_id for s in by_email] == ["l1", "l1"] and len(problems) == 1 and "l2" in problems[0]


def test_the_lrs_address_and_credentials_are_checked_before_anything_is_sent():
    assert statements_endpoint("https://lrs.example.com/xapi/statements/") == "https://lrs.example.com/xapi/statements"
    with pytest.raises(EthicskitError, match="ETHICSKIT_LRS_USER") as caught:
        statements_endpoint("https://kit:secret@lrs.example.com")
    assert str(caught.value) == CREDENTIALS_IN_URL
    with pytest.raises(EthicskitError, match="not an http"):
        statements_endpoint("lrs.example.com")
    with pytest.raises(EthicskitError) as caught:
        export_xapi("https://lrs.example.com", env={"ETHICSKIT_LRS_USER": "kit"})
    assert str(caught.value) == HALF_CREDENTIALS.format(given="ETHICSKIT_LRS_USER")
