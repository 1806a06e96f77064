"""Read the gradebook and the kit's store into tables, read-only and fast.

A few aggregate SQL queries over nbgrader's tables (which work on SQLite and
PostgreSQL alike) instead of nbgrader's ORM properties, which issue one
subquery per object. Nothing here writes: a SQLite gradebook is opened
read-only, and a missing one reads as empty.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ethicskit.course.nbgrader import GRADE_JOINS, GRADE_MAX_SCORE, readonly_url

_SCORE = ("CASE WHEN g.manual_score IS NOT NULL THEN g.manual_score + COALESCE(g.extra_credit, 0) "
          "WHEN g.auto_score IS NOT NULL THEN g.auto_score + COALESCE(g.extra_credit, 0) ELSE 0 END")
_MAX = GRADE_MAX_SCORE
_FROM = GRADE_JOINS
# The pass rule (DESIGN.md section 4) reads the core only: every notebook of a module but its optional
# analyst extension (NN-slug-analyst.ipynb). A written answer is a graded cell that is also an answer
# cell (nbgrader keeps a grade cell and a solution cell of the same name), or a task cell.
ANALYST_SUFFIX = "-analyst"
# No LIKE '%...': the queries go to the driver as they are, and psycopg reads % as a placeholder.
_CORE = f"SUBSTR(n.name, LENGTH(n.name) - {len(ANALYST_SUFFIX) - 1}) <> '{ANALYST_SUFFIX}'"
_WRITTEN = ("(tc.id IS NOT NULL OR EXISTS (SELECT 1 FROM base_cell b2 JOIN solution_cells s ON s.id = b2.id "
            "WHERE b2.name = bc.name AND b2.notebook_id = bc.notebook_id))")
SUBMISSIONS_SQL = f"""
SELECT sa.student_id AS learner_id, a.name AS module, sa.timestamp AS graded_timestamp,
       SUM(CASE WHEN {_CORE} THEN {_SCORE} ELSE 0 END) AS score,
       SUM(CASE WHEN {_CORE} THEN {_MAX} ELSE 0 END) AS max_score,
       SUM(CASE WHEN {_CORE} AND g.needs_manual_grade THEN 1 ELSE 0 END) AS pending_items,
       SUM(CASE WHEN {_CORE} AND {_WRITTEN} THEN 1 ELSE 0 END) AS written_items,
       SUM(CASE WHEN {_CORE} AND {_WRITTEN} AND NOT g.needs_manual_grade AND 2 * ({_SCORE}) < {_MAX}
                THEN 1 ELSE 0 END) AS written_below_half,
       SUM(CASE WHEN {_CORE} THEN 0 ELSE {_SCORE} END) AS analyst_score,
       SUM(CASE WHEN {_CORE} THEN 0 ELSE {_MAX} END) AS analyst_max_score
{_FROM}
GROUP BY sa.student_id, a.name, sa.timestamp
"""
ITEMS_SQL = f"""
SELECT a.name AS module, bc.name AS grade_id, COUNT(*) AS graded,
       SUM(CASE WHEN {_SCORE} >= {_MAX} THEN 1 ELSE 0 END) AS full_marks,
       SUM({_SCORE}) AS points, SUM({_MAX}) AS max_points
{_FROM}
WHERE NOT g.needs_manual_grade
GROUP BY a.name, bc.name
"""
QUEUE_SQL = f"""
SELECT sa.student_id AS learner_id, a.name AS module, bc.name AS grade_id, {_MAX} AS max_score
{_FROM}
WHERE g.needs_manual_grade
"""

@dataclass
class GradebookTables:
    submissions: pd.DataFrame
    items: pd.DataFrame
    queue: pd.DataFrame


def _empty() -> GradebookTables:
    return GradebookTables(
        pd.DataFrame(columns=["learner_id", "module", "graded_timestamp", "score", "max_score", "pending_items",
                              "written_items", "written_below_half", "analyst_score", "analyst_max_score"]
                     ).astype({"graded_timestamp": "datetime64[ns, UTC]"}),
        pd.DataFrame(columns=["module", "grade_id", "graded", "full_marks", "points", "max_points"]),
        pd.DataFrame(columns=["learner_id", "module", "grade_id", "max_score"]),
    )


def _frame(conn, sql: str) -> pd.DataFrame:
    """Run ``sql`` on the driver directly (much faster than row objects for large results)."""
    result = conn.exec_driver_sql(sql)
    return pd.DataFrame.from_records(result.fetchall(), columns=list(result.keys()))


def _run_all(engine, queries) -> list[pd.DataFrame]:
    """Each query on its own connection and thread: the database works on them at once."""
    from concurrent.futures import ThreadPoolExecutor

    def run(sql: str) -> pd.DataFrame:
        with engine.connect() as conn:
            return _frame(conn, sql)

    with ThreadPoolExecutor(max_workers=len(queries)) as pool:
        return list(pool.map(run, queries))


def read_gradebook(db_url: str) -> GradebookTables:
    """Per-submission scores, per-item results and the manual-grading queue."""
    url = readonly_url(db_url)
    if url is None:
        return _empty()
    from sqlalchemy import create_engine, inspect

    engine = create_engine(url)
    try:
        if "grade" not in inspect(engine).get_table_names():
            return _empty()
        subs, items, queue = _run_all(engine, (SUBMISSIONS_SQL, ITEMS_SQL, QUEUE_SQL))
    finally:
        engine.dispose()
    subs["graded_timestamp"] = pd.to_datetime(subs["graded_timestamp"], utc=True, format="ISO8601")
    return GradebookTables(subs, items, queue)


def read_store(config) -> dict[str, pd.DataFrame]:
    """The store's learners, releases, submissions, gradings and grading failures as DataFrames (read-only)."""
    from ethicskit.course.records.store import open_store, read_tables

    with open_store(config, readonly=True) as db:
        return read_tables(db)
