"""pyproject.toml and environment.yml describe the same environment."""

import re
import subprocess
import sys
import tomllib
import zipfile

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet


def _pyproject(repo):
    data = tomllib.loads((repo / "pyproject.toml").read_text())
    return {Requirement(r).name.lower(): Requirement(r).specifier for r in data["project"]["dependencies"]}


def _conda(repo):
    env = yaml.safe_load((repo / "environment.yml").read_text())
    found = {}
    for dep in env["dependencies"]:
        if not isinstance(dep, str) or dep in {"pip"} or dep.startswith("python="):
            continue
        name, spec = re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", dep).groups()
        found[name.lower()] = SpecifierSet(spec.replace(" ", ""))
    return found


def test_environment_yml_names_the_same_packages_as_pyproject(repo):
    assert set(_conda(repo)) == set(_pyproject(repo))


def test_environment_yml_ranges_match_pyproject(repo):
    pip, conda = _pyproject(repo), _conda(repo)
    for name, spec in pip.items():
        assert str(conda[name]) == str(spec), f"{name}: environment.yml says {conda[name]}, pyproject says {spec}"


def test_environment_yml_pins_python_311(repo):
    env = yaml.safe_load((repo / "environment.yml").read_text())
    assert "python=3.11" in env["dependencies"]


@pytest.mark.slow
def test_the_wheel_ships_every_page_template(repo, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(repo)],
                          check=False, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    [wheel] = tmp_path.glob("ethicskit-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    folder = repo / "src" / "ethicskit" / "templates"
    templates = sorted(folder.rglob("*.j2"))  # the pages, and the email templates in email/
    assert templates, "the page templates are in src/ethicskit/templates"
    wanted = {f"ethicskit/templates/{p.relative_to(folder).as_posix()}" for p in templates} | {
        "ethicskit/templates/__init__.py"}
    assert sorted(wanted - shipped) == []
