"""``ethicskit collect``: ingest a folder of submission zips, or collect from the exchange.

Each zip is checked whole before anything of it is written: its name
(``LEARNER+MODULE+TIMESTAMP.zip``), the learner (in the roster and active),
the module (released to the learner's cohort), and every member (a notebook
of that module, no unsafe path, not oversized, valid nbformat). A rejected
file gets one reason; the others are ingested into nbgrader's layout
(``submitted/LEARNER/MODULE/`` with ``timestamp.txt``), replacing an older
submission atomically and never a newer one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

import nbformat

from ethicskit.course._modules import resolve_modules
from ethicskit.course._nbgrader import load_config, open_api, run_step
from ethicskit.course._release import current_release, releases
from ethicskit.course._store import open_store, utc_now
from ethicskit.course._submit import ZIP_NAME, ZIP_TIMESTAMP

MAX_ZIP_BYTES = 50 * 2**20
MAX_MEMBER_BYTES = 20 * 2**20
IGNORED_MEMBERS = ("__MACOSX/", ".DS_Store", ".ipynb_checkpoints/")
NBGRADER_TIMESTAMP = "%Y-%m-%d %H:%M:%S.%f UTC"


class Rejected(Exception):
    """A submission file that is not ingested, with the reason."""


@dataclass(frozen=True)
class Ingested:
    file: str
    learner_id: str
    module: str
    timestamp: str


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


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not (name.startswith(("/", "\\")) or "\\" in name or ".." in path.parts or ":" in name)


def read_zip(path: Path, module: str, expected: list[str]) -> dict[str, bytes]:
    """Notebook name -> bytes of a submission zip, or ``Rejected`` with the first problem found."""
    if path.stat().st_size > MAX_ZIP_BYTES:
        raise Rejected(f"oversized: {path.stat().st_size} bytes, the limit is {MAX_ZIP_BYTES}")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Rejected(f"corrupt zip: {exc}") from exc
    found: dict[str, bytes] = {}
    with zf:
        for info in zf.infolist():
            name = info.filename
            if not _safe_member_name(name):
                raise Rejected(f"unsafe path {name!r} (absolute or '..': a zip-slip attempt)")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise Rejected(f"member {name!r} is a symbolic link")
            if info.is_dir() or any(part in name for part in IGNORED_MEMBERS):
                continue
            member = PurePosixPath(name)
            if member.suffix != ".ipynb":
                raise Rejected(f"member {name!r} is not a notebook (.ipynb)")
            if len(member.parts) > 2 or (len(member.parts) == 2 and member.parts[0] != module):
                raise Rejected(f"member {name!r} sits in a folder; put notebooks at the top of the zip")
            if member.stem not in expected:
                raise Rejected(f"member {name!r} is not a notebook of {module}; expected: "
                               + ", ".join(f"{n}.ipynb" for n in expected))
            if info.file_size > MAX_MEMBER_BYTES:
                raise Rejected(f"member {name!r} is oversized: {info.file_size} bytes, the limit is {MAX_MEMBER_BYTES}")
            try:
                with zf.open(info) as fh:
                    data = fh.read(MAX_MEMBER_BYTES + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                raise Rejected(f"corrupt zip: member {name!r}: {exc}") from exc
            if len(data) > MAX_MEMBER_BYTES:
                raise Rejected(f"member {name!r} is oversized (it expands beyond {MAX_MEMBER_BYTES} bytes)")
            try:
                nbformat.reads(data.decode("utf-8"), as_version=4)
            except Exception as exc:  # noqa: BLE001 - any parse failure is the same rejection
                raise Rejected(f"member {name!r} is not a valid notebook: {str(exc).splitlines()[0][:120]}") from exc
            found[member.name] = data
    if not found:
        raise Rejected("the zip holds no notebook")
    return found


def _check_name(path: Path, ctx: _Context) -> tuple[str, str, datetime, object]:
    match = ZIP_NAME.match(path.name)
    if not match:
        raise Rejected("file name must be LEARNER+MODULE+YYYYMMDDTHHMMSSZ.zip, as `ethicskit submit` names it")
    learner_id = match["student_id"]
    learner = ctx.learners.get(learner_id)
    if learner is None:
        raise Rejected(f"unknown learner id {learner_id!r}: not in the roster")
    if not learner["active"]:
        raise Rejected(f"learner {learner_id} is inactive in the roster")
    module = ctx.modules.get(match["module"])
    if module is None:
        raise Rejected(f"unknown module {match['module']!r}; the modules are: {', '.join(sorted(ctx.modules))}")
    record = current_release(ctx.releases, module, learner["cohort"])
    if record is None:
        raise Rejected(f"module {module} has not been released to cohort {learner['cohort']!r}")
    when = datetime.strptime(match["timestamp"], ZIP_TIMESTAMP).replace(tzinfo=timezone.utc)
    return learner_id, module, when, record


def _install(dest: Path, notebooks: dict[str, bytes], when: datetime) -> None:
    """Replace ``dest`` by the new submission in one rename; the old one is removed after."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}-new-", dir=dest.parent))
    for name, data in notebooks.items():
        (staging / name).write_bytes(data)
    (staging / "timestamp.txt").write_text(when.strftime(NBGRADER_TIMESTAMP))
    old = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}-old-{os.getpid()}")
        os.replace(dest, old)
    os.replace(staging, dest)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def submission_digest(folder: Path) -> str:
    """A hash of a submission's notebooks and timestamp, to know whether it changed since grading."""
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.suffix == ".ipynb" or path.name == "timestamp.txt":
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _context(config, root) -> _Context:
    with open_store(config, readonly=True) as db:
        learners = {r["learner_id"]: dict(r) for r in db.execute("SELECT * FROM learners")}
    modules = {}
    for m in resolve_modules(None, root):
        modules[m.slug] = m.slug
        modules.setdefault(m.number, m.slug)
    return _Context(learners, releases(config), modules)


