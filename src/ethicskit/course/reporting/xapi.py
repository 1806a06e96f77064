"""``ethicskit export xapi``: completions as xAPI 1.0.3 statements, sent to the company's learning record store.

From the completion matrix (:func:`~ethicskit.course.reporting.report.build_report`), each graded
learner and module gives two statements:

- passed: ``completed`` and ``passed``; graded and not passed: ``completed`` and ``failed``;
- a module whose written answers await a facilitator sends nothing yet.

A statement says:

- **actor**: the pseudonymous learner id as an ``account`` (``homePage`` from ``ETHICSKIT_XAPI_HOMEPAGE``);
  the roster's email as ``mbox`` only with ``actor="email"`` (``ETHICSKIT_XAPI_ACTOR=email``);
- **object**: the module as an Activity, ``{activity base}/{module}`` (``ETHICSKIT_XAPI_ACTIVITY_BASE``). The id
  is the same for every version of a module, so the LMS sees one course; the version the learner completed is
  ``context.revision`` (xAPI's field for an activity's revision) and the ``MODULE_VERSION`` extension;
- **result**: ``score`` (``scaled`` 0-1, ``raw``, ``min``, ``max``: the core's points), ``success`` (the pass
  rule's outcome) and ``completion: true``; ``timestamp``: when the graded submission was made.

Statement ids are UUID v5 over learner, module, version, attempt and verb. The attempt is the graded
submission's timestamp: every graded submission has one, whether the kit or nbgrader alone graded it, and a
resubmission is a new attempt even if its content did not change. So a statement has the same id, and the
same content, whenever it is built: the store's ``xapi_sent`` table keeps the ids the LRS accepted, and they
are not sent again (an LRS also drops a statement it already holds). Statements go in batches; a batch that
fails (no connection, HTTP 5xx) is retried with backoff, and if it still fails it is reported and left
unrecorded, so the next run sends it. An HTTP 4xx is reported with the LRS's answer. Each batch sent is one
transaction: its ids in ``xapi_sent`` and an ``xapi`` event in the event log.

The LRS's user and password come from ``ETHICSKIT_LRS_USER`` and ``ETHICSKIT_LRS_PASSWORD``, never from a file.
"""

from __future__ import annotations

import base64
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from ethicskit.course.errors import CourseError
from ethicskit.course.nbgrader import load_config
from ethicskit.course.records.store import (
    append_event,
    open_store,
    record_xapi_sent,
    utc_now,
    xapi_sent_ids,
)
from ethicskit.course.reporting.report import build_report

XAPI_VERSION = "1.0.3"
VERBS = {name: f"http://adlnet.gov/expapi/verbs/{name}" for name in ("completed", "passed", "failed")}
ACTIVITY_TYPE = "http://adlnet.gov/expapi/activities/module"
MODULE_VERSION = "https://ethicskit.example/xapi/extensions/module-version"  # context extension: the version
DEFAULT_ACTIVITY_BASE = "https://ethicskit.example/modules"
DEFAULT_HOMEPAGE = "https://ethicskit.example/learners"
STATEMENT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://ethicskit.example/xapi/statements")
DEFAULT_BATCH = 50
ATTEMPTS = 3  # tries per batch on a connection error or an HTTP 5xx
BACKOFF = 0.5  # seconds before the second try, doubled before each next one
TIMEOUT = 30  # seconds to wait for the LRS's answer
ENV = {"activity_base": "ETHICSKIT_XAPI_ACTIVITY_BASE", "homepage": "ETHICSKIT_XAPI_HOMEPAGE",
       "actor": "ETHICSKIT_XAPI_ACTOR", "user": "ETHICSKIT_LRS_USER", "password": "ETHICSKIT_LRS_PASSWORD"}

BAD_LRS_URL = "the LRS address {url!r} is not an http(s) URL; give the LRS's address, e.g. https://lrs.example.com"
CREDENTIALS_IN_URL = ("the LRS address has a user or password in it; put them in ETHICSKIT_LRS_USER and "
                      "ETHICSKIT_LRS_PASSWORD instead, so they stay out of shell history and logs")
