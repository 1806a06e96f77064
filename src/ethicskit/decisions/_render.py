"""Static renderers of a tree: a Mermaid flowchart, an SVG diagram, a checklist.

All three read the same ``Tree``; none needs a network or Graphviz.
"""

from __future__ import annotations

import functools
import html
import textwrap
from dataclasses import dataclass, field
from typing import Literal

from ethicskit.decisions._schema import Leaf, Node, Question, Tree
from ethicskit.decisions._tree import _as_tree
from ethicskit.templates import render

# Seaborn "colorblind" palette; outcome labels are always written out too.
OUTCOME_COLORS = {
    "proceed": "#029E73",
    "proceed_with_safeguards": "#0173B2",
    "escalate": "#DE8F05",
    "stop": "#D55E00",
}
BAD_FORMAT = "format must be one of {allowed}, found {found!r}"
CHECKLIST_FORMATS = ("markdown", "html")


def _preorder(tree: Tree) -> list[Node]:
    """Nodes in depth-first order from the root, answers in file order, each once."""
    seen: dict[str, Node] = {}

    def visit(node_id: str) -> None:
        if node_id in seen:
            return
        node = tree.nodes[node_id]
        seen[node_id] = node
        for answer in getattr(node, "answers", ()):
            visit(answer.next)

    visit(tree.root)
    return list(seen.values())


# -- Mermaid ---------------------------------------------------------------

def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("\n", " ")


def to_mermaid(tree: Tree | str) -> str:
    """A Mermaid flowchart (top-down) of the tree, for slides and Markdown.

    >>> print(to_mermaid("incident_response").splitlines()[0])
    flowchart TD
    """
    tree = _as_tree(tree)
    lines = ["flowchart TD"]
    for node in _preorder(tree):
        if isinstance(node, Question):
            lines.append(f'    n_{node.id}["{_mermaid_text(node.text)}"]')
        else:
            label = f"{node.outcome_label.upper()}: {node.title}"
            lines.append(f'    n_{node.id}(["{_mermaid_text(label)}"])')
    for node in _preorder(tree):
        for answer in getattr(node, "answers", ()):
            lines.append(f'    n_{node.id} -->|"{_mermaid_text(answer.label)}"| n_{answer.next}')
    for outcome, color in OUTCOME_COLORS.items():
        lines.append(f"    classDef {outcome} fill:#ffffff,stroke:{color},stroke-width:3px")
    for leaf in tree.leaves:
        lines.append(f"    class n_{leaf.id} {leaf.outcome}")
    return "\n".join(lines) + "\n"


# -- SVG -------------------------------------------------------------------

BOX_W, GAP_X, GAP_Y, PAD, LINE_H, MARGIN = 230, 180, 14, 8, 15, 16
WRAP_BOX, WRAP_EDGE, EDGE_LINE_H, ELBOW = 34, 22, 12, 36


@dataclass
class _Box:
    node: Node
    depth: int
    lines: list[str]
    children: list[tuple[str, _Box]] = field(default_factory=list)
    span: float = 0.0
    cy: float = 0.0

    @property
    def height(self) -> float:
        return 2 * PAD + LINE_H * len(self.lines)


def _box_lines(node: Node) -> list[str]:
    if isinstance(node, Question):
        return textwrap.wrap(node.text, WRAP_BOX)
    return [node.outcome_label.upper()] + textwrap.wrap(node.title, WRAP_BOX)


def _expand(tree: Tree, node_id: str, depth: int) -> _Box:
    """The tree drawn as a tree: a node reached by two paths is drawn twice."""
    node = tree.nodes[node_id]
    box = _Box(node, depth, _box_lines(node))
    for answer in getattr(node, "answers", ()):
        box.children.append((answer.label, _expand(tree, answer.next, depth + 1)))
    return box


def _measure(box: _Box) -> float:
    total = sum(_measure(child) for _, child in box.children) + GAP_Y * max(len(box.children) - 1, 0)
    box.span = max(total, box.height)
    return box.span


