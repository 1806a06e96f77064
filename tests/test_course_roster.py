"""``ethicskit roster``: all-or-nothing import of an HR export, pseudonymous ids, clear errors."""

import csv
import re
import shutil
import sqlite3

import pytest
from click.testing import CliRunner

from ethicskit.cli import main
from ethicskit.course.records.roster import (
    BAD_DUE,
    BAD_EMAIL,
    DUPLICATE_EMAIL,
    DUPLICATE_EMPLOYEE_ID,
    EMPTY_FIELD,
    EMPTY_FILE,
    MISSING_COLUMNS,
    NOT_IMPORTED,
    NOT_UTF8,
    REQUIRED_COLUMNS,
    WRONG_FIELD_COUNT,
    RosterError,
    decode_roster,
    export_roster,
    import_roster,
    list_roster,
    parse_roster,
)

HEADER = "employee_id,name,email,team,manager,cohort,due\n"
GOOD = HEADER + (
    "E1,Ann Lee,ann@corp.com,Web,Bo Ray,A,2026-03-01\n"
    "E2,Ben Ko,ben@corp.com,Data,Cy Li,B,\n"
    "E3,Zoë Brandt,zoe@corp.com,Data,Cy Li,B,\n"
)


@pytest.fixture(scope="session")
def empty_gradebook(tmp_path_factory):
    """One new gradebook per session (nbgrader runs alembic for each new one: seconds)."""
    from ethicskit.course.nbgrader import _ensure_tools_on_path

    _ensure_tools_on_path()
    from nbgrader.api import Gradebook

    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    Gradebook(f"sqlite:///{path}", "ethicskit").close()
    return path


@pytest.fixture
def project(make_project, empty_gradebook):
    root = make_project()
    (root / "course-data").mkdir()
    shutil.copy(empty_gradebook, root / "course-data" / "gradebook.db")
    return root


