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

Each submission recorded (a zip, or one that came through the exchange) is a
``submission`` event in the store's event log, with the module version and
the submission's digest.
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
    append_event,
    learner_cohorts,
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
            version = current_release(ctx.releases, module, ctx.learners[learner_id]["cohort"]).version
            _record(db, learner_id, module, stamp, submission_digest(dest), "zip", version, claimed_at=claim,
                    file=path.name)
            result.ingested.append(Ingested(path.name, learner_id, module, stamp, claim))
    return result


def _record(db, learner_id: str, module: str, stamp: str, digest: str, source: str, version: str, *,
            claimed_at: str | None = None, file: str = "") -> None:
    """Record a submission, and log it as a ``submission`` event in the same transaction."""
    record_submission(db, learner_id, module, stamp, digest, source, utc_now(), claimed_at)
    detail = {"source": source, "received_at": stamp} | ({"file": file, "claimed_at": claimed_at} if file else {})
    append_event(db, "submission", learner_id=learner_id, module=module, version=version, digest=digest,
                 detail=detail)


def register_submitted(config) -> int:
    """Record in the store every submission in ``submitted/`` it does not know (e.g. from the exchange)."""
    from nbgrader.utils import parse_utc

    submitted = Path(config.CourseDirectory.submitted_directory)
    if not submitted.is_dir():
        return 0
    count = 0
    all_releases = releases(config)
    with open_store(config) as db:
        known = submission_digests(db)
        cohorts = learner_cohorts(db)
        for folder in sorted(p for p in submitted.glob("*/*") if p.is_dir() and not p.name.startswith(".")):
            key = (folder.parent.name, folder.name)
            digest = submission_digest(folder)
            if known.get(key) == digest:
                continue
            stamp_file = folder / "timestamp.txt"
            when = parse_utc(stamp_file.read_text().strip()) if stamp_file.exists() else \
                datetime.fromtimestamp(folder.stat().st_mtime, timezone.utc)
            record = current_release(all_releases, key[1], cohorts.get(key[0], ""))
            _record(db, *key, when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), digest, "exchange",
                    record.version if record else "")
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


# Collecting from the exchange while learners submit (`ethicskit grade --watch`)

INBOUND_SETTLE_SECONDS = 2.0  # an inbound submission younger than this may still be being written


@dataclass
class InboundCollect:
    """What one pass over the exchange's inbound folder did."""

    collected: list[tuple[str, str]] = field(default_factory=list)  # (learner_id, module), now in submitted/
    waiting: list[tuple[str, str]] = field(default_factory=list)  # still being written by `submit`: next pass
    failed: list = field(default_factory=list)  # nbgrader's StepResults that failed (retried next pass)


def _existing_timestamp(folder: Path):
    from nbgrader.utils import parse_utc

    try:
        return parse_utc((folder / "timestamp.txt").read_text().strip())
    except (OSError, ValueError):
        return None


def _settled(path: Path, now: float, settle: float) -> bool:
    """nbgrader's submit writes ``submission_secret.txt`` after the notebooks; then it sets the modes."""
    secret = path / "submission_secret.txt"
    try:
        return now - max(path.stat().st_mtime, secret.stat().st_mtime) >= settle and os.access(secret, os.R_OK)
    except OSError:
        return False


def new_inbound(config, modules: list[str], *, settle: float = INBOUND_SETTLE_SECONDS):
    """Per module, the learners whose latest inbound submission is newer than their collected one.

    Returns ``(ready, waiting)``, lists of (learner_id, module). Names are read as nbgrader's
    collect reads them (``LEARNER+MODULE+TIMESTAMP[+RANDOM]``, the latest timestamp wins).
    """
    import glob
    import time

    from nbgrader.utils import parse_utc

    inbound = Path(config.Exchange.root) / config.CourseDirectory.course_id / "inbound"
    submitted = Path(config.CourseDirectory.submitted_directory)
    ready, waiting, now = [], [], time.time()
    for module in modules:
        latest = {}
        for path in (Path(p) for p in glob.glob(str(inbound / f"*+{glob.escape(module)}+*"))):
            parts = path.name.rsplit("+", 3)
            try:
                when = parse_utc(parts[2])
            except (IndexError, ValueError):
                continue  # nbgrader's collect fails on it too: not a submission of this kit's
            if parts[0] not in latest or when > latest[parts[0]][0]:
                latest[parts[0]] = (when, path)
        for learner_id, (when, path) in sorted(latest.items()):
            existing = _existing_timestamp(submitted / learner_id / module)
            if existing is not None and when <= existing:
                continue
            (ready if _settled(path, now, settle) else waiting).append((learner_id, module))
    return ready, waiting


def _collect_staging(config) -> Path:
    """This process's staging folder for collecting, beside submitted/; those of dead processes are removed."""
    base = Path(config.CourseDirectory.submitted_directory).parent / ".collecting"
    for folder in base.glob("*") if base.is_dir() else []:
        try:
            os.kill(int(folder.name), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (ValueError, PermissionError):
            pass
    staging = base / str(os.getpid())
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def collect_inbound(names: list[str] | None = None, *, root: Path | None = None,
                    settle: float = INBOUND_SETTLE_SECONDS) -> InboundCollect:
    """Collect from the exchange only what is new and completely written, each submission in one rename.

    nbgrader's collect deletes the collected submission before copying the new one, and copies
    whatever is in inbound/ at that moment: run every few seconds while learners submit, it could
    take a half-written submission (and never take the whole one, whose timestamp it then knows),
    and a ``kill -9`` mid-copy would leave a partial one in submitted/. So each learner's latest
    settled submission is collected by nbgrader into a staging folder and then moved into place in
    one rename; a submission still being written waits for the next pass. Then it is recorded.
    """
    from nbgrader.utils import temp_attrs

    config = load_config(root)
    released = sorted({r.module for r in releases(config)})
    modules = [m.slug for m in resolve_modules(names, root) if m.slug in released] if names else released
    result = InboundCollect()
    ready, result.waiting = new_inbound(config, modules, settle=settle)
    if ready:
        staging = _collect_staging(config)
        staged_config = load_config(root, CourseDirectory={"submitted_directory": str(staging)})
        api = open_api(staged_config)
        submitted = Path(config.CourseDirectory.submitted_directory)
        for learner_id, module in ready:
            with temp_attrs(api.coursedir, student_id=learner_id):
                step = run_step(api, "collect", module)
            staged = staging / learner_id / module
            if not step.success or not staged.is_dir():
                result.failed.append(step)
                continue
            dest = submitted / learner_id / module
            existing, new = _existing_timestamp(dest), _existing_timestamp(staged)
            if existing is None or (new is not None and new > existing):
                _swap_in(staged, dest)
                result.collected.append((learner_id, module))
        shutil.rmtree(staging, ignore_errors=True)
    register_submitted(config)
    return result


def _swap_in(staged: Path, dest: Path) -> None:
    """Replace ``dest`` by ``staged`` in one rename; the old folder is removed after."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}-old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(dest, old)
    os.replace(staged, dest)
    if old:
        shutil.rmtree(old, ignore_errors=True)
