"""``ethicskit collect``: ingest a folder of submission zips, or collect from the exchange.

Each zip is checked whole before anything of it is written: its name
(``LEARNER+MODULE+TIMESTAMP.zip``), the learner (in the roster and active),
the module (released to the learner's cohort), every member (a notebook
of that module, no unsafe path, not oversized, valid nbformat) and its
signature (``ethicskit submit`` signs with the learner's secret: an unsigned
zip, one signed for another learner or module, or one altered after signing
is refused). A rejected file gets one reason; the others are ingested into
nbgrader's layout (``submitted/LEARNER/MODULE/`` with ``timestamp.txt``),
replacing the learner's earlier submission atomically.

The time on record is when ``collect`` received the zip, never the time in
its name: the name's timestamp is only the learner's claim, kept beside it
(``claimed_at``). So a far-future name cannot block later submissions and a
backdated one cannot escape "late". Each zip is received once (the store
remembers its SHA-256): running ``collect`` on the same folder again changes
nothing. Among several new zips of one learner and module in one run, the
latest claim wins, and a claim in the future counts as the oldest.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ethicskit.course.delivery.package import (
    ZIP_NAME,
    ZIP_TIMESTAMP,
    Rejected,
    read_submission,
    submission_digest,
    verify_signature,
)
from ethicskit.course.delivery.release import current_release, releases
from ethicskit.course.modules import UNKNOWN_MODULE, resolve_modules
from ethicskit.course.nbgrader import load_config, open_api, run_step
from ethicskit.course.records.store import (
    add_received_zip,
    learner_secrets,
    learners,
    open_store,
    received_zips,
    record_submission,
    submission_digests,
    utc_now,
)
from ethicskit.errors import MissingFile

NBGRADER_TIMESTAMP = "%Y-%m-%d %H:%M:%S.%f UTC"
STORE_TIMESTAMP = "%Y-%m-%dT%H:%M:%S.%fZ"
CLOCK_SKEW = timedelta(minutes=10)

# Error texts and reasons for refusing a zip: tests import the same constants.
NOT_A_FOLDER = "{folder} is not a folder of submission zips"
BAD_ZIP_NAME = "file name must be LEARNER+MODULE+YYYYMMDDTHHMMSSZ.zip, as `ethicskit submit` names it"
UNKNOWN_LEARNER = "unknown learner id {learner_id!r}: not in the roster"
INACTIVE_LEARNER = "learner {learner_id} is inactive in the roster"
NOT_RELEASED = "module {module} has not been released to cohort {cohort!r}"


@dataclass(frozen=True)
class Ingested:
    file: str
    learner_id: str
    module: str
    timestamp: str  # when collect received it: the time on record
    claimed_at: str = ""  # the time in the file name: only the learner's claim


@dataclass
class CollectResult:
    ingested: list[Ingested] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Context:
    learners: dict
    releases: list
    modules: dict


def _name_time(stamp: str) -> datetime | None:
    """The time a zip's name claims, or None if its digits are no real time (month 13, hour 25)."""
    try:
        return datetime.strptime(stamp, ZIP_TIMESTAMP).replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def _check_name(path: Path, ctx: _Context) -> tuple[str, str, datetime, object]:
    match = ZIP_NAME.match(path.name)
    when = _name_time(match["timestamp"]) if match else None
    if when is None:
        raise Rejected(BAD_ZIP_NAME)
    learner_id = match["student_id"]
    learner = ctx.learners.get(learner_id)
    if learner is None:
        raise Rejected(UNKNOWN_LEARNER.format(learner_id=learner_id))
    if not learner["active"]:
        raise Rejected(INACTIVE_LEARNER.format(learner_id=learner_id))
    module = ctx.modules.get(match["module"])
    if module is None:
        raise Rejected(UNKNOWN_MODULE.format(name=match["module"], valid=", ".join(sorted(ctx.modules))))
    record = current_release(ctx.releases, module, learner["cohort"])
    if record is None:
        raise Rejected(NOT_RELEASED.format(module=module, cohort=learner["cohort"]))
    return learner_id, module, when, record


