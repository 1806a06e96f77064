"""``TreeWalker``: a thin ipywidgets view over the pure decision-tree walker.

The widget builds all its children once. Its state is the ``value`` trait (the
answers so far); every change goes through ``ethicskit.decisions.walk``. No
``Output`` widget is used, so it behaves the same headless, in Voila and in Lab.
"""

from __future__ import annotations

import html
from functools import partial

import ipywidgets as widgets
import traitlets

from ethicskit.decisions import (
    OUTCOME_COLORS,
    Leaf,
    Tree,
    TreeError,
    Walk,
    load_tree,
    walk,
)

HIDDEN, SHOWN = "none", None


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def outcome_card_html(leaf: Leaf) -> str:
    """The outcome card: outcome in words, title, rationale, safeguards, references."""
    color = OUTCOME_COLORS[leaf.outcome]
    parts = [
        f'<div role="status" aria-live="polite" style="border-left:8px solid {color};padding:4px 12px;">',
        f'<p style="margin:0;font-weight:bold;color:{color};">Outcome: {_escape(leaf.outcome_label)}</p>',
        f"<h4 style=\"margin:4px 0;\">{_escape(leaf.title)}</h4>",
        f"<p>{_escape(leaf.rationale)}</p>",
    ]
    if leaf.safeguards:
        parts.append("<p style=\"margin-bottom:0;\"><b>Safeguards</b></p><ul>"
                     + "".join(f"<li>{_escape(s)}</li>" for s in leaf.safeguards) + "</ul>")
    parts.append("<p style=\"margin-bottom:0;\"><b>References</b></p><ul>"
                 + "".join(f"<li>{_escape(r)}</li>" for r in leaf.references) + "</ul></div>")
    return "".join(parts)


def breadcrumbs_html(tree: Tree, result: Walk) -> str:
    """The answers so far as an ordered list of 'question: answer'."""
    if not result.steps:
        return "<p class=\"ek-crumbs-empty\"><em>Answer the question below to start.</em></p>"
    items = []
    for step in result.steps:
        question = tree.nodes[step.node]
        label = next(a.label for a in question.answers if a.value == step.answer)
        items.append(f"<li>{_escape(question.text)} <b>&rarr; {_escape(label)}</b></li>")
    return "<ol>" + "".join(items) + "</ol>"