def _place(box: _Box, top: float) -> None:
    if not box.children:
        box.cy = top + box.span / 2
        return
    total = sum(c.span for _, c in box.children) + GAP_Y * (len(box.children) - 1)
    offset = top + (box.span - total) / 2
    for _, child in box.children:
        _place(child, offset)
        offset += child.span + GAP_Y
    middle = (box.children[0][1].cy + box.children[-1][1].cy) / 2
    box.cy = min(max(middle, top + box.height / 2), top + box.span - box.height / 2)


def _walk_boxes(box: _Box):
    yield box
    for _, child in box.children:
        yield from _walk_boxes(child)


def _svg_box(box: _Box, x: float, out: list[str]) -> None:
    top = box.cy - box.height / 2
    esc = html.escape
    if isinstance(box.node, Leaf):
        color = OUTCOME_COLORS[box.node.outcome]
        out.append(f'<rect x="{x:.1f}" y="{top:.1f}" width="{BOX_W}" height="{box.height:.1f}" rx="12" '
                   f'fill="#ffffff" stroke="{color}" stroke-width="3"/>')
    else:
        out.append(f'<rect x="{x:.1f}" y="{top:.1f}" width="{BOX_W}" height="{box.height:.1f}" rx="3" '
                   f'fill="#f7f7f7" stroke="#555555" stroke-width="1.2"/>')
    for i, line in enumerate(box.lines):
        y = top + PAD + LINE_H * (i + 0.8)
        weight = ' font-weight="bold"' if isinstance(box.node, Leaf) and i == 0 else ""
        fill = OUTCOME_COLORS[box.node.outcome] if weight else "#222222"
        out.append(f'<text x="{x + PAD:.1f}" y="{y:.1f}" fill="{fill}"{weight}>{esc(line)}</text>')


def to_svg(tree: Tree | str) -> str:
    """A left-to-right SVG diagram of the tree, as a string to embed in HTML.

    Questions are grey boxes, outcomes are rounded boxes whose first line names
    the outcome (colour is never the only cue). The SVG has a ``<title>``.

    >>> svg = to_svg("use_of_feature")
    >>> svg.startswith("<svg") and "STOP" in svg and svg.rstrip().endswith("</svg>")
    True
    """
    tree = _as_tree(tree)
    root = _expand(tree, tree.root, 0)
    _measure(root)
    title_h = 28
    _place(root, MARGIN + title_h)
    boxes = list(_walk_boxes(root))
    depth = max(b.depth for b in boxes)
    width = 2 * MARGIN + (depth + 1) * BOX_W + depth * GAP_X
    height = 2 * MARGIN + title_h + root.span
    esc = html.escape
    out = [
        (f'<svg xmlns="http://www.w3.org/2000/svg" class="ek-tree-diagram" role="img" '
         f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
         f'font-family="Helvetica, Arial, sans-serif" font-size="12" aria-labelledby="ek-{tree.id}-title">'),
        f'<title id="ek-{tree.id}-title">{esc(tree.title)}</title>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        (f'<text x="{MARGIN}" y="{MARGIN + 14}" font-size="16" font-weight="bold" fill="#222222">'
         f'{esc(tree.title)}</text>'),
    ]
    x_of = {b.depth: MARGIN + b.depth * (BOX_W + GAP_X) for b in boxes}
    for box in boxes:
        x0 = x_of[box.depth] + BOX_W
        for label, child in box.children:
            x1 = x_of[child.depth]
            bend = x0 + ELBOW
            out.append(f'<path d="M{x0:.1f},{box.cy:.1f} C{bend:.1f},{box.cy:.1f} {x0:.1f},{child.cy:.1f} '
                       f'{bend:.1f},{child.cy:.1f} L{x1:.1f},{child.cy:.1f}" fill="none" stroke="#888888" '
                       f'stroke-width="1.2"/>')
            label_lines = textwrap.wrap(label, WRAP_EDGE)
            y0 = child.cy - 4 - EDGE_LINE_H * (len(label_lines) - 1)
            for i, line in enumerate(label_lines):
                out.append(f'<text x="{bend + 4:.1f}" y="{y0 + i * EDGE_LINE_H:.1f}" font-size="10.5" '
                           f'fill="#333333" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
                           f'{esc(line)}</text>')
    for box in boxes:
        _svg_box(box, x_of[box.depth], out)
    out.append("</svg>")
    return "\n".join(out) + "\n"


