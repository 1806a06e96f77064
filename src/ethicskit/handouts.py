"""Facilitator materials from the module's own files: slides and a printable handout.

Pure functions turn notebooks and the facilitator guide into HTML; the CLI
writes the files. Nothing here knows about nbgrader beyond reading cell
metadata.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from ethicskit.templates import render

TREE_CALL = re.compile(r"""TreeWalker\(\s*["']([a-z0-9_]+)["']""")
CDN_REVEAL = "https://unpkg.com/reveal.js@4.0.2"


def trees_in(nb: nbformat.NotebookNode) -> list[str]:
    """Names of the decision trees a notebook walks with ``TreeWalker("...")``.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('TreeWalker("use_of_feature")')])
    >>> trees_in(nb)
    ['use_of_feature']
    """
    found = [m for c in nb.cells if c.cell_type == "code" for m in TREE_CALL.findall(c.source)]
    return list(dict.fromkeys(found))


def mark_slides(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy where each markdown cell opening with a heading starts a new slide."""
    copy = nbformat.from_dict(nb)
    for cell in copy.cells:
        opens_slide = cell.cell_type == "markdown" and re.match(r"^#{1,2}\s", cell.source.lstrip())
        cell.metadata["slideshow"] = {"slide_type": "slide" if opens_slide else "-"}
    return copy


def slides_html(lesson: Path, *, execute: bool = True, reveal_prefix: str = CDN_REVEAL) -> str:
    """The lesson as reveal.js slides with code hidden (executed first so plots show)."""
    from nbconvert.exporters import SlidesExporter

    nb = nbformat.read(lesson, as_version=4)
    if execute:
        from nbclient import NotebookClient

        NotebookClient(nb, timeout=120, kernel_name="python3", shutdown_kernel="immediate",
                       resources={"metadata": {"path": str(lesson.parent)}}).execute()
    exporter = SlidesExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                              reveal_url_prefix=reveal_prefix)
    body, _ = exporter.from_notebook_node(mark_slides(nb))
    return body


def rubrics(nb: nbformat.NotebookNode) -> list[dict]:
    """Each manually graded answer: its prompt, points and rubric (the locked cell after it)."""
    found = []
    for i, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        if not (meta.get("grade") and meta.get("solution") and cell.cell_type == "markdown"):
            continue
        prompt = nb.cells[i - 1].source if i > 0 else ""
        after = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
        rubric = after.source if after is not None and "-rubric-" in after.metadata.get("nbgrader", {}).get("grade_id", "") else ""
        found.append({"grade_id": meta["grade_id"], "points": meta.get("points", 0), "prompt": prompt, "rubric": rubric})
    return found


def _md(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text)


def handout_html(*, title: str, guide: str, trees: list, solution_notebooks: list[nbformat.NotebookNode]) -> str:
    """One printable HTML page: the guide, each tree's diagram and checklist, and the rubrics.

    The page is ``templates/handout.html.j2``; Jinja2 escapes the title, tree titles and grade ids.
    """
    from markupsafe import Markup

    from ethicskit.decisions import to_checklist, to_svg

    # Markup below marks HTML the kit made itself: the module's own Markdown rendered by nbconvert
    # (HTML by design), and the tree's SVG and checklist, whose renderers escape every text.
    drawn = [{"title": tree.title, "svg": Markup(to_svg(tree)), "checklist": Markup(to_checklist(tree, format="html"))}
             for tree in trees]
    items = [{"grade_id": r["grade_id"], "points": r["points"], "prompt": Markup(_md(r["prompt"])),
              "rubric": Markup(_md(r["rubric"]))} for nb in solution_notebooks for r in rubrics(nb)]
    return render("handout.html.j2", title=title, guide=Markup(_md(guide)), trees=drawn, rubrics=items)


def module_handout(module) -> str:
    """The handout for a ``ethicskit.course.Module``."""
    from ethicskit.decisions import load_tree

    lesson = nbformat.read(module.lesson, as_version=4)
    guide = module.guide.read_text(encoding="utf-8") if module.guide.exists() else f"# {module.slug}"
    return handout_html(
        title=f"Facilitator handout: {module.slug}",
        guide=guide,
        trees=[load_tree(name) for name in trees_in(lesson)],
        solution_notebooks=[nbformat.read(p, as_version=4) for p in module.source_notebooks()],
    )
