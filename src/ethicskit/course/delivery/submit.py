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

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from ethicskit.course.delivery.package import write_signed_zip
from ethicskit.course.errors import CourseError
from ethicskit.course.modules import resolve_modules
from ethicskit.course.nbgrader import load_config
from ethicskit.errors import MissingFile
from ethicskit.paths import project_root

ANSI = re.compile(r"\x1b\[[0-9;]*m")
LEARNER_ID = re.compile(r"^[A-Za-z0-9_.-]+$")
LEARNER_FILE = ".ethicskit-learner.json"

# Error texts: tests import the same constants.
NO_KEY = ("this copy of the kit has no learner key, so it cannot sign your submission; open the learner bundle "
          "your manager made for you (ethicskit start --bundle FILE) and submit from there")
DAMAGED_KEY = "{path} is damaged ({error}); ask your manager for a new learner bundle"
INCOMPLETE_KEY = "{path} has no learner_id and secret; ask your manager for a new learner bundle"
BAD_LEARNER_ID = "learner id {learner_id!r} is not valid; use the id your manager gave you, e.g. ek3fa9c2d1e0"
NOT_YOUR_BUNDLE = "this bundle belongs to learner {owner}, not {learner_id}; submit from your own bundle"
NO_NOTEBOOKS = "no notebooks of module {module} in {folder}"
NOT_A_NOTEBOOK = "{path} is not a valid notebook ({error}); repair or replace it, then submit again"


@dataclass
class SubmitResult:
    zip_path: Path
    notebooks: list[str]
    problems: list[str] = field(default_factory=list)

    @property
    def validated(self) -> bool:
        return not self.problems


def learner_key(root: Path | None = None) -> dict | None:
    """The learner id and secret this copy of the kit was bundled with, or None (an authoring checkout)."""
    path = Path(root or project_root()) / LEARNER_FILE
    if not path.is_file():
        return None
    try:
        key = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise CourseError(DAMAGED_KEY.format(path=path, error=exc)) from exc
    if not isinstance(key, dict) or not key.get("learner_id") or not key.get("secret"):
        raise CourseError(INCOMPLETE_KEY.format(path=path))
    return key


def validation_problems(path: Path, config) -> list[str]:
    """What nbgrader's validator finds in one notebook, one line per failing cell."""
    try:
        nbformat.read(path, as_version=4)
    except ValueError as exc:  # not JSON, not UTF-8, or an nbformat this kit cannot read
        raise CourseError(NOT_A_NOTEBOOK.format(path=path, error=str(exc).partition("\n")[0][:120])) from exc
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
        raise CourseError(NO_KEY)
    learner_id = learner_id or key["learner_id"]
    if not LEARNER_ID.match(learner_id):
        raise CourseError(BAD_LEARNER_ID.format(learner_id=learner_id))
    if learner_id != key["learner_id"]:
        raise CourseError(NOT_YOUR_BUNDLE.format(owner=key["learner_id"], learner_id=learner_id))
    [module] = resolve_modules([name], root)
    folder = Path(folder) if folder else module.release_dir
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        raise MissingFile(NO_NOTEBOOKS.format(module=module.slug, folder=folder))
    config = load_config(root)
    problems = [p for nb in notebooks for p in validation_problems(nb, config)] if validate else []
    path = write_signed_zip(Path(out) if out else Path.cwd(), {nb.name: nb.read_bytes() for nb in notebooks},
                            learner_id=learner_id, module=module.slug, when=when or datetime.now(timezone.utc),
                            secret=key["secret"])
    return SubmitResult(path, [nb.name for nb in notebooks], problems)
