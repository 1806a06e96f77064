"""The kit's own tracking store: a small SQLite file beside the gradebook.

nbgrader's gradebook knows learners only by a pseudonymous learner id. The HR
fields (name, email, team, manager, cohort), the releases (which module, at
which version, for which cohort, due when), the collected submissions and the
grading flags (tampering, timeouts) live here, in ``course-data/roster.db``.
So does each learner's submission secret (``learner_secrets``), the key a
laptop learner's bundle signs submissions with; reports never read that table.

The store stays SQLite even when the gradebook is on PostgreSQL: it is one
small file beside the gradebook, written by one manager's command at a time,
so it needs no database server.

Every query on the store is a function below, naming its columns; each
table's columns are listed once (``TABLES``), and the schema and the queries
are built from that list. Every write is one transaction, so a failure leaves
the store as it was.

Its schema version is SQLite's ``PRAGMA user_version`` (``SCHEMA_VERSION``).
A new store is created at that version. A writable open brings an older store
up to it, one migration (``MIGRATIONS``) per version, each in its own
transaction. A store with tables but version 0 was written before versions
were kept; its columns tell which version it is. A read-only open never
writes: it reads an older store as it is. A store written by a newer kit is
refused (``NEWER_STORE``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from ethicskit.errors import EthicskitError

STORE_NAME = "roster.db"
# 1: the first store; 2: signed laptop submissions (submissions.claimed_at and received_zips);
# 3: the manager's workflow (extensions, reminders sent, the chained event log, xAPI statements sent).
SCHEMA_VERSION = 3
NEWER_STORE = ("{path} is a store of schema version {found}, newer than this ethicskit knows (version {known}): "
               "a newer ethicskit wrote it. Upgrade the kit to open it (pip install -U ethicskit); "
               "the store was not changed")


class StoreError(EthicskitError, ValueError):
    """A store this kit cannot open (one written by a newer kit); the message names the file and what to do."""


# Each table's columns, in order, with their SQL types: the schema and every query are built from these.
TABLES = {
    "learners": {
        "employee_id": "TEXT PRIMARY KEY",
        "learner_id": "TEXT NOT NULL UNIQUE",
        "name": "TEXT NOT NULL",
        "email": "TEXT NOT NULL",
        "team": "TEXT NOT NULL",
        "manager": "TEXT NOT NULL",
        "cohort": "TEXT NOT NULL",
        "due": "TEXT",
        "active": "INTEGER NOT NULL DEFAULT 1",
        "updated_at": "TEXT NOT NULL",
    },
    "releases": {
        "id": "INTEGER PRIMARY KEY AUTOINCREMENT",
        "module": "TEXT NOT NULL",
        "version": "TEXT NOT NULL",
        "cohort": "TEXT NOT NULL DEFAULT ''",
        "due": "TEXT",
        "released_at": "TEXT NOT NULL",
        "checksums": "TEXT NOT NULL",
    },
    "submissions": {
        "learner_id": "TEXT NOT NULL",
        "module": "TEXT NOT NULL",
        "timestamp": "TEXT NOT NULL",
        "digest": "TEXT NOT NULL",
        "source": "TEXT NOT NULL",
        "collected_at": "TEXT NOT NULL",
        "claimed_at": "TEXT",
    },
    "received_zips": {
        "sha256": "TEXT NOT NULL",
        "file": "TEXT NOT NULL",
        "learner_id": "TEXT NOT NULL",
        "module": "TEXT NOT NULL",
        "claimed_at": "TEXT NOT NULL",
        "received_at": "TEXT NOT NULL",
    },
    "learner_secrets": {
        "learner_id": "TEXT PRIMARY KEY",
        "secret": "TEXT NOT NULL",
        "created_at": "TEXT NOT NULL",
    },
    "gradings": {
        "learner_id": "TEXT NOT NULL",
        "module": "TEXT NOT NULL",
        "digest": "TEXT NOT NULL",
        "graded_at": "TEXT NOT NULL",
        "tampered": "TEXT NOT NULL DEFAULT ''",
        "timed_out": "TEXT NOT NULL DEFAULT ''",
    },
    "grading_failures": {
        "learner_id": "TEXT NOT NULL",
        "module": "TEXT NOT NULL",
        "digest": "TEXT NOT NULL",
        "failed_at": "TEXT NOT NULL",
        "reason": "TEXT NOT NULL",
    },
    "extensions": {
        "learner_id": "TEXT NOT NULL",
        "module": "TEXT NOT NULL",
        "until": "TEXT NOT NULL",
        "reason": "TEXT NOT NULL",
        "granted_at": "TEXT NOT NULL",
    },
    "reminders": {
        "reminder_key": "TEXT PRIMARY KEY",
        "recipient": "TEXT NOT NULL",
        "kind": "TEXT NOT NULL",
        "learner_id": "TEXT NOT NULL DEFAULT ''",
        "module": "TEXT NOT NULL DEFAULT ''",
        "status": "TEXT NOT NULL",
        "attempts": "INTEGER NOT NULL DEFAULT 1",
        "last_error": "TEXT NOT NULL DEFAULT ''",
        "updated_at": "TEXT NOT NULL",
    },
    "events": {
        "seq": "INTEGER PRIMARY KEY",
        "at": "TEXT NOT NULL",
        "kind": "TEXT NOT NULL",
        "learner_id": "TEXT NOT NULL DEFAULT ''",
        "module": "TEXT NOT NULL DEFAULT ''",
        "version": "TEXT NOT NULL DEFAULT ''",
        "digest": "TEXT NOT NULL DEFAULT ''",
        "detail": "TEXT NOT NULL DEFAULT '{}'",
        "prev_hash": "TEXT NOT NULL",
        "hash": "TEXT NOT NULL",
    },
    "xapi_sent": {
        "statement_id": "TEXT PRIMARY KEY",
        "learner_id": "TEXT NOT NULL",
        "module": "TEXT NOT NULL",
        "version": "TEXT NOT NULL",
        "verb": "TEXT NOT NULL",
        "sent_at": "TEXT NOT NULL",
    },
}
PRIMARY_KEYS = {"submissions": ("learner_id", "module"), "received_zips": ("sha256", "learner_id", "module"),
                "gradings": ("learner_id", "module"), "grading_failures": ("learner_id", "module"),
                "extensions": ("learner_id", "module")}
COLUMNS = {table: tuple(columns) for table, columns in TABLES.items()}
REPORT_TABLES = ("learners", "releases", "submissions", "gradings", "grading_failures", "extensions",
                 "reminders")  # never learner_secrets


def _create_table(table: str) -> str:
    parts = [f"{name} {kind}" for name, kind in TABLES[table].items()]
    if table in PRIMARY_KEYS:
        parts.append(f"PRIMARY KEY ({', '.join(PRIMARY_KEYS[table])})")
    return f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(parts)})"


SCHEMA = tuple(_create_table(table) for table in TABLES)  # the store at SCHEMA_VERSION

# Version 1, frozen: migrations change the schema, never this. Kits before versions were kept created every
# missing table on each open (the first ones had no learner_secrets or grading_failures), so an unversioned
# store gets the tables of its version that it lacks.
SCHEMA_V1 = (
    "CREATE TABLE IF NOT EXISTS learners (employee_id TEXT PRIMARY KEY, learner_id TEXT NOT NULL UNIQUE, "
    "name TEXT NOT NULL, email TEXT NOT NULL, team TEXT NOT NULL, manager TEXT NOT NULL, cohort TEXT NOT NULL, "
    "due TEXT, active INTEGER NOT NULL DEFAULT 1, updated_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS releases (id INTEGER PRIMARY KEY AUTOINCREMENT, module TEXT NOT NULL, "
    "version TEXT NOT NULL, cohort TEXT NOT NULL DEFAULT '', due TEXT, released_at TEXT NOT NULL, "
    "checksums TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS submissions (learner_id TEXT NOT NULL, module TEXT NOT NULL, timestamp TEXT NOT NULL, "
    "digest TEXT NOT NULL, source TEXT NOT NULL, collected_at TEXT NOT NULL, PRIMARY KEY (learner_id, module))",
    "CREATE TABLE IF NOT EXISTS learner_secrets (learner_id TEXT PRIMARY KEY, secret TEXT NOT NULL, "
    "created_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS gradings (learner_id TEXT NOT NULL, module TEXT NOT NULL, digest TEXT NOT NULL, "
    "graded_at TEXT NOT NULL, tampered TEXT NOT NULL DEFAULT '', timed_out TEXT NOT NULL DEFAULT '', "
    "PRIMARY KEY (learner_id, module))",
    "CREATE TABLE IF NOT EXISTS grading_failures (learner_id TEXT NOT NULL, module TEXT NOT NULL, "
    "digest TEXT NOT NULL, failed_at TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (learner_id, module))",
)
UNVERSIONED = {1: SCHEMA_V1, 2: ()}  # what an unversioned store may lack, by the version its columns match


def migrate_1_to_2(db) -> None:
    """Signed laptop submissions: the time a zip's name claims, and the zips already received."""
    db.execute("ALTER TABLE submissions ADD COLUMN claimed_at TEXT")
    db.execute("CREATE TABLE IF NOT EXISTS received_zips (sha256 TEXT NOT NULL, file TEXT NOT NULL, "
               "learner_id TEXT NOT NULL, module TEXT NOT NULL, claimed_at TEXT NOT NULL, "
               "received_at TEXT NOT NULL, PRIMARY KEY (sha256, learner_id, module))")


