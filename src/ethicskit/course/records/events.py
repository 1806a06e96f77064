"""``ethicskit verify``: check the store's event log and resolve certificate codes.

Every release, submission, grading (and grading failure), manual grade,
extension, reminder and certificate is an event in the store's ``events``
table (:func:`~ethicskit.course.records.store.append_event`, in the same
transaction as the record it logs). Each event's hash covers its fields and
the hash of the one before it, so :func:`verify_chain` can name the first
event that was edited, inserted, deleted or moved.

What the chain cannot show on its own: someone who rewrites every event from
the edit onward, or cuts the tail off, leaves a chain that checks. So a
manager keeps the head (the last event's seq and hash, which ``verify``
prints) outside the store; ``verify --head SEQ:HASH`` checks the chain still
holds it.

A certificate carries a verification code: the first 12 characters of the
base32 of its certificate event's hash, in groups of four
(:func:`certificate_code`). ``verify CODE`` resolves it to the learner,
modules, versions and dates on record.

Manual grades are given in nbgrader's formgrader, outside the kit, so they
are logged when the kit next sees them: ``ethicskit feedback`` and
``ethicskit verify --sync`` append a ``manual_grade`` event for each new or
changed manual score (:func:`record_manual_grades`). The event's time is when
the kit saw the score, not when the facilitator gave it.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ethicskit.course.errors import CourseError
from ethicskit.course.nbgrader import GRADE_JOINS, GRADE_MAX_SCORE, load_config, readonly_url
from ethicskit.course.records.store import (
    GENESIS,
    append_event,
    event_hash,
    events,
    events_of_kind,
    grading_digests,
    learner_cohorts,
    learners,
    open_store,
    release_rows,
)

# Findings and messages: tests import the same constants.
EDITED = "event {seq} ({what}) was edited: its hash does not match its content"
MISSING = "event {seq} is missing: the chain jumps from {before} to {after}"
MISSING_RANGE = "events {seq} to {last} are missing: the chain jumps from {before} to {after}"
MISSING_START = "event 1 is missing: the chain starts at event {after}"
NOT_FOLLOWING = ("event {seq} ({what}) does not follow event {before}: an event was inserted or removed here, "
                 "or events were reordered or re-hashed")
HEAD_MISSING = ("the log no longer holds the head you kept ({head}): events from there on were cut off or "
                "rewritten; the log now ends at {now}")
BAD_HEAD = "--head must be SEQ:HASH as `ethicskit verify` prints it (or the hash alone), not {head!r}"
BAD_CODE = "a verification code is 12 letters and digits 2-7, e.g. ABCD-EFGH-JKLM; got {code!r}"
UNKNOWN_CODE = ("no certificate with code {code} is in this course's records: it was not issued here, "
                "or it was mistyped")
CODE_LENGTH = 12
MANUAL_SCORES_SQL = f"""
SELECT sa.student_id AS learner_id, a.name AS module, n.name AS notebook, bc.name AS grade_id,
       g.manual_score AS score, g.extra_credit AS extra_credit, {GRADE_MAX_SCORE} AS max_score
{GRADE_JOINS}
WHERE g.manual_score IS NOT NULL
"""


@dataclass(frozen=True)
class Finding:
    """The first place the chain breaks: the event's seq, what is wrong, and a sentence saying so."""

    seq: int
    problem: Literal["edited", "missing", "out of order", "head missing"]
    message: str


@dataclass
class Verification:
    """What ``ethicskit verify`` found: events checked, the head, the first break, a resolved certificate."""

    checked: int
    head: str  # "SEQ:HASH" of the last event; "" for an empty log
    finding: Finding | None
    code: str = ""
    certificate: dict | None = None  # the certificate event, with "name" from the roster, if a code was given
    manual_grades_logged: int = 0
    events: list = field(default_factory=list, repr=False)

    @property
    def intact(self) -> bool:
        return self.finding is None