HALF_CREDENTIALS = "ETHICSKIT_LRS_USER and ETHICSKIT_LRS_PASSWORD must be set together (only {given} is set)"
BAD_ACTOR = "unknown actor {actor!r}; the actors are: account (the default, the learner id), email"
BAD_BATCH = "the batch size must be at least 1, not {batch}"
NO_EMAIL = "{learner_id}: the roster has no email for this learner; nothing sent for {module}"
PLAIN_HTTP = ("the LRS address {url} is plain http: the LRS password and the completions cross the network "
              "unencrypted; use https outside a test")
UNREACHABLE = "batch {n}: the LRS at {endpoint} did not answer after {attempts} tries ({reason}); {left} left for the next run"
SERVER_ERROR = "batch {n}: the LRS answered HTTP {status} after {attempts} tries: {answer}; left for the next run"
REFUSED = "batch {n}: the LRS refused it, HTTP {status}: {answer}"
UNAUTHORIZED_HINT = " (set ETHICSKIT_LRS_USER and ETHICSKIT_LRS_PASSWORD to the LRS's credentials)"


@dataclass
class Statement:
    """One statement to send, with the fields the store records beside its id."""

    body: dict
    learner_id: str
    module: str
    version: str
    verb: str

    @property
    def id(self) -> str:
        return self.body["id"]


@dataclass
class XapiResult:
    """What one export did: statements sent, already sent, waiting; what failed and why."""

    endpoint: str
    sent: list[Statement] = field(default_factory=list)
    unsent: list[Statement] = field(default_factory=list)  # built but not accepted (failed, or a dry run)
    already_sent: int = 0
    pending: int = 0  # learner/modules awaiting manual grading: nothing sent yet
    failures: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # rows that cannot become statements
    warnings: list[str] = field(default_factory=list)
    batches: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.failures


def statement_id(learner_id: str, module: str, version: str, attempt: str, verb: str) -> str:
    """The statement's id: the same for the same learner, module, version, attempt and verb.

    >>> a = statement_id("ek01", "03-stereotype-encoding-feature", "abc123", "2026-03-01T09:00:00Z", "passed")
    >>> a == statement_id("ek01", "03-stereotype-encoding-feature", "abc123", "2026-03-01T09:00:00Z", "passed")
    True
    >>> a != statement_id("ek01", "03-stereotype-encoding-feature", "abc123", "2026-03-01T09:00:00Z", "completed")
    True
    """
    name = f"{learner_id}\x1f{module}\x1f{version}\x1f{attempt}\x1f{verb}"  # unit separators: no ambiguity
    return str(uuid.uuid5(STATEMENT_NAMESPACE, name))


def _iso(when: pd.Timestamp) -> str:
    return pd.Timestamp(when).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _number(value: float) -> float | int:
    value = float(value)
    return int(value) if value.is_integer() else round(value, 4)


def _actor(row, *, actor: str, homepage: str) -> dict:
    if actor == "email":
        return {"objectType": "Agent", "mbox": f"mailto:{row['email']}"}
    return {"objectType": "Agent", "account": {"homePage": homepage, "name": row["learner_id"]}}


def row_statements(row, *, activity_base: str, homepage: str, actor: str = "account") -> list[Statement]:
    """The statements for one graded row of the completion matrix (passed or not passed)."""
    passed = row["status"] == "passed"
    version = "" if pd.isna(row["version"]) else str(row["version"])
    attempt = _iso(row["submitted_at"])
    result: dict = {"success": bool(passed), "completion": True}
    if float(row["max_score"] or 0) > 0:
        score, top = float(row["score"]), float(row["max_score"])
        result["score"] = {"scaled": round(min(max(score / top, 0.0), 1.0), 4), "raw": _number(score), "min": 0,
                           "max": _number(top)}
    context: dict = {"platform": "ethicskit", "extensions": {MODULE_VERSION: version}}
    if version:
        context["revision"] = version
    out = []
    for verb in ("completed", "passed" if passed else "failed"):
        body = {
            "id": statement_id(row["learner_id"], row["module"], version, attempt, verb),
            "actor": _actor(row, actor=actor, homepage=homepage),
            "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
            "object": {"objectType": "Activity", "id": f"{activity_base.rstrip('/')}/{row['module']}",
                       "definition": {"name": {"en-US": row["module"]}, "type": ACTIVITY_TYPE}},
            "result": result,
            "context": context,
            "timestamp": attempt,
        }
        out.append(Statement(body, row["learner_id"], row["module"], version, verb))
    return out


