"""One family of user errors: every error a user can cause is an ``EthicskitError``; the CLI shows only those.

The classes are found two ways, so a new one cannot slip past: by importing every module of the
package and walking ``EthicskitError``'s subclasses, and by reading every source file with ``ast``
for classes named ``...Error`` (or ``Rejected``) or built on a ``...Error`` base.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import ethicskit
from ethicskit.cli import _library_call, main
from ethicskit.course.authoring.scratch import UnknownGradeId
from ethicskit.course.records.roster import RosterError
from ethicskit.errors import EthicskitError, MissingFile
from ethicskit.paths import CONFIG_NAME, ROOT_WITHOUT_CONFIG

SRC = Path(ethicskit.__file__).resolve().parent
NOT_IMPORTED = {"ethicskit.__main__"}  # it runs the CLI
# The builtin each class was (or replaced) before the family, kept as a second base for `except ValueError` callers.
BUILTIN_BASES = {"AuditInputError": ValueError, "TreeError": ValueError, "RosterError": ValueError,
                 "BundleError": ValueError, "StoreError": ValueError, "CourseError": ValueError,
                 "MissingFile": FileNotFoundError, "UnknownGradeId": KeyError}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def error_classes_in_source() -> dict[str, tuple[str, str]]:
    """``module:Class`` -> (module, class) for each class named ``...Error``/``Rejected`` or on a ``...Error`` base."""
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = [ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases]
            if node.name.endswith("Error") or node.name == "Rejected" or any(b.endswith("Error") for b in bases):
                found[f"{module_name(path)}:{node.name}"] = (module_name(path), node.name)
    return found


@pytest.fixture(scope="module")
def family() -> dict[str, type]:
    """Class name -> class, for ``EthicskitError`` and all its subclasses once every module is imported."""
    for info in pkgutil.walk_packages(ethicskit.__path__, "ethicskit."):
        if info.name not in NOT_IMPORTED:
            try:
                importlib.import_module(info.name)
            except ImportError:  # an optional extra (the hub's) not installed; the scan still reads the module
                pass
    classes, todo = {}, [EthicskitError]
    while todo:
        cls = todo.pop()
        classes[cls.__name__] = cls
        todo += cls.__subclasses__()
    return classes


def test_every_error_class_a_user_can_cause_is_an_ethicskit_error():
    in_source = error_classes_in_source()
    assert len(in_source) >= 10, f"the scan finds too little: {sorted(in_source)}"
    outside = [key for key, (module, name) in in_source.items()
               if not issubclass(getattr(importlib.import_module(module), name), EthicskitError)]
    assert not outside, f"error classes that do not derive from ethicskit.errors.EthicskitError: {outside}"


def test_the_scan_sees_the_whole_family(family):
    """Every subclass the package defines is one the scan finds, so the scan is not blind to a kind of class."""
    ours = {name for name, cls in family.items() if cls.__module__.startswith("ethicskit")}
    assert {"AuditInputError", "TreeError", "RosterError", "BundleError", "StoreError", "Rejected", "HubError",
            "CourseError", "MissingFile", "UnknownGradeId"} <= ours
    scanned = {name for _, name in error_classes_in_source().values()}
    assert ours <= scanned, f"subclasses the scan misses: {sorted(ours - scanned)}"


def test_the_classes_keep_the_builtin_they_were(family):
    for name, builtin in BUILTIN_BASES.items():
        assert issubclass(family[name], builtin), f"{name} is no longer a {builtin.__name__}"
    assert not issubclass(family["Rejected"], ValueError) and not issubclass(family["HubError"], ValueError)


def test_a_key_error_message_is_not_quoted():
    assert str(UnknownGradeId("no cell with grade_id 'x'")) == "no cell with grade_id 'x'"


@pytest.mark.parametrize("bug", [KeyError("a bug"), ValueError("a bug"), FileNotFoundError("a bug"),
                                 TypeError("a bug")], ids=lambda e: type(e).__name__)
def test_a_bare_builtin_error_is_a_bug_and_keeps_its_traceback(bug):
    def buggy():
        raise bug

    with pytest.raises(type(bug)) as info:
        _library_call(buggy)
    assert info.value is bug and not isinstance(info.value, click.ClickException)
    assert info.traceback[-1].name == "buggy", "the traceback still reaches the line that raised"


@pytest.mark.parametrize("error", [
    EthicskitError("team 'Nope' is not in the roster; the teams are: Care, Data, Web"),
    MissingFile("roster file hr.csv does not exist"),
    UnknownGradeId("no cell with grade_id 'x'; answer cells are: a, b"),  # a KeyError: str() must not quote it
    RosterError("hr.csv line 2: employee_id 'a b' may hold only letters, digits, '_', '.' and '-'"),  # ends in '
], ids=lambda e: type(e).__name__)
def test_an_ethicskit_error_becomes_a_click_exception_with_the_same_message(error):
    def refused():
        raise error

    with pytest.raises(click.ClickException) as info:
        _library_call(refused)
    assert info.value.message == error.args[0] and info.value.__cause__ is error


def test_click_exceptions_from_the_library_pass_through_unchanged():
    raised = click.BadParameter("not a date", param_hint="--due")

    def library():
        raise raised

    with pytest.raises(click.BadParameter) as info:
        _library_call(library)
    assert info.value is raised


def test_the_cli_prints_a_user_error_alone_and_lets_a_bug_show(tmp_path, monkeypatch):
    monkeypatch.setenv("ETHICSKIT_ROOT", str(tmp_path))  # a folder without nbgrader_config.py
    result = CliRunner().invoke(main, ["dashboard"])
    assert result.exit_code == 1
    assert result.output == f"Error: {ROOT_WITHOUT_CONFIG.format(root=tmp_path, config=CONFIG_NAME)}\n"

    def bug(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr("ethicskit.paths.project_root", bug)
    result = CliRunner().invoke(main, ["dashboard"])
    assert isinstance(result.exception, KeyError) and "Error:" not in result.output
