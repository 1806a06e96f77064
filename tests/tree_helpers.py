"""Helpers shared by the decision-tree and tree-widget tests."""

from ethicskit.decisions import Leaf


def all_paths(tree, node_id=None, prefix=()):
    """Every list of answers from the root to a leaf, computed from the tree data."""
    node = tree.nodes[node_id or tree.root]
    if isinstance(node, Leaf):
        yield list(prefix), node
        return
    for answer in node.answers:
        yield from all_paths(tree, answer.next, prefix + (answer.value,))
