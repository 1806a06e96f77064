"""MessageReviewer: type or pick marketing copy; see the reviewer's flags.

A thin view over :func:`ethicskit.audit.review_message`: each flag shows the
label, the phrase that triggered it (highlighted in the copy) and a direction
for a rewrite.
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


class MessageReviewer(widgets.VBox):
    """Type or pick copy; see the flags (label, matched phrase, suggestion).

    ``value`` is the copy under review; ``flags`` the list of
    :class:`~ethicskit.audit.MessageFlag` found in it.

    Examples
    --------
    >>> from ethicskit.data import load
    >>> reviewer = MessageReviewer(load("marketing_messages"))
    >>> reviewer.value = "Your new card arrives in 5 working days."
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
        super().__init__([self._examples, self._copy, self._preview, self._findings], **kwargs)
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
        """Review the current copy and redraw the findings."""
        self.flags = review_message(self.value)
        self._preview.value = f"<blockquote>{_highlight(self.value, [f.phrase for f in self.flags])}</blockquote>"
        if not self.value.strip():
            self._findings.value = "<p>Type or pick some copy to review it.</p>"
        elif not self.flags:
            self._findings.value = ("<p>No concern found by the rules. A rule-based check can miss things: "
                                    "read it as a customer would, too.</p>")
        else:
            items = "".join(
                f"<li><b>{html.escape(LABEL_TEXT.get(f.label, f.label))}</b>: "
                f"“{html.escape(f.phrase)}” — {html.escape(f.suggestion)}</li>" for f in self.flags
            )
            self._findings.value = f"<p>{len(self.flags)} concern(s):</p><ul>{items}</ul>"
