"""The grading pipeline once against a real PostgreSQL gradebook (nbgrader's ``db_url``).

The URLs use SQLAlchemy's ``postgresql+psycopg://`` form (psycopg 3, a kit
dependency). The server is, in order: the one named by ``ETHICSKIT_TEST_POSTGRES_URL``
(``.ci/run`` starts Debian's server and sets it), or a throwaway cluster
started here from Debian's ``postgresql`` binaries. Only when there is no
server binary at all is the test skipped, and never under CI.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from ethicskit.course._simulate import simulated_notebooks, write_zip

pytestmark = pytest.mark.slow
MODULE = "00-orientation"


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres_user(argv: list[str]) -> list[str]:
    """initdb refuses to run as root: run the server as Debian's ``postgres`` user then."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@pytest.fixture(scope="module")
def server_url():
    """An admin URL of a running PostgreSQL server."""
    url = os.environ.get("ETHICSKIT_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL test: install Debian's postgresql (see .ci/run)")
        pytest.skip("no PostgreSQL server binary (initdb, pg_ctl) here; apt-get install postgresql to run this test")
    folder = Path(tempfile.mkdtemp(prefix="ek-pg-"))  # not under pytest's root-only tmp: postgres must reach it
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", _free_port()
    subprocess.run(_as_postgres_user([initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"]),
                   check=True, capture_output=True)
    subprocess.run(_as_postgres_user([pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-w", "start", "-o",
                                      f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off"]),
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def _libpq(url: str) -> str:
    """The SQLAlchemy URL as libpq takes it (without the +driver)."""
    return url.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture
def database(server_url):
    """A fresh database on the server, dropped after the test."""
    import psycopg

    name = f"ethicskit_test_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(_libpq(server_url), autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    yield server_url.rsplit("/", 1)[0] + f"/{name}"
    time.sleep(0.2)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_the_grading_pipeline_on_postgresql(make_project, database, monkeypatch, tmp_path):
    root = make_project(MODULE)
    monkeypatch.setenv("ETHICSKIT_DB_URL", database)
    from ethicskit.course import Module, build_report, collect, grade, import_roster, list_roster, release

    (tmp_path / "hr.csv").write_text("employee_id,name,email,team,manager,cohort\n"
                                     "E1,Ann,a@x.org,Web,Bo,A\nE2,Ben,b@x.org,Web,Bo,A\nE3,Cat,c@x.org,Data,Cy,A\n")
    import_roster(tmp_path / "hr.csv")
    [record] = release(["00"])
    people = {p["employee_id"]: p["learner_id"] for p in list_roster()}
    kinds = {"E1": "complete", "E2": "partial", "E3": "tampered"}
    when = datetime.now(timezone.utc) + timedelta(minutes=1)
    for employee, kind in kinds.items():
        write_zip(tmp_path / "inbox", people[employee], MODULE, simulated_notebooks(Module(MODULE, root), kind), when)
    assert len(collect(tmp_path / "inbox").ingested) == 3
    run = grade(workers=2)
    assert not run.failed and len(run.graded) == 3, [o.error for o in run.failed]
    assert not (root / "course-data" / "gradebook.db").exists(), "the SQLite file must not be used"
    rows = build_report().matrix.set_index("employee_id")
    assert rows.loc["E1", "score"] == 4.0 and rows.loc["E2", "score"] == 2.0 and rows.loc["E3", "score"] == 4.0
    assert set(rows["status"]) == {"needs manual grading"} and set(rows["version"]) == {record.version}
    assert "was deleted" in rows.loc["E3", "tampered"]
    again = grade(workers=2)
    assert again.graded == [] and again.up_to_date == 3

    import psycopg

    with psycopg.connect(_libpq(database)) as conn, conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM submitted_assignment")
        assert cur.fetchone()[0] == 3
        cur.execute("SELECT COUNT(*), COUNT(first_name) FROM student")
        assert cur.fetchone() == (3, 0), "learner ids only: no HR fields in nbgrader's student table"
    assert Path(root).exists()
