"""The coverage map (modules/coverage.yaml) matches the course: every practice is taught in a lesson section
that exists and assessed by a graded item that exists, so an auditor can follow each policy point to both."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
COVERAGE = REPO / "modules" / "coverage.yaml"
PRACTICE_KEYS = {"id", "name", "description", "taught", "assessed"}
HEADING = re.compile(r"^#{1,4}\s+(.+?)\s*#*\s*$", re.M)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MIN_PRACTICES = 35


def _practices() -> list[dict]:
    return yaml.safe_load(COVERAGE.read_text(encoding="utf-8"))["practices"]


@cache
def lesson_sections(slug: str) -> frozenset[str]:
    """The markdown headings of a module's lesson, without the leading #s."""
    path = REPO / "modules" / slug / "lesson.ipynb"
    if not path.exists():
        return frozenset()
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return frozenset(m.group(1) for m in HEADING.finditer(text))


@cache
def graded_items() -> dict[str, str]:
    """grade_id -> "core" or "analyst", for every graded cell of every solution notebook."""
    found = {}
    for path in sorted((REPO / "solutions").glob("*/*.ipynb")):
        track = "analyst" if path.stem.endswith("-analyst") else "core"
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade"):
                found[meta["grade_id"]] = track
    return found


PRACTICES = _practices()
IDS = [p.get("id", f"#{i}") for i, p in enumerate(PRACTICES)]


def test_the_map_has_about_forty_practices_with_unique_ids_and_names():
    assert len(PRACTICES) >= MIN_PRACTICES, f"only {len(PRACTICES)} practices; the course teaches about 40"
    for key in ("id", "name"):
        values = [p.get(key) for p in PRACTICES]
        duplicates = sorted({v for v in values if values.count(v) > 1}, key=str)
        assert not duplicates, f"duplicate practice {key}s: {duplicates}"


@pytest.mark.parametrize("practice", PRACTICES, ids=IDS)
def test_each_practice_is_described_in_one_line(practice):
    assert set(practice) == PRACTICE_KEYS, f"keys should be {sorted(PRACTICE_KEYS)}, found {sorted(practice)}"
    assert SLUG.match(practice["id"]), f"id {practice['id']!r} should be a slug"
    for key in ("name", "description"):
        text = practice[key]
        assert isinstance(text, str) and text.strip() and "\n" not in text.strip(), f"{key} should be one line"


@pytest.mark.parametrize("practice", PRACTICES, ids=IDS)
def test_each_practice_is_taught_in_lesson_sections_that_exist(practice):
    taught = practice["taught"]
    assert isinstance(taught, list) and taught, "name at least one lesson section that teaches it"
    for entry in taught:
        slug, section = entry["lesson"], entry["section"]
        sections = lesson_sections(slug)
        assert sections, f"no lesson modules/{slug}/lesson.ipynb"
        assert section in sections, (f"modules/{slug}/lesson.ipynb has no heading {section!r}; "
                                     f"its headings are: {sorted(sections)}")


@pytest.mark.parametrize("practice", PRACTICES, ids=IDS)
def test_each_practice_is_assessed_by_graded_items_that_exist_in_a_core(practice):
    assessed = practice["assessed"]
    assert isinstance(assessed, list) and assessed, "name at least one grade_id that assesses it"
    items = graded_items()
    missing = [g for g in assessed if g not in items]
    assert not missing, f"no graded cell with grade_id {missing} in solutions/"
    assert any(items[g] == "core" for g in assessed), (
        "assessed only in an optional analyst extension; name an item of a core that counts towards the pass")


def test_every_graded_module_is_on_the_map():
    modules = {p.name for p in (REPO / "solutions").iterdir() if p.is_dir()}
    mapped = {e["lesson"] for p in PRACTICES for e in p["taught"]}
    assessed = {g[:2] for p in PRACTICES for g in p["assessed"]}
    assert not {m for m in modules if m not in mapped}, "modules no practice is taught in"
    assert not {m for m in modules if m[:2] not in assessed}, "modules no practice is assessed in"


def test_the_readme_links_the_coverage_map():
    assert "modules/coverage.yaml" in (REPO / "README.md").read_text(encoding="utf-8")
