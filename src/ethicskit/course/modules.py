"""Find the course's modules and resolve the names people type ("03", "03-stereotype...")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ethicskit.course.errors import CourseError
from ethicskit.paths import project_root

MODULE_PATTERN = re.compile(r"^(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*$")
UNKNOWN_MODULE = "unknown module {name!r}; the modules are: {valid}"


@dataclass(frozen=True)
class Module:
    """One module of the curriculum and where its files are."""

    slug: str
    root: Path

    @property
    def number(self) -> str:
        return self.slug[:2]

    @property
    def lesson(self) -> Path:
        return self.root / "modules" / self.slug / "lesson.ipynb"

    @property
    def guide(self) -> Path:
        return self.root / "modules" / self.slug / "facilitator-guide.md"

    @property
    def source_dir(self) -> Path:
        return self.root / "solutions" / self.slug

    @property
    def release_dir(self) -> Path:
        return self.root / "exercises" / self.slug

    @property
    def graded(self) -> bool:
        return self.source_dir.is_dir()

    def source_notebooks(self) -> list[Path]:
        return sorted(self.source_dir.glob("*.ipynb")) if self.graded else []


def all_modules(root: Path | None = None) -> list[Module]:
    """Every module found under ``modules/`` or ``solutions/``, in curriculum order."""
    root = root or project_root()
    slugs = {
        p.name
        for parent in ("modules", "solutions")
        if (root / parent).is_dir()
        for p in (root / parent).iterdir()
        if p.is_dir() and MODULE_PATTERN.match(p.name)
    }
    return [Module(slug, root) for slug in sorted(slugs)]


def resolve_modules(names: list[str] | tuple[str, ...] | None, root: Path | None = None) -> list[Module]:
    """Modules matching ``names`` (a number like ``03`` or a full slug); all when empty.

    Raises ``CourseError`` (a ``ValueError``) naming the unknown name and listing the valid ones.
    """
    modules = all_modules(root)
    if not names:
        return modules
    chosen: list[Module] = []
    for name in names:
        key = name.strip().rstrip("/").split("/")[-1]
        matches = [m for m in modules if m.slug == key or m.number == key.zfill(2)[:2] and key.isdigit()]
        if not matches:
            valid = ", ".join(m.slug for m in modules) or "(none)"
            raise CourseError(UNKNOWN_MODULE.format(name=name, valid=valid))
        chosen.extend(m for m in matches if m not in chosen)
    return chosen
