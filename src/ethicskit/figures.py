"""Show matplotlib figures as accessible HTML: an image with alt text and a caption.

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
from dataclasses import dataclass


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


def show_figure(fig, *, caption: str, alt: str | None = None, dpi: int = 110) -> ShownFigure:
    """Render ``fig`` to an accessible figure; ``alt`` defaults to the caption."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return ShownFigure(buffer.getvalue(), alt or caption, caption)
