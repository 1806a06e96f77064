"""Decision trees: YAML data, a pure walker, static renderers and a decision log.

Trees live in ``decision_trees/*.yaml`` (schema in ``decision_trees/README.md``).
Graded exercises use ``walk``: an answer is a plain list of answer values.

>>> from ethicskit.decisions import load_tree, walk
>>> tree = load_tree("use_of_feature")
>>> walk(tree, ["no", "no", "strong_proxy", "not_necessary"]).outcome.title
'Do not use a strong proxy that the purpose does not need'
"""

from ethicskit.decisions._log import Decision, DecisionLog
from ethicskit.decisions._render import OUTCOME_COLORS, to_checklist, to_mermaid, to_svg
from ethicskit.decisions._schema import (
    OUTCOME_LABELS,
    OUTCOMES,
    Answer,
    Leaf,
    Node,
    Question,
    Tree,
    TreeError,
    validate,
)
from ethicskit.decisions._tree import (
    Step,
    Walk,
    list_trees,
    load_tree,
    next_node,
    trees_folder,
    walk,
)

__all__ = [
    # the tree model
    "Tree", "Question", "Answer", "Leaf", "Node", "TreeError", "OUTCOMES", "OUTCOME_LABELS",
    # loading, validating and walking
    "load_tree", "list_trees", "trees_folder", "validate", "walk", "next_node", "Walk", "Step",
    # static renderers
    "to_mermaid", "to_svg", "to_checklist", "OUTCOME_COLORS",
    # the decision log
    "DecisionLog", "Decision",
]
