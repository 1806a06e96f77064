"""``ethicskit check``: the integrity gate, run in a scratch course.

For each module it checks, in order: the notebooks follow the static rules;
the lesson runs in a fresh kernel; exercises/ equals what nbgrader generates
from solutions/; the solutions, submitted as they are, earn full marks under
real ``nbgrader autograde``; the untouched exercises earn zero without any
non-answer cell crashing. Nothing touches the real gradebook.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from ethicskit.course._execute import execute_notebook, failing_cells, has_error
from ethicskit.course._modules import Module
from ethicskit.course._rules import lint_notebook
from ethicskit.course._scratch import ScratchCourse
from ethicskit.paths import project_root

SOLUTION_STUDENT = "ek-check-solution"
UNTOUCHED_STUDENT = "ek-check-untouched"


@dataclass
class Outcome:
    """The result of one check on one module."""

    module: str
    check: str
    ok: bool
    seconds: float = 0.0
    details: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


class _Timer:
    def __init__(self, module: str, check: str):
        self.outcome = Outcome(module, check, True)

    def fail(self, detail: str) -> None:
        self.outcome.ok = False
        self.outcome.details.append(detail)

    def __enter__(self):
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.outcome.seconds = round(time.perf_counter() - self._start, 2)
        return False


def _normalized(path: Path) -> dict:
    return nbformat.from_dict(nbformat.read(path, as_version=4))


def _sync_problems(module: Module, generated: Path) -> list[str]:
    committed = module.release_dir
    made = {p.relative_to(generated) for p in generated.rglob("*") if p.is_file()}
    have = {p.relative_to(committed) for p in committed.rglob("*") if p.is_file()} if committed.is_dir() else set()
    problems = [f"exercises/{module.slug}/{p} is missing; run `ethicskit build {module.number}`" for p in sorted(made - have)]
    problems += [f"exercises/{module.slug}/{p} is not generated from solutions/; remove it" for p in sorted(have - made)]
    for rel in sorted(made & have):
        a, b = generated / rel, committed / rel
        same = _normalized(a) == _normalized(b) if rel.suffix == ".ipynb" else a.read_bytes() == b.read_bytes()
        if not same:
            problems.append(f"exercises/{module.slug}/{rel} is out of date; run `ethicskit build {module.number}`")
    return problems


def _crashed_cells(paths: list[Path]) -> list[str]:
    """Cells that errored although they are neither answer nor test cells."""
    problems = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            meta = cell.metadata.get("nbgrader", {})
            if has_error(cell) and not (meta.get("solution") or meta.get("grade")):
                name = meta.get("grade_id", "")
                problems.append(f"{path.name} [cell {i} {name}] crashed although it is not an answer cell")
    return problems


def _graded(course: ScratchCourse, student: str, notebooks: list[Path], t: _Timer):
    course.submit(student, {p.name: p for p in notebooks})
    result = course.autograde(student)
    if not result.success:
        t.fail(f"autograde failed: {result.summary}")
        return {}
    return course.scores(student)


def check_module(module: Module, *, root: Path | None = None) -> list[Outcome]:
    """Run every check for one module and return one Outcome per check."""
    root = root or project_root()
    outcomes: list[Outcome] = []

    with _Timer(module.slug, "notebooks follow the rules") as t:
        paths = [module.lesson] if module.lesson.exists() else []
        if not paths:
            t.fail(f"modules/{module.slug}/lesson.ipynb is missing")
        graded = module.source_notebooks() + sorted(module.release_dir.glob("*.ipynb"))
        for path in paths + graded:
            for problem in lint_notebook(path, module_number=module.number, graded=path in graded):
                t.fail(str(problem))
    outcomes.append(t.outcome)

    if module.lesson.exists():
        with _Timer(module.slug, "lesson runs in a fresh kernel") as t:
            for error in execute_notebook(module.lesson):
                t.fail(error)
        outcomes.append(t.outcome)

    if not module.graded:
        return outcomes
    with ScratchCourse(module) as course:
        with _Timer(module.slug, "exercises in sync with solutions") as t:
            built = course.generate()
            if not built.success:
                cells = [c for nb in module.source_notebooks() for c in failing_cells(nb)]
                for detail in cells or [built.summary]:
                    t.fail(f"nbgrader generate_assignment failed: {detail}")
            else:
                for problem in _sync_problems(module, course.release_dir):
                    t.fail(problem)
        outcomes.append(t.outcome)
        if not built.success:
            return outcomes

        with _Timer(module.slug, "solutions earn full marks") as t:
            scores = _graded(course, SOLUTION_STUDENT, module.source_notebooks(), t)
            for grade_id, (got, best, nb) in sorted(scores.items()):
                if got < best:
                    t.fail(f"{nb}: {grade_id} scored {got:g} of {best:g}")
        outcomes.append(t.outcome)

        with _Timer(module.slug, "untouched exercises earn zero") as t:
            released = sorted(module.release_dir.glob("*.ipynb"))
            if not released:
                t.fail(f"exercises/{module.slug} has no notebooks; run `ethicskit build {module.number}`")
            scores = _graded(course, UNTOUCHED_STUDENT, released, t) if released else {}
            for grade_id, (got, _best, nb) in sorted(scores.items()):
                if got > 0:
                    t.fail(f"{nb}: {grade_id} gave {got:g} points to an untouched answer")
            for problem in _crashed_cells(course.autograded_notebooks(UNTOUCHED_STUDENT)):
                t.fail(problem)
        outcomes.append(t.outcome)
    return outcomes


def check_dashboards(root: Path | None = None) -> list[Outcome]:
    """START_HERE and every dashboard notebook follow the rules and run in a fresh kernel."""
    root = root or project_root()
    outcomes = []
    paths = [p for p in [root / "START_HERE.ipynb"] if p.exists()] + sorted((root / "dashboards").glob("*.ipynb"))
    for path in paths:
        with _Timer(str(path.relative_to(root)), "runs in a fresh kernel") as t:
            for problem in lint_notebook(path):
                t.fail(str(problem))
            for error in execute_notebook(path):
                t.fail(error)
        outcomes.append(t.outcome)
    return outcomes


def _check_task(task: tuple[str, str]) -> list[Outcome]:
    kind, arg = task
    root = Path(arg.split("::")[0])
    if kind == "dashboards":
        return check_dashboards(root)
    return check_module(Module(arg.split("::")[1], root), root=root)


def run_checks(modules: list[Module], *, root: Path | None = None, workers: int = 2,
               dashboards: bool = True, progress: bool = False) -> list[Outcome]:
    """Check ``modules`` (and the dashboards) in parallel processes; never stops at a failure."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from tqdm import tqdm

    root = root or project_root()
    tasks = [("module", f"{root}::{m.slug}") for m in modules]
    if dashboards:
        tasks.append(("dashboards", f"{root}::"))
    outcomes: list[Outcome] = []
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=max(1, workers), mp_context=context) as pool:
        futures = [pool.submit(_check_task, task) for task in tasks]
        for future in tqdm(futures, desc="checking", unit="module", disable=not progress):
            outcomes.extend(future.result())
    return outcomes