def migrate_2_to_3(db) -> None:
    """The manager's workflow: extensions, the reminders sent, the chained event log and the xAPI statements sent."""
    db.execute("CREATE TABLE IF NOT EXISTS extensions (learner_id TEXT NOT NULL, module TEXT NOT NULL, "
               "until TEXT NOT NULL, reason TEXT NOT NULL, granted_at TEXT NOT NULL, PRIMARY KEY (learner_id, module))")
    db.execute("CREATE TABLE IF NOT EXISTS reminders (reminder_key TEXT PRIMARY KEY, recipient TEXT NOT NULL, "
               "kind TEXT NOT NULL, learner_id TEXT NOT NULL DEFAULT '', module TEXT NOT NULL DEFAULT '', "
               "status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1, last_error TEXT NOT NULL DEFAULT '', "
               "updated_at TEXT NOT NULL)")
    db.execute("CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, "
               "learner_id TEXT NOT NULL DEFAULT '', module TEXT NOT NULL DEFAULT '', version TEXT NOT NULL DEFAULT '', "
               "digest TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '{}', prev_hash TEXT NOT NULL, "
               "hash TEXT NOT NULL)")
    db.execute("CREATE TABLE IF NOT EXISTS xapi_sent (statement_id TEXT PRIMARY KEY, learner_id TEXT NOT NULL, "
               "module TEXT NOT NULL, version TEXT NOT NULL, verb TEXT NOT NULL, sent_at TEXT NOT NULL)")


