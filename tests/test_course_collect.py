"""``ethicskit collect`` and ``submit``: each bad or hostile file is refused with its reason.

The zip checks run on hand-built zips; collection runs against a store with
a roster and a recorded release (no nbgrader run needed).
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import zipfile
from datetime import date, datetime, timezone

import nbformat
import pandas as pd
import pytest

from ethicskit.course.delivery import package
from ethicskit.course.delivery.collect import (
    BAD_ZIP_NAME,
    INACTIVE_LEARNER,
    NOT_A_FOLDER,
    NOT_RELEASED,
    UNKNOWN_LEARNER,
    collect,
)
from ethicskit.course.delivery.package import (
    ADDED_AFTER_SIGNING,
    CHANGED_AFTER_SIGNING,
    CORRUPT_MEMBER,
    CORRUPT_ZIP,
    FORGED,
    INVALID_NOTEBOOK,
    MEMBER_IN_FOLDER,
    NO_NOTEBOOK,
    NOT_A_NOTEBOOK,
    OTHER_NOTEBOOK,
    OVERSIZED_MEMBER,
    SIGNATURE_NAME,
    SIGNED_FILE_MISSING,
    SIGNED_FOR_OTHER_LEARNER,
    SYMLINK_MEMBER,
    UNSAFE_PATH,
    UNSIGNED,
    Rejected,
    read_zip,
    write_signed_zip,
    zip_name,
)
from ethicskit.course.errors import CourseError
from ethicskit.course.modules import UNKNOWN_MODULE
from ethicskit.course.nbgrader import load_config
from ethicskit.course.records.store import open_store

MODULE = "00-orientation"
NB = nbformat.writes(nbformat.v4.new_notebook()).encode()
WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def _zip(path, members: dict[str, bytes], *, symlink: str | None = None, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return path


@pytest.mark.parametrize(("members", "reason"), [
    ({"../../evil.ipynb": NB}, UNSAFE_PATH.format(name="../../evil.ipynb")),
    ({"/etc/evil.ipynb": NB}, UNSAFE_PATH.format(name="/etc/evil.ipynb")),
    ({"a\\..\\evil.ipynb": NB}, UNSAFE_PATH.format(name="a\\..\\evil.ipynb")),
    ({"00-orientation.ipynb": NB, "notes.txt": b"hi"}, NOT_A_NOTEBOOK.format(name="notes.txt")),
    ({"other.ipynb": NB}, OTHER_NOTEBOOK.format(name="other.ipynb", module=MODULE, expected="00-orientation.ipynb")),
    ({"deep/dir/00-orientation.ipynb": NB}, MEMBER_IN_FOLDER.format(name="deep/dir/00-orientation.ipynb")),
    ({"00-orientation.ipynb": b"{not json"}, INVALID_NOTEBOOK.format(name="00-orientation.ipynb", error="")),
    ({}, NO_NOTEBOOK),
])
def test_bad_members_are_rejected_with_a_reason(tmp_path, members, reason):
    path = _zip(tmp_path / "s.zip", members)
    with pytest.raises(Rejected) as info:
        read_zip(path, MODULE, [MODULE])
    assert str(info.value).startswith(reason)


def test_a_symlink_member_is_rejected(tmp_path):
    path = _zip(tmp_path / "s.zip", {f"{MODULE}.ipynb": NB}, symlink="link.ipynb")
    with pytest.raises(Rejected, match=re.escape(SYMLINK_MEMBER.format(name="link.ipynb"))):
        read_zip(path, MODULE, [MODULE])


def test_oversized_members_and_corrupt_zips_are_rejected(tmp_path, monkeypatch):
    monkeypatch.setattr(package, "MAX_MEMBER_BYTES", 1000)
    big = _zip(tmp_path / "big.zip", {f"{MODULE}.ipynb": b" " * 5000})
    oversized = OVERSIZED_MEMBER.format(name=f"{MODULE}.ipynb", size=5000, limit=1000)
    with pytest.raises(Rejected, match=re.escape(oversized)):
        read_zip(big, MODULE, [MODULE])
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(Rejected, match=re.escape(CORRUPT_ZIP.format(error=""))):
        read_zip(tmp_path / "bad.zip", MODULE, [MODULE])
    good = _zip(tmp_path / "crc.zip", {f"{MODULE}.ipynb": NB}, compression=zipfile.ZIP_STORED)
    data = bytearray(good.read_bytes())
    data[data.index(b"nbformat") + 2] ^= 0xFF  # flip a byte of the stored member: CRC mismatch
    (tmp_path / "crc.zip").write_bytes(bytes(data))
    with pytest.raises(Rejected, match=re.escape(CORRUPT_MEMBER.format(name=f"{MODULE}.ipynb", error="Bad CRC-32"))):
        read_zip(tmp_path / "crc.zip", MODULE, [MODULE])


def test_macos_extras_are_ignored_and_a_top_folder_named_after_the_module_is_fine(tmp_path):
    path = _zip(tmp_path / "s.zip", {f"{MODULE}/{MODULE}.ipynb": NB, "__MACOSX/._x": b"", ".DS_Store": b""})
    assert list(read_zip(path, MODULE, [MODULE])) == [f"{MODULE}.ipynb"]


SECRETS = {"ek01": "a" * 64, "ek02": "b" * 64, "ek03": "c" * 64}


@pytest.fixture
def store(make_project):
    """Three learners (one inactive) with their secrets; 00 (core and analyst notebooks) released to cohort A."""
    root = make_project(MODULE)
    config = load_config(root)
    with open_store(config) as db:
        for eid, lid, cohort, active in (("E1", "ek01", "A", 1), ("E2", "ek02", "B", 1), ("E3", "ek03", "A", 0)):
            db.execute("INSERT INTO learners VALUES (?, ?, 'N', 'n@x.org', 'T', 'M', ?, NULL, ?, 'now')",
                       (eid, lid, cohort, active))
            db.execute("INSERT INTO learner_secrets VALUES (?, ?, 'now')", (lid, SECRETS[lid]))
        db.execute("INSERT INTO releases (module, version, cohort, due, released_at, checksums) VALUES "
                   "(?, 'v1', 'A', '2026-03-10', '2026-01-01T00:00:00Z', ?)",
                   (MODULE, json.dumps({MODULE: {}, f"{MODULE}-analyst": {}})))
    return root


def _signed(inbox, learner_id, when, members=None, *, secret=None, module=MODULE):
    """A zip as `ethicskit submit` writes it, signed with ``secret`` (default: the learner's own)."""
    members = members or {f"{MODULE}.ipynb": NB}
    return write_signed_zip(inbox, members, learner_id=learner_id, module=module, when=when,
                            secret=secret or SECRETS.get(learner_id, "z" * 64))


def _stored(root):
    with open_store(load_config(root), readonly=True) as db:
        return [dict(r) for r in db.execute("SELECT learner_id, module, timestamp, claimed_at FROM submissions")]


def test_collect_refuses_unknown_inactive_and_unreleased_and_keeps_the_latest_received(store, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = _signed(inbox, "ek01", WHEN)
    _signed(inbox, "ek99", WHEN)
    _signed(inbox, "ek02", WHEN)
    _signed(inbox, "ek03", WHEN)
    _signed(inbox, "ek01", WHEN, module="07-nope")
    (inbox / "notes.txt").write_text("hi")
    (inbox / f"ek01+{MODULE}+20261399T256000Z.zip").write_bytes(b"")  # month 13, hour 25: no real time
    received = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)
    result = collect(inbox, now=received)
    reasons = dict(result.rejected)
    assert [i.learner_id for i in result.ingested] == ["ek01"]
    assert reasons[zip_name("ek99", MODULE, WHEN)] == UNKNOWN_LEARNER.format(learner_id="ek99")
    assert reasons[zip_name("ek02", MODULE, WHEN)] == NOT_RELEASED.format(module=MODULE, cohort="B")
    assert reasons[zip_name("ek03", MODULE, WHEN)] == INACTIVE_LEARNER.format(learner_id="ek03")
    assert reasons[zip_name("ek01", "07-nope", WHEN)] == UNKNOWN_MODULE.format(name="07-nope",
                                                                               valid="00, 00-orientation")
    assert reasons["notes.txt"] == reasons[f"ek01+{MODULE}+20261399T256000Z.zip"] == BAD_ZIP_NAME
    dest = store / "course-data" / "submitted" / "ek01" / MODULE
    assert (dest / "timestamp.txt").read_text() == "2026-03-02 09:30:00.000000 UTC", "the time of receipt"
    again = collect(inbox, now=received.replace(hour=12))
    assert again.skipped == [(good.name, "already collected on 2026-03-02T09:30:00.000000Z")] and not again.ingested
    assert (dest / "timestamp.txt").read_text().startswith("2026-03-02 09:30:00"), "collecting again changes nothing"
    shutil.rmtree(inbox)
    inbox.mkdir()
    _signed(inbox, "ek01", WHEN.replace(hour=10), {f"{MODULE}.ipynb": NB.replace(b'"cells"', b'"cells" ')})
    older_claim = _signed(inbox, "ek01", WHEN.replace(hour=8))
    result = collect(inbox, now=received.replace(hour=11))
    assert [(i.timestamp, i.claimed_at) for i in result.ingested] == [
        ("2026-03-02T11:30:00.000000Z", "2026-03-02T10:00:00.000000Z")]
    assert result.skipped == [(older_claim.name, f"a later zip of ek01 {MODULE} in this folder replaces it")]
    assert (dest / "timestamp.txt").read_text().startswith("2026-03-02 11:30:00")
    assert sorted(p.name for p in dest.parent.iterdir()) == [MODULE], "no staging folders left behind"


def test_unsigned_forged_other_learners_and_altered_zips_are_refused_and_the_rest_ingested(store, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    other = {f"{MODULE}.ipynb": NB.replace(b'"cells"', b'"cells"  ')}
    names = {}
    names["ok"] = _signed(inbox, "ek01", WHEN).name
    unsigned = inbox / zip_name("ek01", MODULE, WHEN.replace(minute=1))
    _zip(unsigned, {f"{MODULE}.ipynb": NB})
    names["unsigned"] = unsigned.name
    # someone who knows ek01's id but not their secret
    names["forged"] = _signed(inbox, "ek01", WHEN.replace(minute=2), secret="f" * 64).name
    # ek02 signs with their own secret, then renames the zip to ek01's name
    theirs = _signed(tmp_path / "elsewhere", "ek02", WHEN.replace(minute=3))
    names["other learner"] = zip_name("ek01", MODULE, WHEN.replace(minute=3))
    shutil.move(theirs, inbox / names["other learner"])
    # signed by ek01, then a notebook edited, added or removed in the zip
    for minute, change in ((4, "edited"), (5, "added"), (6, "removed")):
        path = _signed(tmp_path / change, "ek01", WHEN.replace(minute=minute), {f"{MODULE}.ipynb": NB, **(
            {f"{MODULE}-analyst.ipynb": NB} if change == "removed" else {})})
        with zipfile.ZipFile(path) as zf:
            members = {n: zf.read(n) for n in zf.namelist()}
        if change == "edited":
            members[f"{MODULE}.ipynb"] = other[f"{MODULE}.ipynb"]
        elif change == "added":
            members[f"{MODULE}-analyst.ipynb"] = NB
        else:
            del members[f"{MODULE}-analyst.ipynb"]
        names[change] = _zip(inbox / path.name, members).name
    sig = json.loads(zipfile.ZipFile(inbox / names["ok"]).read(SIGNATURE_NAME))
    sig["claimed_at"] = "20200101T000000Z"  # the manifest edited, the hmac kept
    names["manifest edited"] = _zip(inbox / zip_name("ek01", MODULE, WHEN.replace(minute=7)),
                                    {f"{MODULE}.ipynb": NB, SIGNATURE_NAME: json.dumps(sig).encode()}).name

    result = collect(inbox)
    reasons = dict(result.rejected)
    assert [i.file for i in result.ingested] == [names["ok"]]
    assert reasons[names["unsigned"]] == UNSIGNED
    assert reasons[names["forged"]] == FORGED.format(learner_id="ek01")
    assert reasons[names["other learner"]] == SIGNED_FOR_OTHER_LEARNER.format(signed="ek02", learner_id="ek01")
    assert reasons[names["edited"]] == CHANGED_AFTER_SIGNING.format(name=f"{MODULE}.ipynb")
    assert reasons[names["added"]] == ADDED_AFTER_SIGNING.format(name=f"{MODULE}-analyst.ipynb")
    assert reasons[names["removed"]] == SIGNED_FILE_MISSING.format(name=f"{MODULE}-analyst.ipynb")
    assert reasons[names["manifest edited"]] == FORGED.format(learner_id="ek01")
    assert len(result.rejected) == 7


def test_a_far_future_name_does_not_block_later_submissions_and_a_backdated_one_is_late(store, tmp_path):
    from ethicskit.course import build_report

    future = tmp_path / "future"
    _signed(future, "ek01", datetime(2099, 1, 1, tzinfo=timezone.utc))
    first = collect(future, now=datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc))
    assert [(i.timestamp, i.claimed_at) for i in first.ingested] == [
        ("2026-03-03T09:00:00.000000Z", "2099-01-01T00:00:00.000000Z")]
    later = tmp_path / "later"
    _signed(later, "ek01", datetime(2026, 3, 4, 9, 0, tzinfo=timezone.utc),
            {f"{MODULE}.ipynb": NB.replace(b'"cells"', b'"cells" ')})
    second = collect(later, now=datetime(2026, 3, 4, 9, 5, tzinfo=timezone.utc))
    assert [i.claimed_at for i in second.ingested] == ["2026-03-04T09:00:00.000000Z"], second.skipped
    # received on 12 March (due 10 March), named as if sent on 1 March
    backdated = tmp_path / "backdated"
    _signed(backdated, "ek01", datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc),
            {f"{MODULE}.ipynb": NB.replace(b'"cells"', b'"cells"   ')})
    collect(backdated, now=datetime(2026, 3, 12, 14, 0, tzinfo=timezone.utc))
    from ethicskit.course.nbgrader import gradebook

    with gradebook(load_config(store)):
        pass  # an empty gradebook, as `ethicskit prepare` leaves it (a report reads it)
    assert _stored(store) == [{"learner_id": "ek01", "module": MODULE, "timestamp": "2026-03-12T14:00:00.000000Z",
                               "claimed_at": "2026-03-01T08:00:00.000000Z"}]
    row = build_report(today=date(2026, 3, 20)).matrix.set_index(["learner_id", "module"]).loc[("ek01", MODULE)]
    assert bool(row["late"]) and row["submitted_at"] == pd.Timestamp("2026-03-12T14:00:00", tz="UTC")