def describe(event: dict) -> str:
    """An event in a few words: its kind, learner and module (``grade ek01 03-proxies``)."""
    return " ".join(p for p in (event["kind"], event["learner_id"], event["module"]) if p)


def head_of(chain: list[dict]) -> str:
    """The head to keep outside the store: ``SEQ:HASH`` of the last event ("" for an empty log)."""
    return f"{chain[-1]['seq']}:{chain[-1]['hash']}" if chain else ""


def verify_chain(chain: list[dict], *, head: str | None = None) -> Finding | None:
    """The first edited, inserted, deleted or reordered event of ``chain`` (events in seq order), or None.

    With ``head`` (``SEQ:HASH``, or a hash or a prefix of one of at least 12 hex digits), the chain must
    still hold that event: this catches a cut-off tail or a chain rewritten from some point on.

    >>> from ethicskit.course.records.store import event_hash
    >>> e = {"seq": 1, "at": "2026-03-01T09:00:00.000000Z", "kind": "release", "learner_id": "", "module": "00-x",
    ...      "version": "v1", "digest": "", "detail": "{}", "prev_hash": GENESIS}
    >>> e["hash"] = event_hash(GENESIS, e)
    >>> verify_chain([e]) is None
    True
    >>> verify_chain([{**e, "version": "v2"}]).message
    'event 1 (release 00-x) was edited: its hash does not match its content'
    """
    expected, prev = 1, GENESIS
    for event in chain:
        seq = event["seq"]
        if seq != expected:
            text = MISSING_START if expected == 1 else MISSING if seq == expected + 1 else MISSING_RANGE
            return Finding(expected, "missing", text.format(seq=expected, last=seq - 1, before=expected - 1, after=seq))
        if event["prev_hash"] != prev:
            return Finding(seq, "out of order", NOT_FOLLOWING.format(seq=seq, what=describe(event), before=seq - 1))
        if event_hash(event["prev_hash"], event) != event["hash"]:
            return Finding(seq, "edited", EDITED.format(seq=seq, what=describe(event)))
        expected, prev = seq + 1, event["hash"]
    if head is not None and not _holds_head(chain, head):
        return Finding(expected, "head missing", HEAD_MISSING.format(head=head, now=head_of(chain) or "nowhere"))
    return None


def _holds_head(chain: list[dict], head: str) -> bool:
    match = re.fullmatch(r"\s*(?:(\d+)\s*:)?\s*([0-9a-fA-F]{12,64})\s*", head)
    if not match:
        raise CourseError(BAD_HEAD.format(head=head))
    seq, prefix = (int(match[1]) if match[1] else None), match[2].lower()
    return any(e["hash"].startswith(prefix) and seq in (None, e["seq"]) for e in chain)