def _install(dest: Path, notebooks: dict[str, bytes], when: datetime) -> None:
    """Replace ``dest`` by the new submission in one rename; the old one is removed after."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}-new-", dir=dest.parent))
    for name, data in notebooks.items():
        (staging / name).write_bytes(data)
    (staging / "timestamp.txt").write_text(when.strftime(NBGRADER_TIMESTAMP))  # the time of receipt
    old = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}-old-{os.getpid()}")
        os.replace(dest, old)
    os.replace(staging, dest)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def _context(config, root) -> _Context:
    with open_store(config) as db:  # writable: it brings an older store up to the schema
        roster = {r["learner_id"]: dict(r) for r in learners(db)}
        secrets = learner_secrets(db)
    for learner_id, learner in roster.items():
        learner["secret"] = secrets.get(learner_id)
    modules = {}
    for m in resolve_modules(None, root):
        modules[m.slug] = m.slug
        modules.setdefault(m.number, m.slug)
    return _Context(roster, releases(config), modules)


def collect(folder: Path, *, root: Path | None = None, now: datetime | None = None) -> CollectResult:
    """Ingest every zip in ``folder``; reject bad files with one reason each.

    ``now`` is the time of receipt put on record (default: the clock now).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise MissingFile(NOT_A_FOLDER.format(folder=folder))
    config = load_config(root)
    ctx = _context(config, root)
    received = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    stamp = received.strftime(STORE_TIMESTAMP)
    submitted = Path(config.CourseDirectory.submitted_directory)
    result = CollectResult()
    candidates = []
    with open_store(config) as db:
        seen = received_zips(db)
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        try:
            learner_id, module, claimed, record = _check_name(path, ctx)
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            if (sha, learner_id, module) in seen:
                result.skipped.append((path.name, f"already collected on {seen[sha, learner_id, module]}"))
                continue
            notebooks, manifest = read_submission(path, module, record.notebooks)
            verify_signature(notebooks, manifest, learner_id=learner_id, module=module,
                             secret=ctx.learners[learner_id]["secret"])
            seen[sha, learner_id, module] = f"{stamp} (this run, as another file)"
        except Rejected as exc:
            result.rejected.append((path.name, str(exc)))
            continue
        candidates.append((claimed, path, learner_id, module, notebooks, sha))

    def order(candidate) -> datetime:  # the latest claim wins a run; a claim in the future counts as oldest
        return candidate[0] if candidate[0] <= received + CLOCK_SKEW else datetime.min.replace(tzinfo=timezone.utc)

    latest = {}
    for candidate in sorted(candidates, key=order):
        latest[(candidate[2], candidate[3])] = candidate
    with open_store(config) as db:
        for claimed, path, learner_id, module, notebooks, sha in sorted(candidates, key=order):
            claim = claimed.strftime(STORE_TIMESTAMP)
            add_received_zip(db, sha, path.name, learner_id, module, claim, stamp)
            if latest[(learner_id, module)][1] != path:
                result.skipped.append((path.name, f"a later zip of {learner_id} {module} in this folder replaces it"))
                continue
            dest = submitted / learner_id / module
            _install(dest, notebooks, received)
            _record(db, learner_id, module, stamp, submission_digest(dest), "zip", claimed_at=claim)
            result.ingested.append(Ingested(path.name, learner_id, module, stamp, claim))
    return result


def _record(db, learner_id: str, module: str, stamp: str, digest: str, source: str, *,
            claimed_at: str | None = None) -> None:
    record_submission(db, learner_id, module, stamp, digest, source, utc_now(), claimed_at)


def register_submitted(config) -> int:
    """Record in the store every submission in ``submitted/`` it does not know (e.g. from the exchange)."""
    from nbgrader.utils import parse_utc

    submitted = Path(config.CourseDirectory.submitted_directory)
    if not submitted.is_dir():
        return 0
    count = 0
    with open_store(config) as db:
        known = submission_digests(db)
        for folder in sorted(p for p in submitted.glob("*/*") if p.is_dir() and not p.name.startswith(".")):
            key = (folder.parent.name, folder.name)
            digest = submission_digest(folder)
            if known.get(key) == digest:
                continue
            stamp_file = folder / "timestamp.txt"
            when = parse_utc(stamp_file.read_text().strip()) if stamp_file.exists() else \
                datetime.fromtimestamp(folder.stat().st_mtime, timezone.utc)
            _record(db, *key, when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), digest, "exchange")
            count += 1
    return count


def collect_exchange(names: list[str] | None = None, *, root: Path | None = None) -> list:
    """Run nbgrader's collect from the exchange for released modules, then record what arrived."""
    config = load_config(root)
    released = sorted({r.module for r in releases(config)})
    wanted = [m.slug for m in resolve_modules(names, root)] if names else released
    api = open_api(config)
    results = [run_step(api, "collect", slug) for slug in wanted if slug in released]
    register_submitted(config)
    return results
