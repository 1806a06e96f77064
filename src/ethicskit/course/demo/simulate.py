"""Simulated learners' work for any module: the demo, the tests and the benchmarks use it.

Each kind of submission is built from the module's own files, so it works for
every module: answers come from the solution notebook, the notebooks from the
released exercise.

- ``complete``: every answer cell holds the solution;
- ``partial``: the first half of the code answers are left untouched;
- ``blank``: the exercise as released;
- ``late``: complete, submitted after the due date (the caller picks the time);
- ``tampered``: complete, but a locked test cell is replaced by ``assert True``
  and the last test cell is deleted (nbgrader restores both; the report flags it);
- ``never-ending``: complete, but the first code answer loops forever.
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import nbformat

from ethicskit.course.authoring.scratch import with_answers
from ethicskit.course.delivery.package import write_signed_zip
from ethicskit.course.errors import CourseError
from ethicskit.course.modules import Module
from ethicskit.course.nbgrader import load_config
from ethicskit.course.records.store import learner_secret, open_store

KINDS = ("complete", "partial", "blank", "late", "tampered", "never-ending")
NEVER_ENDING = "while True:\n    pass"
UNKNOWN_KIND = "unknown kind {kind!r}; the kinds are: {kinds}"


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def solution_answers(module: Module) -> dict[str, dict[str, str]]:
    """notebook stem -> {grade_id: solution source} for every answer cell of the module."""
    found = {}
    for path in module.source_notebooks():
        nb = nbformat.read(path, as_version=4)
        found[path.stem] = {_meta(c)["grade_id"]: c.source for c in nb.cells if _meta(c).get("solution")}
    return found


def simulated_notebooks(module: Module, kind: str) -> dict[str, nbformat.NotebookNode]:
    """File name -> notebook for one simulated learner of ``kind`` (one of ``KINDS``)."""
    if kind not in KINDS:
        raise CourseError(UNKNOWN_KIND.format(kind=kind, kinds=", ".join(KINDS)))
    answers = solution_answers(module)
    made = {}
    for path in sorted(module.release_dir.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if kind != "blank":
            chosen = dict(answers.get(path.stem, {}))
            code = [c for c in nb.cells if _meta(c).get("solution") and c.cell_type == "code"]
            if kind == "partial":
                for cell in code[: max(1, len(code) // 2)]:
                    chosen.pop(_meta(cell)["grade_id"], None)
            if kind == "never-ending" and code:
                chosen[_meta(code[0])["grade_id"]] = NEVER_ENDING
            nb = with_answers(nb, chosen)
        if kind == "tampered":
            nb = _tamper(nb)
        made[path.name] = nb
    return made


def _tamper(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    tests = [i for i, c in enumerate(nb.cells)
             if _meta(c).get("grade") and not _meta(c).get("solution") and c.cell_type == "code"]
    if tests:
        nb.cells[tests[0]].source = "assert True"
    if len(tests) > 1:
        del nb.cells[tests[-1]]
    return nb


def write_zip(out: Path, learner_id: str, module: str, notebooks: dict[str, nbformat.NotebookNode],
              when: datetime, *, signed: bool = True) -> Path:
    """Pack notebooks the way ``ethicskit submit`` does, signed with the learner's secret from the course's store.

    A learner the store has no secret for (an unknown id), or ``signed=False``, gets an unsigned zip.
    """
    files = {name: nbformat.writes(nb).encode() for name, nb in notebooks.items()}
    secret = None
    if signed:
        with open_store(load_config(), readonly=True) as db:
            secret = learner_secret(db, learner_id)
    return write_signed_zip(out, files, learner_id=learner_id, module=module, when=when, secret=secret)


def hostile_zips(out: Path, *, learner_id: str, module: str, when: datetime) -> dict[str, str]:
    """Bad and hostile files, each with the word its rejection reason contains."""
    out.mkdir(parents=True, exist_ok=True)
    made = {}

    def _zip(members: dict[str, bytes], reason: str, second: int) -> None:
        path = out / f"{learner_id}+{module}+{stamp[:-3]}{second:02d}Z.zip"
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for member, data in members.items():
                zf.writestr(member, data)
        made[path.name] = reason

    stamp = when.strftime("%Y%m%dT%H%M%SZ")
    corrupt = out / f"{learner_id}+{module}+{stamp[:-3]}01Z.zip"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip")
    made[corrupt.name] = "corrupt"
    _zip({f"../../{module}.ipynb": b"{}"}, "zip-slip", 2)
    _zip({"run-me.sh": b"rm -rf ~"}, "not a notebook", 3)
    _zip({f"{module}.ipynb": b" " * (21 * 2**20)}, "oversized", 4)
    (out / "my homework.zip").write_bytes(b"")
    made["my homework.zip"] = "file name"
    return made
