"""Composite ipywidgets for the lessons.

Each widget builds its children once, exposes a ``value`` trait and calls pure
functions from ``observe``; none uses an ``Output`` widget, so all of them work
headless (nbclient, nbgrader), in JupyterLab and in Voila.
"""

from ethicskit.widgets._quickcheck import QuickCheck
from ethicskit.widgets._tree import TreeWalker

__all__ = ["QuickCheck", "TreeWalker"]
