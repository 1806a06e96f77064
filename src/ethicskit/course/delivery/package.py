"""The submission package: a zip named ``LEARNER+MODULE+TIMESTAMP.zip`` with the module's notebooks and a signature.

``ethicskit submit`` writes it (:func:`write_signed_zip`); ``ethicskit collect`` reads it whole and refuses it
with one reason (:func:`read_submission`, :func:`verify_signature`, :class:`Rejected`); grading knows whether a
submission changed since it was graded by :func:`submission_digest`.

The signature member, ``ethicskit-signature.json``, is a manifest of the learner id, the module, the time the
learner's clock gave and each file's name and SHA-256, with an HMAC-SHA256 of that manifest keyed with the
learner's own submission secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import stat
import zipfile
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

import nbformat

from ethicskit.errors import EthicskitError

ZIP_TIMESTAMP = "%Y%m%dT%H%M%SZ"
ZIP_NAME = re.compile(
    r"^(?P<student_id>[A-Za-z0-9_.-]+)\+(?P<module>[A-Za-z0-9_.-]+)\+(?P<timestamp>\d{8}T\d{6}Z)\.zip$"
)
SIGNATURE_NAME = "ethicskit-signature.json"
SIGNATURE_FORMAT = 1
MAX_ZIP_BYTES = 50 * 2**20
MAX_MEMBER_BYTES = 20 * 2**20
IGNORED_MEMBERS = ("__MACOSX/", ".DS_Store", ".ipynb_checkpoints/")
MAX_SIGNATURE_BYTES = 256 * 2**10

# Reasons for refusing a zip: tests import the same constants.
OVERSIZED_ZIP = "oversized: {size} bytes, the limit is {limit}"
CORRUPT_ZIP = "corrupt zip: {error}"
UNSAFE_PATH = "unsafe path {name!r} (absolute or '..': a zip-slip attempt)"
SYMLINK_MEMBER = "member {name!r} is a symbolic link"
NOT_A_NOTEBOOK = "member {name!r} is not a notebook (.ipynb)"
MEMBER_IN_FOLDER = "member {name!r} sits in a folder; put notebooks at the top of the zip"
OTHER_NOTEBOOK = "member {name!r} is not a notebook of {module}; expected: {expected}"
OVERSIZED_MEMBER = "member {name!r} is oversized: {size} bytes, the limit is {limit}"
CORRUPT_MEMBER = "corrupt zip: member {name!r}: {error}"
EXPANDS_TOO_FAR = "member {name!r} is oversized (it expands beyond {limit} bytes)"
INVALID_NOTEBOOK = "member {name!r} is not a valid notebook: {error}"
NO_NOTEBOOK = "the zip holds no notebook"
OVERSIZED_SIGNATURE = f"{SIGNATURE_NAME} is oversized: {{size}} bytes"
UNREADABLE_SIGNATURE = f"{SIGNATURE_NAME} cannot be read: {{error}}"
NOT_A_SIGNATURE = f"{SIGNATURE_NAME} is not a signature made by `ethicskit submit` (no files or hmac)"
UNSIGNED = (f"unsigned: the zip carries no {SIGNATURE_NAME}; the learner must submit with `ethicskit submit` "
            "from their own learner bundle (ethicskit bundle --learner ID)")
OTHER_FORMAT = f"{SIGNATURE_NAME} has format {{found!r}}; this kit reads format {SIGNATURE_FORMAT}"
SIGNED_FOR_OTHER_LEARNER = "signed for another learner: the signature names {signed!r}, the file name {learner_id!r}"
SIGNED_FOR_OTHER_MODULE = "signed for another module: the signature names {signed!r}, the file name {module!r}"
NO_SECRET = ("learner {learner_id} has no submission secret in the store yet, so no zip of theirs can be "
             "checked; make their bundle with `ethicskit bundle --learner {learner_id}`")
FORGED = "forged or altered signature: it was not made with learner {learner_id}'s secret"
ADDED_AFTER_SIGNING = "altered: {name!r} was added after signing (not in the signed manifest)"
SIGNED_FILE_MISSING = "altered: the signed file {name!r} is missing"
CHANGED_AFTER_SIGNING = "altered: {name!r} was changed after signing (its SHA-256 differs from the signed one)"


class Rejected(EthicskitError):
    """A submission file that is not ingested, with the reason."""


def zip_name(learner_id: str, module: str, when: datetime) -> str:
    """The file name of a submission zip.

    >>> zip_name("ek01ab", "00-orientation", datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc))
    'ek01ab+00-orientation+20260301T093000Z.zip'
    """
    return f"{learner_id}+{module}+{when.astimezone(timezone.utc).strftime(ZIP_TIMESTAMP)}.zip"


def manifest_digest(manifest: dict, secret: str) -> str:
    """The HMAC-SHA256 of a manifest (without its ``hmac``), keyed with the learner's secret.

    >>> m = {"format": 1, "learner_id": "ek01", "module": "00-x", "claimed_at": "t", "files": {"a.ipynb": "00"}}
    >>> manifest_digest(m, "k") == manifest_digest(dict(reversed(list(m.items()))), "k") != manifest_digest(m, "j")
    True
    """
    body = {k: v for k, v in manifest.items() if k != "hmac"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
    return hmac.new(secret.encode(), canonical, hashlib.sha256).hexdigest()


def signed_manifest(files: dict[str, bytes], *, learner_id: str, module: str, claimed_at: datetime,
                    secret: str) -> dict:
    """The signature member's content for ``files`` (name -> bytes)."""
    manifest = {"format": SIGNATURE_FORMAT, "learner_id": learner_id, "module": module,
                "claimed_at": claimed_at.astimezone(timezone.utc).strftime(ZIP_TIMESTAMP),
                "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}}
    return {**manifest, "hmac": manifest_digest(manifest, secret)}


def write_signed_zip(out: Path, files: dict[str, bytes], *, learner_id: str, module: str, when: datetime,
                     secret: str | None) -> Path:
    """Write ``LEARNER+MODULE+TIMESTAMP.zip`` in ``out`` with ``files`` and, given a secret, its signature."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / zip_name(learner_id, module, when)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
        if secret:
            manifest = signed_manifest(files, learner_id=learner_id, module=module, claimed_at=when, secret=secret)
            zf.writestr(SIGNATURE_NAME, json.dumps(manifest, indent=1))
    return path


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not (name.startswith(("/", "\\")) or "\\" in name or ".." in path.parts or ":" in name)


def read_zip(path: Path, module: str, expected: list[str]) -> dict[str, bytes]:
    """Notebook name -> bytes of a submission zip, or ``Rejected`` with the first problem found."""
    return read_submission(path, module, expected)[0]


def read_submission(path: Path, module: str, expected: list[str]) -> tuple[dict[str, bytes], dict | None]:
    """The notebooks of a submission zip and its signature manifest (None if unsigned), or ``Rejected``."""
    if path.stat().st_size > MAX_ZIP_BYTES:
        raise Rejected(OVERSIZED_ZIP.format(size=path.stat().st_size, limit=MAX_ZIP_BYTES))
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Rejected(CORRUPT_ZIP.format(error=exc)) from exc
    found: dict[str, bytes] = {}
    signature = None
    with zf:
        for info in zf.infolist():
            name = info.filename
            if not _safe_member_name(name):
                raise Rejected(UNSAFE_PATH.format(name=name))
            if stat.S_ISLNK(info.external_attr >> 16):
                raise Rejected(SYMLINK_MEMBER.format(name=name))
            if info.is_dir() or any(part in name for part in IGNORED_MEMBERS):
                continue
            member = PurePosixPath(name)
            if name == SIGNATURE_NAME:
                signature = _read_signature(zf, info)
                continue
            if member.suffix != ".ipynb":
                raise Rejected(NOT_A_NOTEBOOK.format(name=name))
            if len(member.parts) > 2 or (len(member.parts) == 2 and member.parts[0] != module):
                raise Rejected(MEMBER_IN_FOLDER.format(name=name))
            if member.stem not in expected:
                raise Rejected(OTHER_NOTEBOOK.format(name=name, module=module,
                                                     expected=", ".join(f"{n}.ipynb" for n in expected)))
            if info.file_size > MAX_MEMBER_BYTES:
                raise Rejected(OVERSIZED_MEMBER.format(name=name, size=info.file_size, limit=MAX_MEMBER_BYTES))
            try:
                with zf.open(info) as fh:
                    data = fh.read(MAX_MEMBER_BYTES + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                raise Rejected(CORRUPT_MEMBER.format(name=name, error=exc)) from exc
            if len(data) > MAX_MEMBER_BYTES:
                raise Rejected(EXPANDS_TOO_FAR.format(name=name, limit=MAX_MEMBER_BYTES))
            try:
                nbformat.reads(data.decode("utf-8"), as_version=4)
            except Exception as exc:  # noqa: BLE001 - any parse failure is the same rejection
                raise Rejected(INVALID_NOTEBOOK.format(name=name, error=str(exc).splitlines()[0][:120])) from exc
            found[member.name] = data
    if not found:
        raise Rejected(NO_NOTEBOOK)
    return found, signature


def _read_signature(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict:
    if info.file_size > MAX_SIGNATURE_BYTES:
        raise Rejected(OVERSIZED_SIGNATURE.format(size=info.file_size))
    try:
        with zf.open(info) as fh:
            manifest = json.loads(fh.read(MAX_SIGNATURE_BYTES + 1))
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError) as exc:
        raise Rejected(UNREADABLE_SIGNATURE.format(error=str(exc).splitlines()[0][:120])) from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict) or \
            not isinstance(manifest.get("hmac"), str):
        raise Rejected(NOT_A_SIGNATURE)
    return manifest


def verify_signature(notebooks: dict[str, bytes], manifest: dict | None, *, learner_id: str, module: str,
                     secret: str | None) -> None:
    """Refuse (``Rejected``, with the reason) a zip that is unsigned, signed for someone else, or altered."""
    if manifest is None:
        raise Rejected(UNSIGNED)
    if manifest.get("format") != SIGNATURE_FORMAT:
        raise Rejected(OTHER_FORMAT.format(found=manifest.get("format")))
    if manifest.get("learner_id") != learner_id:
        raise Rejected(SIGNED_FOR_OTHER_LEARNER.format(signed=manifest.get("learner_id"), learner_id=learner_id))
    if manifest.get("module") != module:
        raise Rejected(SIGNED_FOR_OTHER_MODULE.format(signed=manifest.get("module"), module=module))
    if not secret:
        raise Rejected(NO_SECRET.format(learner_id=learner_id))
    if not hmac.compare_digest(manifest_digest(manifest, secret), str(manifest["hmac"])):
        raise Rejected(FORGED.format(learner_id=learner_id))
    signed = manifest["files"]
    for name in sorted(set(notebooks) - set(signed)):
        raise Rejected(ADDED_AFTER_SIGNING.format(name=name))
    for name in sorted(set(signed) - set(notebooks)):
        raise Rejected(SIGNED_FILE_MISSING.format(name=name))
    for name, data in sorted(notebooks.items()):
        if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), str(signed[name])):
            raise Rejected(CHANGED_AFTER_SIGNING.format(name=name))


def submission_digest(folder: Path) -> str:
    """A hash of a submission's notebooks and timestamp, to know whether it changed since grading."""
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.suffix == ".ipynb" or path.name == "timestamp.txt":
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
