"""Static renderers: Mermaid, SVG and the printable checklist."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from ethicskit.decisions import (
    OUTCOME_LABELS,
    list_trees,
    load_tree,
    to_checklist,
    to_mermaid,
    to_svg,
    validate,
)
from ethicskit.decisions import _render as render

SVG = "{http://www.w3.org/2000/svg}"


def awkward_tree():
    """A tree whose texts need escaping in every output format."""
    return validate({
        "id": "awkward", "title": 'Is <b>"this"</b> & that ok?', "version": "1", "root": "q",
        "nodes": {
            "q": {"question": 'Use "quotes" & <tags>?', "answers": [
                {"value": "yes", "label": 'Yes <script>alert("x")</script>', "next": "go"},
                {"value": "no", "label": "No & never", "next": "stop_it"}]},
            "go": {"outcome": "proceed", "title": "Go <now>", "rationale": "R & R", "references": ["A <1>"]},
            "stop_it": {"outcome": "stop", "title": "Stop", "rationale": "R", "references": ["B"],
                        "safeguards": ["S & T"]},
        }})


@pytest.mark.parametrize("name", list_trees())
def test_svg_is_well_formed_and_shows_every_node(name):
    tree = load_tree(name)
    svg = to_svg(tree)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.find(f"{SVG}title").text == tree.title
    words = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    for leaf in tree.leaves:
        assert leaf.outcome_label.upper() in words
        assert leaf.title.split()[0] in words
    for question in tree.questions:
        assert question.text.split()[0] in words
    width, height = map(float, root.get("viewBox").split()[2:])
    for rect in root.iter(f"{SVG}rect"):
        if rect.get("x") is not None:
            assert 0 <= float(rect.get("x")) and float(rect.get("x")) + float(rect.get("width")) <= width
            assert 0 <= float(rect.get("y")) and float(rect.get("y")) + float(rect.get("height")) <= height


def test_svg_boxes_in_one_column_do_not_overlap():
    root = ET.fromstring(to_svg("use_of_feature"))
    columns = {}
    for rect in root.iter(f"{SVG}rect"):
        if rect.get("x") is not None:
            columns.setdefault(rect.get("x"), []).append((float(rect.get("y")), float(rect.get("height"))))
    for boxes in columns.values():
        boxes.sort()
        for (y0, h0), (y1, _) in itertools.pairwise(boxes):
            assert y0 + h0 <= y1


def test_svg_edges_match_answers():
    tree = load_tree("fairness_metric")
    root = ET.fromstring(to_svg(tree))
    paths = list(root.iter(f"{SVG}path"))
    expected = sum(1 for _ in _expanded_edges(tree, tree.root))
    assert len(paths) == expected


def _expanded_edges(tree, node_id):
    for answer in getattr(tree.nodes[node_id], "answers", ()):
        yield answer
        yield from _expanded_edges(tree, answer.next)


def test_svg_escapes_text():
    svg = to_svg(awkward_tree())
    ET.fromstring(svg)  # still well-formed
    assert "<script>" not in svg and "&lt;script&gt;" in svg


@pytest.mark.parametrize("name", list_trees())
def test_mermaid_has_every_node_and_edge(name):
    tree = load_tree(name)
    text = to_mermaid(tree)
    assert text.startswith("flowchart TD\n")
    for node_id in tree.nodes:
        assert re.search(rf"^\s+n_{node_id}[\[\(]", text, re.MULTILINE)
    edges = re.findall(r"^\s+n_(\S+) -->\|", text, re.MULTILINE)
    assert len(edges) == sum(len(q.answers) for q in tree.questions)
    for leaf in tree.leaves:
        assert f"class n_{leaf.id} {leaf.outcome}" in text


def test_mermaid_escapes_quotes():
    text = to_mermaid(awkward_tree())
    assert '"quotes"' not in text and "#quot;quotes#quot;" in text


@pytest.mark.parametrize("name", list_trees())
def test_markdown_checklist_covers_every_question_and_outcome(name):
    tree = load_tree(name)
    text = to_checklist(tree)
    assert text.startswith(f"# Checklist: {tree.title}")
    for question in tree.questions:
        assert question.text in text
        for answer in question.answers:
            assert f"- [ ] {answer.label} (`{answer.value}`)" in text
    for leaf in tree.leaves:
        assert f"{OUTCOME_LABELS[leaf.outcome]}: {leaf.title}" in text and leaf.rationale in text
        assert all(ref in text for ref in leaf.references)
        assert all(f"- [ ] {s}" in text for s in leaf.safeguards)
    assert "## Decision record" in text


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_html_checklist_is_escaped_and_complete():
    tree = awkward_tree()
    out = to_checklist(tree, format="html")
    parser = _TextCollector()
    parser.feed(out)
    assert "script" not in parser.tags
    text = "".join(parser.text)
    for question in tree.questions:
        assert question.text in text
    for leaf in tree.leaves:
        assert leaf.title in text and leaf.rationale in text
    assert 'Yes <script>alert("x")</script>' in text and "&lt;script&gt;alert(" in out  # shown as text


def test_numbering_follows_reading_order():
    tree = load_tree("use_of_feature")
    names = render._numbering(tree)
    assert names[tree.root] == "question 1"
    assert sorted(v for k, v in names.items() if v.startswith("question")) == sorted(
        f"question {i}" for i in range(1, len(tree.questions) + 1))


def test_unknown_checklist_format():
    with pytest.raises(ValueError, match=re.escape(render.BAD_FORMAT.format(
            allowed=list(render.CHECKLIST_FORMATS), found="pdf"))):
        to_checklist("use_of_feature", format="pdf")
