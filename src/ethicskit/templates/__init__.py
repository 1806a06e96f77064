"""The kit's HTML pages as Jinja2 templates, rendered with autoescape.

Each page the kit writes is a ``*.html.j2`` file in this folder: the
certificate, the facilitator handout, a decision tree's checklist and the
completion report. ``render`` fills one in. Every value is escaped by
Jinja2, so a learner called ``<script>`` stays text. A fragment that is
already HTML (a pandas ``to_html`` table, rendered Markdown, an SVG) is
passed as ``markupsafe.Markup`` by the caller that made it, with a comment
saying why it is safe; nothing else is marked safe.

>>> from markupsafe import Markup
>>> page = render("certificate.html.j2", name="<b>Ann</b>", learner_id="l1", issued="2026-03-20", code="ABCD-EFGH-JKLM",
...               rows=[{"module": "00-orientation", "version": "v1", "passed_on": "2026-03-02"}])
>>> "&lt;b&gt;Ann&lt;/b&gt;" in page and "<b>Ann" not in page
True
"""

from __future__ import annotations

import functools
from pathlib import Path

FOLDER = Path(__file__).resolve().parent


@functools.cache
def environment():
    """The one Jinja2 environment: templates from this folder, autoescape on, undefined names raise."""
    import jinja2  # loaded on first render, so importing the kit stays cheap

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(FOLDER),
        # Plain-text email templates (``email/*.txt.j2``) are not HTML: escaping would turn "O'Neil" into
        # "O&#39;Neil". Every other template is escaped.
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2", "html"), disabled_extensions=("txt.j2",),
                                            default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(name: str, /, **values) -> str:
    """The template ``name`` (for example ``"certificate.html.j2"``) rendered with ``values``."""
    return environment().get_template(name).render(**values)
