"""pyproject.toml and environment.yml describe the same environment."""

import re
import tomllib

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
