"""``ethicskit submit``: validate a laptop learner's work and pack it for the manager.

It runs nbgrader's validator on each notebook of the module, says which
checks fail (by question), and packs the notebooks into a zip named
``LEARNER+MODULE+TIMESTAMP.zip``, the shape ``ethicskit collect`` and
``nbgrader zip_collect`` (with the course's ``named_regexp``) expect.

The zip is signed. Beside the notebooks it carries ``ethicskit-signature.json``:
a manifest of the learner id, the module, the time the learner's clock gave
and each file's name and SHA-256, with an HMAC-SHA256 of that manifest keyed
with the learner's own submission secret. The secret comes with the
learner's bundle (``ethicskit bundle --learner ID`` writes it to
``.ethicskit-learner.json``) and is kept in the kit's store, so ``collect``
can tell a learner's own zip from one forged in their name or altered on the
way.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from ethicskit.course._modules import resolve_modules
from ethicskit.course._nbgrader import load_config
from ethicskit.paths import project_root

ZIP_TIMESTAMP = "%Y%m%dT%H%M%SZ"
ZIP_NAME = re.compile(
    r"^(?P<student_id>[A-Za-z0-9_.-]+)\+(?P<module>[A-Za-z0-9_.-]+)\+(?P<timestamp>\d{8}T\d{6}Z)\.zip$"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
LEARNER_ID = re.compile(r"^[A-Za-z0-9_.-]+$")
SIGNATURE_NAME = "ethicskit-signature.json"
SIGNATURE_FORMAT = 1
LEARNER_FILE = ".ethicskit-learner.json"
NO_KEY = ("this copy of the kit has no learner key, so it cannot sign your submission; open the learner bundle "
          "your manager made for you (ethicskit start --bundle FILE) and submit from there")


@dataclass
class SubmitResult:
    zip_path: Path
    notebooks: list[str]
    problems: list[str] = field(default_factory=list)

    @property
    def validated(self) -> bool:
        return not self.problems


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


def learner_key(root: Path | None = None) -> dict | None:
    """The learner id and secret this copy of the kit was bundled with, or None (an authoring checkout)."""
    path = Path(root or project_root()) / LEARNER_FILE
    if not path.is_file():
        return None
    try:
        key = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{path} is damaged ({exc}); ask your manager for a new learner bundle") from exc
    if not isinstance(key, dict) or not key.get("learner_id") or not key.get("secret"):
        raise ValueError(f"{path} has no learner_id and secret; ask your manager for a new learner bundle")
    return key


def validation_problems(path: Path, config) -> list[str]:
    """What nbgrader's validator finds in one notebook, one line per failing cell."""
    from nbgrader.validator import Validator

    results = Validator(config=config).validate(str(path))
    problems = []
    for cell in results.get("type_changed", []):
        problems.append(f"{path.name}: a cell changed type from {cell['old_type']} to {cell['new_type']}; undo it")
    for cell in results.get("changed", []):
        problems.append(f"{path.name}: a locked cell was edited; undo it: {_first_line(cell['source'])}")
    for cell in results.get("failed", []):
        error = ANSI.sub("", cell.get("raw_error") or "").strip().splitlines()
        problems.append(f"{path.name}: {_grade_id(path, cell['source'])} fails: {error[-1] if error else 'error'}")
    return problems


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or [""])[0][:80]


def _grade_id(path: Path, source: str) -> str:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.source.strip() == source.strip():
            return cell.metadata.get("nbgrader", {}).get("grade_id", "a cell")
    return repr(_first_line(source))


def submit(name: str, *, learner_id: str | None = None, folder: Path | None = None, out: Path | None = None,
           validate: bool = True, root: Path | None = None, when: datetime | None = None) -> SubmitResult:
    """Validate the module's notebooks in ``folder`` (default ``exercises/MODULE``) and zip them into ``out``, signed.

    The learner id and secret come from the bundle's learner key; a
    ``learner_id`` that differs from it is refused, and so is a copy of the kit
    without a key (a zip without a signature would be refused by ``collect``).
    """
    key = learner_key(root)
    if key is None:
        raise ValueError(NO_KEY)
    learner_id = learner_id or key["learner_id"]
    if not LEARNER_ID.match(learner_id):
        raise ValueError(f"learner id {learner_id!r} is not valid; use the id your manager gave you, e.g. ek3fa9c2d1e0")
    if learner_id != key["learner_id"]:
        raise ValueError(f"this bundle belongs to learner {key['learner_id']}, not {learner_id}; submit from your "
                         "own bundle")
    [module] = resolve_modules([name], root)
    folder = Path(folder) if folder else module.release_dir
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"no notebooks of module {module.slug} in {folder}")
    config = load_config(root)
    problems = [p for nb in notebooks for p in validation_problems(nb, config)] if validate else []
    path = write_signed_zip(Path(out) if out else Path.cwd(), {nb.name: nb.read_bytes() for nb in notebooks},
                            learner_id=learner_id, module=module.slug, when=when or datetime.now(timezone.utc),
                            secret=key["secret"])
    return SubmitResult(path, [nb.name for nb in notebooks], problems)
