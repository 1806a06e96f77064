"""Matplotlib figures as PNG bytes, and as accessible HTML: an image with alt text and a caption.

``png_bytes`` is the kit's one figure-to-PNG step: the lessons' figures, the
audit plots, the completion report and the dashboard all go through it. It
uses only the ``Figure`` API, so a figure built with
``matplotlib.figure.Figure()`` is rendered without pyplot and without
switching any backend.

Notebook images carry no alt text, which screen readers (and the kit's
accessibility scan) flag. ``show_figure`` renders the figure once, closes it
so the inline backend does not draw it a second time, and returns an object
that displays as ``<figure>`` with ``alt`` and ``<figcaption>``.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> fig, ax = plt.subplots()
>>> _ = ax.set(title="Selection rate by group")
>>> shown = show_figure(fig, caption="Selection rates of the upgrade, by group.")
>>> html = shown._repr_html_()
>>> html.startswith("<figure") and 'alt="Selection rates of the upgrade, by group."' in html
True
"""

from __future__ import annotations

import base64
import html
import io
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib loads only when a figure is drawn
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class ShownFigure:
    """A rendered figure: PNG bytes, alt text and caption."""

    png: bytes
    alt: str
    caption: str

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        return (
            '<figure class="ek-figure" style="margin:0 0 1em 0">'
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.alt, quote=True)}" '
            'style="max-width:100%;height:auto"/>'
            f"<figcaption><em>{html.escape(self.caption)}</em></figcaption></figure>"
        )

    def __repr__(self) -> str:
        return f"<figure: {self.caption}>"


def png_bytes(fig: Figure, *, dpi: int) -> bytes:
    """``fig`` as PNG bytes at ``dpi``, cropped to what is drawn (``bbox_inches="tight"``).

    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(2, 1))
    >>> _ = fig.subplots().set_title("A figure without pyplot")
    >>> png_bytes(fig, dpi=50)[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def show_figure(fig, *, caption: str, alt: str | None = None, dpi: int = 110) -> ShownFigure:
    """Render ``fig`` to an accessible figure; ``alt`` defaults to the caption."""
    png = png_bytes(fig, dpi=dpi)
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:  # a figure made with pyplot is closed; one made with Figure() never was open
        pyplot.close(fig)
    return ShownFigure(png, alt or caption, caption)
