"""``ethicskit build``: deterministic, in-process, and clear about broken sources."""

import nbformat
import pytest
from click.testing import CliRunner

from ethicskit.cli import main
from ethicskit.course import UNKNOWN_MODULE, build, resolve_modules

pytestmark = pytest.mark.slow


def test_build_twice_reproduces_the_committed_exercises_byte_for_byte(make_project, repo):
    root = make_project("00-orientation")
    for _ in range(2):
        [result] = build(["00"], root=root)
        assert result.success, result.error
        for committed in (repo / "exercises" / "00-orientation").glob("*"):
            rebuilt = root / "exercises" / "00-orientation" / committed.name
            assert rebuilt.read_bytes() == committed.read_bytes(), f"{committed.name} differs after build"


def test_released_notebook_hides_answers_and_hidden_tests(repo):
    text = (repo / "exercises" / "00-orientation" / "00-orientation.ipynb").read_text()
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    assert 'q1_lens = \\"c\\"' not in text and "raise NotImplementedError()" in text
    assert "HASHED AUTOTEST" not in text and "sha256(" not in text and "mark_choice(" not in text
    assert "BEGIN MARK SCHEME" not in text and "Strong answer" not in text


def test_invalid_json_is_named_and_other_modules_still_build(make_project):
    root = make_project("00-orientation")
    bad = root / "solutions" / "09-broken" / "09-broken.ipynb"
    bad.parent.mkdir(parents=True)
    bad.write_text('{"cells": [')
    results = {r.target: r for r in build(root=root)}
    assert results["00-orientation"].success
    assert not results["09-broken"].success
    assert "09-broken.ipynb" in results["09-broken"].error and "not valid JSON" in results["09-broken"].error


def test_missing_end_solution_marker_is_reported(make_project):
    root = make_project("00-orientation")
    path = root / "solutions" / "00-orientation" / "00-orientation.ipynb"
    nb = nbformat.read(path, as_version=4)
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "00-q1-lens-answer")
    answer.source = answer.source.replace("### END SOLUTION", "")
    nbformat.write(nb, path)
    result = CliRunner().invoke(main, ["build", "00"])
    assert result.exit_code == 1
    assert "FAILED 00-orientation" in result.output
    assert "00-q1-lens-answer" in result.output and "BEGIN SOLUTION without ### END SOLUTION" in result.output


def test_unknown_module_lists_the_valid_ones(make_project):
    root = make_project("00-orientation")
    with pytest.raises(ValueError) as info:
        resolve_modules(["nope"], root)
    assert str(info.value) == UNKNOWN_MODULE.format(name="nope", valid="00-orientation")
    result = CliRunner().invoke(main, ["build", "nope"])
    assert result.exit_code == 1 and result.output == f"Error: {info.value}\n", "the message, no traceback"


def test_modules_resolve_by_number_or_slug(repo):
    assert [m.slug for m in resolve_modules(["00"], repo)] == ["00-orientation"]
    assert [m.slug for m in resolve_modules(["00-orientation/"], repo)] == ["00-orientation"]
