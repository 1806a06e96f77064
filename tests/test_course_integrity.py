"""The integrity gate's assessment rules: each one catches a leak planted in a hand-built notebook,
and lets the clean version through."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from ethicskit.course.authoring import assessment_rules as rules

SOLUTION = "solutions/99-x/99-x.ipynb"
RELEASE = "exercises/99-x/99-x.ipynb"


def _cell(maker, source, grade_id, *, grade=False, solution=False, points=0, kind=None):
    cell = maker(source)
    cell.metadata["nbgrader"] = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
                                 "solution": solution, "task": False, **({"points": points} if grade else {})}
    if kind:
        cell.metadata["ethicskit"] = {"kind": kind}
    return cell


QUESTION = """## Question 1
Which route fits?
- **a.** stop the push
- **b.** send it with an opt-out and a cap on frequency
- **c.** escalate to the risk committee
- **d.** proceed
*Hint:* read the table."""


def _solution(answer='q1 = "b"\nq2 = 3155\nq3 = 0.714', *, written=True, kind="judgment", question=QUESTION):
    cells = [
        _cell(new_markdown_cell, question, "99-info-q1"),
        _cell(new_code_cell, f"### BEGIN SOLUTION\n{answer}\n### END SOLUTION", "99-q1-route-answer", solution=True),
        _cell(new_code_cell, "check_choice(q1, 'abcd', name='q1')", "99-q1-route", grade=True, points=3, kind=kind),
    ]
    if written:
        cells.append(_cell(new_markdown_cell, "A strong reply.", "99-q2-reply", grade=True, solution=True, points=2,
                           kind="judgment"))
    return new_notebook(cells=cells)


def _items(nb=None):
    items = rules.read_items(nb or _solution(), SOLUTION)
    assert not rules.rule_core_literals(items)
    return items


def _release(*sources):
    return new_notebook(cells=[new_markdown_cell(s) if not s.startswith("code:") else new_code_cell(s[5:])
                               for s in sources])


def test_clean_module_passes_every_rule():
    items = _items()
    release = _release(QUESTION, "code:check_choice(q1, 'abcd', name='q1')",
                       "### Rubric\n| criterion | points |\n|---|---|\n| Evidence | 1 |")
    texts = [("r", rules.notebook_text(release))]
    assert rules.rule_kinds(items) == [] and rules.rule_written(items, SOLUTION) == []
    assert rules.rule_options(items) == [] and rules.rule_rubrics(release, RELEASE) == []
    assert rules.rule_no_answer_key(release, items, RELEASE) == [] and rules.rule_no_values(texts, items) == []


@pytest.mark.parametrize("shown", ["3,155 customers", "3 155 customers", "3155", "a ratio of 0.71", "71% of them",
                                   "71.4 % of them"])
def test_an_answer_value_in_a_form_a_reader_recognises_is_caught(shown):
    problems = rules.rule_no_values([("exercises/99-x/99-x.ipynb [cell 4 99-rubric-q2]", f"Evidence: {shown}.")],
                                    _items())
    assert problems and "99-rubric-q2" in problems[0] and "99-q1-route" in problems[0]


@pytest.mark.parametrize("shown", ["13,155 customers", "0.7142 exactly", "a 80% pass mark", "12 months"])
def test_other_numbers_are_not_mistaken_for_answers(shown):
    assert rules.rule_no_values([("x", shown)], _items()) == []


@pytest.mark.parametrize("key", ["code:assert q1 == 'b'", "code:assert q1.strip().lower() == \"B\"",
                                 "code:assert sha256(q1.encode()).hexdigest() == '9f86d0'",
                                 "code:### HASHED AUTOTEST q1", "code:assert q2 == 3155"])
def test_an_answer_key_in_a_released_cell_is_caught(key):
    problems = rules.rule_no_answer_key(_release(QUESTION, key), _items(), RELEASE)
    assert problems and RELEASE in problems[0] and "answer key" in problems[0]


def test_a_form_check_listing_every_option_is_not_a_key():
    release = _release("code:assert q1.strip().lower() in {'a', 'b', 'c', 'd'}, 'one of the letters a to d'")
    assert rules.rule_no_answer_key(release, _items(), RELEASE) == []


@pytest.mark.parametrize("text", ["**Strong answer:** the push finds people in difficulty.",
                                  "Exemplar: ...", "<!-- BEGIN MARK SCHEME -->"])
def test_a_released_rubric_with_an_exemplar_is_caught(text):
    problems = rules.rule_rubrics(_release("### Rubric", text), RELEASE)
    assert problems and "[cell 1" in problems[0]


def test_a_core_without_a_written_answer_is_caught():
    items = _items(_solution(written=False))
    assert rules.rule_written(items, SOLUTION) == [rules.NO_WRITTEN.format(notebook=SOLUTION)]


def test_a_computed_core_answer_is_caught_with_its_line():
    items = rules.read_items(_solution('import pandas as pd\nq1 = "b"\nq2 = len(pd.DataFrame())'), SOLUTION)
    problems = rules.rule_core_literals(items)
    assert len(problems) == 2 and "line 1" in problems[0] and "len(pd.DataFrame())" in problems[1]


def test_kinds_are_required_and_judgment_dominates_the_core():
    assert "no metadata ethicskit.kind" in rules.rule_kinds(_items(_solution(kind=None)))[0]
    problems = rules.rule_kinds(_items(_solution(kind="recall")))
    assert problems and "judgment and interpretation are 40%" in problems[0]


def test_too_few_options_are_caught():
    question = QUESTION.replace("- **d.** proceed\n", "")
    problems = rules.rule_options(_items(_solution(question=question)))
    assert problems and "at least 4 options, found 3" in problems[0]


def test_the_longest_option_being_right_too_often_is_caught_across_the_course():
    longest_b = rules.choice_facts(_items())  # b is the longest option
    other = [{**longest_b[0], "grade_id": f"q{i}", "letter": "c"} for i in range(2)]
    assert rules.course_choice_rules(longest_b + other) == []
    problems = rules.course_choice_rules(longest_b * 2 + other)
    assert problems and problems[0].startswith("the right option is the longest in 2 of 4")


def test_course_balance_rules():
    fair = [{"decision_outcomes": ["stop", "proceed_with_safeguards"], "business_cost": ["c"], "disadvantaged_group": g}
            for g in ("group_a", "group_b", "group_c")]
    assert rules.course_balance_rules(fair) == []
    skewed = [{**f, "decision_outcomes": ["stop", "escalate", "stop"], "business_cost": [],
               "disadvantaged_group": "group_c"} for f in fair]
    problems = rules.course_balance_rules(skewed)
    assert len(problems) == 3 and "0 of 9" in problems[0] and "group_c" in problems[2]


def test_the_values_of_computed_answers_come_from_running_the_solution(tmp_path):
    nb = _solution()
    nb.cells[1].source = "### BEGIN SOLUTION\nimport numpy as np\nq2 = np.int64(3000) + 155\n### END SOLUTION"
    values = rules.probe_values(nbformat.from_dict(nb), {"99-q1-route-answer": ["q2"]}, path=str(tmp_path))
    assert values == {"99-q1-route-answer": {"q2": 3155}}


def test_the_lesson_may_not_print_a_core_answer_in_its_outputs():
    lesson = new_notebook(cells=[new_code_cell("print(n)")])
    lesson.cells[0].outputs = [nbformat.v4.new_output("stream", text="3,155 customers are flagged\n")]
    texts = [("modules/99-x/lesson.ipynb [cell 0]", rules.notebook_text(lesson, outputs=True))]
    assert rules.rule_no_values(texts, _items(), tracks=("core",))
    assert not rules.rule_no_values([("lesson", rules.notebook_text(lesson))], _items(), tracks=("core",))
