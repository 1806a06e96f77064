"""``ethicskit bundle``: the learner's copy of the course, without solutions; ``ethicskit start --bundle`` opens it.

A bundle is one zip a manager can hand out (mail, a share, a USB stick). It
holds what a learner needs with the installed package and nothing more:

- ``START_HERE.ipynb`` and a short learner ``README.md``;
- the lessons (``modules/NN-slug/lesson.ipynb``), never the facilitator guides;
- the released exercises (``exercises/``), never ``solutions/``;
- the practice datasets with their data cards, and the decision trees;
- a learner's ``nbgrader_config.py`` (written here, not the authoring one),
  which marks the folder as the course for the kit; ``ethicskit submit``
  validates with it. The manager's records never leave the manager.

``--learner ID`` makes a per-learner bundle: it also carries
``.ethicskit-learner.json`` with the learner id and their submission secret
(from the roster store, made there on first use), so ``ethicskit submit`` in
that folder signs the learner's zips. Give each learner only their own.

Before it is written, every text file of the bundle is scanned for solution
and facilitator-only markers (:data:`FORBIDDEN_MARKERS`); a hit stops the
bundle with the file's name, so a leak in ``exercises/`` never reaches learners.
"""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ethicskit.course.delivery.submit import LEARNER_FILE, LEARNER_ID
from ethicskit.course.modules import all_modules
from ethicskit.errors import EthicskitError, MissingFile
from ethicskit.paths import CONFIG_NAME, project_root

BUNDLE_MARK = "ethicskit-bundle.json"
FORBIDDEN_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "BEGIN HIDDEN TESTS", "BEGIN MARK SCHEME",
                     "### HASHED AUTOTEST", "BEGIN FACILITATOR", "Strong answer", "exemplar answer")
DATA_SUFFIXES = (".csv", ".md", ".yaml", ".yml", ".json")
LEARNER_README = """# ethicskit: your course folder

This folder is your own copy of the ethicskit course: the lessons, the
exercises, the practice data and the decision trees. All data are synthetic.

Start it with the kit installed (`pip install ethicskit`, or as your IT team set it up):

    ethicskit start --bundle {bundle_name}

or, in this folder, `ethicskit start`. JupyterLab opens on `START_HERE.ipynb`.

1. For each module, work through the lesson (`modules/NN-slug/lesson.ipynb`), then its
   exercise (`exercises/NN-slug/`). Run the visible checks as often as you like; the hidden
   checks run when your work is graded.
2. When you are done with a module, run `ethicskit submit NN` in this folder. It says which
   questions still fail, then writes a zip to send to your manager.{signed_note}

Your work stays in this folder: opening the bundle again never overwrites a file you changed.
The kit teaches good practice; it is not legal advice.
"""
LEARNER_CONFIG = '''"""nbgrader configuration of a learner's copy of the course (written by `ethicskit bundle`)."""

import os

c = get_config()  # noqa: F821 (provided by traitlets when loading this file)

_root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.root = _root
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.submitted_directory = os.path.join(_root, "course-data", "submitted")
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(_root, "course-data", "gradebook.db")
'''
SIGNED_NOTE = ("\n   The zip is signed with your personal key (the file `.ethicskit-learner.json`), so\n"
               "   nobody else can submit in your name: keep this folder to yourself.")
UNSIGNED_NOTE = ("\n   This bundle has no personal key, so it is for practice: ask your manager for your\n"
                 "   own bundle (`ethicskit bundle --learner YOUR_ID`) before you submit.")

# Error texts: tests import the same constants.
COURSE_INCOMPLETE = "the course at {root} lacks {missing}; run `ethicskit prepare` first"
LEAKED = ("bundle not written: learner files carry solution or facilitator-only content "
          "(run `ethicskit build` and `ethicskit check`):\n{leaks}")
LEAK = "{name} holds {marker!r}"
BAD_LEARNER_ID = "learner id {learner_id!r} is not valid; see `ethicskit roster list`"
UNKNOWN_LEARNER = "unknown learner id {learner_id!r}: not in the roster (see `ethicskit roster list`)"
INACTIVE_LEARNER = "learner {learner_id} is inactive in the roster"
MISSING_BUNDLE = "bundle {bundle} does not exist"
NOT_A_ZIP = "{bundle} is not a learner bundle (not a zip: {error})"
NOT_A_BUNDLE = "{bundle} is not a learner bundle made by `ethicskit bundle`"
UNSAFE_PATH = "{bundle} holds an unsafe path {name!r}; it was not made by `ethicskit bundle`"


class BundleError(EthicskitError, ValueError):
    """A bundle that cannot be written or opened; the message says why and what to do."""


@dataclass(frozen=True)
class Bundle:
    path: Path
    learner_id: str | None
    files: list[str]