def collect(folder: Path, *, root: Path | None = None) -> CollectResult:
    """Ingest every zip in ``folder``; reject bad files with one reason each."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder of submission zips")
    config = load_config(root)
    ctx = _context(config, root)
    submitted = Path(config.CourseDirectory.submitted_directory)
    result = CollectResult()
    candidates = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        try:
            learner_id, module, when, record = _check_name(path, ctx)
            notebooks = read_zip(path, module, record.notebooks)
        except Rejected as exc:
            result.rejected.append((path.name, str(exc)))
            continue
        candidates.append((when, path, learner_id, module, notebooks))
    with open_store(config) as db:
        for when, path, learner_id, module, notebooks in sorted(candidates, key=lambda c: c[0]):
            stamp = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            row = db.execute("SELECT timestamp FROM submissions WHERE learner_id=? AND module=?",
                             (learner_id, module)).fetchone()
            if row and row["timestamp"] >= stamp:
                result.skipped.append((path.name, f"a submission from {row['timestamp']} is already collected"))
                continue
            dest = submitted / learner_id / module
            _install(dest, notebooks, when)
            _record(db, learner_id, module, stamp, submission_digest(dest), "zip")
            result.ingested.append(Ingested(path.name, learner_id, module, stamp))
    return result


def _record(db, learner_id: str, module: str, stamp: str, digest: str, source: str) -> None:
    db.execute("INSERT OR REPLACE INTO submissions VALUES (?, ?, ?, ?, ?, ?)",
               (learner_id, module, stamp, digest, source, utc_now()))


def register_submitted(config) -> int:
    """Record in the store every submission in ``submitted/`` it does not know (e.g. from the exchange)."""
    from nbgrader.utils import parse_utc

    submitted = Path(config.CourseDirectory.submitted_directory)
    if not submitted.is_dir():
        return 0
    count = 0
    with open_store(config) as db:
        known = {(r["learner_id"], r["module"]): r["digest"] for r in db.execute("SELECT * FROM submissions")}
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
