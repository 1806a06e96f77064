"""The grading pipeline once against a real PostgreSQL gradebook (nbgrader's ``db_url``).

The URLs use SQLAlchemy's ``postgresql+psycopg://`` form (psycopg 3, a kit
dependency). The server is, in order: the one named by ``ETHICSKIT_TEST_POSTGRES_URL``
(``.ci/run`` starts Debian's server and sets it), or a throwaway cluster
started here from Debian's ``postgresql`` binaries. Only when there is no
server binary at all is the test skipped, and never under CI.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hub.harness import libpq, postgres_database, postgres_server
from tools import need

from ethicskit.course.demo.simulate import simulated_notebooks, write_zip

pytestmark = pytest.mark.slow
MODULE = "00-orientation"


@pytest.fixture(scope="module")
def server_url():
    """An admin URL of a running PostgreSQL server (``.ci/run`` provides one; else a throwaway cluster)."""
    need("postgresql")
    with postgres_server() as url:
        yield url


@pytest.fixture
def database(server_url):
    """A fresh database on the server, dropped after the test."""
    with postgres_database(server_url, prefix="ethicskit_test") as url:
        yield url


def test_the_grading_pipeline_on_postgresql(make_project, database, monkeypatch, tmp_path):
    root = make_project(MODULE)
    monkeypatch.setenv("ETHICSKIT_DB_URL", database)
    from ethicskit.course import (
        Module,
        build_report,
        collect,
        grade,
        import_roster,
        list_roster,
        release,
    )

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

    with psycopg.connect(libpq(database)) as conn, conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM submitted_assignment")
        assert cur.fetchone()[0] == 3
        cur.execute("SELECT COUNT(*), COUNT(first_name) FROM student")
        assert cur.fetchone() == (3, 0), "learner ids only: no HR fields in nbgrader's student table"
    assert Path(root).exists()
