"""Slides and handouts are built from the module's own files."""

import re

import nbformat
import pytest
from click.testing import CliRunner

from ethicskit.cli import main
from ethicskit.course import all_modules
from ethicskit.handouts import mark_slides, rubrics, trees_in

GRADED = [m for m in all_modules() if m.graded and m.lesson.exists()]
# Module 03 is the reference case for facilitators; test it when it exists, else every graded module.
FOCUS = [m for m in GRADED if m.number == "03"] or GRADED


def test_mark_slides_starts_a_slide_at_each_heading():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Title"), nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("Some text"), nbformat.v4.new_markdown_cell("## Next part"),
    ])
    assert [c.metadata["slideshow"]["slide_type"] for c in mark_slides(nb).cells] == ["slide", "-", "-", "slide"]
    assert "slideshow" not in nb.cells[0].metadata, "the original notebook is not changed"


def test_rubrics_pair_each_written_answer_with_its_rubric(repo):
    nb = nbformat.read(repo / "solutions/00-orientation/00-orientation.ipynb", as_version=4)
    [item] = rubrics(nb)
    assert item["grade_id"] == "00-q5-defend-the-check" and item["points"] == 2
    assert "BEGIN MARK SCHEME" in item["rubric"] and "Question 5" in item["prompt"], "facilitators see the mark scheme"


@pytest.mark.slow
@pytest.mark.parametrize("module", FOCUS, ids=lambda m: m.slug)
def test_slides_and_handout_files_hold_headings_rubric_and_tree(module, tmp_path):
    runner = CliRunner()
    slides, handout = tmp_path / "slides.html", tmp_path / "handout.html"
    assert runner.invoke(main, ["slides", module.number, "--out", str(slides)]).exit_code == 0
    assert runner.invoke(main, ["handout", module.number, "--out", str(handout)]).exit_code == 0

    lesson = nbformat.read(module.lesson, as_version=4)
    headings = [m.group(1).strip() for c in lesson.cells if c.cell_type == "markdown"
                for m in re.finditer(r"^#{1,2} (.+)$", c.source, re.M)]
    text = slides.read_text()
    assert "reveal" in text and headings
    for heading in headings:
        assert heading.replace("&", "&amp;") in text, f"slides lack the heading {heading!r}"
    assert "### BEGIN SOLUTION" not in text and "import " not in re.sub(r"<script.*?</script>", "", text, flags=re.S)

    page = handout.read_text()
    for tree in trees_in(lesson):
        from ethicskit.decisions import load_tree

        title = load_tree(tree).title
        assert f"Decision tree: {title}" in page and "<svg" in page
    assert "Rubrics for the written answers" in page and "Strong" in page
    assert "facilitator" in page.lower()
