"""Callback latency of the decision-tree widgets, against the bare pure walker.

Run: ``.venv/bin/python benchmarks/bench_widgets_tree.py [--clicks 400]``

Prints one JSON line per measurement: name, measure ("p95 seconds"), seconds
(the widget callback, p95), baseline_seconds (the bare ``walk`` call it wraps,
p95), ratio (baseline / kit; the widget is always slower, the ratio shows the
cost of the view), target (0.05 s, issue 5) and meets. Also measures one
``DecisionLog.record`` (a walk plus one locked append) for the governance module.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from ethicskit.decisions import DecisionLog, Leaf, load_tree, walk
from ethicskit.widgets import QuickCheck, TreeWalker

TARGET = 0.05


def p95(samples: list[float]) -> float:
    samples = sorted(samples)
    return samples[min(len(samples) - 1, int(0.95 * len(samples)))]


def longest_path(tree) -> list[str]:
    def paths(node_id, prefix):
        node = tree.nodes[node_id]
        if isinstance(node, Leaf):
            yield prefix
            return
        for answer in node.answers:
            yield from paths(answer.next, prefix + [answer.value])
    return max(paths(tree.root, []), key=len)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_tree_walker(name: str, clicks: int) -> dict:
    tree = load_tree(name)
    answers = longest_path(tree)
    walker = TreeWalker(tree)
    kit, base = [], []
    while len(kit) < clicks:
        walker.restart_button.click()
        for i, value in enumerate(answers):
            (button,) = [b for b in walker.visible_buttons if b.tooltip.endswith(f"(answer value: {value})")]
            kit.append(timed(button.click))
            base.append(timed(lambda i=i: walk(tree, answers[: i + 1])))
    seconds, baseline = p95(kit), p95(base)
    return {"name": f"TreeWalker click ({name})", "measure": "p95 seconds", "seconds": seconds,
            "baseline": "ethicskit.decisions.walk", "baseline_seconds": baseline,
            "ratio": baseline / seconds, "ratio_meaning": "baseline / kit", "target": TARGET,
            "meets": seconds <= TARGET, "samples": len(kit)}


def bench_quickcheck(clicks: int) -> dict:
    options = ["recall parity", "false positive rate parity", "selection-rate parity"]
    qc = QuickCheck("Which check?", options, options[0], explanation="Because.")
    kit = []
    for i in range(clicks):
        kit.append(timed(lambda i=i: setattr(qc, "value", options[i % len(options)])))
    seconds = p95(kit)
    return {"name": "QuickCheck pick", "measure": "p95 seconds", "seconds": seconds, "target": TARGET,
            "meets": seconds <= TARGET, "samples": len(kit)}


def bench_log(records: int) -> dict:
    answers = ["no", "no", "strong_proxy", "not_necessary"]
    with tempfile.TemporaryDirectory() as folder:
        log = DecisionLog(Path(folder) / "decisions.jsonl")
        kit = [timed(lambda: log.record("use_of_feature", answers, author="bench", rationale="r"))
               for _ in range(records)]
    seconds = p95(kit)
    return {"name": "DecisionLog.record", "measure": "p95 seconds", "seconds": seconds, "target": TARGET,
            "meets": seconds <= TARGET, "samples": len(kit)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=400)
    args = parser.parse_args()
    rows = [bench_tree_walker("use_of_feature", args.clicks), bench_tree_walker("legal_basis", args.clicks),
            bench_quickcheck(args.clicks), bench_log(args.clicks)]
    for row in rows:
        print(json.dumps(row))


if __name__ == "__main__":
    main()
