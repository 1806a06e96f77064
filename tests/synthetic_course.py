"""A synthetic course record at any scale, for the report benchmark and report tests.

It builds a real nbgrader gradebook schema (through nbgrader's ``Gradebook``)
with ``modules`` assignments of five items each (four autograded 1-point
items and one 2-point written answer), then bulk-inserts learners,
submissions and grades with SQL, and fills the kit's store to match. No
notebook is executed, so 10,000 learners x 9 modules take seconds.
"""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ethicskit.course.nbgrader import gradebook
from ethicskit.course.records.store import add_learners, add_release, open_store, record_submission

ITEMS = [("q1", 1.0, False), ("q2", 1.0, False), ("q3", 1.0, False), ("q4", 1.0, False), ("q5", 2.0, True)]
TEAMS = ["Marketing", "Analytics", "Product", "CRM", "Customer care", "Finance", "Risk", "Stores"]
START = datetime(2026, 1, 5, tzinfo=timezone.utc)


def _uid() -> str:
    return uuid.uuid4().hex


def _define_modules(config, modules: int) -> dict[str, dict]:
    """Create assignments, notebooks and cells with nbgrader's API; return their ids."""
    found = {}
    with gradebook(config) as gb:
        for m in range(modules):
            slug = f"{m:02d}-module-{m}"
            gb.update_or_create_assignment(slug)
            gb.add_notebook(slug, slug)
            cells = {}
            for item, points, manual in ITEMS:
                name = f"{m:02d}-{item}-item"
                cell = gb.add_grade_cell(name, slug, slug, max_score=points, cell_type="markdown" if manual else "code")
                if manual:
                    gb.add_solution_cell(name, slug, slug)
                gb.add_source_cell(name, slug, slug, cell_type=cell.cell_type, locked=not manual, source="",
                                   checksum="")
                cells[name] = (cell.id, points, manual)
            found[slug] = {"notebook": gb.find_notebook(slug, slug).id,
                           "assignment": gb.find_assignment(slug).id, "cells": cells}
    return found


def synthetic_course(config, *, learners: int = 10_000, modules: int = 9, seed: int = 3,
                     everyone_submits: bool = False) -> dict[str, int]:
    """Fill the (empty) gradebook and store of ``config`` with a synthetic cohort; returns counts.

    Learners stop at a random module (about half of all learner x module
    cells get a submission), or, with ``everyone_submits``, submit them all.
    """
    from sqlalchemy import create_engine, text

    from ethicskit.course.nbgrader import _make_sqlite_folder

    rng = random.Random(seed)
    _make_sqlite_folder(config.CourseDirectory.db_url)
    defined = _define_modules(config, modules)
    people = [(f"E{i:06d}", f"ek{i:010x}", f"Person {i}", f"person{i}@example.com", TEAMS[i % len(TEAMS)],
               f"Manager {i % 40}", f"2026-Q{1 + i % 4}") for i in range(learners)]
    subs, nbs, grades, store_subs = [], [], [], []
    for e, learner_id, *_ in people:
        progress = modules if everyone_submits else rng.randint(0, modules)
        for m, (slug, ids) in enumerate(defined.items()):
            if m >= progress:
                break
            when = START + timedelta(days=3 * m, hours=rng.randint(0, 200))
            sa, sn = _uid(), _uid()
            subs.append({"id": sa, "a": ids["assignment"], "s": learner_id, "t": when.replace(tzinfo=None)})
            nbs.append({"id": sn, "sa": sa, "n": ids["notebook"]})
            skill = rng.random()
            for cell_id, points, manual in ids["cells"].values():
                marked = not manual or rng.random() < 0.7
                score = points if rng.random() < 0.55 + 0.4 * skill else 0.0
                grades.append({"id": _uid(), "nb": sn, "c": cell_id, "auto": None if manual else score,
                               "manual": score if manual and marked else None, "need": manual and not marked})
            store_subs.append((learner_id, slug, when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "x", "zip", "x"))
    engine = create_engine(config.CourseDirectory.db_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO student (id) VALUES (:s)"), [{"s": p[1]} for p in people])
        conn.execute(text("INSERT INTO submitted_assignment (id, assignment_id, student_id, timestamp) "
                          "VALUES (:id, :a, :s, :t)"), subs)
        conn.execute(text("INSERT INTO submitted_notebook (id, assignment_id, notebook_id, flagged) "
                          "VALUES (:id, :sa, :n, false)"), nbs)
        conn.execute(text("INSERT INTO grade (id, notebook_id, cell_id, auto_score, manual_score, "
                          "needs_manual_grade) VALUES (:id, :nb, :c, :auto, :manual, :need)"), grades)
    engine.dispose()
    with open_store(config) as db:
        add_learners(db, [(*person, None, "2026-01-01") for person in people])
        for m, slug in enumerate(defined):
            due = (START + timedelta(days=14 + 7 * m)).date().isoformat()
            add_release(db, slug, f"v{m}", "", due, START.strftime("%Y-%m-%dT%H:%M:%SZ"), "{}")
        for submission in store_subs:
            record_submission(db, *submission)
    return {"learners": learners, "submissions": len(subs), "grades": len(grades)}


def synthetic_config(folder: Path):
    """A course config whose records all live in ``folder`` (no modules on disk)."""
    from ethicskit.course.nbgrader import load_config

    folder.mkdir(parents=True, exist_ok=True)
    return load_config(None, CourseDirectory={
        "root": str(folder), "submitted_directory": str(folder / "submitted"),
        "autograded_directory": str(folder / "autograded"), "feedback_directory": str(folder / "feedback"),
        "db_url": f"sqlite:///{folder / 'gradebook.db'}"})