def learner_files(root: Path) -> dict[str, Path]:
    """Bundle path -> source file: everything a learner needs, and only that."""
    files: dict[str, Path] = {"START_HERE.ipynb": root / "START_HERE.ipynb"}
    for module in all_modules(root):
        if module.lesson.is_file():
            files[f"modules/{module.slug}/lesson.ipynb"] = module.lesson
        if module.release_dir.is_dir():
            for nb in sorted(module.release_dir.glob("*.ipynb")):
                files[f"exercises/{module.slug}/{nb.name}"] = nb
    for folder in ("datasets", "decision_trees"):
        for path in sorted((root / folder).glob("*")):
            if path.is_file() and path.suffix in DATA_SUFFIXES:
                files[f"{folder}/{path.name}"] = path
    missing = [name for name, path in files.items() if not path.is_file()]
    if missing:
        raise BundleError(COURSE_INCOMPLETE.format(root=root, missing=", ".join(missing)))
    return files


def forbidden_content(name: str, data: bytes) -> str | None:
    """The first solution or facilitator-only marker in a bundle file, or None.

    >>> forbidden_content("x.ipynb", b'"### BEGIN SOLUTION\\\\n"'), forbidden_content("a.csv", b"id,x")
    ('### BEGIN SOLUTION', None)
    """
    if PurePosixPath(name).suffix not in (".ipynb", ".py", *DATA_SUFFIXES):
        return None
    text = data.decode("utf-8", errors="replace")
    return next((marker for marker in FORBIDDEN_MARKERS if marker.lower() in text.lower()), None)


def write_bundle(out: Path | None = None, *, learner_id: str | None = None, root: Path | None = None) -> Bundle:
    """Write the learner bundle zip (for one learner with ``learner_id``) and return what it holds."""
    root = Path(root or project_root())
    from ethicskit.course.nbgrader import load_config

    files = {name: path.read_bytes() for name, path in learner_files(root).items()}
    files[CONFIG_NAME] = LEARNER_CONFIG.format(course_id=load_config(root).CourseDirectory.course_id).encode()
    leaks = [LEAK.format(name=name, marker=marker) for name, data in files.items()
             if (marker := forbidden_content(name, data))]
    if leaks:
        raise BundleError(LEAKED.format(leaks="\n".join(leaks)))
    name = f"ethicskit-course-{learner_id}.zip" if learner_id else "ethicskit-course.zip"
    out = Path(out) if out else Path.cwd() / name
    if out.is_dir() or out.suffix != ".zip":  # a folder for the zip
        out = out / name
    files["README.md"] = LEARNER_README.format(bundle_name=out.name, signed_note=SIGNED_NOTE if learner_id
                                               else UNSIGNED_NOTE).encode()
    if learner_id:
        files[LEARNER_FILE] = json.dumps(_learner_key(root, learner_id), indent=1).encode()
    files[BUNDLE_MARK] = json.dumps({"course": "ethicskit", "learner_id": learner_id}).encode()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for member, data in sorted(files.items()):
            zf.writestr(member, data)
    os.replace(partial, out)
    return Bundle(out, learner_id, sorted(files))


def _learner_key(root: Path, learner_id: str) -> dict:
    from ethicskit.course.nbgrader import load_config
    from ethicskit.course.records.store import learner_is_active, learner_secret, open_store

    if not LEARNER_ID.match(learner_id):
        raise BundleError(BAD_LEARNER_ID.format(learner_id=learner_id))
    with open_store(load_config(root)) as db:
        active = learner_is_active(db, learner_id)
        if active is None:
            raise BundleError(UNKNOWN_LEARNER.format(learner_id=learner_id))
        if not active:
            raise BundleError(INACTIVE_LEARNER.format(learner_id=learner_id))
        secret = learner_secret(db, learner_id, create=True)
    return {"learner_id": learner_id, "secret": secret}


def unpack_bundle(bundle: Path, into: Path) -> tuple[Path, list[str]]:
    """Unpack ``bundle`` into the folder ``into``; files already there are kept (the learner's work).

    Returns the folder and the names of files kept as they were.
    """
    bundle = Path(bundle)
    if not bundle.is_file():
        raise MissingFile(MISSING_BUNDLE.format(bundle=bundle))
    try:
        zf = zipfile.ZipFile(bundle)
    except zipfile.BadZipFile as exc:
        raise BundleError(NOT_A_ZIP.format(bundle=bundle, error=exc)) from exc
    into = Path(into)
    kept = []
    with zf:
        names = zf.namelist()
        if BUNDLE_MARK not in names or CONFIG_NAME not in names:
            raise BundleError(NOT_A_BUNDLE.format(bundle=bundle))
        for name in names:
            parts = PurePosixPath(name).parts
            if name.startswith(("/", "\\")) or ".." in parts or "\\" in name or ":" in name:
                raise BundleError(UNSAFE_PATH.format(bundle=bundle, name=name))
        into.mkdir(parents=True, exist_ok=True)
        for name in names:
            target = into / name
            if name.endswith("/"):
                continue
            if target.exists():
                kept.append(name)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(name))
            if name == LEARNER_FILE:
                target.chmod(0o600)
    return into.resolve(), kept
