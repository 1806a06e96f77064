"""The clean re-check: grade a learner's answers again, outside the learner's kernel.

An answer cell runs in the same kernel as the tests after it, so it can patch
what they use (``len``, ``hashlib``, pandas, ``ethicskit.data.load``...). After
nbgrader's autograde, :func:`recheck_submission` builds a clean notebook from
the released cells, with every locked and test cell as the gradebook holds it
(hidden tests included), and for each answer cell only:

- its ``name = <literal>`` assignments, read with ``ast.literal_eval`` (the
  learner's code never runs), and
- the other answer names as plain data exported from the learner's kernel
  (:mod:`ethicskit.course.grading.graded_execute`); an object that is not plain data
  is missing, so its checks fail.

It runs in a fresh sandboxed kernel. Each test cell's score is the lower of
nbgrader's and the clean one; where nbgrader's was higher, the gradebook's
``manual_score`` (which every reader prefers to ``auto_score``) holds the clean
score, the feedback says why, and the submission is flagged.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from ethicskit.course.grading.answer_cells import (
    assigned_names,
    literal_answers,
    loaded_names,
    patching_findings,
)
from ethicskit.course.grading.graded_execute import EXPORTS, _meta, is_answer_cell

RECHECK_ENAME = "CleanRecheckFailed"
RECHECK_MESSAGE = ("a clean re-check, with only your answer values and the original checks, did not pass: "
                   "this cell scores {clean:g} of {points:g}, not {nbgrader:g}. {reason}")
CHANGED_FLAG = "{nb}: answer cell changed the checks: {grade_id} (nbgrader {nbgrader:g}, clean re-check {clean:g})"
DECODER = '''
def __ek_value(text):
    import io, json
    def back(v):
        if isinstance(v, list):
            return [back(x) for x in v]
        if isinstance(v, dict) and "__ek__" in v:
            kind = v["__ek__"]
            if kind == "tuple":
                return tuple(back(x) for x in v["items"])
            if kind == "set":
                return {back(x) for x in v["items"]}
            if kind == "dict":
                return {back(k): back(x) for k, x in v["items"]}
            import pandas as pd
            typ = "series" if kind == "Series" else "frame"
            return pd.read_json(io.StringIO(v["json"]), orient="split", typ=typ)
        return v
    return back(json.loads(text))
'''


def answer_source(learner_source: str, exported: dict[str, dict]) -> tuple[str, list[str]]:
    """The clean cell for one answer: literal assignments and exported values; and what could not be exported.

    >>> answer_source("q1 = 'b'\\nq2 = len(x)", {"q2": {"value": 3}})
    ("q1 = 'b'\\nq2 = __ek_value('3')", [])
    >>> answer_source("f = make()", {"f": {"error": "a function cannot be exported as plain data"}})
    ('', ['`f`: a function cannot be exported as plain data'])
    """
    literals, computed = literal_answers(learner_source)
    lines = [f"{name} = {value!r}" for name, value in literals.items()]
    missing = []
    for name in computed + [n for n in exported if n not in literals and n not in computed]:
        item = exported.get(name)
        if item and "value" in item:
            lines.append(f"{name} = __ek_value({json.dumps(item['value'])!r})")
        elif item:
            missing.append(f"`{name}`: {item.get('error', 'not exported')}")
    return "\n".join(lines), missing


def clean_notebook(release: nbformat.NotebookNode, locked: dict[str, str], answers: dict[str, str],
                   exports: dict[str, dict]) -> tuple[nbformat.NotebookNode, dict[str, list[str]]]:
    """The released notebook with locked cells from the gradebook and answer cells as values only."""
    nb = nbformat.v4.new_notebook(metadata=release.metadata)
    nb.cells.append(nbformat.v4.new_code_cell(DECODER))
    missing: dict[str, list[str]] = {}
    current = None
    for cell in release.cells:
        if cell.cell_type != "code":
            continue
        grade_id = _meta(cell).get("grade_id")
        clean = nbformat.v4.new_code_cell(cell.source, metadata=cell.metadata)
        if is_answer_cell(cell):
            current = grade_id
            clean.source, missing[grade_id] = answer_source(answers.get(grade_id, ""), exports.get(grade_id, {}))
        elif grade_id in locked:
            clean.source = locked[grade_id]
        if _meta(cell).get("grade") and current:
            clean.metadata.setdefault("ethicskit_recheck", {})["answer"] = current
        nb.cells.append(clean)
    return nb, missing


def run_clean(nb: nbformat.NotebookNode, cwd: Path, *, timeout: int, sandboxed: bool) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    kwargs = {}
    if sandboxed:
        from ethicskit.course.grading.sandbox import SandboxKernelManager

        kwargs["kernel_manager_class"] = SandboxKernelManager
    NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True, shutdown_kernel="immediate",
                   resources={"metadata": {"path": str(cwd)}}, **kwargs).execute()
    return nb


def _clean_scores(nb) -> dict[str, tuple[float, str]]:
    from nbgrader.utils import determine_grade

    scores = {}
    for cell in nb.cells:
        meta = _meta(cell)
        if meta.get("grade") and not meta.get("solution") and meta.get("grade_id"):
            score = determine_grade(cell)[0] or 0.0
            errors = [f"{o['ename']}: {o['evalue']}" for o in cell.outputs if o.get("output_type") == "error"]
            scores[meta["grade_id"]] = (score, errors[0][:300] if errors else "")
    return scores


def static_findings(submitted: nbformat.NotebookNode, release: nbformat.NotebookNode, notebook: str) -> list[str]:
    """Patching attempts in the cells a learner can write (answer cells and added cells)."""
    protected: set[str] = set()
    released_ids = set()
    for cell in release.cells:
        meta = _meta(cell)
        released_ids.add(meta.get("grade_id"))
        if cell.cell_type == "code" and not is_answer_cell(cell):
            protected |= assigned_names(cell.source)
            if meta.get("grade"):
                protected |= {n for n in loaded_names(cell.source) if n in assigned_names(cell.source)}
    found = []
    for i, cell in enumerate(submitted.cells):
        meta = _meta(cell)
        writable = is_answer_cell(cell) or (meta.get("grade_id") not in released_ids) or not meta.get("locked")
        if cell.cell_type == "code" and writable and not (meta.get("grade") and meta.get("locked")):
            label = f"{notebook}: {meta.get('grade_id') or f'cell {i}'}"
            found += patching_findings(cell.source, protected=protected, label=label)
    return found


def recheck_submission(config, module: str, learner_id: str, graded_folder: Path, *, timeout: int,
                       sandboxed: bool = True) -> list[str]:
    """Re-check one autograded submission in a clean kernel; lower gradebook scores; return the flags."""
    from ethicskit.course.nbgrader import gradebook

    root = Path(config.CourseDirectory.root)
    release_dir = root / config.CourseDirectory.release_directory / module
    submitted_dir = Path(config.CourseDirectory.submitted_directory) / learner_id / module
    flags: list[str] = []
    for graded_path in sorted(graded_folder.glob("*.ipynb")):
        name = graded_path.stem
        release_path, submitted_path = release_dir / graded_path.name, submitted_dir / graded_path.name
        if not release_path.exists():
            continue
        release = nbformat.read(release_path, as_version=4)
        learner = nbformat.read(submitted_path, as_version=4) if submitted_path.exists() else release
        flags += static_findings(learner, release, graded_path.name)
        answers = {_meta(c).get("grade_id"): c.source for c in learner.cells if is_answer_cell(c)}
        with gradebook(config) as gb:
            locked = {c.name: c.source for c in gb.find_notebook(name, module).source_cells if c.locked}
        clean, missing = clean_notebook(release, locked, answers, EXPORTS.pop(name, {}))
        scores = _clean_scores(run_clean(clean, graded_folder, timeout=timeout, sandboxed=sandboxed))
        answer_of = {_meta(c).get("grade_id"): c.metadata.get("ethicskit_recheck", {}).get("answer")
                     for c in clean.cells}
        lowered = _apply(config, module, learner_id, name, scores, answer_of, missing)
        flags += [CHANGED_FLAG.format(nb=graded_path.name, **row) for row in lowered]
        if lowered:
            _annotate(graded_path, lowered)
    return flags


def _apply(config, module, learner_id, name, scores, answer_of, missing) -> list[dict]:
    """Write the lower of nbgrader's and the clean score into the gradebook; return the lowered cells."""
    from ethicskit.course.nbgrader import gradebook

    lowered = []
    with gradebook(config) as gb:
        for grade_id, (clean, error) in scores.items():
            grade = gb.find_grade(grade_id, name, module, learner_id)
            nbgrader_score = grade.auto_score or 0.0
            if clean < nbgrader_score - 1e-9:
                reasons = missing.get(answer_of.get(grade_id) or "", [])
                reason = ("Not plain data, so not checked: " + "; ".join(reasons) + ".") if reasons else \
                    (f"The original checks said: {error}" if error else "")
                grade.manual_score = clean
                lowered.append({"grade_id": grade_id, "nbgrader": nbgrader_score, "clean": clean,
                                "points": grade.max_score, "reason": reason})
            else:
                grade.manual_score = None
            grade.needs_manual_grade = False
        gb.db.commit()
    return lowered


def _annotate(path: Path, lowered: list[dict]) -> None:
    """Say in the graded notebook (and so in the feedback) why a cell scores less than its output shows."""
    nb = nbformat.read(path, as_version=4)
    by_id = {row["grade_id"]: row for row in lowered}
    for cell in nb.cells:
        row = by_id.get(_meta(cell).get("grade_id"))
        if row and cell.cell_type == "code":
            message = RECHECK_MESSAGE.format(**row)
            cell.outputs.append(nbformat.v4.new_output("error", ename=RECHECK_ENAME, evalue=message,
                                                       traceback=[f"{RECHECK_ENAME}: {message}"]))
    nbformat.write(nb, path)
