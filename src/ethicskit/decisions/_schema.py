"""The decision-tree model: frozen dataclasses and ``validate``.

A tree is plain data (usually YAML, see ``decision_trees/README.md``).
``validate`` checks the data at the boundary and turns it into a ``Tree``;
every error names the node it is about.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from ethicskit.errors import EthicskitError

Outcome = Literal["proceed", "proceed_with_safeguards", "escalate", "stop"]
OUTCOMES: tuple[str, ...] = ("proceed", "proceed_with_safeguards", "escalate", "stop")
OUTCOME_LABELS: Mapping[str, str] = MappingProxyType({
    "proceed": "Proceed",
    "proceed_with_safeguards": "Proceed with safeguards",
    "escalate": "Escalate",
    "stop": "Stop",
})

TREE_KEYS = ("id", "title", "intro", "version", "root", "nodes")
REQUIRED_TREE_KEYS = ("id", "title", "version", "root", "nodes")
QUESTION_KEYS = ("question", "help", "answers")
ANSWER_KEYS = ("value", "label", "next")
LEAF_KEYS = ("outcome", "title", "rationale", "references", "safeguards")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")

# Error texts: tests import the same constants.
NOT_A_MAPPING = "a tree must be a mapping of {keys}, found {found!r} (type {kind})"
MISSING_TREE_KEYS = "tree {tree!r} is missing {missing}; a tree needs {keys}"
UNKNOWN_KEYS = "{where} has unknown keys {unknown}; allowed keys are {allowed}"
BAD_TEXT = "{where}: {key} must be non-empty text, found {found!r} (type {kind})"
NO_NODES = "tree {tree!r}: nodes must be a non-empty mapping of node id to node, found {found!r}"
BAD_NODE_ID = "tree {tree!r}: node id {node!r} must be a slug (lower-case letters, digits, _ or -)"
ROOT_MISSING = "tree {tree!r}: root {root!r} is not a node; nodes are {nodes}"
ROOT_IS_LEAF = "tree {tree!r}: root node {root!r} is a leaf; a tree starts with a question"
NODE_KIND = ("node {node!r} must be a question (with 'question' and 'answers') or a leaf "
             "(with 'outcome'), not {found}")
TOO_FEW_ANSWERS = "question node {node!r} needs at least 2 answers, found {count}"
BAD_ANSWER = "question node {node!r}: answer {index} must be a mapping with keys {keys}, found {found!r}"
BAD_ANSWER_VALUE = ("question node {node!r}: answer value {value!r} (type {kind}) must be a slug "
                    "(lower-case letters, digits, _ or -); quote it in YAML, e.g. value: \"yes\"")
DUPLICATE_ANSWER = "question node {node!r} offers the answer value {value!r} more than once"
NEXT_MISSING = "question node {node!r}: answer {value!r} leads to {next!r}, which is not a node"
BAD_OUTCOME = "leaf node {node!r}: outcome must be one of {allowed}, found {found!r}"
NO_REFERENCES = "leaf node {node!r} needs at least 1 reference (article number or anchor), found {found!r}"
BAD_LIST = "{where}: {key} must be a list of non-empty text, found {found!r}"
NO_SAFEGUARDS = "leaf node {node!r}: outcome 'proceed_with_safeguards' needs at least 1 safeguard"
CYCLE = "tree {tree!r} has a cycle through node {node!r}: {path}"
UNREACHABLE = "tree {tree!r}: node {node!r} cannot be reached from the root {root!r}"


class TreeError(EthicskitError, ValueError):
    """An invalid tree, or an answer the tree does not offer."""

    __module__ = "ethicskit.decisions"


@dataclass(frozen=True)
class Answer:
    """One answer to a question: a stable slug, the button text, the next node id."""

    value: str
    label: str
    next: str


@dataclass(frozen=True)
class Question:
    """A node that asks something and offers at least two answers."""

    id: str
    text: str
    answers: tuple[Answer, ...]
    help: str = ""

    @property
    def values(self) -> tuple[str, ...]:
        """The answer slugs offered here, in order."""
        return tuple(a.value for a in self.answers)


@dataclass(frozen=True)
class Leaf:
    """A node that ends the walk with an outcome, a rationale and references."""

    id: str
    outcome: str
    title: str
    rationale: str
    references: tuple[str, ...]
    safeguards: tuple[str, ...] = ()

    @property
    def outcome_label(self) -> str:
        """The outcome in words, e.g. ``"Proceed with safeguards"``."""
        return OUTCOME_LABELS[self.outcome]


Node = Question | Leaf


@dataclass(frozen=True)
class Tree:
    """A validated decision tree. ``nodes`` maps node id to node, in file order."""

    id: str
    title: str
    version: str
    root: str
    nodes: Mapping[str, Node] = field(hash=False, repr=False)
    intro: str = ""
    source: str = field(default="", compare=False)

    def __reduce__(self):
        # MappingProxyType does not pickle; rebuild it (lets a Tree cross process boundaries).
        return (_rebuild_tree, (self.id, self.title, self.version, self.root, dict(self.nodes),
                                self.intro, self.source))

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(n for n in self.nodes.values() if isinstance(n, Question))

    @property
    def leaves(self) -> tuple[Leaf, ...]:
        return tuple(n for n in self.nodes.values() if isinstance(n, Leaf))


def _rebuild_tree(id, title, version, root, nodes, intro, source) -> Tree:
    return Tree(id=id, title=title, version=version, root=root, nodes=MappingProxyType(nodes),
                intro=intro, source=source)


def _text(value: Any, *, where: str, key: str, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and key == "version":
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise TreeError(BAD_TEXT.format(where=where, key=key, found=value, kind=type(value).__name__))
    return value.strip()


def _text_list(value: Any, *, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TreeError(BAD_LIST.format(where=where, key=key, found=value))
    return tuple(v.strip() for v in value)


def _check_keys(data: Mapping, allowed: tuple[str, ...], where: str) -> None:
    unknown = sorted(set(data) - set(allowed), key=str)
    if unknown:
        raise TreeError(UNKNOWN_KEYS.format(where=where, unknown=unknown, allowed=list(allowed)))


def _question(node_id: str, data: Mapping) -> Question:
    where = f"question node {node_id!r}"
    _check_keys(data, QUESTION_KEYS, where)
    text = _text(data.get("question"), where=where, key="question")
    answers_data = data.get("answers")
    if not isinstance(answers_data, list) or len(answers_data) < 2:
        count = len(answers_data) if isinstance(answers_data, list) else 0
        raise TreeError(TOO_FEW_ANSWERS.format(node=node_id, count=count))
    answers, seen = [], set()
    for index, item in enumerate(answers_data, start=1):
        if not isinstance(item, Mapping) or set(item) != set(ANSWER_KEYS):
            raise TreeError(BAD_ANSWER.format(node=node_id, index=index, keys=list(ANSWER_KEYS), found=item))
        value = item["value"]
        if not isinstance(value, str) or not SLUG.match(value):
            raise TreeError(BAD_ANSWER_VALUE.format(node=node_id, value=value, kind=type(value).__name__))
        if value in seen:
            raise TreeError(DUPLICATE_ANSWER.format(node=node_id, value=value))
        seen.add(value)
        label = _text(item["label"], where=f"{where}, answer {value!r}", key="label")
        nxt = _text(item["next"], where=f"{where}, answer {value!r}", key="next")
        answers.append(Answer(value=value, label=label, next=nxt))
    help_text = _text(data.get("help"), where=where, key="help", required=False)
    return Question(id=node_id, text=text, answers=tuple(answers), help=help_text)


def _leaf(node_id: str, data: Mapping) -> Leaf:
    where = f"leaf node {node_id!r}"
    _check_keys(data, LEAF_KEYS, where)
    outcome = data.get("outcome")
    if outcome not in OUTCOMES:
        raise TreeError(BAD_OUTCOME.format(node=node_id, allowed=list(OUTCOMES), found=outcome))
    references = data.get("references")
    if not isinstance(references, list) or not references:
        raise TreeError(NO_REFERENCES.format(node=node_id, found=references))
    safeguards = _text_list(data.get("safeguards"), where=where, key="safeguards")
    if outcome == "proceed_with_safeguards" and not safeguards:
        raise TreeError(NO_SAFEGUARDS.format(node=node_id))
    return Leaf(
        id=node_id,
        outcome=outcome,
        title=_text(data.get("title"), where=where, key="title"),
        rationale=_text(data.get("rationale"), where=where, key="rationale"),
        references=_text_list(references, where=where, key="references"),
        safeguards=safeguards,
    )


def _node(node_id: str, data: Any) -> Node:
    if isinstance(data, Mapping) and "question" in data and "outcome" not in data:
        return _question(node_id, data)
    if isinstance(data, Mapping) and "outcome" in data and "question" not in data:
        return _leaf(node_id, data)
    found = "both" if isinstance(data, Mapping) and data else repr(data)
    raise TreeError(NODE_KIND.format(node=node_id, found=found))


def _check_graph(tree_id: str, root: str, nodes: Mapping[str, Node]) -> None:
    """Every ``next`` exists, no cycles, every node reachable from the root."""
    for node in nodes.values():
        if isinstance(node, Question):
            for answer in node.answers:
                if answer.next not in nodes:
                    raise TreeError(NEXT_MISSING.format(node=node.id, value=answer.value, next=answer.next))
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(node_id: str, path: list[str]) -> None:
        state[node_id] = 1
        node = nodes[node_id]
        for nxt in dict.fromkeys(a.next for a in getattr(node, "answers", ())):
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):] + [node_id, nxt] if nxt in path else [node_id, nxt]
                raise TreeError(CYCLE.format(tree=tree_id, node=nxt, path=" -> ".join(cycle)))
            if nxt not in state:
                visit(nxt, path + [node_id])
        state[node_id] = 2

    visit(root, [])
    for node_id in nodes:
        if node_id not in state:
            raise TreeError(UNREACHABLE.format(tree=tree_id, node=node_id, root=root))


def validate(data: Mapping[str, Any], *, source: str = "") -> Tree:
    """Check a tree given as plain data and return it as a frozen ``Tree``.

    Raises ``TreeError`` naming the node at fault: unknown or missing keys, a
    question with fewer than two answers or a repeated answer value, an answer
    leading nowhere, a leaf without a valid outcome, rationale or reference,
    a cycle, or a node the root cannot reach.

    >>> tree = validate({"id": "demo", "title": "Demo?", "version": "1", "root": "q",
    ...     "nodes": {"q": {"question": "Ok?", "answers": [
    ...         {"value": "yes", "label": "Yes", "next": "go"},
    ...         {"value": "no", "label": "No", "next": "q"}]},
    ...       "go": {"outcome": "proceed", "title": "Go", "rationale": "Fine.",
    ...              "references": ["GDPR Art. 6(1)"]}}})
    Traceback (most recent call last):
    ...
    ethicskit.decisions.TreeError: tree 'demo' has a cycle through node 'q': q -> q
    """
    if not isinstance(data, Mapping):
        raise TreeError(NOT_A_MAPPING.format(keys=list(TREE_KEYS), found=data, kind=type(data).__name__))
    tree_id = data.get("id", "?")
    missing = [k for k in REQUIRED_TREE_KEYS if k not in data]
    if missing:
        raise TreeError(MISSING_TREE_KEYS.format(tree=tree_id, missing=missing, keys=list(REQUIRED_TREE_KEYS)))
    _check_keys(data, TREE_KEYS, f"tree {tree_id!r}")
    tree_id = _text(data["id"], where="tree", key="id")
    where = f"tree {tree_id!r}"
    raw_nodes = data["nodes"]
    if not isinstance(raw_nodes, Mapping) or not raw_nodes:
        raise TreeError(NO_NODES.format(tree=tree_id, found=raw_nodes))
    nodes: dict[str, Node] = {}
    for node_id, node_data in raw_nodes.items():
        if not isinstance(node_id, str) or not SLUG.match(node_id):
            raise TreeError(BAD_NODE_ID.format(tree=tree_id, node=node_id))
        nodes[node_id] = _node(node_id, node_data)
    root = _text(data["root"], where=where, key="root")
    if root not in nodes:
        raise TreeError(ROOT_MISSING.format(tree=tree_id, root=root, nodes=list(nodes)))
    if isinstance(nodes[root], Leaf):
        raise TreeError(ROOT_IS_LEAF.format(tree=tree_id, root=root))
    _check_graph(tree_id, root, nodes)
    return Tree(
        id=tree_id,
        title=_text(data["title"], where=where, key="title"),
        version=_text(data["version"], where=where, key="version"),
        root=root,
        nodes=MappingProxyType(nodes),
        intro=_text(data.get("intro"), where=where, key="intro", required=False),
        source=source,
    )