def certificate_code(event_hash_hex: str) -> str:
    """A certificate's verification code: 12 base32 characters of its event's hash, in groups of four.

    >>> certificate_code("00" * 32)
    'AAAA-AAAA-AAAA'
    """
    text = base64.b32encode(bytes.fromhex(event_hash_hex)).decode()[:CODE_LENGTH]
    return "-".join(text[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_code(code: str) -> str:
    """A code as typed (any case, spaces or dashes, 0/1/8 for O/I/B) in its printed form; or ``CourseError``.

    >>> normalize_code(" abcd efgh-1j2k ")
    'ABCD-EFGH-IJ2K'
    """
    text = re.sub(r"[\s-]", "", code).upper().translate(str.maketrans("018", "OIB"))
    if not re.fullmatch(f"[A-Z2-7]{{{CODE_LENGTH}}}", text):
        raise CourseError(BAD_CODE.format(code=code))
    return "-".join(text[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def find_certificate(chain: list[dict], code: str) -> dict | None:
    """The certificate event whose code is ``code`` (as printed), or None."""
    return next((e for e in chain if e["kind"] == "certificate" and certificate_code(e["hash"]) == code), None)


def certificate_event(db, learner_id: str, modules: list[dict], *, issued: str, last: dict | None = None) -> dict:
    """The certificate event for this learner and these modules, appended unless their last one says the same.

    ``modules`` are ``{"module", "version", "passed_on", "digest"}`` in order; ``last`` is the learner's
    last certificate event (read from the store if not given). A certificate issued before with the same
    modules, versions, dates and submissions is the same certificate: it keeps its code and its date of
    issue, so writing the certificates again prints the same pages.
    """
    if last is None:
        last = next(reversed(events_of_kind(db, "certificate", learner_id=learner_id)), None)
    if last is not None and json.loads(last["detail"]).get("modules") == modules:
        return last
    return append_event(db, "certificate", learner_id=learner_id, module=",".join(m["module"] for m in modules),
                        version=",".join(m["version"] for m in modules),
                        digest=",".join(m["digest"] for m in modules),
                        detail={"issued": issued, "modules": modules})


def manual_scores(db_url: str) -> list[dict]:
    """Every manual score in nbgrader's gradebook (read-only): learner, module, notebook, grade_id, score, max."""
    url = readonly_url(db_url)
    if url is None:
        return []
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        if "grade" not in inspect(engine).get_table_names():
            return []
        with engine.connect() as conn:
            result = conn.exec_driver_sql(MANUAL_SCORES_SQL)
            return [dict(zip(result.keys(), row)) for row in result.fetchall()]
    finally:
        engine.dispose()


def record_manual_grades(config) -> int:
    """Append a ``manual_grade`` event for each manual score that is new or changed since last logged."""
    scores = manual_scores(config.CourseDirectory.db_url)
    with open_store(config) as db:
        logged = {}
        for e in events_of_kind(db, "manual_grade"):
            d = json.loads(e["detail"])
            logged[e["learner_id"], e["module"], d.get("notebook"), d.get("grade_id")] = (d.get("score"), e["digest"])
        graded = {}
        for e in events_of_kind(db, "grade"):
            graded[e["learner_id"], e["module"]] = (e["version"], e["digest"])
        digests, cohorts, rows = grading_digests(db), learner_cohorts(db), release_rows(db)
        count = 0
        for s in sorted(scores, key=lambda s: (s["learner_id"], s["module"], s["notebook"], s["grade_id"])):
            key = (s["learner_id"], s["module"])
            version, digest = graded.get(key) or (_released_version(rows, s["module"], cohorts.get(key[0], "")),
                                                  digests.get(key, ""))
            score = float(s["score"])
            if logged.get((*key, s["notebook"], s["grade_id"])) == (score, digest):
                continue
            detail = {"notebook": s["notebook"], "grade_id": s["grade_id"], "score": score,
                      "max_score": float(s["max_score"] or 0)}
            if s["extra_credit"]:
                detail["extra_credit"] = float(s["extra_credit"])
            append_event(db, "manual_grade", learner_id=key[0], module=key[1], version=version, digest=digest,
                         detail=detail)
            count += 1
    return count


def _released_version(rows, module: str, cohort: str) -> str:
    """The version of the latest release of ``module`` that reaches ``cohort``."""
    found = [r["version"] for r in rows if r["module"] == module and r["cohort"] in ("", cohort)]
    return found[-1] if found else ""


def verify(code: str | None = None, *, head: str | None = None, sync: bool = False,
           root: Path | None = None) -> Verification:
    """Check the event log (read-only unless ``sync``, which first logs new manual grades); resolve ``code``."""
    code = normalize_code(code) if code else ""
    config = load_config(root)
    logged = record_manual_grades(config) if sync else 0
    with open_store(config, readonly=True) as db:
        chain = events(db)
        names = {r["learner_id"]: r["name"] for r in learners(db)} if code else {}
    result = Verification(len(chain), head_of(chain), verify_chain(chain, head=head), code,
                          manual_grades_logged=logged, events=chain)
    if code and (event := find_certificate(chain, code)):
        result.certificate = {**event, "detail": json.loads(event["detail"]), "name": names.get(event["learner_id"])}
    return result
