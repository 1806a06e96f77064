"""Plot helpers: every plot returns ``Plot(ax, caption)`` and shows nothing.

Figures are built with matplotlib's object API (``matplotlib.figure.Figure``),
never through ``pyplot``, so calling a plot function headless (in tests, on a
grader, in a script) draws nothing on screen and leaks no global figure. In a
notebook, a ``Plot`` that is a cell's last value renders its figure and
caption; ``plot.ax.figure`` displays the figure alone.
"""

from __future__ import annotations

import base64
import html
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from ethicskit.figures import png_bytes

if TYPE_CHECKING:  # matplotlib and seaborn load only when something is drawn (they cost ~0.6 s at import)
    from matplotlib.axes import Axes

PALETTE = "colorblind"
SEQUENTIAL_CMAP = "cividis"  # perceptually uniform and colour-vision-deficiency safe


class Plot(NamedTuple):
    """A drawn chart: its matplotlib ``Axes`` and a one-line caption."""

    ax: "Axes"
    caption: str

    def _repr_html_(self) -> str:
        """The figure as an inline PNG with its caption (how notebooks show a Plot)."""
        data = base64.b64encode(png_bytes(self.ax.figure, dpi=100)).decode("ascii")
        alt = html.escape(self.ax.get_title() or self.caption)
        return (
            f'<figure><img src="data:image/png;base64,{data}" alt="{alt}"/>'
            f"<figcaption>{html.escape(self.caption)}</figcaption></figure>"
        )


def new_axes(ax: Axes | None = None, *, figsize: tuple[float, float] = (7.0, 4.0)) -> Axes:
    """Return ``ax``, or the Axes of a new, unmanaged Figure."""
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    figure = Figure(figsize=figsize, layout="constrained")
    return figure.subplots()


def draw_proxy_heatmap(table: pd.DataFrame, *, ax: Axes | None = None) -> Plot:
    """Heatmap of a ``proxy_strength`` table: features by protected attributes."""
    import seaborn as sns

    grid = table.pivot_table(index="feature", columns="protected", values="measure", aggfunc="max")
    order = grid.max(axis=1).sort_values(ascending=False).index
    grid = grid.loc[order]
    height = max(3.0, 0.45 * len(grid) + 1.5)
    ax = new_axes(ax, figsize=(1.6 * max(len(grid.columns), 2) + 3.0, height))
    sns.heatmap(
        grid, ax=ax, vmin=0.0, vmax=1.0, cmap=SEQUENTIAL_CMAP, annot=True, fmt=".2f",
        linewidths=0.5, cbar_kws={"label": "association (0 = none, 1 = perfect)"},
    )
    ax.set_title("How strongly each feature tracks a protected attribute")
    ax.set_xlabel("protected attribute")
    ax.set_ylabel("candidate feature")
    top = table.iloc[0]
    caption = (
        f"Association of {len(grid)} features with {len(grid.columns)} protected attributes "
        f"(Cramér's V or correlation ratio); strongest: {top['feature']} with "
        f"{top['protected']} at {top['measure']:.2f}."
    )
    return Plot(ax, caption)


def draw_drift(disparity: pd.DataFrame, *, ax: Axes | None = None) -> Plot:
    """Line chart of each group's ratio to the reference per period, band shaded."""
    import seaborn as sns

    low, high = disparity.attrs.get("band", (0.8, 1.25))
    reference = disparity.attrs.get("reference")
    period = disparity.attrs.get("period", "month")
    group = disparity.attrs.get("group", "group")
    data = disparity[disparity[group] != reference] if reference is not None else disparity
    data = data.assign(**{group: data[group].astype(str)})
    ax = new_axes(ax, figsize=(8.0, 4.2))
    ax.axhspan(low, high, color="0.85", alpha=0.6, zorder=0, label=f"tolerance band {low:g}–{high:g}")
    ax.axhline(1.0, color="0.4", linewidth=0.8, linestyle="--", zorder=1)
    sns.lineplot(
        data=data, x=period, y="ratio_to_reference", hue=group, style=group,
        markers=True, dashes=False, palette=PALETTE, ax=ax,
    )
    ax.set_title(f"Selection-rate ratio to {reference} over time")
    ax.set_xlabel(period)
    ax.set_ylabel(f"ratio to {reference}")
    ax.legend(loc="best", fontsize="small")
    breaches = data[data["breach"]]
    if len(breaches):
        first = breaches.sort_values(period).iloc[0]
        when = pd.Timestamp(first[period]).strftime("%Y-%m") if np.issubdtype(
            np.asarray(data[period]).dtype, np.datetime64) else str(first[period])
        finding = f"first outside the band: {first[group]} in {when} at {first['ratio_to_reference']:.2f}"
    else:
        finding = "no group leaves the band"
    caption = (
        f"Each group's selection-rate ratio to {reference} per {period}; the shaded "
        f"band {low:g}–{high:g} is the review trigger; {finding}."
    )
    return Plot(ax, caption)
