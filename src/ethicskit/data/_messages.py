"""Marketing copy variants, labelled, from the phrase banks in ``_message_bank``."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from ethicskit.data._frame import make_ids, typed_frame
from ethicskit.data._message_bank import (
    BANK_NAMES,
    COSTS,
    COUNTS,
    PERKS,
    PRODUCTS,
    TRAIN,
    VALIDATION,
)
from ethicskit.data._message_set_d import SET_D
from ethicskit.data._message_set_e import SET_E
from ethicskit.data._random import rng_for
from ethicskit.data._spec import MESSAGE_CHANNELS, MESSAGE_LABELS, OFFERS

# (split, templates) per bank, in the order of BANK_NAMES and of the counts in COUNTS. Set D scored the
# rules once as the holdout (#4) and now belongs to validation; set E is the holdout (#19).
BANKS = dict(zip(BANK_NAMES, (("train", TRAIN), ("validation", VALIDATION), ("validation", SET_D),
                              ("holdout", SET_E)), strict=True))
POOL_ERROR = "the {label}/{split} phrase bank yields {found} distinct texts, fewer than the {needed} needed"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def fill(template: str, offer: str, perk: str) -> str:
    """One template filled for one offer and perk (``{Product}``/``{Perk}`` start a sentence)."""
    product, cost = PRODUCTS[offer], COSTS[offer]
    return template.format(product=product, Product=_cap(product), perk=perk, Perk=_cap(perk), cost=cost)


def variants(template: str, offers: tuple[str, ...]) -> list[tuple[str, str]]:
    """Distinct ``(offer, text)`` pairs a template yields over its offers and their perks."""
    seen: dict[str, str] = {}
    for offer in offers or OFFERS:
        for perk in PERKS[offer]:
            seen.setdefault(fill(template, offer, perk), offer)
    return [(offer, text) for text, offer in seen.items()]


def _pick(rng: np.random.Generator, templates: list, needed: int, label: str, split: str) -> list[tuple]:
    pools = []
    for text, rationale, offers in templates:
        pool = variants(text, offers)
        order = rng.permutation(len(pool))
        pools.append([(pool[i][0], pool[i][1], rationale) for i in order])
    found = sum(len(p) for p in pools)
    if found < needed:
        raise ValueError(POOL_ERROR.format(label=label, split=split, found=found, needed=needed))
    # Round-robin over templates so every template is represented before any repeats.
    rows = [row for group in itertools.zip_longest(*pools) for row in group if row is not None]
    return rows[:needed]


def build_messages(seed: int) -> pd.DataFrame:
    """The marketing_messages table (ids in a seeded shuffled order).

    Each bank and label draws from its own random stream, so adding or changing one bank (a new holdout)
    leaves the rows drawn from the others unchanged.
    """
    rng = rng_for(seed, "marketing_messages")
    rows = []
    for label in MESSAGE_LABELS:
        for (name, (split, bank)), needed in zip(BANKS.items(), COUNTS[label], strict=True):
            picker = rng_for(seed, f"marketing_messages/{name}/{label}")
            for offer, text, rationale in _pick(picker, bank.get(label, []), needed, label, name):
                rows.append((offer, text, label, rationale, split))
    order = rng.permutation(len(rows))
    rows = [rows[i] for i in order]
    offer, text, label, rationale, split = (list(col) for col in zip(*rows))
    return typed_frame("marketing_messages", {
        "message_id": make_ids("M", len(rows), width=3), "offer": offer,
        "channel": rng.integers(0, len(MESSAGE_CHANNELS), len(rows)), "text": text, "label": label,
        "rationale": rationale, "split": split,
    })
