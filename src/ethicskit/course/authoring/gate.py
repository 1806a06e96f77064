"""``ethicskit check``: the integrity gate, run in a scratch course.

For each module it checks, in order: the notebooks follow the static rules;
the lesson runs in a fresh kernel; the assessment keeps its integrity (the
rules of ``_integrity``: no answer in the release or the lesson, literal core
answers, a written answer in every core, kinds, multiple choice); exercises/
equals what nbgrader generates from solutions/; the solutions, submitted as
they are, earn full marks under real ``nbgrader autograde``; the untouched
exercises earn zero without any non-answer cell crashing. Over the whole
course it also checks multiple-choice length bias and the balance of cases.
Nothing touches the real gradebook.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from ethicskit.course.authoring import assessment_rules as rules
from ethicskit.course.authoring.execute import (
    execute_notebook,
    failing_cells,
    has_error,
    run_notebook,
)
from ethicskit.course.authoring.notebook_rules import lint_notebook, read_notebook
from ethicskit.course.authoring.scratch import ScratchCourse
from ethicskit.course.modules import Module
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
    facts: dict = field(default_factory=dict)

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

    def __exit__(self, kind, error, _tb):
        self.outcome.seconds = round(time.perf_counter() - self._start, 2)
        if isinstance(error, Exception):  # one broken check must not stop the others
            self.fail(f"the check crashed: {kind.__name__}: {error}")
        return isinstance(error, Exception)


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


def _cell_texts(nb, label: str, *, outputs: bool = False):
    for index, cell in enumerate(nb["cells"]):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        yield f"{label} [cell {index} {grade_id}]".replace(" ]", "]"), rules.notebook_text({"cells": [cell]},
                                                                                          outputs=outputs)


def assess(module: Module, lesson=None) -> tuple[list[str], dict]:
    """The assessment rules on one module: problems, and the facts ``ethicskit check --json`` reports.

    ``lesson`` is the executed lesson notebook, whose text and outputs must not show a core answer.
    """
    problems, items, meta, costs = [], [], {}, []
    for path in module.source_notebooks():
        nb = nbformat.read(path, as_version=4)
        label = f"solutions/{module.slug}/{path.name}"
        found = rules.read_items(nb, label)
        problems += rules.rule_core_literals(found)
        computed = [i for i in found if i.answer_source and (i.track == "analyst" or not i.values or any(
            label in p for p in problems for label in [f"{i.where}-answer"]))]
        if computed:  # values that are not literals are read from a run of the solution
            names = {f"{i.grade_id}-answer": rules.assigned_names(rules.solution_region(i.answer_source))
                     for i in computed}
            values = rules.probe_values(nb, names, path=str(path.parent))
            for item in computed:
                item.values = values.get(f"{item.grade_id}-answer", {})
        if rules.track_of(path.name) == "core":
            meta = nb.metadata.get("ethicskit", {})
            cells = {c.metadata.get("nbgrader", {}).get("grade_id"): rules.notebook_text({"cells": [c]})
                     for c in nb.cells}
            costs, bad = rules.business_costs(nb.metadata, cells, label)
            problems += bad
            problems += rules.rule_written(found, label)
        items += found
    problems += rules.rule_kinds(items) + rules.rule_options(items)
    for path in sorted(module.release_dir.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        label = f"exercises/{module.slug}/{path.name}"
        problems += rules.rule_no_answer_key(nb, items, label) + rules.rule_rubrics(nb, label)
        problems += rules.rule_no_values(_cell_texts(nb, label), items)
    if lesson is not None:
        problems += rules.rule_no_values(_cell_texts(lesson, f"modules/{module.slug}/lesson.ipynb", outputs=True),
                                         items, tracks=("core",))
    core = [i for i in items if i.track == "core"]
    by_kind = rules.points_by_kind(core)
    core_points = sum(i.points for i in core)
    facts = {
        "core_points": core_points,
        "core_autograded_points": sum(i.points for i in core if not i.written),
        "core_written_points": sum(i.points for i in core if i.written),
        "analyst_points": sum(i.points for i in items if i.track == "analyst"),
        "core_points_by_kind": by_kind,
        "judgment_interpretation_share": round((by_kind.get("judgment", 0) + by_kind.get("interpretation", 0))
                                               / core_points, 3) if core_points else 0.0,
        "decision_outcomes": rules.decision_outcomes(items),
        "business_cost": costs,
        "disadvantaged_group": meta.get("disadvantaged_group"),
        "minutes": meta.get("minutes"),
        "choices": rules.choice_facts(items),
    }
    return problems, facts


def check_course(outcomes: list[Outcome]) -> Outcome:
    """Rules over the whole course, from every module's assessment facts."""
    with _Timer("course", "multiple choice and balance across modules") as t:
        facts = [o.facts for o in outcomes if o.check == ASSESSMENT and o.facts]
        for problem in (rules.course_choice_rules([c for f in facts for c in f["choices"]])
                        + rules.course_balance_rules(facts)):
            t.fail(problem)
    return t.outcome


ASSESSMENT = "assessment keeps its integrity"


def check_module(module: Module, *, root: Path | None = None) -> list[Outcome]:
    """Run every check for one module and return one Outcome per check."""
    root = root or project_root()
    outcomes: list[Outcome] = []

    with _Timer(module.slug, "notebooks follow the rules") as t:
        paths = [module.lesson] if module.lesson.exists() else []
        if not paths:
            t.fail(f"modules/{module.slug}/lesson.ipynb is missing")
        graded = module.source_notebooks() + sorted(module.release_dir.glob("*.ipynb"))
        unreadable = False
        for path in paths + graded:
            problems = lint_notebook(path, module_number=module.number, graded=path in graded)
            for problem in problems:
                t.fail(str(problem))
            unreadable = unreadable or bool(problems) and read_notebook(path)[0] is None
    outcomes.append(t.outcome)
    if unreadable:  # nothing else can be checked on a notebook that cannot be read
        return outcomes

    lesson = None
    if module.lesson.exists():
        with _Timer(module.slug, "lesson runs in a fresh kernel") as t:
            lesson, errors = run_notebook(module.lesson)
            for error in errors:
                t.fail(error)
        outcomes.append(t.outcome)

    if not module.graded:
        return outcomes
    with _Timer(module.slug, ASSESSMENT) as t:
        problems, t.outcome.facts = assess(module, lesson)
        for problem in problems:
            t.fail(problem)
    outcomes.append(t.outcome)
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
    slug = arg.split("::")[1] or "dashboards"
    try:
        if kind == "dashboards":
            return check_dashboards(root)
        return check_module(Module(slug, root), root=root)
    except Exception as exc:  # the other modules are still checked and reported
        return [Outcome(slug, "module can be checked", False, [f"{type(exc).__name__}: {exc}"])]


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
    from ethicskit.course.modules import all_modules

    every = {m.slug for m in all_modules(root) if m.graded}
    if every and every <= {m.slug for m in modules}:
        outcomes.append(check_course(outcomes))
    return outcomes
