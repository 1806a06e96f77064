"""``ethicskit submit``: validate a laptop learner's work and pack it for the manager.

It runs nbgrader's validator on each notebook of the module, says which
checks fail (by question), and packs the notebooks into a zip named
``LEARNER+MODULE+TIMESTAMP.zip``, the shape ``ethicskit collect`` and
``nbgrader zip_collect`` (with the course's ``named_regexp``) expect.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from ethicskit.course._modules import resolve_modules
from ethicskit.course._nbgrader import load_config

ZIP_TIMESTAMP = "%Y%m%dT%H%M%SZ"
ZIP_NAME = re.compile(
    r"^(?P<student_id>[A-Za-z0-9_.-]+)\+(?P<module>[A-Za-z0-9_.-]+)\+(?P<timestamp>\d{8}T\d{6}Z)\.zip$"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
LEARNER_ID = re.compile(r"^[A-Za-z0-9_.-]+$")


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


def submit(name: str, *, learner_id: str, folder: Path | None = None, out: Path | None = None,
           validate: bool = True, root: Path | None = None, when: datetime | None = None) -> SubmitResult:
    """Validate the module's notebooks in ``folder`` (default ``exercises/MODULE``) and zip them into ``out``."""
    if not learner_id or not LEARNER_ID.match(learner_id):
        raise ValueError(f"learner id {learner_id!r} is not valid; use the id your manager gave you, e.g. ek3fa9c2d1e0")
    [module] = resolve_modules([name], root)
    folder = Path(folder) if folder else module.release_dir
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"no notebooks of module {module.slug} in {folder}")
    config = load_config(root)
    problems = [p for nb in notebooks for p in validation_problems(nb, config)] if validate else []
    out = Path(out) if out else Path.cwd()
    out.mkdir(parents=True, exist_ok=True)
    path = out / zip_name(learner_id, module.slug, when or datetime.now(timezone.utc))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for nb in notebooks:
            zf.write(nb, nb.name)
    return SubmitResult(path, [nb.name for nb in notebooks], problems)
