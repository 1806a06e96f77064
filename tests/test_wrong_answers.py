"""Every autograded item rejects its plausible wrong answers and keeps its right answers written another way,
through real nbgrader autograde (tests/wrong_answers/README.md)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
import yaml

from ethicskit.course import Module, ScratchCourse, with_answers

pytestmark = pytest.mark.slow
HERE = Path(__file__).parent / "wrong_answers"
REPO = HERE.parents[1]
MIN_WRONG = 3
MIN_RIGHT = 1


def _catalogue(slug: str) -> dict[str, dict[str, list[dict]]]:
    return yaml.safe_load((HERE / f"{slug}.yaml").read_text())


def _autograded_items(module: Module) -> dict[str, str]:
    """grade_id -> notebook file name, for every autograded test cell of the module's notebooks."""
    items = {}
    for path in module.source_notebooks():
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
                items[meta["grade_id"]] = path.name
    return items


GRADED = [p.name for p in sorted((REPO / "solutions").iterdir()) if p.is_dir()]


@pytest.mark.parametrize("slug", GRADED)
def test_every_autograded_item_has_enough_wrong_and_right_answers(slug):
    assert (HERE / f"{slug}.yaml").exists(), f"tests/wrong_answers/{slug}.yaml is missing"
    catalogue = _catalogue(slug)
    items = _autograded_items(Module(slug, REPO))
    assert set(catalogue) <= set(items), f"unknown items: {set(catalogue) - set(items)}"
    for grade_id in items:
        entry = catalogue.get(grade_id) or {}
        assert isinstance(entry, dict), f"{grade_id}: use the wrong:/right: form (tests/wrong_answers/README.md)"
        assert len(entry.get("wrong", [])) >= MIN_WRONG, f"{grade_id} needs at least {MIN_WRONG} wrong answers"
        assert len(entry.get("right", [])) >= MIN_RIGHT, f"{grade_id} needs at least {MIN_RIGHT} right answer"


def _rounds(module: Module, catalogue: dict, which: str):
    """Submissions that inject the k-th answer of kind ``which`` into every item at once."""
    items = _autograded_items(module)
    sources = {p.name: nbformat.read(p, as_version=4) for p in module.source_notebooks()}
    rounds = max((len(e.get(which, [])) for e in catalogue.values()), default=0)
    for k in range(rounds):
        injected = {item: entry[which][k] for item, entry in catalogue.items() if k < len(entry.get(which, []))}
        notebooks = {}
        for name, nb in sources.items():
            answers = {f"{item}-answer": a["source"] for item, a in injected.items() if items[item] == name}
            notebooks[name] = with_answers(nb, answers)
        yield f"{which}-{k}", injected, notebooks


def _graded_rounds(slug: str, which: str):
    module = Module(slug, REPO)
    catalogue = _catalogue(slug)
    with ScratchCourse(module) as course:
        assert course.generate().success
        for student, injected, notebooks in _rounds(module, catalogue, which):
            course.submit(student, notebooks)
            result = course.autograde(student)
            assert result.success, result.summary
            yield injected, course.scores(student)


@pytest.mark.parametrize("slug", GRADED)
def test_wrong_answers_lose_their_points(slug):
    survivors = [f"{item}: {w['why']} (scored {scores[item][0]:g}/{scores[item][1]:g})"
                 for injected, scores in _graded_rounds(slug, "wrong")
                 for item, w in injected.items() if scores[item][0] > 0]
    assert not survivors, "wrong answers that kept points:\n" + "\n".join(survivors)


@pytest.mark.parametrize("slug", GRADED)
def test_right_answers_written_another_way_keep_their_points(slug):
    refused = [f"{item}: {r['why']} (scored {scores[item][0]:g}/{scores[item][1]:g})"
               for injected, scores in _graded_rounds(slug, "right")
               for item, r in injected.items() if scores[item][0] < scores[item][1]]
    assert not refused, "right answers that lost points:\n" + "\n".join(refused)
