"""The kit's store: schema versions, migrations of stores older kits wrote, refusal of newer ones, one owner of SQL.

Real SQLite files throughout. The old schemas are written out here as the old kits wrote them, not taken
from the code under test.
"""

from __future__ import annotations

import ast
import re
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from ethicskit.course.records import store
from ethicskit.course.records.store import (
    COLUMNS,
    MIGRATIONS,
    NEWER_STORE,
    SCHEMA_VERSION,
    TABLES,
    StoreError,
    open_store,
    read_tables,
    store_path,
)
from ethicskit.errors import EthicskitError

COURSE = Path(__file__).resolve().parents[1] / "src" / "ethicskit" / "course"

# Version 1: the store as the kit wrote it before signed submissions (commit 20a938e).
V1_DDL = """
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
    PRIMARY KEY (learner_id, module)
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

# Today's schema, as every kit since signed submissions wrote it, without a version (user_version 0).
UNVERSIONED_V2_DDL = """
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

# A few rows per table, in each table's column order (version-1 columns first; today's extras after).
V1_ROWS = {
    "learners": [("E1", "ek01", "Ann Lee", "ann@corp.com", "Web", "Bo Ray", "A", "2026-03-01", 1, "2026-01-02T09:00Z"),
                 ("E2", "ek02", "Zoë Brandt", "zoe@bücher.example", "Data", "Cy Li", "B", None, 1, "2026-01-02T09:00Z"),
                 ("E3", "ek03", "Ben Ko", "ben@corp.com", "Data", "Cy Li", "B", None, 0, "2026-01-05T10:00Z")],
    "releases": [(1, "01-purpose-and-harm", "v1a", "", "2026-03-01", "2026-01-03T00:00Z", '{"01": {"c": "x"}}'),
                 (2, "02-consent-and-minimization", "v2a", "B", None, "2026-01-04T00:00Z", "{}")],
    "submissions": [("ek01", "01-purpose-and-harm", "2026-01-10T08:00Z", "d1", "zip", "2026-01-10T08:01Z"),
                    ("ek02", "01-purpose-and-harm", "2026-01-11T08:00Z", "d2", "exchange", "2026-01-11T08:01Z")],
    "learner_secrets": [("ek01", "a" * 64, "2026-01-02T09:00Z"), ("ek02", "b" * 64, "2026-01-02T09:00Z")],
    "gradings": [("ek01", "01-purpose-and-harm", "d1", "2026-01-12T00:00Z", "01.ipynb: 01-q2-test", "")],
    "grading_failures": [("ek02", "01-purpose-and-harm", "d2", "2026-01-12T00:00Z", "kernel died")],
}
V2_ROWS = {**V1_ROWS,
           "submissions": [(*row, "2026-01-09T23:59Z") for row in V1_ROWS["submissions"]],
           "received_zips": [("f" * 64, "ek01+01-purpose-and-harm+20260109T235900Z.zip", "ek01", "01-purpose-and-harm",
                              "2026-01-09T23:59Z", "2026-01-10T08:00Z")]}


def _config(folder: Path):
    """The least of a course config the store reads: where nbgrader's submitted/ folder is."""
    return SimpleNamespace(CourseDirectory=SimpleNamespace(submitted_directory=str(folder / "course-data" / "submitted")))


def _write_old_store(path: Path, ddl: str, rows: dict, *, user_version: int = 0) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.executescript(ddl)
    with db:
        for table, values in rows.items():
            marks = ", ".join("?" * len(values[0]))
            db.executemany(f"INSERT INTO {table} VALUES ({marks})", values)  # noqa: S608 - fixed names
        db.execute(f"PRAGMA user_version = {user_version}")
    db.close()


def _rows(path: Path, table: str, columns) -> list[tuple]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid").fetchall()  # noqa: S608
    finally:
        db.close()


def _user_version(path: Path) -> int:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()


