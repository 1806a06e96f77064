"""The CLI is a thin, documented layer."""

import subprocess
import sys

import click
from click.testing import CliRunner

from ethicskit.cli import main


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


def test_every_command_has_help_text():
    runner = CliRunner()
    for path, command in _commands(main):
        assert command.help and len(command.help.strip()) > 10, f"ethicskit {' '.join(path)} has no help text"
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, result.output
        assert "Usage:" in result.output


def test_python_dash_m_works_and_help_is_fast_to_import():
    proc = subprocess.run([sys.executable, "-m", "ethicskit", "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "check" in proc.stdout
    proc = subprocess.run(
        [sys.executable, "-c", "import sys, ethicskit.cli; print('nbgrader' in sys.modules, 'pandas' in sys.modules)"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.stdout.split() == ["False", "False"], "ethicskit --help must not import nbgrader or pandas"
