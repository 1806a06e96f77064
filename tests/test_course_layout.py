"""The layout of ``ethicskit.course``: each room imports only from the rooms before it on the manager's journey.

Read with ``ast`` (imports inside functions count too), so a shortcut taken lazily is caught as well.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

COURSE = Path(__file__).resolve().parents[1] / "src" / "ethicskit" / "course"
# The journey, in order; a module may import from its own room and from the rooms before it.
PUBLIC_API = "ethicskit.course (the public API, for callers outside course/)"
ROOMS = ("base", "authoring", "records", "delivery", "grading", "reporting", "demo")


def room(module: str) -> str:
    """``ethicskit.course.grading.grade`` -> ``grading``; top-level modules (the adapter, modules, CSV) -> ``base``."""
    parts = module.split(".")[2:]
    return parts[0] if parts and parts[0] in ROOMS else "base"


def course_imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "ethicskit.course":
                found.append((node.lineno, PUBLIC_API))
            elif node.module.startswith("ethicskit.course."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.append((node.lineno, "relative import"))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("ethicskit.course.")]
    return sorted(found)


def module_name(path: Path) -> str:
    return "ethicskit." + ".".join(path.relative_to(COURSE.parent).with_suffix("").parts)


SOURCES = sorted(p for p in COURSE.rglob("*.py") if p.name != "__init__.py")


def test_every_module_is_in_a_known_room():
    rooms = {p.parent.name for p in SOURCES if p.parent != COURSE}
    assert rooms <= set(ROOMS), f"unknown rooms: {sorted(rooms - set(ROOMS))}"
    assert not [p for p in SOURCES if p.name.startswith("_")], "course modules are named for what they do"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(COURSE)))
def test_imports_point_back_along_the_journey(path):
    here = ROOMS.index(room(module_name(path)))
    wrong = [(line, target) for line, target in course_imports(path)
             if target in ("relative import", PUBLIC_API) or ROOMS.index(room(target)) > here]
    assert not wrong, f"{path.relative_to(COURSE)} imports from a later room: {wrong}"


def test_the_check_catches_a_backward_import(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text("def f():\n    from ethicskit.course.reporting.report import build_report\n"
                       "from ethicskit.course import run_demo\nfrom ethicskit.course.grading import grade\n")
    assert course_imports(planted) == [(2, "ethicskit.course.reporting.report"), (3, PUBLIC_API),
                                       (4, "ethicskit.course.grading")]
    assert ROOMS.index(room("ethicskit.course.reporting.report")) > ROOMS.index(room("ethicskit.course.records.store"))