MIGRATIONS = {2: migrate_1_to_2, 3: migrate_2_to_3}  # version -> the step that brings a store of the version before up to it


def utc_now() -> str:
    """Now, as the ISO text the store keeps."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def course_data_dir(config) -> Path:
    """The folder of learners' records: the parent of nbgrader's submitted/ folder."""
    return Path(config.CourseDirectory.submitted_directory).parent


def store_path(config) -> Path:
    return course_data_dir(config) / STORE_NAME


@contextlib.contextmanager
def open_store(config, *, readonly: bool = False):
    """A connection to the store at ``SCHEMA_VERSION``; commits on success, rolls back on error.

    ``readonly`` opens the file read-only (the dashboard and reports) and never
    writes: a missing store reads as empty, an older one as it is. A store
    written by a newer kit raises :class:`StoreError`, read-only or not.
    """
    path = store_path(config)
    in_memory = readonly and not path.exists()  # a new, empty store that is never written to disk
    if in_memory:
        conn = sqlite3.connect(":memory:")
    elif readonly:
        _recover(path)
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=60)
    try:
        schema_version(conn, path)  # refuses a newer store before anything else
        if in_memory or not readonly:
            _upgrade(conn, path)
    except BaseException:
        conn.close()
        raise
    conn.row_factory = sqlite3.Row
    try:
        with conn:
            yield conn
    finally:
        conn.close()


def _recover(path: Path) -> None:
    """Roll back a write that a killed process left half done (a hot journal), so a read-only open can read.

    SQLite refuses to read a store whose rollback journal is hot through a read-only connection; a
    short-lived writable connection rolls it back to the last committed state, which is all it changes.
    Without write permission the read-only open below reports SQLite's own error.
    """
    journal = path.with_name(path.name + "-journal")
    if journal.exists() and journal.stat().st_size > 0:
        with contextlib.suppress(sqlite3.Error, OSError):
            conn = sqlite3.connect(path, timeout=30)
            try:
                conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # reading rolls the journal back
            finally:
                conn.close()


def schema_version(db, path) -> int:
    """The store's schema version (0: an empty file); a store of a newer kit raises :class:`StoreError`.

    A store with tables but no version was written before versions were kept:
    its columns tell which version it is.
    """
    version = _user_version(db)
    if version > SCHEMA_VERSION:
        raise StoreError(NEWER_STORE.format(path=path, found=version, known=SCHEMA_VERSION))
    if version == 0 and set(TABLES) & _tables(db):
        return 2 if "claimed_at" in _present_columns(db, "submissions") else 1
    return version


def _upgrade(db, path) -> None:
    """Create a new store, or bring an older one up to ``SCHEMA_VERSION``, one version per transaction."""
    while _user_version(db) != SCHEMA_VERSION:
        db.execute("BEGIN IMMEDIATE")  # one writer; a process that upgraded the store meanwhile is seen below
        with db:
            version, marked = schema_version(db, path), _user_version(db)
            if version == 0:  # a new store
                _run(db, SCHEMA)
                version = SCHEMA_VERSION
            elif marked == 0:  # written before versions were kept: mark the version its columns match
                _run(db, UNVERSIONED[version])
            elif marked < SCHEMA_VERSION:
                version += 1
                MIGRATIONS[version](db)
            else:
                break  # another process brought it up to date meanwhile
            db.execute(f"PRAGMA user_version = {int(version)}")


def _run(db, statements) -> None:
    for statement in statements:
        db.execute(statement)


def _user_version(db) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def _tables(db) -> set[str]:
    return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _present_columns(db, table: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def _column_list(table: str) -> str:
    return ", ".join(COLUMNS[table])


# The learners (the roster)

def learners(db) -> list[sqlite3.Row]:
    """Every learner, active or not, with all columns."""
    return db.execute(f"SELECT {_column_list('learners')} FROM learners").fetchall()  # noqa: S608 - fixed names


def listed_learners(db, *, include_inactive: bool, team: str | None) -> list[sqlite3.Row]:
    """The learners ``ethicskit roster list`` shows, by team then name.

    Only the active ones unless ``include_inactive``; only those of ``team`` if it is given.
    """
    query = (f"SELECT {_column_list('learners')} FROM learners "  # noqa: S608 - fixed names
             "WHERE (? OR active) AND (? IS NULL OR team = ?) ORDER BY team, name")
    return db.execute(query, (include_inactive, team, team)).fetchall()


def learner_ids(db) -> list[str]:
    """Every learner id, active or not."""
    return [row[0] for row in db.execute("SELECT learner_id FROM learners")]


def learner_cohorts(db) -> dict[str, str]:
    """Each learner's cohort, by learner id."""
    return dict(db.execute("SELECT learner_id, cohort FROM learners").fetchall())


