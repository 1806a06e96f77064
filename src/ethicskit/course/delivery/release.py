"""``ethicskit release``: release modules through nbgrader's exchange, at a version.

Releasing generates the module with nbgrader into a staging folder (which
also records its cells in the gradebook, as autograde needs), releases that
to the exchange, and records the release in the kit's store: the module, its
version (a content hash of the released notebooks), the cohort (empty for
everyone), the due date and the checksums of its locked cells, which the
grader uses to detect tampering. Each release is also a ``release`` event
in the store's event log (``ethicskit verify``).
"""

from __future__ import annotations

import copy
import hashlib
import json
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import nbformat

from ethicskit.course.errors import CourseError
from ethicskit.course.modules import resolve_modules
from ethicskit.course.nbgrader import load_config, open_api, run_step
from ethicskit.course.records.store import (
    add_release,
    append_event,
    course_data_dir,
    open_store,
    release_rows,
    utc_now,
)

# Error texts: tests import the same constants.
BAD_DUE = "due date {due!r} is not a date; use YYYY-MM-DD, e.g. 2026-03-31"
NO_MODULES = "name at least one module to release, e.g. `ethicskit release 00`"
UNGRADED = "module(s) {modules} have no graded exercise in solutions/ to release"
STEP_FAILED = "nbgrader {step} {module} failed: {summary}"


@dataclass(frozen=True)
class Release:
    module: str
    version: str
    cohort: str
    due: str | None
    released_at: str
    checksums: dict

    @property
    def notebooks(self) -> list[str]:
        return sorted(self.checksums)


def module_version(folder: Path) -> str:
    """A short content hash of a released module's notebooks (names, cells, metadata)."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cells = [(c.cell_type, c.source, c.metadata.get("nbgrader", {})) for c in nb.cells]
        digest.update(path.name.encode() + json.dumps(cells, sort_keys=True).encode())
    return digest.hexdigest()[:12]


def locked_checksums(folder: Path) -> dict[str, dict[str, str]]:
    """notebook name -> {grade_id: checksum} for the release's cells with a grade_id.

    Locked cells carry their checksum; answer cells, which learners edit, map
    to an empty string (only their presence is checked).
    """
    found = {}
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cells = {}
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade_id"):
                cells[meta["grade_id"]] = meta.get("checksum", "") if meta.get("locked") else ""
        found[path.stem] = cells
    return found


def _check_due(due: str | None) -> str | None:
    if due is None:
        return None
    try:
        return date.fromisoformat(str(due)).isoformat()
    except ValueError as exc:
        raise CourseError(BAD_DUE.format(due=due)) from exc


def release(names: list[str], *, cohort: str | None = None, due: str | None = None,
            root: Path | None = None) -> list[Release]:
    """Release each named module (to ``cohort``, or everyone) and record it; returns the records."""
    if not names:
        raise CourseError(NO_MODULES)
    due = _check_due(due)
    modules = resolve_modules(names, root)
    ungraded = [m.slug for m in modules if not m.graded]
    if ungraded:
        raise CourseError(UNGRADED.format(modules=", ".join(ungraded)))
    config = load_config(root)
    records = []
    for module in modules:
        with tempfile.TemporaryDirectory(prefix="ek-release-", dir=_staging_parent(config)) as staging:
            staged = copy.deepcopy(config)
            staged.CourseDirectory.release_directory = staging
            staged.ExchangeReleaseAssignment.force = True
            api = open_api(staged)
            for step in ("generate_assignment", "release_assignment"):
                result = run_step(api, step, module.slug)
                if not result.success:
                    raise CourseError(STEP_FAILED.format(step=step, module=module.slug, summary=result.summary))
            folder = Path(staging) / module.slug
            record = Release(module.slug, module_version(folder), cohort or "", due, utc_now(),
                             locked_checksums(folder))
        with open_store(config) as db:
            add_release(db, record.module, record.version, record.cohort, record.due, record.released_at,
                        json.dumps(record.checksums))
            append_event(db, "release", module=record.module, version=record.version, at=record.released_at,
                         detail={"cohort": record.cohort, "due": record.due, "notebooks": record.notebooks})
        records.append(record)
    return records


def _staging_parent(config) -> str:
    folder = course_data_dir(config)
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder)


def releases(config, *, readonly: bool = True) -> list[Release]:
    """Every release recorded, oldest first."""
    with open_store(config, readonly=readonly) as db:
        rows = release_rows(db)
    return [Release(r["module"], r["version"], r["cohort"], r["due"], r["released_at"], json.loads(r["checksums"]))
            for r in rows]


def current_release(all_releases: list[Release], module: str, cohort: str) -> Release | None:
    """The latest release of ``module`` that reaches ``cohort`` (its own, or one for everyone)."""
    found = [r for r in all_releases if r.module == module and r.cohort in ("", cohort)]
    return found[-1] if found else None
