"""ProxyExplorer: pick a candidate feature, see what it reveals about protected groups.

A thin view over :func:`ethicskit.audit.proxy_strength`: the association of
the chosen feature with every protected attribute (0–1), and how the feature
is distributed in each group of the chosen attribute.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
import pandas as pd
import traitlets

from ethicskit.audit import proxy_strength
from ethicskit.audit._proxies import _is_categorical


def _bar(value: float) -> str:
    width = max(0.0, min(1.0, value)) * 100
    return (f'<span style="display:inline-block;width:8em;background:#eee" aria-hidden="true">'
            f'<span style="display:inline-block;width:{width:.0f}%;background:#0173b2">&nbsp;</span></span>')


class ProxyExplorer(widgets.VBox):
    """Choose a feature; see its association with each protected attribute and per-group distributions.

    ``value`` is the chosen feature; ``table`` is the full ``proxy_strength``
    table (computed once); ``association`` and ``distribution`` hold the
    current view as DataFrames.

    Examples
    --------
    >>> from ethicskit.data import load
    >>> people = load("customers").merge(load("candidate_features"), on="customer_id")
    >>> explorer = ProxyExplorer(people, features=["lifestyle_affinity", "recency_days"],
    ...                          protected=["gender", "ethnicity_group"])
    >>> explorer.value = "lifestyle_affinity"
    >>> explorer.association.index[0]
    'gender'
    """

    value = traitlets.Unicode(help="the feature being explored")

    def __init__(self, df: pd.DataFrame, *, features: Sequence[str], protected: Sequence[str], **kwargs):
        features, protected = list(features), list(protected)
        self.table = proxy_strength(df, features=features, protected=protected)
        self._df = df[[*dict.fromkeys([*features, *protected])]]
        self._feature = widgets.Dropdown(options=features, value=features[0], description="Feature")
        self._attribute = widgets.Dropdown(options=protected, value=protected[0], description="Compare across",
                                           style={"description_width": "initial"})
        self._association_html = widgets.HTML()
        self._distribution_html = widgets.HTML()
        super().__init__([self._feature, self._association_html, self._attribute, self._distribution_html],
                         **kwargs)
        self._feature.observe(lambda change: setattr(self, "value", change["new"]), names="value")
        self._attribute.observe(lambda change: self.refresh(), names="value")
        self.value = features[0]

    @traitlets.validate("value")
    def _check_value(self, proposal):
        if proposal["value"] not in self._feature.options:
            raise traitlets.TraitError(f"unknown feature {proposal['value']!r}; "
                                       f"features: {list(self._feature.options)}")
        return proposal["value"]

    @traitlets.observe("value")
    def _on_value(self, change) -> None:
        self._feature.value = change["new"]
        self.refresh()

    def refresh(self) -> None:
        """Redraw the association and distribution for the current choices."""
        feature, attribute = self.value, self._attribute.value
        rows = self.table[self.table["feature"] == feature].set_index("protected")
        self.association = rows[["measure", "method"]]
        lines = "".join(
            f"<tr><td>{html.escape(str(p))}</td><td>{_bar(m)} {m:.2f}</td><td>{html.escape(k)}</td></tr>"
            for p, m, k in zip(rows.index, rows["measure"], rows["method"])
        )
        self._association_html.value = (
            f"<p>How strongly <b>{html.escape(feature)}</b> tracks each protected attribute "
            "(0 = not at all, 1 = completely):</p>"
            f"<table><tr><th>attribute</th><th>association</th><th>measure</th></tr>{lines}</table>"
        )
        column, groups = self._df[feature], self._df[attribute]
        if _is_categorical(column):
            self.distribution = pd.crosstab(groups, column, normalize="index")
            note = "share of each group in each category"
        else:
            by_group = column.groupby(groups, observed=True)
            self.distribution = pd.DataFrame({
                "count": by_group.size(), "mean": by_group.mean(), "median": by_group.median(),
            })
            note = "summary of the feature within each group"
        self._distribution_html.value = (
            f"<p>{html.escape(feature)} by {html.escape(attribute)} ({note}):</p>"
            + self.distribution.to_html(float_format=lambda x: f"{x:.2f}", border=0)
        )
