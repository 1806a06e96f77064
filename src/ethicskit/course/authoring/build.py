"""``ethicskit build``: generate exercises/ from solutions/ with nbgrader."""

from __future__ import annotations

import copy
import shutil
import tempfile
from pathlib import Path

from ethicskit.course.authoring.execute import failing_cells
from ethicskit.course.authoring.notebook_rules import balanced_markers, read_notebook
from ethicskit.course.modules import Module, resolve_modules
from ethicskit.course.nbgrader import StepResult, load_config, open_api, run_step


def build_module(module: Module, config) -> StepResult:
    """Generate one module's learner notebooks; a broken source becomes a failed result.

    nbgrader deletes the old release before it generates, so it generates into
    a staging folder and the committed exercises are replaced only on success.
    """
    for path in module.source_notebooks():
        nb, problems = read_notebook(path)
        problems = problems or balanced_markers(path, nb)
        if problems:
            return StepResult("generate_assignment", module.slug, False, error=str(problems[0]))
    with tempfile.TemporaryDirectory(prefix="ek-build-") as staging:
        config = copy.deepcopy(config)
        config.CourseDirectory.release_directory = staging
        result = run_step(open_api(config), "generate_assignment", module.slug)
        if not result.success:
            return StepResult(result.step, module.slug, False, error=_explain(result, module), log=result.log)
        shutil.rmtree(module.release_dir, ignore_errors=True)
        shutil.copytree(Path(staging) / module.slug, module.release_dir)
    return result


def build(names: list[str] | None = None, *, root: Path | None = None, **overrides) -> list[StepResult]:
    """Generate every named graded module (all when ``names`` is empty); keeps going after a failure."""
    modules = [m for m in resolve_modules(names, root) if m.graded]
    config = load_config(root, **overrides)
    return [build_module(module, config) for module in modules]


def _explain(result: StepResult, module: Module) -> str:
    """nbgrader's useful line: a failing solution cell by name, or a missing marker."""
    text = result.error + "\n" + result.log
    if "CellExecutionError" in text:
        cells = [c for nb in module.source_notebooks() for c in failing_cells(nb)]
        if cells:
            return "; ".join(cells)
    for line in text.splitlines():
        if "END SOLUTION" in line or "BEGIN SOLUTION" in line or "HIDDEN TESTS" in line:
            return line.strip()
    return result.summary
