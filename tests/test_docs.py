"""The documentation users read matches the course that exists."""

import json
import re

import pytest

from ethicskit.course import all_modules

MODULES = [m for m in all_modules()]


def _start_here_text(repo) -> str:
    nb = json.loads((repo / "START_HERE.ipynb").read_text())
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.slug)
def test_every_module_is_in_both_module_maps(module, repo):
    number, *words = module.slug.split("-")
    row = rf"\|\s*\[?{number} " + "[- ]".join(words)
    assert re.search(row, (repo / "README.md").read_text()), f"README's module map lacks {module.slug}"
    assert re.search(row, _start_here_text(repo)), f"START_HERE's module map lacks {module.slug}"


def test_the_maps_list_every_module_in_order_with_times(repo):
    numbers = [m.number for m in MODULES]
    assert numbers == [f"{i:02d}" for i in range(10)]
    for text in ((repo / "README.md").read_text(), _start_here_text(repo)):
        rows = re.findall(r"^\|\s*\[?(\d{2}) .*\|\s*(\d+) min\s*\|$", text, re.M)
        assert [n for n, _ in rows] == numbers


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.slug)
def test_every_module_has_a_facilitator_guide_with_the_required_parts(module):
    guide = module.guide.read_text().lower()
    # The orientation opens a series, so its guide has one short agenda instead of 60- and 90-minute ones.
    agendas = [r"agenda"] if module.number == "00" else [r"agenda[^\n]*\b60\b", r"agenda[^\n]*\b90\b"]
    for part in ["objectives", *agendas, "discussion", "misconception", "debrief", "ground rules", "rubric"]:
        assert re.search(part, guide), f"{module.slug}/facilitator-guide.md lacks {part!r}"


def test_readme_test_command_is_what_ci_runs(repo):
    readme = (repo / "README.md").read_text()
    assert "```bash\nmake start\n```" in readme and "```bash\nmake test\n```" in readme
    assert "make test" in (repo / ".ci" / "run").read_text()


def test_the_facilitator_handbook_covers_the_three_formats(repo):
    text = (repo / "modules" / "README.md").read_text().lower()
    for part in ("self-paced", "half-day", "two-day", "ground rules", "build on each other"):
        assert part in text