def test_within_one_run_a_claim_in_the_future_counts_as_the_oldest(store, tmp_path):
    inbox = tmp_path / "inbox"
    _signed(inbox, "ek01", datetime(2099, 1, 1, tzinfo=timezone.utc))
    real = _signed(inbox, "ek01", datetime(2026, 3, 3, 8, 0, tzinfo=timezone.utc),
                   {f"{MODULE}.ipynb": NB.replace(b'"cells"', b'"cells" ')})
    result = collect(inbox, now=datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc))
    assert [i.file for i in result.ingested] == [real.name]


def test_a_missing_folder_is_a_clear_error(store, tmp_path):
    with pytest.raises(FileNotFoundError, match=re.escape(NOT_A_FOLDER.format(folder=tmp_path / "nope"))):
        collect(tmp_path / "nope")


def test_submit_refuses_a_notebook_that_is_not_one_naming_it(store, tmp_path):
    from ethicskit.course import submit
    from ethicskit.course.delivery.submit import LEARNER_FILE, NOT_A_NOTEBOOK

    (store / LEARNER_FILE).write_text(json.dumps({"learner_id": "ek01", "secret": SECRETS["ek01"]}))
    work = tmp_path / "work"
    work.mkdir()
    (work / f"{MODULE}.ipynb").write_text("{not json")
    with pytest.raises(CourseError) as info:
        submit("00", folder=work, out=tmp_path / "outbox", when=WHEN)
    head, tail = NOT_A_NOTEBOOK.split("{error}")
    assert str(info.value).startswith(head.format(path=work / f"{MODULE}.ipynb")) and str(info.value).endswith(tail)
    assert not (tmp_path / "outbox").exists(), "nothing is packed"