def _write(tmp_path, text, name="hr.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_import_gives_each_person_a_pseudonymous_id_and_only_that_reaches_the_gradebook(project, tmp_path):
    result = import_roster(_write(tmp_path, GOOD))
    assert sorted(result.added) == ["E1", "E2", "E3"]
    people = {p["employee_id"]: p for p in list_roster()}
    ids = {p["learner_id"] for p in people.values()}
    assert len(ids) == 3 and all(i.startswith("ek") and len(i) == 12 for i in ids)
    assert people["E3"]["name"] == "Zoë Brandt" and people["E1"]["due"] == "2026-03-01"
    db = sqlite3.connect(project / "course-data" / "gradebook.db")
    students = db.execute("SELECT id, first_name, last_name, email FROM student").fetchall()
    assert {s[0] for s in students} == ids
    assert all(s[1:] == (None, None, None) for s in students), "HR fields must stay out of nbgrader"


def test_reimport_updates_adds_and_deactivates_without_duplicates(project, tmp_path):
    import_roster(_write(tmp_path, GOOD))
    before = {p["employee_id"]: p["learner_id"] for p in list_roster()}
    changed = HEADER + ("E1,Ann Lee,ann@corp.com,Search,Bo Ray,A,2026-03-01\n"
                        "E2,Ben Ko,ben@corp.com,Data,Cy Li,B,\n"
                        "E4,Dee Park,dee@corp.com,Web,Bo Ray,A,\n")
    result = import_roster(_write(tmp_path, changed, "hr2.csv"))
    assert (result.added, result.updated, result.deactivated, result.unchanged) == (["E4"], ["E1"], ["E3"], 1)
    everyone = {p["employee_id"]: p for p in list_roster(include_inactive=True)}
    assert len(everyone) == 4
    assert everyone["E3"]["active"] == 0 and everyone["E3"]["learner_id"] == before["E3"], "kept, inactive"
    assert everyone["E1"]["team"] == "Search" and everyone["E1"]["learner_id"] == before["E1"]
    assert {p["employee_id"] for p in list_roster()} == {"E1", "E2", "E4"}
    again = import_roster(_write(tmp_path, GOOD, "hr3.csv"))
    assert again.deactivated == ["E4"] and "E3" in again.updated
    assert len(list_roster(include_inactive=True)) == 4


REQUIRED = ", ".join(REQUIRED_COLUMNS)
LINE_2 = "hr.csv line 2"


def refused(*problems: str) -> str:
    """The whole message of a roster refused for ``problems`` (row problems, not header problems)."""
    return NOT_IMPORTED.format(problems="\n".join(problems))


@pytest.mark.parametrize(("text", "expected"), [
    (GOOD + "E2,Ben Again,ben2@corp.com,Data,Cy Li,B,\n",
     refused(DUPLICATE_EMPLOYEE_ID.format(where="hr.csv line 5", employee_id="E2", first=3))),
    ("employee_id,name,team,manager,cohort\nE1,Ann,Web,Bo,A\n",
     MISSING_COLUMNS.format(name="hr.csv", missing="email", found="employee_id, name, team, manager, cohort",
                            required=REQUIRED)),
    (HEADER + "E1,Ann Lee,ann.corp.com,Web,Bo Ray,A,\n", refused(BAD_EMAIL.format(where=LINE_2, email="ann.corp.com"))),
    (HEADER + "E1,Ann Lee,ann@corp.com,Web,Bo Ray,A,31/12/2026\n",
     refused(BAD_DUE.format(where=LINE_2, due="31/12/2026"))),
    (HEADER + "E1,Ann Lee,ann@corp.com,Web,Bo Ray\n",
     refused(WRONG_FIELD_COUNT.format(where=LINE_2, count=5, expected=7))),
    (HEADER + "E1,Ann Lee,ann@corp.com,,Bo Ray,A,\n", refused(EMPTY_FIELD.format(where=LINE_2, column="team"))),
    ("", EMPTY_FILE.format(name="hr.csv", required=REQUIRED)),
])
def test_bad_rosters_are_refused_whole_with_file_and_line(project, tmp_path, text, expected):
    import_roster(_write(tmp_path, GOOD, "first.csv"))
    before = list_roster(include_inactive=True)
    with pytest.raises(RosterError) as info:
        import_roster(_write(tmp_path, text))
    assert str(info.value) == expected
    assert list_roster(include_inactive=True) == before


def test_every_problem_is_listed_at_once():
    text = HEADER + "E1,Ann,bad,Web,Bo,A,\nE1,Ann,ann@x.org,Web,Bo,A,\n"
    with pytest.raises(RosterError) as info:
        parse_roster(text, "hr.csv")
    assert str(info.value) == refused(BAD_EMAIL.format(where=LINE_2, email="bad"),
                                      DUPLICATE_EMPLOYEE_ID.format(where="hr.csv line 3", employee_id="E1", first=2))


def test_a_bom_and_semicolons_from_excel_are_read_with_a_note(project, tmp_path):
    excel = "\ufeff" + GOOD.replace(",", ";")
    result = import_roster(_write(tmp_path, excel))
    assert len(result.added) == 3
    assert any("byte-order mark" in n for n in result.notes) and any("semicolons" in n for n in result.notes)
    assert {p["email"] for p in list_roster()} == {"ann@corp.com", "ben@corp.com", "zoe@corp.com"}


def test_an_unknown_encoding_is_refused_naming_the_line_and_the_fix(project, tmp_path):
    path = _write(tmp_path, GOOD, encoding="cp1252")
    with pytest.raises(RosterError) as info:
        import_roster(path)
    assert str(info.value) == NOT_UTF8.format(name="hr.csv", line=4, byte=0xEB)
    assert "--encoding cp1252" in NOT_UTF8
    assert list_roster() == []
    assert len(import_roster(path, encoding="cp1252").added) == 3
    assert "Zoë Brandt" in {p["name"] for p in list_roster()}


def test_decode_reads_utf16_with_a_bom():
    text, notes = decode_roster(GOOD.encode("utf-16"), "hr.csv")
    assert text.startswith("employee_id") and "UTF-16" in notes[0]


def test_export_round_trips_with_learner_ids(project, tmp_path):
    import_roster(_write(tmp_path, GOOD))
    out = tmp_path / "out.csv"
    assert export_roster(out) == 3
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["learner_id"] for r in rows} == {p["learner_id"] for p in list_roster()}


def test_cli_import_list_and_a_clear_error(project, tmp_path):
    runner = CliRunner()
    ok = runner.invoke(main, ["roster", "import", str(_write(tmp_path, GOOD))])
    assert ok.exit_code == 0 and "added 3" in ok.output
    listed = runner.invoke(main, ["roster", "list", "--team", "Data"])
    assert listed.exit_code == 0 and "Ben Ko" in listed.output and "Ann Lee" not in listed.output
    bad = runner.invoke(main, ["roster", "import", str(_write(tmp_path, HEADER + "E9,X,nope,Web,Bo,A,\n", "bad.csv"))])
    assert bad.exit_code == 1 and BAD_EMAIL.format(where="bad.csv line 2", email="nope") in bad.output


