"""``ethicskit roster``: import an HR export, list it, export it.

The CSV is read and checked whole before anything is written; the import is
one transaction, so a bad row never leaves a half-imported roster. A
re-import updates people (matched on ``employee_id``), adds new ones and marks
people missing from the file inactive, keeping their records. Each person
gets a random pseudonymous learner id, which is all nbgrader's gradebook
learns about them, and a submission secret (kept in the store) that their
learner bundle signs laptop submissions with.

Emails are compared case-insensitively, with internationalised domains
compared in their ASCII (punycode) form, so ``anna@bücher.example`` and
``ANNA@xn--bcher-kva.example`` are the same person: two rows with one email are
refused with both line numbers. Large rosters import in bulk (one insert per
table), 50,000 people in a few seconds (``benchmarks/bench_roster.py``).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ethicskit.course.nbgrader import gradebook, load_config
from ethicskit.course.records.store import (
    add_learner_secrets,
    add_learners,
    deactivate_learners,
    learner_ids,
    learners,
    listed_learners,
    new_secret,
    open_store,
    update_learners,
    utc_now,
)
from ethicskit.course.safe_csv import rows_csv
from ethicskit.errors import EthicskitError, MissingFile

REQUIRED_COLUMNS = ("employee_id", "name", "email", "team", "manager", "cohort")
OPTIONAL_COLUMNS = ("due",)
EXPORT_COLUMNS = ("employee_id", "learner_id", *REQUIRED_COLUMNS[1:], "due", "active")
EMAIL_LOCAL = re.compile(r"^[^@\s,;<>()\[\]\\\"]+$")
DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
TOP_LEVEL = re.compile(r"^([a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
EMPLOYEE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
MAX_ERRORS_SHOWN = 20

# Error texts: tests import the same constants. ``where`` is "FILE line N".
MISSING_ROSTER = "roster file {path} does not exist"
CANNOT_DECODE = "{name}: cannot be read as {encoding}: {error}"
NOT_UTF8 = ("{name} line {line}: byte 0x{byte:02x} is not UTF-8, so the file's encoding is unknown; "
            "save it as 'CSV UTF-8', or name its encoding, e.g. --encoding cp1252")
ONE_COLUMN = "{name} line 1: the header has one column; expected columns separated by commas: {required}"
EMPTY_FILE = "{name}: the file is empty; expected a header row with {required}"
MISSING_COLUMNS = "{name} line 1: missing column(s) {missing}; found {found}; required: {required} (optional: due)"
NOT_IMPORTED = "roster not imported, nothing was changed:\n{problems}"
MORE_PROBLEMS = "\n... and {count} more"
WRONG_FIELD_COUNT = "{where}: {count} fields, the header has {expected}"
NO_LEARNERS = "{name}: no learners below the header"
EMPTY_FIELD = "{where}: {column} is empty"
BAD_EMPLOYEE_ID = "{where}: employee_id {employee_id!r} may hold only letters, digits, '_', '.' and '-'"
DUPLICATE_EMPLOYEE_ID = "{where}: duplicate employee_id {employee_id!r} (first on line {first})"
BAD_EMAIL = "{where}: email {email!r} is not an email address like name@company.com"
DUPLICATE_EMAIL = ("{where}: duplicate email {email!r}: the same address as line {first} "
                   "(emails are compared ignoring case), so both people would share one hub login")
BAD_DUE = "{where}: due {due!r} is not a date; use YYYY-MM-DD, e.g. 2026-03-31"


class RosterError(EthicskitError, ValueError):
    """A roster file that cannot be imported; the message names file and lines."""


@dataclass(frozen=True)
class RosterRow:
    employee_id: str
    name: str
    email: str
    team: str
    manager: str
    cohort: str
    due: str | None
    line: int


@dataclass
class ImportResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


def decode_roster(data: bytes, name: str, encoding: str | None = None) -> tuple[str, list[str]]:
    """Text of the file and notes on how it was read; a clear error for a wrong encoding.

    UTF-8 with or without a byte-order mark and UTF-16 with one are read as
    they are; anything else needs ``encoding``.
    """
    notes = []
    if encoding:
        try:
            return data.decode(encoding), notes
        except (LookupError, UnicodeDecodeError) as exc:
            raise RosterError(CANNOT_DECODE.format(name=name, encoding=encoding, error=exc)) from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), ["read as UTF-16 (byte-order mark found)"]
    if data.startswith(codecs.BOM_UTF8):
        notes.append("read as UTF-8; ignored the byte-order mark that Excel writes")
    try:
        return data.decode("utf-8-sig"), notes
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RosterError(NOT_UTF8.format(name=name, line=line, byte=data[exc.start])) from exc


def _delimiter(header: str, name: str) -> tuple[str, list[str]]:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        raise RosterError(ONE_COLUMN.format(name=name, required=", ".join(REQUIRED_COLUMNS)))
    notes = [] if best == "," else [f"columns are separated by {'semicolons' if best == ';' else 'tabs'}"]
    return best, notes


def _normalize(column: str) -> str:
    return re.sub(r"[\s-]+", "_", column.strip().lower())


def parse_roster(text: str, name: str = "roster.csv") -> tuple[list[RosterRow], list[str]]:
    """Check every row; return the rows and notes, or raise one RosterError listing every problem.

    >>> rows, _ = parse_roster("employee_id,name,email,team,manager,cohort\\nE1,Ann,ann@x.org,Web,Bo,A\\n")
    >>> rows[0].email, rows[0].line
    ('ann@x.org', 2)
    """
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise RosterError(EMPTY_FILE.format(name=name, required=", ".join(REQUIRED_COLUMNS)))
    delimiter, notes = _delimiter(lines[0], name)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [_normalize(c) for c in next(reader)]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise RosterError(MISSING_COLUMNS.format(name=name, missing=", ".join(missing), found=", ".join(header),
                                                 required=", ".join(REQUIRED_COLUMNS)))
    extra = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if extra:
        notes.append(f"ignored column(s) {', '.join(extra)}")
    problems: list[str] = []
    rows: list[RosterRow] = []
    seen: dict[str, int] = {}
    emails: dict[str, int] = {}
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(WRONG_FIELD_COUNT.format(where=f"{name} line {line}", count=len(values),
                                                     expected=len(header)))
            continue
        record = {k: v.strip() for k, v in zip(header, values)}
        problems += _row_problems(record, name, line, seen, emails)
        rows.append(RosterRow(**{k: record.get(k, "") for k in REQUIRED_COLUMNS},
                              due=record.get("due") or None, line=line))
    if not rows and not problems:
        problems.append(NO_LEARNERS.format(name=name))
    if problems:
        more = MORE_PROBLEMS.format(count=len(problems) - MAX_ERRORS_SHOWN) if len(problems) > MAX_ERRORS_SHOWN else ""
        raise RosterError(NOT_IMPORTED.format(problems="\n".join(problems[:MAX_ERRORS_SHOWN])) + more)
    return rows, notes


def email_key(email: str) -> str | None:
    """The form two emails are compared in, or None if ``email`` is not an address.

    The local part is case-folded; the domain is lower-cased in its ASCII
    (IDNA/punycode) form, so a Unicode domain and its punycode are one.

    >>> email_key("Anna@Bücher.example"), email_key("anna@xn--bcher-kva.EXAMPLE")
    ('anna@xn--bcher-kva.example', 'anna@xn--bcher-kva.example')
    >>> email_key("ann.corp.com"), email_key("ann@localhost"), email_key("a@-x.com")
    (None, None, None)
    """
    local, at, domain = email.rpartition("@")
    if not at or not local or not EMAIL_LOCAL.match(local):
        return None
    try:
        ascii_domain = (domain if domain.isascii() else domain.encode("idna").decode("ascii")).lower()
    except UnicodeError:
        return None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not TOP_LEVEL.match(labels[-1]) or not all(DOMAIN_LABEL.match(p) for p in labels):
        return None
    return f"{local.casefold()}@{ascii_domain}"


def _row_problems(record: dict, name: str, line: int, seen: dict[str, int], emails: dict[str, int]) -> list[str]:
    where = f"{name} line {line}"
    problems = [EMPTY_FIELD.format(where=where, column=c) for c in REQUIRED_COLUMNS if not record.get(c)]
    employee_id = record.get("employee_id", "")
    if employee_id and not EMPLOYEE_ID.match(employee_id):
        problems.append(BAD_EMPLOYEE_ID.format(where=where, employee_id=employee_id))
    if employee_id in seen:
        problems.append(DUPLICATE_EMPLOYEE_ID.format(where=where, employee_id=employee_id, first=seen[employee_id]))
    seen.setdefault(employee_id, line)
    email = record.get("email", "")
    key = email_key(email) if email else None
    if email and key is None:
        problems.append(BAD_EMAIL.format(where=where, email=email))
    elif key in emails:
        problems.append(DUPLICATE_EMAIL.format(where=where, email=email, first=emails[key]))
    elif key:
        emails[key] = line
    due = record.get("due")
    if due:
        try:
            date.fromisoformat(due)
        except ValueError:
            problems.append(BAD_DUE.format(where=where, due=due))
    return problems


def import_roster(path: Path, *, encoding: str | None = None, root: Path | None = None) -> ImportResult:
    """Import an HR export; all or nothing. Returns who was added, updated and deactivated."""
    path = Path(path)
    if not path.is_file():
        raise MissingFile(MISSING_ROSTER.format(path=path))
    text, notes = decode_roster(path.read_bytes(), path.name, encoding)
    rows, more_notes = parse_roster(text, path.name)
    config = load_config(root)
    result = ImportResult(notes=notes + more_notes)
    now = utc_now()
    fields = ("name", "email", "team", "manager", "cohort", "due")
    with open_store(config) as db:
        existing = {r["employee_id"]: r for r in learners(db)}
        taken = {r["learner_id"] for r in existing.values()}
        inserts, updates = [], []
        for row in rows:
            values = (row.name, row.email, row.team, row.manager, row.cohort, row.due)
            old = existing.get(row.employee_id)
            if old is None:
                inserts.append((row.employee_id, _new_learner_id(taken), *values, now))
                result.added.append(row.employee_id)
            elif tuple(old[k] for k in fields) != values or not old["active"]:
                updates.append((*values, now, row.employee_id))
                result.updated.append(row.employee_id)
            else:
                result.unchanged += 1
        in_file = {r.employee_id for r in rows}
        result.deactivated = [e for e, old in existing.items() if e not in in_file and old["active"]]
        add_learners(db, inserts)
        update_learners(db, updates)
        deactivate_learners(db, result.deactivated, now)
        add_learner_secrets(db, [(r[1], new_secret(), now) for r in inserts])
    sync_gradebook_students(config)
    return result


def _new_learner_id(taken: set[str]) -> str:
    while True:
        candidate = "ek" + secrets.token_hex(5)
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def sync_gradebook_students(config) -> int:
    """Make sure every learner id is a student in nbgrader's gradebook (ids only, no HR fields).

    An existing gradebook gets the new ids in one bulk insert into nbgrader's
    ``student`` table (``Gradebook.add_student`` commits once per student, and
    importing nbgrader's API alone takes seconds); a new one is created by
    nbgrader itself, which sets up its schema.
    """
    with open_store(config, readonly=True) as db:
        ids = learner_ids(db)
    from sqlalchemy import create_engine, inspect, text

    from ethicskit.course.nbgrader import readonly_url

    db_url = config.CourseDirectory.db_url
    engine = create_engine(db_url) if readonly_url(db_url) else None
    if engine is None or "student" not in inspect(engine).get_table_names():
        with gradebook(config):
            pass  # nbgrader creates the gradebook and its schema
        engine = engine or create_engine(db_url)
    try:
        with engine.begin() as conn:
            known = {row[0] for row in conn.execute(text("SELECT id FROM student"))}
            new = [{"id": learner_id} for learner_id in ids if learner_id not in known]
            if new:
                conn.execute(text("INSERT INTO student (id) VALUES (:id)"), new)
    finally:
        engine.dispose()
    return len(ids)


def list_roster(*, include_inactive: bool = False, team: str | None = None, root: Path | None = None) -> list[dict]:
    """The roster as dicts (columns of ``EXPORT_COLUMNS``), sorted by team then name."""
    config = load_config(root)
    with open_store(config, readonly=True) as db:
        rows = listed_learners(db, include_inactive=include_inactive, team=team)
    return [{k: r[k] for k in EXPORT_COLUMNS} for r in rows]


def export_roster(out: Path, *, include_inactive: bool = True, root: Path | None = None) -> int:
    """Write the roster, with learner ids, to a UTF-8 CSV; returns the number of people."""
    rows = list_roster(include_inactive=include_inactive, root=root)
    return rows_csv(rows, EXPORT_COLUMNS, out)
