"""`ethicskit prepare` (run by `make start`) is safe to run again: it never wipes a gradebook."""

import pytest

from ethicskit.course import load_config, prepare
from ethicskit.course.nbgrader import gradebook

pytestmark = pytest.mark.slow


def test_prepare_twice_keeps_the_gradebook_and_the_exercises(make_project):
    root = make_project("00-orientation")
    first = prepare(root=root)
    assert all(r.success for r in first), [r.error for r in first]
    config = load_config(root)
    with gradebook(config) as gb:
        gb.add_student("learner-7f3a")
        assert [a.name for a in gb.assignments] == ["00-orientation"]
    released = (root / "exercises/00-orientation/00-orientation.ipynb").read_bytes()

    again = prepare(root=root)
    assert all(r.success for r in again)
    with gradebook(config) as gb:
        assert [s.id for s in gb.students] == ["learner-7f3a"]
    assert (root / "exercises/00-orientation/00-orientation.ipynb").read_bytes() == released
