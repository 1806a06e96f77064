"""Composite ipywidgets for the lessons.

Each widget builds its children once, exposes a ``value`` trait and calls pure
functions from ``observe``; none uses an ``Output`` widget, so all of them work
headless (nbclient, nbgrader), in JupyterLab and in Voila.
"""

from ethicskit.widgets._consent import ConsentTimeline
from ethicskit.widgets._messages import MessageReviewer
from ethicskit.widgets._proxy import ProxyExplorer
from ethicskit.widgets._quickcheck import QuickCheck
from ethicskit.widgets._threshold import ThresholdExplorer
from ethicskit.widgets._tree import TreeWalker

__all__ = ["ConsentTimeline", "MessageReviewer", "ProxyExplorer", "QuickCheck", "ThresholdExplorer", "TreeWalker"]
