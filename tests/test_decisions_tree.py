"""The pure walker: walk, next_node and their errors."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ethicskit.decisions import (
    Leaf,
    Question,
    Step,
    TreeError,
    list_trees,
    load_tree,
    next_node,
    walk,
)
from ethicskit.decisions import _tree as treemod
from tree_helpers import all_paths


@pytest.mark.parametrize("name", ["use_of_feature", "manipulative_targeting", "legal_basis",
                                  "fairness_metric", "incident_response"])
def test_every_path_ends_at_its_leaf_and_every_leaf_is_reachable(name):
    tree = load_tree(name)
    reached = set()
    for answers, leaf in all_paths(tree):
        result = walk(tree, answers)
        assert result.finished and result.outcome == leaf and result.current == leaf.id
        assert result.answers == answers and len(result.steps) == len(answers)
        assert result.steps[0].node == tree.root
        reached.add(leaf.id)
    assert reached == {leaf.id for leaf in tree.leaves}


def test_an_unfinished_walk_points_at_the_next_question():
    tree = load_tree("use_of_feature")
    result = walk(tree, [])
    assert (result.current, result.outcome, result.steps) == (tree.root, None, ())
    result = walk(tree, ["no", "no"])
    assert not result.finished and isinstance(tree.nodes[result.current], Question)
    assert result.steps == (Step(tree.root, "no"), Step("protected_attribute", "no"))


def test_an_answer_not_offered_names_the_node_and_the_offered_answers():
    tree = load_tree("use_of_feature")
    offered = list(tree.nodes["protected_attribute"].values)
    message = treemod.NOT_OFFERED.format(node="protected_attribute", answer="maybe", offered=offered)
    with pytest.raises(TreeError, match=re.escape(message)):
        walk(tree, ["no", "maybe"])


def test_answers_after_the_outcome_are_rejected():
    tree = load_tree("use_of_feature")
    answers, leaf = next(all_paths(tree))
    with pytest.raises(TreeError, match=re.escape(f"reached the outcome leaf {leaf.id!r}")):
        walk(tree, answers + ["no"])


@pytest.mark.parametrize("answers, template", [
    ("no", treemod.ANSWERS_NOT_LIST),
    (42, treemod.ANSWERS_NOT_LIST),
    (["no", 1], treemod.ANSWER_NOT_TEXT),
])
def test_answers_must_be_a_list_of_text(answers, template):
    with pytest.raises(TreeError, match=re.escape(template.split("{")[0])):
        walk("use_of_feature", answers)


def test_walk_accepts_a_name_a_tree_or_a_path():
    tree = load_tree("legal_basis")
    answers, leaf = next(all_paths(tree))
    assert walk("legal_basis", answers) == walk(tree, answers) == walk(tree.source, answers)
    assert walk(tree, tuple(answers)).outcome == leaf
    with pytest.raises(TypeError):
        walk(3, answers)


def test_next_node():
    tree = load_tree("incident_response")
    root = tree.nodes[tree.root]
    for answer in root.answers:
        assert next_node(tree, root.id, answer.value) is tree.nodes[answer.next]
    with pytest.raises(TreeError, match="does not offer"):
        next_node(tree, root.id, "nonsense")
    with pytest.raises(TreeError, match=re.escape(treemod.LEAF_HAS_NO_ANSWERS.format(node=tree.leaves[0].id))):
        next_node(tree, tree.leaves[0].id, "x")
    with pytest.raises(TreeError, match="has no node 'ghost'"):
        next_node(tree, "ghost", "x")


def test_trees_are_frozen_and_cached():
    tree = load_tree("use_of_feature")
    assert load_tree("use_of_feature") is tree
    with pytest.raises(AttributeError):
        tree.title = "changed"
    with pytest.raises(TypeError):
        tree.nodes["x"] = None


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(sorted(["use_of_feature", "manipulative_targeting", "legal_basis",
                                    "fairness_metric", "incident_response"])),
       picks=st.lists(st.integers(min_value=0, max_value=9), max_size=12))
def test_random_walks_either_finish_or_wait_at_a_question(name, picks):
    tree = load_tree(name)
    answers, node = [], tree.nodes[tree.root]
    for pick in picks:
        if isinstance(node, Leaf):
            break
        answer = node.answers[pick % len(node.answers)]
        answers.append(answer.value)
        node = tree.nodes[answer.next]
    result = walk(tree, answers)
    assert result.current == node.id
    assert result.finished == isinstance(node, Leaf)


def test_list_trees_matches_the_folder():
    names = list_trees()
    assert names == sorted(names) and all(load_tree(n).id == n for n in names)


def test_trees_and_walks_pickle():
    import copy
    import pickle

    tree = load_tree("fairness_metric")
    clone = pickle.loads(pickle.dumps(tree))
    assert clone == tree and clone.nodes == tree.nodes and copy.deepcopy(tree) == tree
    with pytest.raises(TypeError):
        clone.nodes["x"] = None
    answers, _ = next(all_paths(tree))
    assert pickle.loads(pickle.dumps(walk(tree, answers))) == walk(tree, answers)
