"""Every graded item rejects its plausible wrong answers, through real nbgrader autograde."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
import yaml

from ethicskit.course import Module, ScratchCourse, with_answers

pytestmark = pytest.mark.slow
HERE = Path(__file__).parent / "wrong_answers"
REPO = HERE.parents[1]
MIN_WRONG = 2


def _catalogue(slug: str) -> dict[str, list[dict]]:
    return yaml.safe_load((HERE / f"{slug}.yaml").read_text())


def _autograded_items(module: Module) -> dict[str, float]:
    items = {}
    for path in module.source_notebooks():
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
                items[meta["grade_id"]] = meta["points"]
    return items


GRADED = [p.name for p in sorted((REPO / "solutions").iterdir()) if p.is_dir()]


@pytest.mark.parametrize("slug", GRADED)
def test_every_autograded_item_has_enough_wrong_answers(slug):
    assert (HERE / f"{slug}.yaml").exists(), f"tests/wrong_answers/{slug}.yaml is missing"
    catalogue = _catalogue(slug)
    items = _autograded_items(Module(slug, REPO))
    for grade_id in items:
        assert len(catalogue.get(grade_id, [])) >= MIN_WRONG, f"{grade_id} needs at least {MIN_WRONG} wrong answers"
    assert set(catalogue) <= set(items), f"unknown items: {set(catalogue) - set(items)}"


@pytest.mark.parametrize("slug", GRADED)
def test_wrong_answers_lose_their_points(slug):
    module = Module(slug, REPO)
    catalogue = _catalogue(slug)
    [source] = module.source_notebooks()
    solution = nbformat.read(source, as_version=4)
    rounds = max(len(w) for w in catalogue.values())
    with ScratchCourse(module) as course:
        assert course.generate().success
        survivors = []
        for k in range(rounds):
            injected = {item: wrongs[k] for item, wrongs in catalogue.items() if k < len(wrongs)}
            student = f"wrong-{k}"
            answers = {f"{item}-answer": w["source"] for item, w in injected.items()}
            course.submit(student, {source.name: with_answers(solution, answers)})
            result = course.autograde(student)
            assert result.success, result.summary
            scores = course.scores(student)
            survivors += [
                f"{item}: {w['why']} (scored {scores[item][0]:g}/{scores[item][1]:g})"
                for item, w in injected.items() if scores[item][0] > 0
            ]
    assert not survivors, "wrong answers that kept points:\n" + "\n".join(survivors)
