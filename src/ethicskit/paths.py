"""Where the kit's folders are.

The project root is the folder that holds ``nbgrader_config.py``. It is found,
in order, from the ``ETHICSKIT_ROOT`` environment variable, by walking up from
the current directory, and from the location of this package (an editable
install inside the repository).
"""

from __future__ import annotations

import os
from pathlib import Path

from ethicskit.errors import MissingFile

CONFIG_NAME = "nbgrader_config.py"
ROOT_WITHOUT_CONFIG = "ETHICSKIT_ROOT={root} has no {config}"
NO_PROJECT_ROOT = "no {config} found above {here}; run from the ethicskit folder or set ETHICSKIT_ROOT"


def project_root(start: str | os.PathLike | None = None) -> Path:
    """Return the kit's project root, or raise ``MissingFile`` (a ``FileNotFoundError``)."""
    env = os.environ.get("ETHICSKIT_ROOT")
    if env:
        root = Path(env).resolve()
        if not (root / CONFIG_NAME).is_file():
            raise MissingFile(ROOT_WITHOUT_CONFIG.format(root=env, config=CONFIG_NAME))
        return root
    here = Path(start or os.getcwd()).resolve()
    candidates = [here, *here.parents, *Path(__file__).resolve().parents]
    for folder in candidates:
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise MissingFile(NO_PROJECT_ROOT.format(config=CONFIG_NAME, here=here))


def datasets_dir(root: Path | None = None) -> Path:
    """The folder of practice CSVs (``ETHICSKIT_DATASETS`` overrides it)."""
    env = os.environ.get("ETHICSKIT_DATASETS")
    if env:
        return Path(env)
    return (root or project_root()) / "datasets"


def decision_trees_dir(root: Path | None = None) -> Path:
    """The folder of YAML decision trees."""
    return (root or project_root()) / "decision_trees"