@pytest.mark.parametrize(("second", "shown"), [
    ("E9,Sam Same,SAME@example.com,Web,Bo,A,\n", "SAME@example.com"),
    ("E9,Sam Same,Same@Example.COM,Web,Bo,A,\n", "Same@Example.COM"),
])
def test_duplicate_emails_ignoring_case_are_refused_with_both_lines(project, tmp_path, second, shown):
    text = HEADER + "E1,Ann Lee,ann@corp.com,Web,Bo,A,\nE8,Sam Same,same@example.com,Web,Bo,A,\n" + second
    with pytest.raises(RosterError) as info:
        import_roster(_write(tmp_path, text))
    assert str(info.value) == refused(DUPLICATE_EMAIL.format(where="hr.csv line 4", email=shown, first=3))
    assert list_roster(include_inactive=True) == []


def test_internationalised_domains_are_accepted_and_compared_in_punycode(project, tmp_path):
    text = HEADER + ("E1,Anna B,anna@bücher.example,Web,Bo,A,\n"
                     "E2,Jo K,jo@xn--bcher-kva.example,Web,Bo,A,\n"
                     "E3,Ivan P,ivan@пример.рф,Web,Bo,A,\n"
                     "E4,Lee C,lee@xn--e1afmkfd.xn--p1ai,Web,Bo,A,\n")
    assert len(import_roster(_write(tmp_path, text)).added) == 4
    assert {p["email"] for p in list_roster()} >= {"anna@bücher.example", "jo@xn--bcher-kva.example"}
    twin = HEADER + "E1,Anna B,anna@bücher.example,Web,Bo,A,\nE2,Anna B,ANNA@xn--bcher-kva.example,Web,Bo,A,\n"
    duplicate = DUPLICATE_EMAIL.format(where="hr.csv line 3", email="ANNA@xn--bcher-kva.example", first=2)
    with pytest.raises(RosterError, match=re.escape(duplicate)):
        parse_roster(twin, "hr.csv")


@pytest.mark.parametrize("email", ["anna@bücher", "a b@corp.com", "anna@-bad-.com", "anna@corp.c0m", "@corp.com"])
def test_malformed_addresses_are_still_refused(email):
    with pytest.raises(RosterError, match=re.escape(BAD_EMAIL.format(where=LINE_2, email=email))):
        parse_roster(HEADER + f"E1,Ann,{email},Web,Bo,A,\n", "hr.csv")


def test_each_new_person_gets_a_submission_secret_kept_across_reimports(project, tmp_path):
    from ethicskit.course.nbgrader import load_config
    from ethicskit.course.records.store import open_store

    import_roster(_write(tmp_path, GOOD))
    config = load_config()
    with open_store(config, readonly=True) as db:
        first = dict(db.execute("SELECT learner_id, secret FROM learner_secrets").fetchall())
    assert set(first) == {p["learner_id"] for p in list_roster()}
    assert all(len(s) == 64 for s in first.values()) and len(set(first.values())) == 3
    import_roster(_write(tmp_path, GOOD.replace("Ann Lee", "Ann Lee-Ray")))
    with open_store(config, readonly=True) as db:
        assert dict(db.execute("SELECT learner_id, secret FROM learner_secrets").fetchall()) == first


def test_export_neutralises_formulas_from_the_hr_file(project, tmp_path):
    hostile = HEADER + ('E1,"=HYPERLINK(""http://x.example"",""click"")",ann@corp.com,+Web,-Bo,@A,\n'
                        'E2,Ben Ko,ben@corp.com,Data,Cy Li,B,\n')
    import_roster(_write(tmp_path, hostile))
    out = tmp_path / "out.csv"
    export_roster(out)
    rows = {r["employee_id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["E1"]["name"] == "'=HYPERLINK(\"http://x.example\",\"click\")"
    assert (rows["E1"]["team"], rows["E1"]["manager"], rows["E1"]["cohort"]) == ("'+Web", "'-Bo", "'@A")
    assert rows["E2"]["name"] == "Ben Ko" and rows["E2"]["active"] == "1"
    assert list_roster(team="+Web")[0]["name"].startswith("=HYPERLINK"), "the store keeps what HR sent"


def test_cli_lists_a_large_roster_as_plain_lines(project, tmp_path):
    from ethicskit import cli

    rows = "".join(f"E{i},P {i},p{i}@corp.com,Web,Bo,A,\n" for i in range(cli.PLAIN_TABLE_ROWS + 5))
    import_roster(_write(tmp_path, HEADER + rows))
    listed = CliRunner().invoke(main, ["roster", "list"])
    lines = listed.output.splitlines()
    assert listed.exit_code == 0 and len(lines) == cli.PLAIN_TABLE_ROWS + 6
    assert lines[0].split("\t")[:3] == ["learner_id", "employee_id", "name"]