def learner_is_active(db, learner_id: str) -> bool | None:
    """Whether the learner is active in the roster; None for a learner id the roster does not know."""
    row = db.execute("SELECT active FROM learners WHERE learner_id = ?", (learner_id,)).fetchone()
    return None if row is None else bool(row[0])


def add_learners(db, rows) -> None:
    """Add active learners in bulk.

    Each row is (employee_id, learner_id, name, email, team, manager, cohort, due, updated_at).
    """
    db.executemany("INSERT INTO learners (employee_id, learner_id, name, email, team, manager, cohort, due, active, "
                   "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)", rows)


def update_learners(db, rows) -> None:
    """Rewrite learners' HR fields and make them active, in bulk.

    Each row is (name, email, team, manager, cohort, due, updated_at, employee_id).
    """
    db.executemany("UPDATE learners SET name = ?, email = ?, team = ?, manager = ?, cohort = ?, due = ?, active = 1, "
                   "updated_at = ? WHERE employee_id = ?", rows)


def deactivate_learners(db, employee_ids, when: str) -> None:
    """Mark learners inactive (their records are kept)."""
    db.executemany("UPDATE learners SET active = 0, updated_at = ? WHERE employee_id = ?",
                   [(when, employee_id) for employee_id in employee_ids])


# Submission secrets

