"""``ethicskit collect`` and ``submit``: each bad or hostile file is refused with its reason.

The zip checks run on hand-built zips; collection runs against a store with
a roster and a recorded release (no nbgrader run needed).
"""

from __future__ import annotations

import json
import shutil
import stat
import zipfile
from datetime import datetime, timezone

import nbformat
import pytest

from ethicskit.course import _collect
from ethicskit.course._collect import Rejected, collect, read_zip
from ethicskit.course._nbgrader import load_config
from ethicskit.course._store import open_store
from ethicskit.course._submit import zip_name

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
    ({"../../evil.ipynb": NB}, "unsafe path '../../evil.ipynb'"),
    ({"/etc/evil.ipynb": NB}, "unsafe path '/etc/evil.ipynb'"),
    ({"a\\..\\evil.ipynb": NB}, "unsafe path"),
    ({"00-orientation.ipynb": NB, "notes.txt": b"hi"}, "member 'notes.txt' is not a notebook"),
    ({"other.ipynb": NB}, "member 'other.ipynb' is not a notebook of 00-orientation; expected: 00-orientation.ipynb"),
    ({"deep/dir/00-orientation.ipynb": NB}, "sits in a folder"),
    ({"00-orientation.ipynb": b"{not json"}, "member '00-orientation.ipynb' is not a valid notebook"),
    ({}, "the zip holds no notebook"),
])
def test_bad_members_are_rejected_with_a_reason(tmp_path, members, reason):
    path = _zip(tmp_path / "s.zip", members)
    with pytest.raises(Rejected) as info:
        read_zip(path, MODULE, [MODULE])
    assert reason in str(info.value)


def test_a_symlink_member_is_rejected(tmp_path):
    path = _zip(tmp_path / "s.zip", {f"{MODULE}.ipynb": NB}, symlink="link.ipynb")
    with pytest.raises(Rejected, match="symbolic link"):
        read_zip(path, MODULE, [MODULE])


def test_oversized_members_and_corrupt_zips_are_rejected(tmp_path, monkeypatch):
    monkeypatch.setattr(_collect, "MAX_MEMBER_BYTES", 1000)
    big = _zip(tmp_path / "big.zip", {f"{MODULE}.ipynb": b" " * 5000})
    with pytest.raises(Rejected, match="oversized: 5000 bytes|is oversized: 5000 bytes"):
        read_zip(big, MODULE, [MODULE])
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(Rejected, match="corrupt zip"):
        read_zip(tmp_path / "bad.zip", MODULE, [MODULE])
    good = _zip(tmp_path / "crc.zip", {f"{MODULE}.ipynb": NB}, compression=zipfile.ZIP_STORED)
    data = bytearray(good.read_bytes())
    data[data.index(b"nbformat") + 2] ^= 0xFF  # flip a byte of the stored member: CRC mismatch
    (tmp_path / "crc.zip").write_bytes(bytes(data))
    with pytest.raises(Rejected, match="corrupt zip: member '00-orientation.ipynb': Bad CRC-32"):
        read_zip(tmp_path / "crc.zip", MODULE, [MODULE])


def test_macos_extras_are_ignored_and_a_top_folder_named_after_the_module_is_fine(tmp_path):
    path = _zip(tmp_path / "s.zip", {f"{MODULE}/{MODULE}.ipynb": NB, "__MACOSX/._x": b"", ".DS_Store": b""})
    assert list(read_zip(path, MODULE, [MODULE])) == [f"{MODULE}.ipynb"]


@pytest.fixture
def store(make_project):
    """A course with three learners (one inactive) and 00 released to cohort A only."""
    root = make_project(MODULE)
    config = load_config(root)
    with open_store(config) as db:
        for eid, lid, cohort, active in (("E1", "ek01", "A", 1), ("E2", "ek02", "B", 1), ("E3", "ek03", "A", 0)):
            db.execute("INSERT INTO learners VALUES (?, ?, 'N', 'n@x.org', 'T', 'M', ?, NULL, ?, 'now')",
                       (eid, lid, cohort, active))
        db.execute("INSERT INTO releases (module, version, cohort, due, released_at, checksums) VALUES "
                   "(?, 'v1', 'A', NULL, '2026-01-01T00:00:00Z', ?)", (MODULE, json.dumps({MODULE: {}})))
    return root


