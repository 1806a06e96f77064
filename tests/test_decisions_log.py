"""The decision log: record, load, summarize, and concurrent appends."""

from __future__ import annotations

import json
import multiprocessing
import re
from datetime import UTC, datetime

import pandas as pd
import pytest

from ethicskit.decisions import OUTCOMES, Decision, DecisionLog, TreeError, load_tree
from ethicskit.decisions import _log as logmod

STOP_PROXY = ["no", "no", "strong_proxy", "not_necessary"]


def first_path(tree, outcome):
    """Answers reaching a leaf with this outcome, found from the tree data."""
    def paths(node_id, prefix):
        node = tree.nodes[node_id]
        if not hasattr(node, "answers"):
            yield prefix, node
            return
        for answer in node.answers:
            yield from paths(answer.next, prefix + [answer.value])
    return next(p for p, leaf in paths(tree.root, []) if leaf.outcome == outcome)


def test_record_appends_one_json_line(tmp_path):
    log = DecisionLog(tmp_path / "sub" / "log.jsonl")
    when = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    decision = log.record("use_of_feature", STOP_PROXY, author="ana", rationale="proxy, not needed", when=when)
    lines = log.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["id"] == decision.id
    assert decision.outcome == "stop" and decision.leaf == "stop_proxy"
    assert decision.answers == tuple(STOP_PROXY) and decision.when == "2026-03-02T09:30:00+00:00"
    assert decision.version == load_tree("use_of_feature").version
    assert log.load() == [decision]


def test_records_accumulate_and_summarize(tmp_path):
    log = DecisionLog(tmp_path / "log.jsonl")
    plan = []
    for name in ["use_of_feature", "legal_basis", "incident_response"]:
        tree = load_tree(name)
        for outcome in sorted({leaf.outcome for leaf in tree.leaves}):
            plan.append((name, outcome, first_path(tree, outcome)))
    for name, _, answers in plan + plan[:2]:
        log.record(name, answers, author="team", rationale="review")
    summary = log.summary()
    assert list(summary.columns) == list(OUTCOMES) + ["total"]
    for name, outcome, _ in plan:
        expected = sum(1 for n, o, _ in plan + plan[:2] if (n, o) == (name, outcome))
        assert summary.loc[name, outcome] == expected
    assert summary["total"].sum() == len(plan) + 2
    frame = log.to_frame()
    assert len(frame) == len(plan) + 2 and frame["when"].dt.tz is None
    assert isinstance(frame["outcome"].dtype, pd.CategoricalDtype)


def test_empty_log(tmp_path):
    log = DecisionLog(tmp_path / "none.jsonl")
    assert log.load() == []
    assert log.summary().empty and list(log.summary().columns) == list(OUTCOMES) + ["total"]


def test_unfinished_answers_are_not_a_decision(tmp_path):
    log = DecisionLog(tmp_path / "log.jsonl")
    with pytest.raises(ValueError, match="a decision needs answers that reach an outcome"):
        log.record("use_of_feature", ["no"], author="ana", rationale="r")
    with pytest.raises(TreeError):
        log.record("use_of_feature", ["perhaps"], author="ana", rationale="r")
    assert not log.path.exists()


@pytest.mark.parametrize("field", ["author", "rationale"])
def test_author_and_rationale_are_required(tmp_path, field):
    log = DecisionLog(tmp_path / "log.jsonl")
    kwargs = {"author": "ana", "rationale": "r", field: "  "}
    with pytest.raises(ValueError, match=re.escape(logmod.BAD_FIELD.format(name=field, found="  ", kind="str"))):
        log.record("use_of_feature", STOP_PROXY, **kwargs)


def test_a_corrupt_line_is_reported_with_its_number(tmp_path):
    log = DecisionLog(tmp_path / "log.jsonl")
    log.record("use_of_feature", STOP_PROXY, author="ana", rationale="r")
    with log.path.open("a") as handle:
        handle.write('{"id": "half a rec\n')
    with pytest.raises(ValueError, match=re.escape(f"{log.path}, line 2: not a decision record")):
        log.load()


def test_text_survives_round_trip(tmp_path):
    log = DecisionLog(tmp_path / "log.jsonl")
    rationale = 'Line one\nline "two" – naïve ✓'
    log.record("use_of_feature", STOP_PROXY, author="zoë", rationale=rationale)
    (decision,) = log.load()
    assert decision.rationale == rationale and decision.author == "zoë"
    assert Decision.from_json(decision.to_json()) == decision


def _writer(path: str, worker: int, count: int) -> None:
    log = DecisionLog(path)
    padding = "x" * 3000  # records larger than a pipe buffer would interleave without the lock
    for i in range(count):
        log.record("use_of_feature", STOP_PROXY, author=f"worker-{worker}", rationale=f"{i} {padding}")


def test_concurrent_appends_from_two_processes_lose_nothing(tmp_path):
    path = tmp_path / "log.jsonl"
    count = 500
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    workers = [context.Process(target=_writer, args=(str(path), w, count)) for w in (1, 2)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(120)
        assert process.exitcode == 0
    decisions = DecisionLog(path).load()  # raises on any corrupt line
    assert len(decisions) == 2 * count == len({d.id for d in decisions})
    for worker in (1, 2):
        numbers = [int(d.rationale.split()[0]) for d in decisions if d.author == f"worker-{worker}"]
        assert numbers == list(range(count))  # each writer's records, complete and in order