def new_secret() -> str:
    """A fresh per-learner submission secret (256 bits, hex)."""
    return secrets.token_hex(32)


def learner_secrets(db) -> dict[str, str]:
    """Every learner's submission secret, by learner id."""
    return dict(db.execute("SELECT learner_id, secret FROM learner_secrets").fetchall())


def add_learner_secrets(db, rows) -> None:
    """Keep new secrets in bulk, each row (learner_id, secret, created_at); a learner who has one keeps it."""
    db.executemany("INSERT OR IGNORE INTO learner_secrets (learner_id, secret, created_at) VALUES (?, ?, ?)", rows)


def learner_secret(db, learner_id: str, *, create: bool = False) -> str | None:
    """The learner's submission secret; with ``create``, one is made (and kept) if there is none yet."""
    row = db.execute("SELECT secret FROM learner_secrets WHERE learner_id = ?", (learner_id,)).fetchone()
    if row is not None:
        return row[0]
    if not create:
        return None
    secret = new_secret()
    db.execute("INSERT INTO learner_secrets (learner_id, secret, created_at) VALUES (?, ?, ?)",
               (learner_id, secret, utc_now()))
    return secret


# Releases

def add_release(db, module: str, version: str, cohort: str, due: str | None, released_at: str,
                checksums: str) -> None:
    """Record a release; ``checksums`` is the JSON of its locked cells' checksums."""
    db.execute("INSERT INTO releases (module, version, cohort, due, released_at, checksums) VALUES (?, ?, ?, ?, ?, ?)",
               (module, version, cohort, due, released_at, checksums))


def release_rows(db) -> list[sqlite3.Row]:
    """Every release, oldest first, with all columns."""
    query = f"SELECT {_column_list('releases')} FROM releases ORDER BY id"  # noqa: S608 - fixed names
    return db.execute(query).fetchall()


# Submissions and the zips they came in