def matrix_statements(matrix: pd.DataFrame, *, activity_base: str, homepage: str,
                      actor: str = "account") -> tuple[list[Statement], int, list[str]]:
    """Statements for every graded row, the count of rows awaiting manual grading, and rows that cannot be sent."""
    statements: list[Statement] = []
    problems: list[str] = []
    for row in matrix[matrix["status"].isin(["passed", "not passed"])].to_dict("records"):
        if actor == "email" and not str(row.get("email") or "").strip():
            problems.append(NO_EMAIL.format(learner_id=row["learner_id"], module=row["module"]))
            continue
        statements.extend(row_statements(row, activity_base=activity_base, homepage=homepage, actor=actor))
    return statements, int((matrix["status"] == "needs manual grading").sum()), problems


def statements_endpoint(lrs: str) -> str:
    """``{LRS}/xAPI/statements``; an address that already ends in ``/xAPI`` or ``/xAPI/statements`` is kept.

    >>> statements_endpoint("https://lrs.example.com/")
    'https://lrs.example.com/xAPI/statements'
    >>> statements_endpoint("https://lms.example.com/data/xAPI")
    'https://lms.example.com/data/xAPI/statements'
    """
    parts = urllib.parse.urlsplit(lrs.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CourseError(BAD_LRS_URL.format(url=lrs))
    if parts.username or parts.password:
        raise CourseError(CREDENTIALS_IN_URL)
    path = parts.path.rstrip("/")
    if path.lower().endswith("/xapi/statements"):
        pass
    elif path.lower().endswith("/xapi"):
        path += "/statements"
    else:
        path += "/xAPI/statements"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _auth_header(env) -> dict[str, str]:
    user, password = env.get(ENV["user"], ""), env.get(ENV["password"], "")
    if bool(user) != bool(password):
        raise CourseError(HALF_CREDENTIALS.format(given=ENV["user"] if user else ENV["password"]))
    if not user:
        return {}
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")}


def _answer(error: urllib.error.HTTPError) -> str:
    try:
        text = error.read().decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return (text or error.reason or "no answer")[:500]


def post_batch(endpoint: str, bodies: list[dict], headers: dict[str, str], *, attempts: int = ATTEMPTS,
               backoff: float = BACKOFF) -> tuple[str, str]:
    """POST one batch; ("sent", ""), or ("unreachable" | "server" | "refused", what went wrong).

    A connection error or an HTTP 5xx (or 429) is tried ``attempts`` times, waiting ``backoff`` seconds, then
    twice as long, between tries; an HTTP 4xx is not retried.
    """
    data = json.dumps(bodies).encode("utf-8")
    request_headers = {"Content-Type": "application/json", "X-Experience-API-Version": XAPI_VERSION, **headers}
    outcome = ("unreachable", "")
    for attempt in range(attempts):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        request = urllib.request.Request(endpoint, data=data, headers=request_headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                response.read()
            return ("sent", "")
        except urllib.error.HTTPError as error:
            if error.code < 500 and error.code != 429:
                answer = _answer(error) + (UNAUTHORIZED_HINT if error.code in (401, 403) else "")
                return ("refused", f"{error.code}\x1f{answer}")
            outcome = ("server", f"{error.code}\x1f{_answer(error)}")
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            outcome = ("unreachable", str(getattr(error, "reason", error)))
    return outcome


def _record_batch(config, batch: list[Statement], endpoint: str, n: int) -> None:
    """The batch's ids in ``xapi_sent`` and one ``xapi`` event, in one transaction."""
    now = utc_now()
    with open_store(config) as db:
        record_xapi_sent(db, [(s.id, s.learner_id, s.module, s.version, s.verb, now) for s in batch])
        verbs = {verb: sum(s.verb == verb for s in batch) for verb in VERBS if any(s.verb == verb for s in batch)}
        append_event(db, "xapi", detail={"lrs": endpoint, "batch": n, "statements": len(batch), "verbs": verbs,
                                         "ids": [s.id for s in batch]}, at=now)


def send_statements(config, statements: list[Statement], endpoint: str, headers: dict[str, str], result: XapiResult,
                    *, batch: int, attempts: int = ATTEMPTS, backoff: float = BACKOFF) -> None:
    """Send ``statements`` in batches, recording each batch the LRS accepts; failures go to ``result``."""
    chunks = [statements[i:i + batch] for i in range(0, len(statements), batch)]
    for n, chunk in enumerate(chunks, start=1):
        outcome, why = post_batch(endpoint, [s.body for s in chunk], headers, attempts=attempts, backoff=backoff)
        result.batches += 1
        if outcome == "sent":
            _record_batch(config, chunk, endpoint, n)
            result.sent.extend(chunk)
            continue
        if outcome == "unreachable":  # the LRS is down or unreachable: the later batches would fail the same way
            left = [s for c in chunks[n - 1:] for s in c]
            result.unsent.extend(left)
            result.failures.append(UNREACHABLE.format(n=n, endpoint=endpoint, attempts=attempts, reason=why,
                                                      left=f"{len(left)} statement(s)"))
            return
        status, answer = why.split("\x1f", 1)
        result.unsent.extend(chunk)
        template = SERVER_ERROR if outcome == "server" else REFUSED
        result.failures.append(template.format(n=n, status=status, attempts=attempts, answer=answer))


def export_xapi(lrs: str, *, batch: int = DEFAULT_BATCH, dry_run: bool = False,
                actor: Literal["account", "email"] | None = None, activity_base: str | None = None,
                homepage: str | None = None, root: Path | None = None, config=None, today=None,
                env: dict | None = None, attempts: int = ATTEMPTS, backoff: float = BACKOFF) -> XapiResult:
    """Send xAPI statements for the course's completions not sent yet to the LRS at ``lrs``.

    ``actor``, ``activity_base`` and ``homepage`` default to ``ETHICSKIT_XAPI_ACTOR`` (else ``account``),
    ``ETHICSKIT_XAPI_ACTIVITY_BASE`` and ``ETHICSKIT_XAPI_HOMEPAGE``; the LRS's credentials are
    ``ETHICSKIT_LRS_USER`` and ``ETHICSKIT_LRS_PASSWORD`` (``env`` defaults to ``os.environ``). With
    ``dry_run`` nothing is sent or recorded: ``result.unsent`` holds what would be sent.
    """
    env = os.environ if env is None else env
    actor = (actor or env.get(ENV["actor"]) or "account").strip().lower()
    if actor not in ("account", "email"):
        raise CourseError(BAD_ACTOR.format(actor=actor))
    if batch < 1:
        raise CourseError(BAD_BATCH.format(batch=batch))
    endpoint = statements_endpoint(lrs)
    headers = _auth_header(env)
    config = config if config is not None else load_config(root)
    report = build_report(config=config, today=today)
    statements, pending, problems = matrix_statements(
        report.matrix, actor=actor, activity_base=activity_base or env.get(ENV["activity_base"]) or DEFAULT_ACTIVITY_BASE,
        homepage=homepage or env.get(ENV["homepage"]) or DEFAULT_HOMEPAGE)
    with open_store(config, readonly=dry_run) as db:
        done = xapi_sent_ids(db)
    new = [s for s in statements if s.id not in done]
    result = XapiResult(endpoint, already_sent=len(statements) - len(new), pending=pending, problems=problems,
                        dry_run=dry_run)
    host = urllib.parse.urlsplit(endpoint).hostname or ""
    if endpoint.startswith("http:") and host not in ("localhost", "127.0.0.1", "::1"):
        result.warnings.append(PLAIN_HTTP.format(url=endpoint))
    if dry_run:
        result.unsent = new
        return result
    send_statements(config, new, endpoint, headers, result, batch=batch, attempts=attempts, backoff=backoff)
    return result
