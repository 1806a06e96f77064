"""The event log and ``ethicskit verify``: each kind of tampering, in a copy of a real store, is named.

The store is real SQLite with events written by the real functions: ``collect`` (signed zips, as
``ethicskit submit`` writes them) appends the submission events, ``certificate_event`` the
certificates, ``append_event`` the rest. Each tampering is done on a copy of the project, with
plain SQL as someone editing the file would, and checked through the CLI.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import datetime, timezone

import nbformat
import pytest
from click.testing import CliRunner

from ethicskit.cli import main
from ethicskit.course.delivery.collect import collect
from ethicskit.course.delivery.package import write_signed_zip
from ethicskit.course.nbgrader import gradebook, load_config
from ethicskit.course.records.events import (
    BAD_CODE,
    EDITED,
    HEAD_MISSING,
    MISSING,
    MISSING_RANGE,
    MISSING_START,
    NOT_FOLLOWING,
    UNKNOWN_CODE,
    certificate_code,
    certificate_event,
    record_manual_grades,
    verify_chain,
)
from ethicskit.course.records.store import (
    COLUMNS,
    GENESIS,
    add_release,
    append_event,
    event_hash,
    events,
    open_store,
    submission_digests,
)

MODULE = "00-orientation"
NB = nbformat.writes(nbformat.v4.new_notebook()).encode()
SECRETS = {"ek01": "a" * 64, "ek02": "b" * 64}
WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
MODULES = [{"module": MODULE, "version": "v1", "passed_on": "2026-03-02", "digest": ""}]


@pytest.fixture
def course(make_project, tmp_path):
    """A project whose store holds 9 events: a release, two collected zips, grades, an extension,
    a reminder, a manual grade and a certificate for ek01 (Ann Lee)."""
    root = make_project(MODULE)
    config = load_config(root)
    with open_store(config) as db:
        for eid, lid, name in (("E1", "ek01", "Ann Lee"), ("E2", "ek02", "Ben Ko")):
            db.execute("INSERT INTO learners VALUES (?, ?, ?, 'n@x.org', 'T', 'M', 'A', NULL, 1, 'now')",
                       (eid, lid, name))
            db.execute("INSERT INTO learner_secrets VALUES (?, ?, 'now')", (lid, SECRETS[lid]))
        checksums = {MODULE: {}, f"{MODULE}-analyst": {}}
        add_release(db, MODULE, "v1", "A", "2026-03-10", "2026-03-01T08:00:00.000000Z", json.dumps(checksums))
        append_event(db, "release", module=MODULE, version="v1", at="2026-03-01T08:00:00.000000Z",
                     detail={"cohort": "A", "due": "2026-03-10", "notebooks": sorted(checksums)})
    inbox = tmp_path / "inbox"
    for lid, secret in SECRETS.items():
        write_signed_zip(inbox, {f"{MODULE}.ipynb": NB}, learner_id=lid, module=MODULE, when=WHEN, secret=secret)
    assert len(collect(inbox, now=WHEN.replace(minute=30)).ingested) == 2
    with open_store(config) as db:
        digests = submission_digests(db)
        for lid in SECRETS:
            append_event(db, "grade", learner_id=lid, module=MODULE, version="v1", digest=digests[lid, MODULE],
                         detail={"score": 4.0, "max_score": 6.0})
        append_event(db, "extension", learner_id="ek02", module=MODULE, detail={"until": "2026-03-20"})
        append_event(db, "reminder", learner_id="ek02", module=MODULE, detail={"kind": "before_due"})
        append_event(db, "manual_grade", learner_id="ek01", module=MODULE, version="v1",
                     digest=digests["ek01", MODULE], detail={"grade_id": "00-q5-written", "score": 2.0})
        certificate_event(db, "ek01", [{**MODULES[0], "digest": digests["ek01", MODULE]}], issued="2026-03-05")
    return root


def _chain(root) -> list[dict]:
    with open_store(load_config(root), readonly=True) as db:
        return events(db)


def _verify(root, *args, monkeypatch):
    monkeypatch.setenv("ETHICSKIT_ROOT", str(root))
    return CliRunner().invoke(main, ["verify", *args])


def _tampered(root, tmp_path, change) -> object:
    """A copy of the project whose event log ``change`` (a function of the list of events) rewrote."""
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    chain = change(_chain(copy))
    db = sqlite3.connect(copy / "course-data" / "roster.db")
    with db:
        db.execute("DELETE FROM events")
        db.executemany(f"INSERT INTO events ({', '.join(COLUMNS['events'])}) VALUES ({', '.join('?' * 10)})",
                       [tuple(e[c] for c in COLUMNS["events"]) for e in chain])
    db.close()
    return copy


def _rehashed(chain: list[dict], start: int) -> list[dict]:
    """The chain re-chained from index ``start`` on, as someone who knows the hash rule would."""
    prev = chain[start - 1]["hash"] if start else GENESIS
    for e in chain[start:]:
        e["prev_hash"], e["hash"] = prev, event_hash(prev, e)
        prev = e["hash"]
    return chain


def _edit(chain):
    chain[4]["detail"] = json.dumps({"score": 6.0, "max_score": 6.0})  # event 5: ek02's grade
    return chain


def _edit_and_rehash(chain):
    chain[4]["detail"] = json.dumps({"score": 6.0, "max_score": 6.0})
    chain[4]["hash"] = event_hash(chain[4]["prev_hash"], chain[4])
    return chain


def _delete_middle(chain):
    del chain[3]  # event 4: ek01's grade
    return chain


def _delete_two(chain):
    del chain[3:5]
    return chain


def _delete_first(chain):
    return chain[1:]


def _insert_forged(chain):
    forged = {**chain[3], "learner_id": "ek02", "detail": json.dumps({"score": 6.0, "max_score": 6.0})}
    forged["prev_hash"] = chain[2]["hash"]
    forged["hash"] = event_hash(forged["prev_hash"], forged)  # a well-forged event after event 3
    for e in chain[3:]:
        e["seq"] += 1
    return chain[:3] + [forged] + chain[3:]


def _swap(chain):
    chain[4]["seq"], chain[5]["seq"] = chain[5]["seq"], chain[4]["seq"]  # ek02's grade and the extension
    return chain


def _edit_then_delete_later(chain):
    chain[2]["version"] = "v2"  # event 3
    del chain[6]
    return chain


TAMPERINGS = {
    "edited": (_edit, EDITED.format(seq=5, what=f"grade ek02 {MODULE}")),
    "edited and re-hashed": (_edit_and_rehash, NOT_FOLLOWING.format(seq=6, what=f"extension ek02 {MODULE}", before=5)),
    "deleted in the middle": (_delete_middle, MISSING.format(seq=4, before=3, after=5)),
    "two deleted": (_delete_two, MISSING_RANGE.format(seq=4, last=5, before=3, after=6)),
    "first deleted": (_delete_first, MISSING_START.format(after=2)),
    "forged and inserted": (_insert_forged, NOT_FOLLOWING.format(seq=5, what=f"grade ek01 {MODULE}", before=4)),
    "reordered": (_swap, NOT_FOLLOWING.format(seq=5, what=f"extension ek02 {MODULE}", before=4)),
    "edited, and a later one deleted": (_edit_then_delete_later,
                                        EDITED.format(seq=3, what=f"submission ek02 {MODULE}")),
}


def test_the_real_steps_log_their_events_with_version_and_digest(course):
    chain = _chain(course)
    assert [e["kind"] for e in chain] == ["release", "submission", "submission", "grade", "grade", "extension",
                                          "reminder", "manual_grade", "certificate"]
    assert [e["seq"] for e in chain] == list(range(1, 10)) and chain[0]["prev_hash"] == GENESIS
    with open_store(load_config(course), readonly=True) as db:
        digests = submission_digests(db)
    for e in chain[1:3]:
        detail = json.loads(e["detail"])
        assert (e["version"], e["digest"]) == ("v1", digests[e["learner_id"], MODULE])
        assert detail["source"] == "zip" and detail["received_at"] == "2026-03-02T09:30:00.000000Z"
    assert verify_chain(chain) is None


def test_an_intact_log_passes_and_prints_its_head(course, monkeypatch):
    chain = _chain(course)
    result = _verify(course, monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert "checked 9 event(s): the chain is intact" in result.output
    head = f"9:{chain[-1]['hash']}"
    assert f"head {head}" in result.output
    for kept in (head, chain[-1]["hash"], chain[-1]["hash"][:16], f"7:{chain[6]['hash']}"):
        assert _verify(course, "--head", kept, monkeypatch=monkeypatch).exit_code == 0, kept


@pytest.mark.parametrize("name", list(TAMPERINGS))
def test_verify_names_the_first_edited_inserted_deleted_or_moved_event(course, tmp_path, monkeypatch, name):
    change, message = TAMPERINGS[name]
    copy = _tampered(course, tmp_path, change)
    result = _verify(copy, monkeypatch=monkeypatch)
    assert result.exit_code == 1, result.output
    assert f"BROKEN: {message}\n" in result.output, result.output
    assert _verify(course, monkeypatch=monkeypatch).exit_code == 0, "the original store is untouched"


@pytest.mark.parametrize("cut", ["truncated tail", "rewritten from event 5 on"])
def test_a_cut_or_rewritten_tail_is_caught_only_with_the_head_kept_elsewhere(course, tmp_path, monkeypatch, cut):
    chain = _chain(course)
    head = f"9:{chain[-1]['hash']}"
    if cut == "truncated tail":
        copy = _tampered(course, tmp_path, lambda c: c[:7])
        now = f"7:{chain[6]['hash']}"
    else:
        copy = _tampered(course, tmp_path, lambda c: _rehashed(_edit(c), 4))
        now = f"9:{_chain(copy)[-1]['hash']}"
    alone = _verify(copy, monkeypatch=monkeypatch)
    assert alone.exit_code == 0, "the chain alone cannot show this: it is why the head is kept elsewhere"
    result = _verify(copy, "--head", head, monkeypatch=monkeypatch)
    assert result.exit_code == 1, result.output
    assert f"BROKEN: {HEAD_MISSING.format(head=head, now=now)}\n" in result.output


def test_a_certificate_code_resolves_to_the_learner_modules_versions_and_dates(course, tmp_path, monkeypatch):
    cert = _chain(course)[-1]
    code = certificate_code(cert["hash"])
    assert len(code) == 14 and code.count("-") == 2
    typed = code.lower().replace("-", " ").replace("i", "1").replace("o", "0")
    result = _verify(course, typed, monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert f"certificate {code}: issued 2026-03-05 to ek01 (Ann Lee)\n" in result.output
    assert f"  {MODULE}  version v1  passed on 2026-03-02\n" in result.output
    unknown = _verify(course, "AAAA-AAAA-AAAA", monkeypatch=monkeypatch)
    assert unknown.exit_code == 1 and UNKNOWN_CODE.format(code="AAAA-AAAA-AAAA") in unknown.output
    bad = _verify(course, "not-a-code", monkeypatch=monkeypatch)
    assert bad.exit_code == 1 and BAD_CODE.format(code="not-a-code") in bad.output
    broken = _verify(_tampered(course, tmp_path, _edit), code, monkeypatch=monkeypatch)
    assert broken.exit_code == 1 and "NOT vouched for: the log is broken" in broken.output


def test_a_certificate_written_again_keeps_its_code_and_a_changed_one_gets_a_new_one(course):
    config = load_config(course)
    first = _chain(course)[-1]
    modules = json.loads(first["detail"])["modules"]
    with open_store(config) as db:
        again = certificate_event(db, "ek01", modules, issued="2026-04-01")
        changed = certificate_event(db, "ek01", [{**modules[0], "version": "v2"}], issued="2026-04-01")
    assert again == first and json.loads(again["detail"])["issued"] == "2026-03-05"
    assert changed["seq"] == 10 and certificate_code(changed["hash"]) != certificate_code(first["hash"])
    assert (changed["module"], changed["version"]) == (MODULE, "v2") and verify_chain(_chain(course)) is None


@pytest.mark.slow
def test_manual_grades_from_the_formgrader_are_logged_once_each_and_again_when_changed(course, monkeypatch):
    config = load_config(course)
    with gradebook(config) as gb:
        gb.add_assignment(MODULE)
        gb.add_notebook(MODULE, MODULE)
        gb.add_grade_cell("00-q5-written", MODULE, MODULE, max_score=2, cell_type="markdown")
        gb.add_solution_cell("00-q5-written", MODULE, MODULE)
        for lid in SECRETS:
            gb.add_student(lid)
            gb.add_submission(MODULE, lid)
        gb.find_grade("00-q5-written", MODULE, MODULE, "ek01").manual_score = 2
        gb.db.commit()
    assert record_manual_grades(config) == 1
    assert record_manual_grades(config) == 0, "a manual score already logged is not logged again"
    [logged] = _chain(course)[9:]
    grade_event = _chain(course)[3]
    assert (logged["kind"], logged["learner_id"], logged["version"], logged["digest"]) == (
        "manual_grade", "ek01", "v1", grade_event["digest"])
    assert json.loads(logged["detail"]) == {"notebook": MODULE, "grade_id": "00-q5-written", "score": 2.0,
                                            "max_score": 2.0}
    with gradebook(config) as gb:
        gb.find_grade("00-q5-written", MODULE, MODULE, "ek01").manual_score = 1
        gb.find_grade("00-q5-written", MODULE, MODULE, "ek02").manual_score = 2
        gb.db.commit()
    result = _verify(course, "--sync", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert "logged 2 new or changed manual grade(s)" in result.output and "checked 12 event(s)" in result.output
    assert [(e["learner_id"], json.loads(e["detail"])["score"]) for e in _chain(course)[10:]] == [
        ("ek01", 1.0), ("ek02", 2.0)]
