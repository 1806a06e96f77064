"""Load trees from YAML and walk them: pure functions, no widgets."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import yaml

from ethicskit.decisions._schema import Leaf, Node, Tree, TreeError, validate

TREE_SUFFIXES = (".yaml", ".yml")

UNKNOWN_TREE = "no decision tree named {name!r} in {folder}; available trees are {available}"
BAD_YAML = "{path} is not valid YAML: {error}"
ID_MISMATCH = "tree id {tree!r} does not match its file name {path}; make them the same"
ANSWERS_NOT_LIST = "answers must be a list of answer values (text), found {found!r} (type {kind})"
ANSWER_NOT_TEXT = "answer {index} must be an answer value (text), found {found!r} (type {kind})"
NOT_OFFERED = "node {node!r} does not offer the answer {answer!r}; it offers {offered}"
AFTER_OUTCOME = ("the walk reached the outcome leaf {node!r} after {count} answer(s); "
                 "remove the extra answer(s) {extra}")
UNKNOWN_NODE = "tree {tree!r} has no node {node!r}; nodes are {nodes}"
LEAF_HAS_NO_ANSWERS = "node {node!r} is an outcome leaf; it offers no answers"
NOT_A_TREE = "expected a Tree, a tree name or a path, found {found!r} (type {kind})"


class _Loader(yaml.SafeLoader):
    """YAML with only true/false as booleans, so ``value: yes`` stays the text "yes"."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def trees_folder(folder: str | os.PathLike | None = None) -> Path:
    """The folder of YAML trees: ``folder`` if given, else the project's ``decision_trees/``."""
    if folder is not None:
        return Path(folder)
    from ethicskit.paths import decision_trees_dir

    return decision_trees_dir()


def list_trees(*, folder: str | os.PathLike | None = None) -> list[str]:
    """The names of the trees in the trees folder, sorted.

    >>> list_trees()
    ['fairness_metric', 'incident_response', 'legal_basis', 'manipulative_targeting', 'use_of_feature', 'vendor_data']
    """
    base = trees_folder(folder)
    return sorted(p.stem for p in base.iterdir() if p.suffix in TREE_SUFFIXES and p.is_file())


@functools.lru_cache(maxsize=64)
def _load_file(path: str, mtime_ns: int, size: int) -> Tree:
    text = Path(path).read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise TreeError(BAD_YAML.format(path=path, error=exc)) from exc
    tree = validate(data, source=path)
    if tree.id != Path(path).stem:
        raise TreeError(ID_MISMATCH.format(tree=tree.id, path=Path(path).name))
    return tree


def _resolve(name_or_path: str | os.PathLike, folder: str | os.PathLike | None) -> Path:
    text = os.fspath(name_or_path)
    if isinstance(name_or_path, os.PathLike) or text.endswith(TREE_SUFFIXES) or os.sep in text or "/" in text:
        return Path(text)
    base = trees_folder(folder)
    for suffix in TREE_SUFFIXES:
        if (base / f"{text}{suffix}").is_file():
            return base / f"{text}{suffix}"
    available = list_trees(folder=base) if base.is_dir() else []
    raise TreeError(UNKNOWN_TREE.format(name=text, folder=base, available=available))


def load_tree(name_or_path: str | os.PathLike, *, folder: str | os.PathLike | None = None) -> Tree:
    """Read and validate a tree by name (from the trees folder) or by path.

    The file's tree ``id`` must equal its file name without ``.yaml``.
    Results are cached until the file changes.

    >>> tree = load_tree("use_of_feature")
    >>> tree.title
    'Can we use this attribute or feature in segmentation?'
    >>> tree.nodes[tree.root].values
    ('yes', 'no')
    """
    path = _resolve(name_or_path, folder).resolve()
    stat = path.stat()
    return _load_file(str(path), stat.st_mtime_ns, stat.st_size)


def _as_tree(tree: Tree | str | os.PathLike) -> Tree:
    if isinstance(tree, Tree):
        return tree
    if isinstance(tree, (str, os.PathLike)):
        return load_tree(tree)
    raise TypeError(NOT_A_TREE.format(found=tree, kind=type(tree).__name__))


class Step(NamedTuple):
    """One answered question: the node id and the answer value given there."""

    node: str
    answer: str


@dataclass(frozen=True)
class Walk:
    """Where a list of answers leads: the steps taken, the current node, the outcome.

    ``outcome`` is the ``Leaf`` reached, or ``None`` while questions remain;
    then ``current`` is the id of the question waiting for an answer.
    """

    tree: str
    steps: tuple[Step, ...]
    current: str
    outcome: Leaf | None

    @property
    def finished(self) -> bool:
        return self.outcome is not None

    @property
    def answers(self) -> list[str]:
        return [step.answer for step in self.steps]


def next_node(tree: Tree | str, node_id: str, answer: str) -> Node:
    """The node that ``answer`` at ``node_id`` leads to; ``TreeError`` if not offered.

    >>> next_node("use_of_feature", "special_category", "no").id
    'protected_attribute'
    """
    tree = _as_tree(tree)
    node = tree.nodes.get(node_id)
    if node is None:
        raise TreeError(UNKNOWN_NODE.format(tree=tree.id, node=node_id, nodes=list(tree.nodes)))
    if isinstance(node, Leaf):
        raise TreeError(LEAF_HAS_NO_ANSWERS.format(node=node_id))
    for option in node.answers:
        if option.value == answer:
            return tree.nodes[option.next]
    raise TreeError(NOT_OFFERED.format(node=node_id, answer=answer, offered=list(node.values)))


def walk(tree: Tree | str, answers: Sequence[str] | None) -> Walk:
    """Follow ``answers`` (answer values, in order) from the root.

    An answer the current node does not offer, or an answer after an outcome
    was reached, raises ``TreeError`` naming the node.

    >>> result = walk("use_of_feature", ["no", "no", "strong_proxy", "not_necessary"])
    >>> result.outcome.outcome, result.outcome.id
    ('stop', 'stop_proxy')
    >>> walk("use_of_feature", ["no"]).current
    'protected_attribute'
    """
    tree = _as_tree(tree)
    if answers is None:
        answers = []
    if isinstance(answers, (str, bytes)) or not isinstance(answers, Sequence):
        raise TreeError(ANSWERS_NOT_LIST.format(found=answers, kind=type(answers).__name__))
    node: Node = tree.nodes[tree.root]
    steps: list[Step] = []
    for index, answer in enumerate(answers, start=1):
        if not isinstance(answer, str):
            raise TreeError(ANSWER_NOT_TEXT.format(index=index, found=answer, kind=type(answer).__name__))
        if isinstance(node, Leaf):
            raise TreeError(AFTER_OUTCOME.format(node=node.id, count=len(steps), extra=list(answers[len(steps):])))
        steps.append(Step(node.id, answer))
        node = next_node(tree, node.id, answer)
    return Walk(
        tree=tree.id,
        steps=tuple(steps),
        current=node.id,
        outcome=node if isinstance(node, Leaf) else None,
    )

