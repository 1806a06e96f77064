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
UNSIGNED = (f"unsigned: the zip carries no {SIGNATURE_NAME}; the learner must submit with `ethicskit submit` "
            "from their own learner bundle (ethicskit bundle --learner ID)")


class Rejected(Exception):
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
        raise Rejected(f"oversized: {path.stat().st_size} bytes, the limit is {MAX_ZIP_BYTES}")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Rejected(f"corrupt zip: {exc}") from exc
    found: dict[str, bytes] = {}
    signature = None
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
            if name == SIGNATURE_NAME:
                signature = _read_signature(zf, info)
                continue
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
    return found, signature


def _read_signature(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict:
    if info.file_size > MAX_SIGNATURE_BYTES:
        raise Rejected(f"{SIGNATURE_NAME} is oversized: {info.file_size} bytes")
    try:
        with zf.open(info) as fh:
            manifest = json.loads(fh.read(MAX_SIGNATURE_BYTES + 1))
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError) as exc:
        raise Rejected(f"{SIGNATURE_NAME} cannot be read: {str(exc).splitlines()[0][:120]}") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict) or \
            not isinstance(manifest.get("hmac"), str):
        raise Rejected(f"{SIGNATURE_NAME} is not a signature made by `ethicskit submit` (no files or hmac)")
    return manifest


def verify_signature(notebooks: dict[str, bytes], manifest: dict | None, *, learner_id: str, module: str,
                     secret: str | None) -> None:
    """Refuse (``Rejected``, with the reason) a zip that is unsigned, signed for someone else, or altered."""
    if manifest is None:
        raise Rejected(UNSIGNED)
    if manifest.get("format") != SIGNATURE_FORMAT:
        raise Rejected(f"{SIGNATURE_NAME} has format {manifest.get('format')!r}; this kit reads format "
                       f"{SIGNATURE_FORMAT}")
    if manifest.get("learner_id") != learner_id:
        raise Rejected(f"signed for another learner: the signature names {manifest.get('learner_id')!r}, the file "
                       f"name {learner_id!r}")
    if manifest.get("module") != module:
        raise Rejected(f"signed for another module: the signature names {manifest.get('module')!r}, the file "
                       f"name {module!r}")
    if not secret:
        raise Rejected(f"learner {learner_id} has no submission secret in the store yet, so no zip of theirs can be "
                       f"checked; make their bundle with `ethicskit bundle --learner {learner_id}`")
    if not hmac.compare_digest(manifest_digest(manifest, secret), str(manifest["hmac"])):
        raise Rejected(f"forged or altered signature: it was not made with learner {learner_id}'s secret")
    signed = manifest["files"]
    for name in sorted(set(notebooks) - set(signed)):
        raise Rejected(f"altered: {name!r} was added after signing (not in the signed manifest)")
    for name in sorted(set(signed) - set(notebooks)):
        raise Rejected(f"altered: the signed file {name!r} is missing")
    for name, data in sorted(notebooks.items()):
        if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), str(signed[name])):
            raise Rejected(f"altered: {name!r} was changed after signing (its SHA-256 differs from the signed one)")


def submission_digest(folder: Path) -> str:
    """A hash of a submission's notebooks and timestamp, to know whether it changed since grading."""
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.suffix == ".ipynb" or path.name == "timestamp.txt":
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
