"""Callback latency of the data widgets on the practice data (target: p95 <= 50 ms).

Run: ``.venv/bin/python benchmarks/bench_widgets.py [--n 200]``

Each widget is built once; then its ``value`` (or a control) is changed ``n``
times with varied inputs, timing the whole synchronous observer chain (the
pure audit call and the HTML rendering). Prints one JSON line per widget:
name, n, p50_ms, p95_ms, max_ms, build_ms, target_ms and ok.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from ethicskit.data import load
from ethicskit.widgets import ConsentTimeline, MessageReviewer, ProxyExplorer, ThresholdExplorer

TARGET_MS = 50.0


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def report(name: str, build_ms: float, samples: list[float]) -> None:
    values = np.array(samples)
    p95 = float(np.percentile(values, 95))
    print(json.dumps({
        "name": name, "n": len(values), "p50_ms": round(float(np.median(values)), 2), "p95_ms": round(p95, 2),
        "max_ms": round(float(values.max()), 2), "build_ms": round(build_ms, 1), "target_ms": TARGET_MS,
        "ok": p95 <= TARGET_MS,
    }), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    rng = np.random.default_rng(0)

    offers = load("campaign_offers").merge(load("customers"), on="customer_id")
    card = offers[offers["offer"] == "premium_card_upgrade"]
    holder = {}
    build = timed(lambda: holder.update(w=ThresholdExplorer(card, group="ethnicity_group", score="score",
                                                            y_true="qualified")))
    widget = holder["w"]
    groups = list(widget.value)
    samples = [timed(lambda i=i: setattr(widget._sliders[groups[i % len(groups)]], "value",
                                     round(float(rng.uniform(0.2, 0.8)), 2))) for i in range(args.n)]
    report("ThresholdExplorer (slider move)", build, samples)

    people = load("customers").merge(load("candidate_features"), on="customer_id")
    features = ["lifestyle_affinity", "neighborhood_tier", "purchase_frequency", "category_breadth",
                "loyalty_engagement", "recency_days", "premium_category_spend_12m"]
    protected = ["gender", "ethnicity_group", "age_band", "disability"]
    build = timed(lambda: holder.update(w=ProxyExplorer(people, features=features, protected=protected)))
    widget = holder["w"]
    samples = []
    for i in range(args.n):
        if i % 2:
            samples.append(timed(lambda: setattr(widget, "value", features[int(rng.integers(len(features)))])))
        else:
            samples.append(timed(lambda: setattr(widget._attribute, "value",
                                                 protected[int(rng.integers(len(protected)))])))
    report("ProxyExplorer (feature or attribute change)", build, samples)

    ledger = load("consent_ledger")
    build = timed(lambda: holder.update(w=ConsentTimeline(ledger)))
    widget = holder["w"]
    customers = ledger["customer_id"].drop_duplicates().to_numpy()
    days = np.datetime64("2024-01-01") + rng.integers(0, 3 * 365, args.n)
    samples = [timed(lambda i=i: setattr(widget, "value", {"customer_id": str(customers[int(rng.integers(len(customers)))]),
                                                       "when": str(days[i])}))
               for i in range(args.n)]
    report("ConsentTimeline (customer and date)", build, samples)

    messages = load("marketing_messages")
    build = timed(lambda: holder.update(w=MessageReviewer(messages)))
    widget = holder["w"]
    texts = messages["text"].to_numpy()
    samples = [timed(lambda i=i: setattr(widget._copy, "value", str(texts[i % len(texts)]) + f" ({i})"))
               for i in range(args.n)]
    report("MessageReviewer (typing)", build, samples)


if __name__ == "__main__":
    main()