@pytest.mark.slow
def test_submit_validates_names_what_fails_and_packs_a_signed_zip_collect_accepts(store, tmp_path):
    from ethicskit.course import submit
    from ethicskit.course.delivery.submit import BAD_LEARNER_ID, LEARNER_FILE, NO_KEY, NOT_YOUR_BUNDLE

    with pytest.raises(ValueError, match=re.escape(NO_KEY)):
        submit("00", out=tmp_path, when=WHEN)
    assert "learner bundle" in NO_KEY
    (store / LEARNER_FILE).write_text(json.dumps({"learner_id": "ek01", "secret": SECRETS["ek01"]}))
    result = submit("00", out=tmp_path / "outbox", when=WHEN)
    assert result.zip_path.name == "ek01+00-orientation+20260302T090000Z.zip"
    assert any(re.search(r"\.ipynb: 00-q\d+-[a-z-]+ fails: NameError", p) for p in result.problems), result.problems
    assert all("\x1b" not in p for p in result.problems)
    with zipfile.ZipFile(result.zip_path) as zf:
        released = sorted(p.name for p in (store / "exercises" / MODULE).glob("*.ipynb"))
        assert sorted(zf.namelist()) == sorted([*released, SIGNATURE_NAME])
        manifest = json.loads(zf.read(SIGNATURE_NAME))
    assert manifest["learner_id"] == "ek01" and manifest["module"] == MODULE and len(manifest["hmac"]) == 64
    assert [i.file for i in collect(tmp_path / "outbox").ingested] == [result.zip_path.name]
    with pytest.raises(ValueError, match=re.escape(NOT_YOUR_BUNDLE.format(owner="ek01", learner_id="ek02"))):
        submit("00", learner_id="ek02", out=tmp_path)
    with pytest.raises(ValueError, match=re.escape(BAD_LEARNER_ID.format(learner_id="a/b"))):
        submit("00", learner_id="a/b", out=tmp_path)
