"""``ethicskit check``: the integrity gate, with real nbgrader and real kernels."""

import json
import subprocess
import sys

import nbformat
import pytest

pytestmark = pytest.mark.slow


def run_check(cwd, *modules, env=None):
    proc = subprocess.run(
        [sys.executable, "-m", "ethicskit", "check", "--json", *modules],
        cwd=cwd, capture_output=True, text=True, env=env, timeout=1200,
    )
    return proc.returncode, json.loads(proc.stdout or "[]"), proc.stderr


def test_every_module_of_the_course_passes(repo):
    code, outcomes, stderr = run_check(repo)
    failures = [o for o in outcomes if not o["ok"]]
    assert code == 0 and not failures, json.dumps(failures, indent=1) + stderr[-2000:]
    modules = {o["module"] for o in outcomes}
    assert {p.name for p in (repo / "solutions").iterdir()} <= modules
    checks = {o["check"] for o in outcomes if o["module"] == "00-orientation"}
    assert checks == {
        "notebooks follow the rules", "lesson runs in a fresh kernel", "assessment keeps its integrity",
        "exercises in sync with solutions", "solutions earn full marks", "untouched exercises earn zero",
    }
    course = [o for o in outcomes if o["module"] == "course"]
    assert len(course) == 1 and course[0]["ok"], course


def _set_answer(path, grade_id, source):
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    cell.source = source
    nbformat.write(nb, path)


def test_a_wrong_solution_fails_naming_module_and_grade_id(make_project):
    root = make_project("00-orientation")
    source = root / "solutions" / "00-orientation" / "00-orientation.ipynb"
    _set_answer(source, "00-q1-lens-answer", '### BEGIN SOLUTION\nq1_lens = "a"\n### END SOLUTION')
    code, outcomes, _ = run_check(root, "00")
    assert code == 1
    [failed] = [o for o in outcomes if not o["ok"] and o["module"] != "course"]
    assert failed["module"] == "00-orientation"
    assert any("00-q1-lens" in d for d in failed["details"]), failed


def test_stale_exercises_are_caught(make_project):
    root = make_project("00-orientation")
    release = root / "exercises" / "00-orientation" / "00-orientation.ipynb"
    release.write_text(release.read_text().replace("Question 1 (1 point)", "Question 1 (2 points)"))
    code, outcomes, _ = run_check(root, "00")
    assert code == 1
    [failed] = [o for o in outcomes if not o["ok"] and o["module"] != "course"]
    assert failed["check"] == "exercises in sync with solutions"
    assert "out of date" in failed["details"][0]


def test_a_broken_module_does_not_stop_the_others(make_project):
    root = make_project("00-orientation")
    bad = root / "solutions" / "09-broken" / "09-broken.ipynb"
    bad.parent.mkdir(parents=True)
    bad.write_text("not json")
    code, outcomes, _ = run_check(root)
    assert code == 1
    by_module = {}
    for o in outcomes:
        by_module.setdefault(o["module"], []).append(o["ok"])
    assert all(by_module["00-orientation"])
    assert not all(by_module["09-broken"])
    details = " ".join(d for o in outcomes if o["module"] == "09-broken" for d in o["details"])
    assert "09-broken.ipynb" in details and "not valid JSON" in details
