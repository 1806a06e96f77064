"""The kit's own tracking store: a small SQLite file beside the gradebook.

nbgrader's gradebook knows learners only by a pseudonymous learner id. The HR
fields (name, email, team, manager, cohort), the releases (which module, at
which version, for which cohort, due when), the collected submissions and the
grading flags (tampering, timeouts) live here, in ``course-data/roster.db``.
So does each learner's submission secret (``learner_secrets``), the key a
laptop learner's bundle signs submissions with; reports never read that table.

Every write is one transaction, so a failure leaves the store as it was.
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

STORE_NAME = "roster.db"

SCHEMA = """
CREATE TABLE IF NOT EXISTS learners (
    employee_id TEXT PRIMARY KEY,
    learner_id  TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    team        TEXT NOT NULL,
    manager     TEXT NOT NULL,
    cohort      TEXT NOT NULL,
    due         TEXT,
    active      INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS releases (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    module      TEXT NOT NULL,
    version     TEXT NOT NULL,
    cohort      TEXT NOT NULL DEFAULT '',
    due         TEXT,
    released_at TEXT NOT NULL,
    checksums   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS submissions (
    learner_id   TEXT NOT NULL,
    module       TEXT NOT NULL,
    timestamp    TEXT NOT NULL,
    digest       TEXT NOT NULL,
    source       TEXT NOT NULL,
    collected_at TEXT NOT NULL,
    claimed_at   TEXT,
    PRIMARY KEY (learner_id, module)
);
CREATE TABLE IF NOT EXISTS received_zips (
    sha256      TEXT NOT NULL,
    file        TEXT NOT NULL,
    learner_id  TEXT NOT NULL,
    module      TEXT NOT NULL,
    claimed_at  TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (sha256, learner_id, module)
);
CREATE TABLE IF NOT EXISTS learner_secrets (
    learner_id TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS gradings (
    learner_id TEXT NOT NULL,
    module     TEXT NOT NULL,
    digest     TEXT NOT NULL,
    graded_at  TEXT NOT NULL,
    tampered   TEXT NOT NULL DEFAULT '',
    timed_out  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (learner_id, module)
);
CREATE TABLE IF NOT EXISTS grading_failures (
    learner_id TEXT NOT NULL,
    module     TEXT NOT NULL,
    digest     TEXT NOT NULL,
    failed_at  TEXT NOT NULL,
    reason     TEXT NOT NULL,
    PRIMARY KEY (learner_id, module)
);
"""


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
    """A connection to the store; commits on success, rolls back on error.

    ``readonly`` opens the file read-only (the dashboard and reports); a missing
    store then reads as empty rather than being created.
    """
    path = store_path(config)
    if readonly:
        if not path.exists():
            conn = sqlite3.connect(":memory:")
            conn.executescript(SCHEMA)
        else:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=60)
        conn.executescript(SCHEMA)
        _add_missing_columns(conn)
    conn.row_factory = sqlite3.Row
    try:
        with conn:
            yield conn
    finally:
        conn.close()


ADDED_COLUMNS = {"submissions": {"claimed_at": "TEXT"}}  # columns newer than the store's first version


def _add_missing_columns(conn) -> None:
    """Bring a store written by an older kit up to the schema (SQLite adds columns in place)."""
    for table, columns in ADDED_COLUMNS.items():
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}  # noqa: S608 - fixed names
        for name, kind in columns.items():
            if name not in present:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
    conn.commit()


def new_secret() -> str:
    """A fresh per-learner submission secret (256 bits, hex)."""
    return secrets.token_hex(32)


def learner_secret(db, learner_id: str, *, create: bool = False) -> str | None:
    """The learner's submission secret; with ``create``, one is made (and kept) if there is none yet."""
    row = db.execute("SELECT secret FROM learner_secrets WHERE learner_id=?", (learner_id,)).fetchone()
    if row is not None:
        return row[0]
    if not create:
        return None
    secret = new_secret()
    db.execute("INSERT INTO learner_secrets VALUES (?, ?, ?)", (learner_id, secret, utc_now()))
    return secret
