"""Validation of decision trees: the five shipped trees, and broken trees named by node."""

from __future__ import annotations

import copy
import re

import pytest
import yaml

from ethicskit.decisions import (
    OUTCOMES,
    Leaf,
    Question,
    TreeError,
    list_trees,
    load_tree,
    validate,
    walk,
)
from ethicskit.decisions import _schema as schema
from ethicskit.decisions import _tree as treemod

SHIPPED = ["fairness_metric", "incident_response", "legal_basis", "manipulative_targeting", "use_of_feature",
           "vendor_data"]

# The anchors each tree must cite somewhere (issue 5 and DESIGN.md §2).
REQUIRED_REFERENCES = {
    "use_of_feature": ["GDPR Art. 9", "deon D.1", "deon C.2", "removing the sensitive feature",
                       "Art. 5(1)(c)", "Art. 6(1)", "DSA Art. 26(3)"],
    "manipulative_targeting": ["AI Act Art. 5(1)(a)", "AI Act Art. 5(1)(b)", "DSA Art. 25", "DSA Art. 26(3)",
                               "DSA Art. 28", "Bringing Dark Patterns to Light", "Art. 5(3)"],
    "legal_basis": ["GDPR Art. 6(1)", "GDPR Art. 7(3)", "GDPR Art. 21(2)-(3)", "GDPR Art. 4(11)"],
    "fairness_metric": ["fairlearn", "Aequitas", "§1002.4"],
    "incident_response": ["GDPR Art. 33", "72 hours", "GDPR Art. 34", "deon E.1", "deon E.2", "deon E.3",
                          "deon E.4"],
    "vendor_data": ["Art. 5(1)(c)", "GDPR Art. 9(1)", "GDPR Art. 14(3)(a)", "Art. 28(3)",
                    "GDPR Art. 32(1)", "NIST AI RMF 1.0", "ISO/IEC 42001:2023"],
}


def minimal_tree() -> dict:
    return {
        "id": "t", "title": "Test?", "version": "1", "root": "q1",
        "nodes": {
            "q1": {"question": "First?", "answers": [
                {"value": "a", "label": "A", "next": "q2"},
                {"value": "b", "label": "B", "next": "done"}]},
            "q2": {"question": "Second?", "answers": [
                {"value": "c", "label": "C", "next": "done"},
                {"value": "d", "label": "D", "next": "halt"}]},
            "done": {"outcome": "proceed", "title": "Done", "rationale": "Fine.", "references": ["GDPR Art. 6(1)"]},
            "halt": {"outcome": "stop", "title": "Halt", "rationale": "No.", "references": ["GDPR Art. 9(1)"]},
        },
    }


def test_the_six_trees_are_listed():
    assert list_trees() == SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_tree_validates_and_every_leaf_is_grounded(name):
    tree = load_tree(name)
    assert tree.id == name and tree.nodes[tree.root] in tree.questions
    for leaf in tree.leaves:
        assert leaf.outcome in OUTCOMES and leaf.rationale and leaf.references
    text = " ".join(r for leaf in tree.leaves for r in leaf.references)
    missing = [ref for ref in REQUIRED_REFERENCES[name] if ref not in text]
    assert not missing, f"{name} does not cite {missing}"


def test_tree_one_reaches_stop_for_a_strong_proxy_without_necessity():
    result = walk("use_of_feature", ["no", "no", "strong_proxy", "not_necessary"])
    assert result.outcome.outcome == "stop"
    assert any("D.1" in r for r in result.outcome.references)


def test_minimal_tree_round_trips():
    tree = validate(minimal_tree())
    assert isinstance(tree.nodes["q1"], Question) and isinstance(tree.nodes["halt"], Leaf)
    assert tree.nodes["q1"].values == ("a", "b")
    assert [n.id for n in tree.leaves] == ["done", "halt"]


def _expect(data: dict, template: str, **fields) -> None:
    with pytest.raises(TreeError, match=re.escape(template.format(**fields))):
        validate(data)


def test_a_cycle_is_named():
    data = minimal_tree()
    data["nodes"]["q2"]["answers"][0]["next"] = "q1"
    _expect(data, schema.CYCLE, tree="t", node="q1", path="q1 -> q2 -> q1")


def test_an_unreachable_node_is_named():
    data = minimal_tree()
    data["nodes"]["orphan"] = {"outcome": "escalate", "title": "O", "rationale": "R", "references": ["x"]}
    _expect(data, schema.UNREACHABLE, tree="t", node="orphan", root="q1")


def test_a_leaf_without_references_is_named():
    data = minimal_tree()
    data["nodes"]["halt"]["references"] = []
    _expect(data, schema.NO_REFERENCES, node="halt", found=[])
    del data["nodes"]["halt"]["references"]
    _expect(data, schema.NO_REFERENCES, node="halt", found=None)


