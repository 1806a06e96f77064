"""MessageReviewer: type or pick marketing copy; see what the rules and the learned model find.

A thin view over :func:`ethicskit.audit.review_message`, in two parts: the
rules' findings (the label, the phrase that matched, highlighted in the copy,
and a direction for a rewrite), and the model's (the label, its probability
and the n-grams that pushed the copy towards it, with their weights).
"""

from __future__ import annotations

import html
import re

import ipywidgets as widgets
import pandas as pd
import traitlets

from ethicskit.audit import review_message

LABEL_TEXT = {
    "false_urgency": "false urgency",
    "shaming": "shaming or implied inferiority",
    "stereotyping": "stereotyping",
    "exploiting_insecurity": "exploiting insecurity",
    "hidden_terms": "hidden terms",
}


def _highlight(text: str, phrases: list[str]) -> str:
    if not phrases:
        return html.escape(text)
    pattern = re.compile("|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True)))
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts += [html.escape(text[last:match.start()]), f"<mark>{html.escape(match.group(0))}</mark>"]
        last = match.end()
    return "".join(parts) + html.escape(text[last:])


def _label(label: str) -> str:
    return html.escape(LABEL_TEXT.get(label, label))


def _rules_html(flags) -> str:
    if not flags:
        return ("<p><b>Rules</b>: no phrase matched. Rules only match words they know: "
                "read it as a customer would, too.</p>")
    items = "".join(f"<li><b>{_label(f.label)}</b>: “{html.escape(f.phrase)}” — {html.escape(f.suggestion)}</li>"
                    for f in flags)
    return f"<p><b>Rules</b>: {len(flags)} phrase(s) matched:</p><ul>{items}</ul>"


def _model_html(flags) -> str:
    if not flags:
        return ("<p><b>Model</b>: reads this as respectful. A learned model can miss new phrasings "
                "too: it is a screening aid, not a verdict.</p>")
    parts = []
    for f in flags:
        grams = ", ".join(f"“{html.escape(gram)}” ({weight:+.2f})" for gram, weight in f.ngrams)
        parts.append(f"<li><b>{_label(f.label)}</b>, probability {f.probability:.0%}. The words that pushed it "
                     f"there, with their weight: {grams}. — {html.escape(f.suggestion)}</li>")
    return f"<p><b>Model</b> (learned from the kit's labelled copy):</p><ul>{''.join(parts)}</ul>"


class MessageReviewer(widgets.VBox):
    """Type or pick copy; see the rules' findings and the model's, each saying why.

    ``value`` is the copy under review; ``flags`` the list of
    :class:`~ethicskit.audit.MessageFlag` found in it (rules first, then the
    model; each has a ``source``).

    Examples
    --------
    >>> from ethicskit.data import load
    >>> reviewer = MessageReviewer(load("marketing_messages"))
    >>> reviewer.value = "Hurry! Offer ends at midnight."
    >>> sorted({(flag.source, flag.label) for flag in reviewer.flags})
    [('model', 'false_urgency'), ('rules', 'false_urgency')]
    >>> reviewer.value = ""
    >>> reviewer.flags
    []
    """

    value = traitlets.Unicode(help="the copy under review")

    def __init__(self, messages: pd.DataFrame | None = None, *, text: str = "", **kwargs):
        options = [("(type your own below)", "")]
        if messages is not None and len(messages):
            sample = messages.drop_duplicates("text").head(60)
            options += [(f"{row.message_id}: {str(row.text)[:60]}", str(row.text)) for row in sample.itertuples()]
        self._examples = widgets.Dropdown(options=options, value="", description="Example",
                                          layout=widgets.Layout(width="95%"))
        self._copy = widgets.Textarea(value=text, description="Copy", placeholder="Type marketing copy here",
                                      layout=widgets.Layout(width="95%", height="6em"))
        self._preview = widgets.HTML()
        self._findings = widgets.HTML()
        self._model = widgets.HTML()
        super().__init__([self._examples, self._copy, self._preview, self._findings, self._model], **kwargs)
        self.add_class("ek-message-reviewer")
        self._examples.observe(lambda change: change["new"] and setattr(self, "value", change["new"]),
                               names="value")
        self._copy.observe(lambda change: setattr(self, "value", change["new"]), names="value")
        self.flags = []
        self.value = text
        self.refresh()

    @traitlets.observe("value")
    def _on_value(self, change) -> None:
        self._copy.value = change["new"]
        self.refresh()

    def refresh(self) -> None:
        """Review the current copy and redraw the findings of both sources."""
        self.flags = review_message(self.value) if self.value.strip() else []
        rules = [f for f in self.flags if f.source == "rules"]
        model = [f for f in self.flags if f.source == "model"]
        self._preview.value = f"<blockquote>{_highlight(self.value, [f.phrase for f in rules])}</blockquote>"
        if not self.value.strip():
            self._findings.value = "<p>Type or pick some copy to review it.</p>"
            self._model.value = ""
        else:
            self._findings.value = _rules_html(rules)
            self._model.value = _model_html(model)