def _shape(path: Path) -> dict:
    """Every table's columns (name, type, not null, default, key) and its indexes' kinds."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {table: ([tuple(r)[1:] for r in db.execute(f"PRAGMA table_info({table})")],
                        sorted(tuple(r)[2:] for r in db.execute(f"PRAGMA index_list({table})")))
                for table in TABLES}
    finally:
        db.close()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_versions_and_migrations_line_up():
    assert sorted(MIGRATIONS) == list(range(2, SCHEMA_VERSION + 1))
    assert issubclass(StoreError, EthicskitError) and issubclass(StoreError, ValueError)


def test_a_new_store_is_created_at_the_current_version_and_reopening_writes_nothing(tmp_path):
    config = _config(tmp_path)
    with open_store(config):
        pass
    path = store_path(config)
    assert _user_version(path) == SCHEMA_VERSION
    assert {t: [c[0] for c in cols] for t, (cols, _) in _shape(path).items()} == {t: list(c) for t, c in COLUMNS.items()}
    before = _files(path.parent)
    with open_store(config) as db:
        store.learners(db)
    assert _files(path.parent) == before


@pytest.mark.parametrize("user_version", [0, 1], ids=["unversioned", "marked-1"])
def test_a_version_1_store_is_migrated_with_every_record_intact(tmp_path, user_version):
    config = _config(tmp_path)
    path = store_path(config)
    _write_old_store(path, V1_DDL, V1_ROWS, user_version=user_version)
    with open_store(config) as db:
        assert [tuple(r) for r in store.learners(db)] == V1_ROWS["learners"]
        assert store.learner_secrets(db) == {"ek01": "a" * 64, "ek02": "b" * 64}
    assert _user_version(path) == SCHEMA_VERSION
    for table, rows in V1_ROWS.items():
        assert _rows(path, table, COLUMNS[table][:len(rows[0])]) == rows, table
    with open_store(config) as db:
        store.record_submission(db, "ek03", "01-purpose-and-harm", "t", "d3", "zip", "c", claimed_at="claim")
    assert _rows(path, "submissions", ("learner_id", "claimed_at")) == [("ek01", None), ("ek02", None),
                                                                         ("ek03", "claim")]
    assert _rows(path, "received_zips", COLUMNS["received_zips"]) == []
    fresh = _config(tmp_path / "fresh")
    with open_store(fresh):
        pass
    assert _shape(path) == _shape(store_path(fresh))  # the migrations arrive at the schema a new store gets


def test_a_store_of_the_first_kit_gets_the_tables_it_lacked(tmp_path):
    config = _config(tmp_path)
    path = store_path(config)
    first_kit = ";".join(s for s in V1_DDL.split(";") if "learner_secrets" not in s and "grading_failures" not in s)
    _write_old_store(path, first_kit, {t: V1_ROWS[t] for t in ("learners", "releases", "submissions", "gradings")})
    with open_store(config) as db:
        assert store.learner_secret(db, "ek01") is None
        assert store.grading_digests(db) == {("ek01", "01-purpose-and-harm"): "d1"}
    assert _user_version(path) == SCHEMA_VERSION
    assert _shape(path).keys() == TABLES.keys() and all(cols for cols, _ in _shape(path).values())


def test_an_unversioned_store_of_version_2_is_marked_and_migrated_with_every_record_intact(tmp_path):
    config = _config(tmp_path)
    path = store_path(config)
    _write_old_store(path, UNVERSIONED_V2_DDL, V2_ROWS)
    shape = _shape(path)
    with open_store(config) as db:
        assert store.received_zips(db) == {("f" * 64, "ek01", "01-purpose-and-harm"): "2026-01-10T08:00Z"}
        assert [tuple(r) for r in store.release_rows(db)] == V2_ROWS["releases"]
    assert _user_version(path) == SCHEMA_VERSION
    after = _shape(path)
    assert {t: s for t, s in after.items() if shape[t][0]} == {t: s for t, s in shape.items() if s[0]}  # unchanged
    fresh = _config(tmp_path / "fresh")
    with open_store(fresh):
        pass
    assert after == _shape(store_path(fresh))  # plus the tables of the later versions
    for table, rows in V2_ROWS.items():
        assert _rows(path, table, COLUMNS[table]) == rows, table


def test_a_failed_migration_leaves_the_store_at_its_version(tmp_path, monkeypatch):
    config = _config(tmp_path)
    path = store_path(config)
    _write_old_store(path, V1_DDL, V1_ROWS, user_version=1)
    before = path.read_bytes()

    def half_done(db):
        store.migrate_1_to_2(db)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setitem(MIGRATIONS, 2, half_done)
    with pytest.raises(sqlite3.OperationalError, match="disk I/O error"), open_store(config):
        pass
    assert _user_version(path) == 1 and path.read_bytes() == before


@pytest.mark.parametrize("readonly", [False, True], ids=["writable", "read-only"])
def test_a_store_of_a_newer_kit_is_refused_and_left_as_it_is(tmp_path, readonly):
    config = _config(tmp_path)
    path = store_path(config)
    _write_old_store(path, UNVERSIONED_V2_DDL, V2_ROWS, user_version=SCHEMA_VERSION + 1)
    before = _files(path.parent)
    with pytest.raises(StoreError) as refused, open_store(config, readonly=readonly):
        pass
    assert str(refused.value) == NEWER_STORE.format(path=path, found=SCHEMA_VERSION + 1, known=SCHEMA_VERSION)
    assert _files(path.parent) == before


def test_the_manager_sees_why_a_newer_store_is_refused(make_project):
    from ethicskit.cli import main
    from ethicskit.course.nbgrader import load_config

    root = make_project()
    path = store_path(load_config(root))
    _write_old_store(path, UNVERSIONED_V2_DDL, V2_ROWS, user_version=SCHEMA_VERSION + 1)
    result = CliRunner().invoke(main, ["roster", "list"])
    assert result.exit_code == 1
    assert NEWER_STORE.format(path=path, found=SCHEMA_VERSION + 1, known=SCHEMA_VERSION) in result.output


@pytest.mark.parametrize("ddl", [V1_DDL, UNVERSIONED_V2_DDL], ids=["version-1", "unversioned-today"])
def test_a_read_only_open_of_an_old_store_changes_nothing_and_reads_it_as_it_is(tmp_path, ddl):
    config = _config(tmp_path)
    path = store_path(config)
    rows = V1_ROWS if ddl == V1_DDL else V2_ROWS
    _write_old_store(path, ddl, rows)
    before = _files(path.parent)
    with open_store(config, readonly=True) as db:
        tables = read_tables(db)
        assert [tuple(r) for r in store.listed_learners(db, include_inactive=True, team=None)] == \
            sorted(rows["learners"], key=lambda r: (r[4], r[2]))
    assert _files(path.parent) == before
    assert {t: list(frame.columns) for t, frame in tables.items()} == {t: list(COLUMNS[t]) for t in store.REPORT_TABLES}
    claimed = [None, None] if ddl == V1_DDL else ["2026-01-09T23:59Z"] * 2
    assert list(tables["submissions"]["claimed_at"]) == claimed
    assert [tuple(r) for r in tables["gradings"].itertuples(index=False)] == rows["gradings"]


def test_a_read_only_open_of_a_missing_store_creates_nothing(tmp_path):
    config = _config(tmp_path)
    with open_store(config, readonly=True) as db:
        assert all(frame.empty for frame in read_tables(db).values())
    assert not store_path(config).parent.exists()


# --- one owner of the store's SQL ---------------------------------------------------------------------------

STORE_TABLES = "|".join(TABLES)
# A statement on a store table, or SQL whose table is filled in at run time (as in f"SELECT * FROM {name}").
STORE_SQL = re.compile(rf"\b(?:(?:INSERT|REPLACE)(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:{STORE_TABLES})\b"
                       rf"|\bSELECT\b.*?\b(?:FROM|JOIN)\s+(?:{STORE_TABLES})\b", re.IGNORECASE | re.DOTALL)
RUN_TIME_TABLE = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE)\s*$", re.IGNORECASE)


def store_sql(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string in ``source`` that is SQL on the kit's store tables."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and STORE_SQL.search(node.value):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            for part, after in zip(node.values, node.values[1:]):
                if isinstance(part, ast.Constant) and isinstance(after, ast.FormattedValue) \
                        and "SELECT" in part.value.upper() and RUN_TIME_TABLE.search(part.value):
                    found.append((node.lineno, part.value))
    return found


def test_the_scan_finds_store_sql_however_it_is_written():
    planted = '''
a = db.execute("SELECT * FROM learners")
b = db.execute("select learner_id, module "
               "from submissions where 1")
c = db.executemany("INSERT OR IGNORE INTO received_zips VALUES (?, ?)", rows)
d = db.execute("UPDATE gradings SET digest = ?", x)
e = db.execute("DELETE FROM grading_failures")
f = pd.read_sql(f"SELECT * FROM {name}", db)
g = conn.execute(text("SELECT id FROM student"))
h = "the learners from learners"
'''
    assert [line for line, _ in store_sql(planted)] == [2, 3, 5, 6, 7, 8]


def test_only_the_store_module_holds_sql_on_the_store():
    owner = COURSE / "records" / "store.py"
    found = {str(path.relative_to(COURSE)): hits for path in sorted(COURSE.rglob("*.py")) if path != owner
             if (hits := store_sql(path.read_text(encoding="utf-8")))}
    assert not found, f"SQL on the kit's store outside records/store.py (add a function there): {found}"
    assert store_sql(owner.read_text(encoding="utf-8")), "the scan must see the store's own SQL"


def test_a_store_left_mid_write_by_a_killed_process_still_opens_read_only(tmp_path):
    """A grading killed with SIGKILL mid-transaction leaves a hot journal; reports must still read the store."""
    import subprocess
    import sys

    config = _config(tmp_path)
    with open_store(config) as db:
        store.add_release(db, "00-orientation", "v1", "", None, "2026-01-01T00:00:00.000000Z", "{}")
    path = store_path(config)
    killer = (f"import os, sqlite3\nc = sqlite3.connect({str(path)!r})\n"
              "c.execute('PRAGMA journal_mode=DELETE')\nc.execute('PRAGMA cache_size=1')\n"  # pages spill to the file
              "c.execute('BEGIN IMMEDIATE')\n"
              "c.executemany('INSERT INTO releases (module, version, cohort, released_at, checksums) "
              "VALUES (?, ?, ?, ?, ?)', [('x', 'v', '', 't', '{}')] * 20000)\n"
              "c.execute('UPDATE releases SET version = version || 1')\n"
              "os._exit(9)\n")
    subprocess.run([sys.executable, "-c", killer], check=False)
    journal = path.with_name(path.name + "-journal")
    assert journal.exists() and journal.stat().st_size > 0  # the hot journal the kill left
    with open_store(config, readonly=True) as db:
        assert [r["version"] for r in store.release_rows(db)] == ["v1"]  # the last committed state