# -- Checklist -------------------------------------------------------------

def _numbering(tree: Tree) -> dict[str, str]:
    """Questions get numbers (1, 2, ...), outcomes letters (A, B, ...), in reading order."""
    names: dict[str, str] = {}
    q = leaf = 0
    for node in _preorder(tree):
        if isinstance(node, Question):
            q += 1
            names[node.id] = f"question {q}"
        else:
            names[node.id] = f"outcome {chr(ord('A') + leaf) if leaf < 26 else leaf + 1}"
            leaf += 1
    return names


def _target(tree: Tree, names: dict[str, str], node_id: str) -> str:
    node = tree.nodes[node_id]
    if isinstance(node, Leaf):
        return f"{names[node_id]}: {node.outcome_label}, {node.title}"
    return names[node_id]


def _checklist_markdown(tree: Tree) -> str:
    names = _numbering(tree)
    out = [f"# Checklist: {tree.title}", "", f"*Decision tree `{tree.id}`, version {tree.version}*", ""]
    if tree.intro:
        out += [tree.intro, ""]
    out += ["## Questions", ""]
    for node in _preorder(tree):
        if isinstance(node, Question):
            out += [f"### {names[node.id].capitalize()}. {node.text}", ""]
            if node.help:
                out += [f"*{node.help}*", ""]
            out += [f"- [ ] {a.label} (`{a.value}`) → {_target(tree, names, a.next)}" for a in node.answers]
            out.append("")
    out += ["## Outcomes", ""]
    for node in _preorder(tree):
        if isinstance(node, Leaf):
            out += [f"### {names[node.id].capitalize()}. {node.outcome_label}: {node.title}", "", node.rationale, ""]
            if node.safeguards:
                out += ["Safeguards:", ""] + [f"- [ ] {s}" for s in node.safeguards] + [""]
            out += ["References: " + "; ".join(node.references), ""]
    out += ["## Decision record", "", "- Answers given: ______________________________",
            "- Outcome: ______________________________",
            "- Decided by: ____________________  Date: ____________",
            "- Rationale: ______________________________", ""]
    return "\n".join(out)


def _checklist_html(tree: Tree) -> str:
    """The checklist as an HTML ``<section>`` (``templates/checklist.html.j2``; Jinja2 escapes every text)."""
    names = _numbering(tree)
    order = _preorder(tree)
    return render("checklist.html.j2", tree=tree, names=names, colors=OUTCOME_COLORS,
                  questions=[n for n in order if isinstance(n, Question)],
                  outcomes=[n for n in order if isinstance(n, Leaf)],
                  target=functools.partial(_target, tree, names)) + "\n"  # Jinja2 drops the file's last newline


def to_checklist(tree: Tree | str, *, format: Literal["markdown", "html"] = "markdown") -> str:
    """A printable checklist: every question with its answers, every outcome.

    >>> text = to_checklist("legal_basis")
    >>> text.splitlines()[0]
    '# Checklist: Do we have a valid basis to use this data for this personalization purpose?'
    """
    tree = _as_tree(tree)
    if format == "markdown":
        return _checklist_markdown(tree)
    if format == "html":
        return _checklist_html(tree)
    raise ValueError(BAD_FORMAT.format(allowed=list(CHECKLIST_FORMATS), found=format))
