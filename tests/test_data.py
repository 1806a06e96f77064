"""ethicskit.data: API, reproducibility, data cards, bad input, joins and plausibility."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ethicskit import data
from ethicskit.data import (
    COLUMNS_ERROR,
    DATASET_NAMES,
    MISSING_CSV_ERROR,
    POLICY_VERSIONS,
    ROWS_ERROR,
    SEED_ERROR,
    SPECS,
    UNKNOWN_DATASET_ERROR,
    UNKNOWN_LABELS_ERROR,
    load,
)
from ethicskit.data._spec import SPLITS
from ethicskit.paths import datasets_dir

DATASETS = datasets_dir()  # ETHICSKIT_DATASETS overrides it (e.g. to test a changed generator)
VALID = ", ".join(DATASET_NAMES)
GENERATORS = ("customers", "behavior", "consent_ledger", "candidate_features", "campaign_offers")
MESSAGE_ROWS = 998  # marketing_messages: train 210, validation 632 (set D included), holdout 156 (set E)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fresh")
    data.write_all(folder)
    return folder


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {name: load(name, folder=DATASETS) for name in DATASET_NAMES}


# --- reproducibility -------------------------------------------------------------------------

@pytest.mark.parametrize("name", DATASET_NAMES)
def test_committed_csv_equals_a_fresh_write_all(fresh, name):
    committed = (DATASETS / f"{name}.csv").read_bytes()
    assert committed == (fresh / f"{name}.csv").read_bytes(), f"run `ethicskit data` to refresh {name}.csv"


def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path):
    first = data.write_all(tmp_path / "a", rows=300, seed=5)
    second = data.write_all(tmp_path / "b", rows=300, seed=5)
    other = data.write_all(tmp_path / "c", rows=300, seed=6)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert first[0].read_bytes() != other[0].read_bytes()


def test_write_all_returns_one_csv_per_dataset_with_unix_line_endings(fresh):
    for name in DATASET_NAMES:
        raw = (fresh / f"{name}.csv").read_bytes()
        assert b"\r\n" not in raw
        assert raw.decode("utf-8").splitlines()[0] == ",".join(col.name for col in SPECS[name])


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_load_returns_exactly_what_the_generator_made(tables, name):
    pd.testing.assert_frame_equal(tables[name], data.generate(name))


@pytest.mark.parametrize("name", GENERATORS)
def test_each_generator_agrees_with_generate_all(name):
    together = data.generate_all(rows=250, seed=11)
    pd.testing.assert_frame_equal(getattr(data, name)(rows=250, seed=11), together[name])


def test_rows_scales_customer_tables_but_not_fixed_ones():
    small = data.generate_all(rows=40, seed=1)
    assert len(small["customers"]) == len(small["behavior"]) == len(small["candidate_features"]) == 40
    assert len(small["campaign_offers"]) == 120
    assert len(small["marketing_messages"]) == MESSAGE_ROWS
    assert len(small["monthly_monitoring"]) == 24 * 5


def test_ids_widen_past_five_digits():
    from ethicskit.data._frame import customer_ids

    assert customer_ids(123_456)[-1] == "C123456"
    assert customer_ids(3).tolist() == ["C00001", "C00002", "C00003"]


# --- dtypes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", DATASET_NAMES)
def test_load_sets_the_promised_dtypes(tables, name):
    frame = tables[name]
    assert list(frame.columns) == [col.name for col in SPECS[name]]
    for col in SPECS[name]:
        series = frame[col.name]
        if col.kind == "cat":
            assert isinstance(series.dtype, pd.CategoricalDtype) and list(series.cat.categories) == list(col.labels)
            assert series.notna().all(), col.name
        elif col.kind in ("date", "datetime"):
            assert str(series.dtype) == "datetime64[s]", col.name
        elif col.kind == "bool":
            assert series.dtype == bool, col.name
        elif col.kind == "int":
            assert series.dtype == np.int64, col.name
        elif col.kind == "float":
            assert series.dtype == np.float64 and np.isfinite(series).all(), col.name
        else:
            assert pd.api.types.is_string_dtype(series), col.name


def test_constants_match_the_schema():
    assert data.CURRENT_POLICY == "2026.1" and data.CURRENT_POLICY in POLICY_VERSIONS
    assert data.PURPOSES_REQUIRING_CURRENT_POLICY == ("partner_sharing", "credit_profiling")
    assert data.FIRST_BREACH_MONTH == "2026-03"
    assert DATASET_NAMES == ("customers", "behavior", "consent_ledger", "candidate_features",
                             "campaign_offers", "marketing_messages", "monthly_monitoring")
    assert set(data.__all__) <= set(dir(data))


# --- data cards -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", DATASET_NAMES)
def test_every_csv_column_appears_in_its_data_card(name):
    card = (DATASETS / f"{name}.md").read_text(encoding="utf-8")
    header = (DATASETS / f"{name}.csv").open(encoding="utf-8").readline().strip().split(",")
    missing = [column for column in header if f"`{column}`" not in card]
    assert not missing, f"{name}.md does not document {missing}"
    assert "synthetic" in card.lower()
    for heading in ("Purpose", "Columns", "How it was generated", "Planted effects", "Limitations"):
        assert re.search(rf"^## {heading}", card, flags=re.MULTILINE), f"{name}.md lacks a '{heading}' section"


def test_readme_indexes_every_dataset():
    index = (DATASETS / "README.md").read_text(encoding="utf-8")
    for name in DATASET_NAMES:
        assert f"({name}.md)" in index


# --- bad input ------------------------------------------------------------------------------

def test_unknown_dataset_names_list_the_valid_ones():
    with pytest.raises(ValueError) as err:
        load("nope")
    assert str(err.value) == UNKNOWN_DATASET_ERROR.format(name="nope", valid=VALID)
    with pytest.raises(ValueError, match="valid names are: customers, behavior"):
        data.generate("customer")
    with pytest.raises(ValueError, match="'nope'"):
        data.generate_all(names=["customers", "nope"])


@pytest.mark.parametrize("rows", [-5, 0, True, 2.5, "100", None])
def test_bad_rows_are_rejected_with_the_value_and_type(rows):
    with pytest.raises(ValueError) as err:
        data.customers(rows=rows)
    assert str(err.value) == ROWS_ERROR.format(value=rows, type=type(rows).__name__)


@pytest.mark.parametrize("seed", [-1, 1.5, "2026"])
def test_bad_seeds_are_rejected(seed):
    with pytest.raises(ValueError) as err:
        data.behavior(rows=10, seed=seed)
    assert str(err.value) == SEED_ERROR.format(value=seed, type=type(seed).__name__)


def test_write_all_rejects_negative_rows_before_writing(tmp_path):
    with pytest.raises(ValueError, match="rows must be a positive integer"):
        data.write_all(tmp_path / "out", rows=-1)
    assert not (tmp_path / "out").exists()


def test_hand_edited_csv_names_missing_and_extra_columns(tmp_path):
    frame = pd.read_csv(DATASETS / "customers.csv", dtype=str, nrows=50)
    frame.drop(columns=["language"]).assign(nickname="x").to_csv(tmp_path / "customers.csv", index=False)
    with pytest.raises(ValueError) as err:
        load("customers", folder=tmp_path)
    expected = [col.name for col in SPECS["customers"]]
    assert str(err.value) == COLUMNS_ERROR.format(
        path=tmp_path / "customers.csv", name="customers", missing=["language"], extra=["nickname"],
        expected=expected)


def test_reordered_columns_still_load_in_card_order(tmp_path):
    frame = pd.read_csv(DATASETS / "monthly_monitoring.csv", dtype=str)
    frame[frame.columns[::-1]].to_csv(tmp_path / "monthly_monitoring.csv", index=False)
    loaded = load("monthly_monitoring", folder=tmp_path)
    pd.testing.assert_frame_equal(loaded, load("monthly_monitoring", folder=DATASETS))


def test_unknown_category_label_is_named(tmp_path):
    shutil.copy(DATASETS / "monthly_monitoring.csv", tmp_path)
    path = tmp_path / "monthly_monitoring.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("group_e", "group_z"), encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load("monthly_monitoring", folder=tmp_path)
    assert str(err.value) == UNKNOWN_LABELS_ERROR.format(
        path=path, column="group", found=["group_z"], allowed=list(SPECS["monthly_monitoring"][2].labels))


def test_missing_csv_says_how_to_make_it(tmp_path):
    with pytest.raises(FileNotFoundError) as err:
        load("behavior", folder=tmp_path)
    assert str(err.value) == MISSING_CSV_ERROR.format(name="behavior", path=tmp_path / "behavior.csv")


# --- joins and plausibility -----------------------------------------------------------------

def test_ids_join_across_tables(tables):
    ids = tables["customers"]["customer_id"]
    assert ids.is_unique and ids.str.fullmatch(r"C\d{5}").all()
    for name in ("behavior", "candidate_features"):
        assert tables[name]["customer_id"].tolist() == ids.tolist()
    offers = tables["campaign_offers"]
    assert offers.groupby("customer_id").size().eq(3).all() and set(offers["customer_id"]) == set(ids)
    assert set(tables["consent_ledger"]["customer_id"]) <= set(ids)
    assert set(tables["monthly_monitoring"]["group"]) == set(tables["customers"]["ethnicity_group"])


def test_customers_are_plausible(tables):
    people = tables["customers"]
    assert people["ethnicity_group"].value_counts().index[0] == "group_a"
    assert (people.groupby("postcode_area", observed=True)["region"].nunique() == 1).all()
    snapshot = pd.Timestamp(data.SNAPSHOT_DATE)
    months = (snapshot.year - people["signup_date"].dt.year) * 12 + snapshot.month - people["signup_date"].dt.month
    months -= (snapshot.day < people["signup_date"].dt.day).astype(int)
    assert (people["tenure_months"] == months).all()
    young = people[people["age_band"] == "18-24"]
    assert young["tenure_months"].max() <= 7 * 12
    assert 0.15 < people["has_store_card"].mean() < 0.5


def test_behavior_has_no_impossible_combinations(tables):
    b = tables["behavior"].merge(tables["customers"], on="customer_id")
    assert (b["returns_90d"] <= b["orders_90d"]).all()
    assert ((b["avg_basket_eur"] > 0) == (b["orders_90d"] > 0)).all()
    assert (b.loc[b["sessions_90d"] == 0, ["late_night_share", "cart_abandon_rate"]] == 0).all().all()
    share_cols = ["late_night_share", "cart_abandon_rate", *[c for c in b if c.startswith("affinity_")]]
    assert b[share_cols].apply(lambda s: s.between(0, 1)).all().all()
    assert not (b["min_payment_only_3m"] & ~b["has_store_card"]).any()
    days_since_signup = (pd.Timestamp(data.SNAPSHOT_DATE) - b["signup_date"]).dt.days
    assert (b["days_since_last_order"] <= days_since_signup).all()
    assert 8 <= b["sessions_90d"].median() <= 20 and 30 <= b["avg_basket_eur"][b["orders_90d"] > 0].median() <= 80


def test_features_and_offers_are_consistent(tables):
    f = tables["candidate_features"].merge(tables["behavior"], on="customer_id")
    assert (f["recency_days"] == f["days_since_last_order"]).all()
    assert f["lifestyle_affinity"].between(0, 100).all() and f["loyalty_engagement"].between(0, 1).all()
    assert (f.loc[f["purchase_frequency"] == 0, "premium_category_spend_12m"] == 0).all()
    offers = tables["campaign_offers"]
    assert not (offers["responded"] & ~offers["selected"]).any()
    assert (offers["selected"] == (offers["score"] >= 0.5)).all()
    area_tier = tables["customers"][["postcode_area"]].join(tables["candidate_features"]["neighborhood_tier"])
    assert (area_tier.groupby("postcode_area", observed=True)["neighborhood_tier"].nunique() == 1).all()


def _dedup_in_event_order(ledger: pd.DataFrame) -> pd.DataFrame:
    key = ["customer_id", "purpose", "action", "event_time"]
    return ledger.drop_duplicates(key).sort_values(["customer_id", "purpose", "event_time"], kind="stable")


def test_consent_ledger_never_withdraws_before_a_grant(tables):
    events = _dedup_in_event_order(tables["consent_ledger"])
    previous = events.groupby(["customer_id", "purpose"], observed=True)["action"].shift()
    withdrawals = events["action"] == "withdraw"
    assert (previous[withdrawals] == "grant").all()
    ledger = tables["consent_ledger"].merge(tables["customers"][["customer_id", "signup_date"]], on="customer_id")
    assert (ledger["event_time"] >= ledger["signup_date"]).all()
    assert (ledger["recorded_at"] >= ledger["event_time"]).all()
    assert ledger["event_time"].min() >= pd.Timestamp(POLICY_VERSIONS["2024.1"])


def test_consent_ledger_contains_every_documented_edge_case(tables):
    ledger, people = tables["consent_ledger"], tables["customers"]
    assert ledger["recorded_at"].is_monotonic_increasing
    assert ledger["event_id"].is_unique
    events = _dedup_in_event_order(ledger)
    previous = events.groupby(["customer_id", "purpose"], observed=True)["action"].shift()
    assert ((events["action"] == "grant") & (previous == "withdraw")).sum() > 100  # re-grants
    assert (ledger["action"] == "withdraw").sum() > 1_000
    duplicates = ledger.duplicated(["customer_id", "purpose", "action", "event_time"])
    assert 0.005 < duplicates.mean() < 0.03
    effective = pd.to_datetime(pd.Series(POLICY_VERSIONS)).to_numpy()
    in_force = np.array(list(POLICY_VERSIONS))[np.searchsorted(effective, ledger["event_time"], side="right") - 1]
    stale = (ledger["policy_version"].astype(str).to_numpy() != in_force) & (ledger["action"] == "grant")
    assert stale.sum() > 100  # grants recorded under a superseded version
    backwards = ledger.groupby("customer_id", observed=True)["event_time"].diff() < pd.Timedelta(0)
    assert ledger.loc[backwards, "customer_id"].nunique() > 50  # customers with out-of-order arrival
    no_record = 1 - ledger["customer_id"].nunique() / len(people)
    assert 0.03 < no_record < 0.07


def test_marketing_messages_split_and_labels(tables):
    from ethicskit.data._message_bank import COUNTS

    messages = tables["marketing_messages"]
    assert len(messages) == MESSAGE_ROWS and messages["text"].is_unique and messages["message_id"].is_unique
    counts = pd.crosstab(messages["label"], messages["split"]).reindex(columns=list(SPLITS), fill_value=0)
    for label, (train, validation, set_d, set_e) in COUNTS.items():
        assert counts.loc[label].to_dict() == {"train": train, "validation": validation + set_d, "holdout": set_e}
    assert messages["rationale"].str.len().between(10, 120).all()
    assert not messages["rationale"].str.contains("\n").any()


def test_splits_share_no_phrase():
    """No three-word phrase (outside the slots) is shared between splits of a label: the reviewer's rules,
    written from train and validation, meet the holdout's phrasings for the first time."""
    from ethicskit.data._message_bank import COSTS, PERKS, PRODUCTS, TRAIN, VALIDATION
    from ethicskit.data._message_set_d import SET_D
    from ethicskit.data._message_set_e import SET_E

    fills = [*PRODUCTS.values(), *[p for v in PERKS.values() for p in v], *COSTS.values()]

    def trigrams(template: str) -> set[str]:
        text = template.lower()
        for slot in ("{product}", "{perk}", "{cost}", *[f.lower() for f in fills]):
            text = text.replace(slot, " | ")
        grams = set()
        for part in text.split("|"):
            words = re.findall(r"[a-z0-9€%']+", part)
            grams |= {" ".join(words[i:i + 3]) for i in range(len(words) - 2)}
        return grams

    for label in TRAIN:
        train, validation, set_d, holdout = (set().union(*(trigrams(t) for t, _, _ in bank.get(label, [])))
                                             for bank in (TRAIN, VALIDATION, SET_D, SET_E))
        assert not (train | validation) & set_d, (label, "set D", sorted((train | validation) & set_d))
        validation |= set_d  # set D is part of the validation split
        assert not train & validation, (label, "validation", sorted(train & validation))
        assert not (train | validation) & holdout, (label, "holdout", len((train | validation) & holdout))