def record_submission(db, learner_id: str, module: str, timestamp: str, digest: str, source: str,
                      collected_at: str, claimed_at: str | None = None) -> None:
    """Record a submission, replacing the learner's earlier one of the module."""
    db.execute("INSERT OR REPLACE INTO submissions (learner_id, module, timestamp, digest, source, collected_at, "
               "claimed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               (learner_id, module, timestamp, digest, source, collected_at, claimed_at))


def submission_digests(db) -> dict[tuple[str, str], str]:
    """The digest of each recorded submission, by (learner_id, module)."""
    return {(row[0], row[1]): row[2] for row in db.execute("SELECT learner_id, module, digest FROM submissions")}


def received_zips(db) -> dict[tuple[str, str, str], str]:
    """When each zip was received, by (sha256, learner_id, module)."""
    return {(row[0], row[1], row[2]): row[3] for row in
            db.execute("SELECT sha256, learner_id, module, received_at FROM received_zips")}


def add_received_zip(db, sha256: str, file: str, learner_id: str, module: str, claimed_at: str,
                     received_at: str) -> None:
    """Remember a zip as received (once: a zip already known is left as it was)."""
    db.execute("INSERT OR IGNORE INTO received_zips (sha256, file, learner_id, module, claimed_at, received_at) "
               "VALUES (?, ?, ?, ?, ?, ?)", (sha256, file, learner_id, module, claimed_at, received_at))


# Grading

def grading_digests(db) -> dict[tuple[str, str], str]:
    """The digest of the submission each grading graded, by (learner_id, module)."""
    return {(row[0], row[1]): row[2] for row in db.execute("SELECT learner_id, module, digest FROM gradings")}


def record_grading(db, learner_id: str, module: str, digest: str, graded_at: str, tampered: str,
                   timed_out: str) -> None:
    """Record a successful grading, replacing the earlier one of the learner and module."""
    db.execute("INSERT OR REPLACE INTO gradings (learner_id, module, digest, graded_at, tampered, timed_out) "
               "VALUES (?, ?, ?, ?, ?, ?)", (learner_id, module, digest, graded_at, tampered, timed_out))


def record_grading_failure(db, learner_id: str, module: str, digest: str, failed_at: str, reason: str) -> None:
    """Record that grading a submission failed, replacing the earlier failure of the learner and module."""
    db.execute("INSERT OR REPLACE INTO grading_failures (learner_id, module, digest, failed_at, reason) "
               "VALUES (?, ?, ?, ?, ?)", (learner_id, module, digest, failed_at, reason))


def clear_grading_failure(db, learner_id: str, module: str) -> None:
    """Forget the learner's grading failure of the module (it has been graded since)."""
    db.execute("DELETE FROM grading_failures WHERE learner_id = ? AND module = ?", (learner_id, module))


def grading_failure_digests(db) -> dict[tuple[str, str], str]:
    """The digest of the submission each recorded grading failure failed on, by (learner_id, module)."""
    return {(row[0], row[1]): row[2] for row in db.execute("SELECT learner_id, module, digest FROM grading_failures")}


# Reports

def read_tables(db) -> dict:
    """The tables reports read (``REPORT_TABLES``) as DataFrames, with the columns of ``TABLES`` in order.

    An older store opened read-only reads as it is: a column or table it lacks reads as NULL, or empty.
    """
    import pandas as pd

    return {table: pd.read_sql(_select_all(db, table), db) for table in REPORT_TABLES}


def _select_all(db, table: str) -> str:
    present = _present_columns(db, table)
    columns = ", ".join(c if c in present else f"NULL AS {c}" for c in COLUMNS[table])
    return f"SELECT {columns} FROM {table}" if present else f"SELECT {columns} WHERE 0"  # noqa: S608 - fixed names


# Extensions (ethicskit extend)

def learner_by_id(db, key: str) -> sqlite3.Row | None:
    """The learner whose learner id or employee id is ``key`` (the learner id wins), or None."""
    query = (f"SELECT {_column_list('learners')} FROM learners "  # noqa: S608 - fixed names
             "WHERE learner_id = ? OR employee_id = ? ORDER BY learner_id = ? DESC LIMIT 1")
    return db.execute(query, (key, key, key)).fetchone()


def record_extension(db, learner_id: str, module: str, until: str, reason: str, granted_at: str) -> None:
    """Record an extension to ``until`` (YYYY-MM-DD), replacing the learner's earlier one of the module."""
    db.execute("INSERT OR REPLACE INTO extensions (learner_id, module, until, reason, granted_at) "
               "VALUES (?, ?, ?, ?, ?)", (learner_id, module, until, reason, granted_at))


def extension_rows(db) -> list[sqlite3.Row]:
    """Every extension, with all columns, by module then learner id."""
    query = f"SELECT {_column_list('extensions')} FROM extensions ORDER BY module, learner_id"  # noqa: S608
    return db.execute(query).fetchall()


# Reminders sent (ethicskit remind)

def sent_reminder_keys(db) -> set[str]:
    """The keys of the reminders delivered (a failed one is not among them: it is tried again)."""
    return {row[0] for row in db.execute("SELECT reminder_key FROM reminders WHERE status = 'sent'")}


def record_reminder(db, reminder_key: str, recipient: str, kind: str, learner_id: str, module: str, status: str,
                    error: str, updated_at: str) -> None:
    """Record one attempt at a reminder (``status`` 'sent' or 'failed'), counting the attempts per key."""
    db.execute("INSERT INTO reminders (reminder_key, recipient, kind, learner_id, module, status, attempts, "
               "last_error, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) "
               "ON CONFLICT (reminder_key) DO UPDATE SET recipient = excluded.recipient, status = excluded.status, "
               "attempts = reminders.attempts + 1, last_error = excluded.last_error, updated_at = excluded.updated_at",
               (reminder_key, recipient, kind, learner_id, module, status, error, updated_at))


def reminder_rows(db) -> list[sqlite3.Row]:
    """Every reminder recorded, with all columns, oldest attempt first."""
    query = f"SELECT {_column_list('reminders')} FROM reminders ORDER BY updated_at, reminder_key"  # noqa: S608
    return db.execute(query).fetchall()


# The event log (ethicskit verify)

EVENT_FIELDS = ("seq", "at", "kind", "learner_id", "module", "version", "digest", "detail")
GENESIS = "0" * 64  # the prev_hash of the first event


def event_hash(prev_hash: str, event: dict) -> str:
    """The hash that chains ``event`` (its ``EVENT_FIELDS``) to the one before it.

    >>> e = {"seq": 1, "at": "2026-03-01T09:00:00.000000Z", "kind": "release", "learner_id": "", "module": "00-x",
    ...      "version": "v1", "digest": "", "detail": "{}"}
    >>> event_hash(GENESIS, e) == event_hash(GENESIS, dict(reversed(list(e.items())))) != event_hash("1" * 64, e)
    True
    """
    body = json.dumps({k: event[k] for k in EVENT_FIELDS}, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def append_event(db, kind: str, *, learner_id: str = "", module: str = "", version: str = "", digest: str = "",
                 detail: dict | None = None, at: str | None = None) -> dict:
    """Append one event to the log, chained to the last by hash, in the caller's transaction; return it."""
    last = db.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
    event = {"seq": (last[0] + 1) if last else 1, "at": at or utc_now(), "kind": kind, "learner_id": learner_id,
             "module": module, "version": version, "digest": digest,
             "detail": json.dumps(detail or {}, sort_keys=True, separators=(",", ":"))}
    prev_hash = last[1] if last else GENESIS
    event["prev_hash"], event["hash"] = prev_hash, event_hash(prev_hash, event)
    db.execute(f"INSERT INTO events ({_column_list('events')}) VALUES ({', '.join('?' * len(COLUMNS['events']))})",
               tuple(event[c] for c in COLUMNS["events"]))
    return event


def events(db) -> list[dict]:
    """Every event, in order (none in an older store opened read-only, which has no log yet)."""
    if "events" not in _tables(db):
        return []
    return [dict(r) for r in db.execute(f"SELECT {_column_list('events')} FROM events ORDER BY seq")]


def events_of_kind(db, kind: str, *, learner_id: str | None = None) -> list[dict]:
    """The events of one kind (of one learner, if given), in order."""
    query = (f"SELECT {_column_list('events')} FROM events "  # noqa: S608 - fixed names
             "WHERE kind = ? AND (? IS NULL OR learner_id = ?) ORDER BY seq")
    return [dict(r) for r in db.execute(query, (kind, learner_id, learner_id))]


# xAPI statements sent (ethicskit export xapi)

def xapi_sent_ids(db) -> set[str]:
    """The id of every xAPI statement the LRS has accepted (none in an older store opened read-only)."""
    if "xapi_sent" not in _tables(db):
        return set()
    return {row[0] for row in db.execute("SELECT statement_id FROM xapi_sent")}


def record_xapi_sent(db, rows) -> None:
    """Remember statements as sent, in bulk; each row is (statement_id, learner_id, module, version, verb, sent_at).

    A statement already recorded is left as it was (its first sending time is kept).
    """
    db.executemany("INSERT OR IGNORE INTO xapi_sent (statement_id, learner_id, module, version, verb, sent_at) "
                   "VALUES (?, ?, ?, ?, ?, ?)", rows)


def xapi_sent_rows(db) -> list[sqlite3.Row]:
    """Every statement sent, oldest first, with all columns."""
    query = f"SELECT {_column_list('xapi_sent')} FROM xapi_sent ORDER BY sent_at, statement_id"  # noqa: S608
    return db.execute(query).fetchall()