def test_collect_refuses_unknown_inactive_and_unreleased_and_keeps_the_newest(store, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = _zip(inbox / zip_name("ek01", MODULE, WHEN), {f"{MODULE}.ipynb": NB})
    _zip(inbox / zip_name("ek99", MODULE, WHEN), {f"{MODULE}.ipynb": NB})
    _zip(inbox / zip_name("ek02", MODULE, WHEN), {f"{MODULE}.ipynb": NB})
    _zip(inbox / zip_name("ek03", MODULE, WHEN), {f"{MODULE}.ipynb": NB})
    _zip(inbox / zip_name("ek01", "07-nope", WHEN), {f"{MODULE}.ipynb": NB})
    (inbox / "notes.txt").write_text("hi")
    result = collect(inbox)
    reasons = dict(result.rejected)
    assert [i.learner_id for i in result.ingested] == ["ek01"]
    assert "unknown learner id 'ek99'" in reasons[zip_name("ek99", MODULE, WHEN)]
    assert "has not been released to cohort 'B'" in reasons[zip_name("ek02", MODULE, WHEN)]
    assert "learner ek03 is inactive" in reasons[zip_name("ek03", MODULE, WHEN)]
    assert "unknown module '07-nope'; the modules are: 00, 00-orientation" in reasons[zip_name("ek01", "07-nope", WHEN)]
    assert "file name must be LEARNER+MODULE+YYYYMMDDTHHMMSSZ.zip" in reasons["notes.txt"]
    dest = store / "course-data" / "submitted" / "ek01" / MODULE
    assert (dest / "timestamp.txt").read_text() == "2026-03-02 09:00:00.000000 UTC"
    assert collect(inbox).skipped[0][0] == good.name, "the same zip again is skipped"
    newer = WHEN.replace(hour=10)
    shutil.rmtree(inbox)
    inbox.mkdir()
    _zip(inbox / zip_name("ek01", MODULE, newer), {f"{MODULE}.ipynb": NB.replace(b'"cells"', b'"cells" ')})
    _zip(inbox / zip_name("ek01", MODULE, WHEN.replace(hour=8)), {f"{MODULE}.ipynb": NB})
    result = collect(inbox)
    assert [i.timestamp for i in result.ingested] == ["2026-03-02T10:00:00.000000Z"]
    assert "already collected" in result.skipped[0][1]
    assert (dest / "timestamp.txt").read_text().startswith("2026-03-02 10:00:00")
    assert sorted(p.name for p in dest.parent.iterdir()) == [MODULE], "no staging folders left behind"


def test_a_missing_folder_is_a_clear_error(store, tmp_path):
    with pytest.raises(FileNotFoundError, match="is not a folder of submission zips"):
        collect(tmp_path / "nope")


@pytest.mark.slow
def test_submit_validates_names_what_fails_and_packs_a_collectable_zip(make_project, tmp_path):
    from ethicskit.course import submit

    root = make_project(MODULE)
    result = submit("00", learner_id="ek01", out=tmp_path, when=WHEN)
    assert result.zip_path.name == "ek01+00-orientation+20260302T090000Z.zip"
    assert any("00-q1-customer-count fails: NameError" in p for p in result.problems), result.problems
    assert all("\x1b" not in p for p in result.problems)
    with zipfile.ZipFile(result.zip_path) as zf:
        assert zf.namelist() == [f"{MODULE}.ipynb"]
    assert read_zip(result.zip_path, MODULE, [MODULE])
    with pytest.raises(ValueError, match="learner id 'a/b' is not valid"):
        submit("00", learner_id="a/b", out=tmp_path)
    assert root.exists()