class TreeWalker(widgets.VBox):
    """Walk a decision tree with one button per answer, Back and Restart.

    ``value`` is the list of answer values so far (set it to jump to a state);
    ``outcome`` is the outcome reached (``"stop"``, ...) or ``None``.

    >>> walker = TreeWalker("use_of_feature")
    >>> [b.description for b in walker.visible_buttons]
    ['Yes, it records or reveals special-category data', 'No']
    >>> walker.visible_buttons[1].click()
    >>> walker.value
    ['no']
    >>> walker.value = ["no", "no", "strong_proxy", "not_necessary"]
    >>> walker.outcome
    'stop'
    """

    value = traitlets.List(traitlets.Unicode(), help="The answer values given so far.")
    outcome = traitlets.Unicode(None, allow_none=True, help="The outcome reached, or None.")

    def __init__(self, tree: Tree | str, *, value: list[str] | None = None, **kwargs) -> None:
        self.tree = tree if isinstance(tree, Tree) else load_tree(tree)
        self._walk = walk(self.tree, [])
        width = max(len(q.answers) for q in self.tree.questions)
        self.header = widgets.HTML(self._header_html())
        self.breadcrumbs = widgets.HTML()
        self.question = widgets.HTML()
        self.answer_buttons = [widgets.Button(layout=widgets.Layout(width="auto", max_width="100%"))
                               for _ in range(width)]
        for index, button in enumerate(self.answer_buttons):
            button.add_class("ek-answer")
            button.on_click(partial(self._on_answer, index))
        self.answers_box = widgets.VBox(self.answer_buttons)
        self.back_button = widgets.Button(description="Back", icon="arrow-left",
                                          tooltip="Undo the last answer")
        self.restart_button = widgets.Button(description="Restart", icon="refresh",
                                             tooltip="Start again from the first question")
        self.back_button.on_click(self._on_back)
        self.restart_button.on_click(self._on_restart)
        self.card = widgets.HTML()
        for child, name in [(self.header, "ek-tree-header"), (self.breadcrumbs, "ek-breadcrumbs"),
                            (self.question, "ek-question"), (self.answers_box, "ek-answers"),
                            (self.back_button, "ek-back"), (self.restart_button, "ek-restart"),
                            (self.card, "ek-outcome")]:
            child.add_class(name)
        navigation = widgets.HBox([self.back_button, self.restart_button])
        super().__init__([self.header, self.breadcrumbs, self.question, self.answers_box, navigation, self.card],
                         **kwargs)
        self.add_class("ek-tree-walker")
        self.observe(self._on_value, names="value")
        self._render()
        if value:
            self.value = list(value)

    @property
    def visible_buttons(self) -> list[widgets.Button]:
        """The answer buttons offered at the current question (none once finished)."""
        if self._walk.finished:
            return []
        return [b for b in self.answer_buttons if b.layout.display != HIDDEN]

    @property
    def walk(self) -> Walk:
        """The pure walk for the current ``value``."""
        return self._walk

    @traitlets.validate("value")
    def _validate_value(self, proposal):
        try:
            walk(self.tree, proposal["value"])
        except TreeError as exc:
            raise traitlets.TraitError(str(exc)) from exc
        return proposal["value"]

    def _header_html(self) -> str:
        intro = f"<p>{_escape(self.tree.intro)}</p>" if self.tree.intro else ""
        return f"<h3>{_escape(self.tree.title)}</h3>{intro}"

    def _on_answer(self, index: int, _button=None) -> None:
        node = self.tree.nodes[self._walk.current]
        if self._walk.finished or index >= len(node.answers):
            return
        self.value = [*self.value, node.answers[index].value]

    def _on_back(self, _button=None) -> None:
        self.value = list(self.value[:-1])

    def _on_restart(self, _button=None) -> None:
        self.value = []

    def _on_value(self, _change=None) -> None:
        self._render()

    def _render(self) -> None:
        self._walk = result = walk(self.tree, self.value)
        self.breadcrumbs.value = breadcrumbs_html(self.tree, result)
        self.back_button.disabled = self.restart_button.disabled = not result.steps
        if result.finished:
            self._show_outcome(result.outcome)
            return
        node = self.tree.nodes[result.current]
        help_text = f"<p><em>{_escape(node.help)}</em></p>" if node.help else ""
        self.question.value = f"<p><b>Question {len(result.steps) + 1}.</b> {_escape(node.text)}</p>{help_text}"
        self.question.layout.display = self.answers_box.layout.display = SHOWN
        for index, button in enumerate(self.answer_buttons):
            if index < len(node.answers):
                answer = node.answers[index]
                button.description = answer.label
                button.tooltip = f"{answer.label} (answer value: {answer.value})"
                button.layout.display = SHOWN
            else:
                button.layout.display = HIDDEN
        self.card.value = ""
        self.card.layout.display = HIDDEN
        self._set_outcome_class(None)
        self.outcome = None

    def _show_outcome(self, leaf: Leaf) -> None:
        self.question.layout.display = self.answers_box.layout.display = HIDDEN
        self.card.value = outcome_card_html(leaf)
        self._set_outcome_class(leaf.outcome)
        self.card.layout.display = SHOWN
        self.outcome = leaf.outcome

    def _set_outcome_class(self, outcome: str | None) -> None:
        for name in [c for c in self.card._dom_classes if c.startswith("ek-outcome-")]:
            self.card.remove_class(name)
        if outcome is not None:
            self.card.add_class(f"ek-outcome-{outcome}")
