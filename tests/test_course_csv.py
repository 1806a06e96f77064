"""Every CSV the kit writes is safe to open in a spreadsheet (OWASP CSV injection)."""

from __future__ import annotations

import base64
import csv
import io
import re
import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner

from ethicskit.course.safe_csv import frame_csv, rows_csv, safe_cell

TRIGGERS = ["=", "+", "-", "@", "\t", "\r"]
FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"Open\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1", "  =1+1", "\uff1d1+1"]


def _risky(cell: str) -> bool:
    """What a spreadsheet would run: a trigger first, or after spaces, that is not a plain number."""
    stripped = cell.lstrip(" ")
    return bool(stripped) and (cell[0] in "\t\r" or stripped[0] in "=+-@\uff1d\uff0b\uff0d\uff20") and \
        not re.fullmatch(r"[+-]?\d+(\.\d+)?", stripped)


@pytest.mark.parametrize("value", FORMULAS)
def test_each_trigger_gets_a_leading_quote_and_keeps_its_text(value):
    assert safe_cell(value) == "'" + value
    assert not _risky(safe_cell(value))


@pytest.mark.parametrize("value", ["Ann Lee", "", "a=b", "Team-Web", "-12", "-0.75", "+3", "1e5", None, -3, 2.5])
def test_harmless_values_are_unchanged(value):
    assert safe_cell(value) == value


def test_frames_keep_negative_numbers_as_numbers_and_quote_text():
    frame = pd.DataFrame({"name": ["=cmd", "Ann", "-1+1"], "score": [-1.5, 2.0, 0.0], "delta": [-3, 4, 0],
                          "note": ["-12", "@x", None], "late": [True, False, True]})
    text = frame_csv(frame)
    back = pd.read_csv(io.StringIO(text))
    assert back["score"].tolist() == [-1.5, 2.0, 0.0] and back["delta"].tolist() == [-3, 4, 0]
    assert back["score"].dtype.kind == "f" and back["delta"].dtype.kind == "i"
    assert back["name"].tolist() == ["'=cmd", "Ann", "'-1+1"]
    assert back["note"].tolist()[:2] == ["-12", "'@x"]
    assert frame["name"].tolist()[0] == "=cmd", "the caller's frame is not changed"


def test_rows_writer_quotes_every_trigger(tmp_path):
    rows = [{"a": f"{t}x", "b": i} for i, t in enumerate(TRIGGERS)]
    rows_csv(rows, ["a", "b"], tmp_path / "r.csv")
    read = list(csv.DictReader((tmp_path / "r.csv").open(newline="", encoding="utf-8")))
    assert [r["a"] for r in read] == [f"'{t}x" for t in TRIGGERS]
    assert [r["b"] for r in read] == [str(i) for i in range(len(TRIGGERS))]


HOSTILE = ("employee_id,name,email,team,manager,cohort\n"
           'E1,"=HYPERLINK(""http://evil.example"",""Open"")",a@corp.com,+Web,-Bo,@A\n'
           "E2,Ben Ko,b@corp.com,Data,Cy Li,B\n")


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.slow
def test_every_export_of_the_kit_neutralises_a_hostile_roster(make_project, tmp_path):
    """roster export, report --format csv, the nbgrader export plugin and the dashboard's download."""
    from ethicskit.cli import main
    from ethicskit.course import ManagerDashboard, build_report, import_roster

    root = make_project("00-orientation")
    (tmp_path / "hr.csv").write_text(HOSTILE, encoding="utf-8")
    import_roster(tmp_path / "hr.csv")
    runner = CliRunner()
    outputs = {}
    assert runner.invoke(main, ["roster", "export", str(tmp_path / "roster.csv")]).exit_code == 0
    outputs["roster export"] = (tmp_path / "roster.csv").read_text(encoding="utf-8")
    report = runner.invoke(main, ["report", "--format", "csv", "--out", str(tmp_path / "report.csv")])
    assert report.exit_code == 0, report.output
    outputs["report"] = (tmp_path / "report.csv").read_text(encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "nbgrader", "export",
                           "--exporter=ethicskit.course.reporting.export.CompletionExporter", f"--to={tmp_path / 'nb.csv'}"],
                          cwd=root, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    outputs["nbgrader export"] = (tmp_path / "nb.csv").read_text(encoding="utf-8")
    dash = ManagerDashboard(build_report())
    link = re.search(r"base64,([A-Za-z0-9+/=]+)", dash.download.value)[1]
    outputs["dashboard"] = base64.b64decode(link).decode()
    for name, text in outputs.items():
        cells = _cells(text)
        assert "'=HYPERLINK(\"http://evil.example\",\"Open\")" in cells, name
        if name == "roster export":
            assert {"'+Web", "'-Bo", "'@A"} <= set(cells), name
        else:
            assert {"'+Web", "'-Bo"} <= set(cells), name  # report rows carry team and manager (and cohort)
        assert not [c for c in cells if _risky(c)], f"{name} has cells a spreadsheet would run"
