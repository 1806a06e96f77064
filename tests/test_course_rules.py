"""The static notebook rules, on hand-built notebooks."""

import json

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from ethicskit.course.authoring.notebook_rules import lint_notebook, nbgrader_metadata

KERNEL = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}


def graded_cell(source, grade_id, *, points=1, locked=True, grade=True, solution=False):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {
        "grade": grade, "grade_id": grade_id, "locked": locked, "points": points,
        "schema_version": 3, "solution": solution, "task": False,
    }
    return cell


def write(tmp_path, cells, name="03-x.ipynb", metadata=KERNEL):
    nb = new_notebook(cells=cells, metadata=metadata)
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def test_a_clean_graded_notebook_passes(tmp_path):
    path = write(tmp_path, [graded_cell("assert True", "03-q1-proxy-strength")])
    assert lint_notebook(path, module_number="03", graded=True) == []


def test_invalid_json_is_named(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [', encoding="utf-8")
    [problem] = lint_notebook(path)
    assert "broken.ipynb" in str(problem) and "not valid JSON" in problem.message


def test_outputs_and_kernel_are_flagged(tmp_path):
    cell = new_code_cell("1 + 1", execution_count=3)
    path = write(tmp_path, [new_markdown_cell("# hi"), cell], metadata={"kernelspec": {"name": "ir", "display_name": "R"}})
    messages = [p.message for p in lint_notebook(path)]
    assert any("strip" in m for m in messages)
    assert any("'python3'" in m and "'ir'" in m for m in messages)


def test_grade_id_rules_name_the_cell(tmp_path):
    cells = [
        graded_cell("assert x", "03-q1-a"),
        graded_cell("assert y", "03-q1-a"),                 # duplicate
        graded_cell("assert z", "question two"),            # bad pattern
        graded_cell("assert w", "05-q3-other"),             # wrong module
        graded_cell("assert v", "03-q4-nopoints", points=0),
        graded_cell("assert u", "03-q5-unlocked", locked=False),
    ]
    nb = new_notebook(cells=cells, metadata=KERNEL)
    problems = {p.message: p.cell for p in nbgrader_metadata(tmp_path / "n.ipynb", nb, module_number="03")}
    text = json.dumps(problems)
    assert "repeats cell 0" in text
    assert "'question two' does not follow" in text
    assert "should start with 03-" in text
    assert "'03-q4-nopoints' has no points" in text
    assert "'03-q5-unlocked' is not locked" in text
    assert problems["test cell '03-q5-unlocked' is not locked"] == "5 (03-q5-unlocked)"


def test_a_notebook_without_graded_cells_is_flagged(tmp_path):
    nb = new_notebook(cells=[new_markdown_cell("text")], metadata=KERNEL)
    assert [p.message for p in nbgrader_metadata(tmp_path / "n.ipynb", nb, module_number="03")] == ["has no graded cells"]


def test_unbalanced_markers_name_the_cell(tmp_path):
    from ethicskit.course.authoring.notebook_rules import balanced_markers

    cells = [
        graded_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "03-q1-ok-answer", grade=False, solution=True),
        graded_cell("### BEGIN SOLUTION\nx = 1", "03-q2-open-answer", grade=False, solution=True),
        graded_cell("assert x\n### END HIDDEN TESTS", "03-q2-open", locked=True),
    ]
    nb = new_notebook(cells=cells, metadata=KERNEL)
    problems = [(p.cell, p.message) for p in balanced_markers(tmp_path / "n.ipynb", nb)]
    assert problems == [
        ("1 (03-q2-open-answer)", "### BEGIN SOLUTION without ### END SOLUTION"),
        ("2 (03-q2-open)", "### END HIDDEN TESTS without ### BEGIN HIDDEN TESTS"),
    ]