@pytest.mark.parametrize("mutate, template, fields", [
    (lambda d: d["nodes"]["halt"].update(outcome="maybe"), schema.BAD_OUTCOME,
     {"node": "halt", "allowed": list(OUTCOMES), "found": "maybe"}),
    (lambda d: d["nodes"]["halt"].update(rationale=""), schema.BAD_TEXT,
     {"where": "leaf node 'halt'", "key": "rationale", "found": "", "kind": "str"}),
    (lambda d: d["nodes"]["q2"]["answers"].pop(), schema.TOO_FEW_ANSWERS, {"node": "q2", "count": 1}),
    (lambda d: d["nodes"]["q2"]["answers"][1].update(value="c"), schema.DUPLICATE_ANSWER,
     {"node": "q2", "value": "c"}),
    (lambda d: d["nodes"]["q2"]["answers"][1].update(next="nowhere"), schema.NEXT_MISSING,
     {"node": "q2", "value": "d", "next": "nowhere"}),
    (lambda d: d["nodes"]["q2"]["answers"][1].update(value=True), schema.BAD_ANSWER_VALUE,
     {"node": "q2", "value": True, "kind": "bool"}),
    (lambda d: d.update(root="halt"), schema.ROOT_IS_LEAF, {"tree": "t", "root": "halt"}),
    (lambda d: d.update(root="nope"), schema.ROOT_MISSING,
     {"tree": "t", "root": "nope", "nodes": ["q1", "q2", "done", "halt"]}),
    (lambda d: d["nodes"]["halt"].update(question="Also a question?"), schema.NODE_KIND,
     {"node": "halt", "found": "both"}),
    (lambda d: d["nodes"]["halt"].update(refrences=["typo"]), schema.UNKNOWN_KEYS,
     {"where": "leaf node 'halt'", "unknown": ["refrences"], "allowed": list(schema.LEAF_KEYS)}),
    (lambda d: d["nodes"]["done"].update(outcome="proceed_with_safeguards"), schema.NO_SAFEGUARDS,
     {"node": "done"}),
    (lambda d: d.pop("root"), schema.MISSING_TREE_KEYS,
     {"tree": "t", "missing": ["root"], "keys": list(schema.REQUIRED_TREE_KEYS)}),
])
def test_broken_trees_are_rejected_with_the_node_named(mutate, template, fields):
    data = minimal_tree()
    mutate(data)
    _expect(data, template, **fields)


def test_a_self_loop_is_a_cycle():
    data = minimal_tree()
    data["nodes"]["q1"]["answers"][0]["next"] = "q1"
    _expect(data, schema.CYCLE, tree="t", node="q1", path="q1 -> q1")


def test_not_a_mapping():
    with pytest.raises(TreeError, match="must be a mapping"):
        validate(["not", "a", "tree"])


def test_validation_does_not_change_its_input():
    data = minimal_tree()
    before = copy.deepcopy(data)
    validate(data)
    assert data == before


def test_yaml_yes_and_no_stay_text(tmp_path):
    data = minimal_tree()
    data["nodes"]["q1"]["answers"][0]["value"] = "yes"
    data["nodes"]["q1"]["answers"][1]["value"] = "no"
    text = yaml.safe_dump(data, sort_keys=False).replace("'yes'", "yes").replace("'no'", "no")
    assert "value: yes" in text  # unquoted, as a facilitator would write it
    (tmp_path / "t.yaml").write_text(text)
    tree = load_tree("t", folder=tmp_path)
    assert tree.nodes["q1"].values == ("yes", "no")


def test_file_name_must_match_the_tree_id(tmp_path):
    (tmp_path / "other.yaml").write_text(yaml.safe_dump(minimal_tree()))
    with pytest.raises(TreeError, match=re.escape(treemod.ID_MISMATCH.format(tree="t", path="other.yaml"))):
        load_tree(tmp_path / "other.yaml")


def test_an_unknown_name_lists_the_available_trees(tmp_path):
    (tmp_path / "t.yaml").write_text(yaml.safe_dump(minimal_tree()))
    message = treemod.UNKNOWN_TREE.format(name="nope", folder=tmp_path, available=["t"])
    with pytest.raises(TreeError, match=re.escape(message)):
        load_tree("nope", folder=tmp_path)


def test_invalid_yaml_names_the_file(tmp_path):
    (tmp_path / "t.yaml").write_text("id: t\nnodes: [unclosed\n")
    with pytest.raises(TreeError, match="t.yaml is not valid YAML"):
        load_tree("t", folder=tmp_path)


def test_an_edited_file_is_reloaded(tmp_path):
    data = minimal_tree()
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(data))
    assert load_tree(path).title == "Test?"
    data["title"] = "Edited title, a little longer?"
    path.write_text(yaml.safe_dump(data))
    assert load_tree(path).title == "Edited title, a little longer?"
