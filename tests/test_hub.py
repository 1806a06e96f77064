"""The kit on a real JupyterHub: deploy/jupyterhub/jupyterhub_config.py, end to end.

A hub on 127.0.0.1 (shared-password login, simple local process spawner,
configurable-http-proxy from node_modules) with a PostgreSQL gradebook. Three learners
log in with their email, become their pseudonymous learner id, fetch module 00 through
nbgrader's server extension, complete it and submit; the hub restarts mid-cohort; a
facilitator collects and grades in the formgrader service's terminal and marks the written
answers in the formgrader's API; the report and the manager's dashboard show three
completions; and learners reach none of it.

The roster-sync planning (pure) is tested without a hub, at the bottom.
"""

from __future__ import annotations

import csv
import http.server
import io
import json
import re
import shutil
import threading
import tomllib
from pathlib import Path

import nbformat
import pytest
import yaml

from ethicskit.course import with_answers
from ethicskit.course.errors import CourseError
from ethicskit.errors import MissingFile
from ethicskit.hub import HubClient, HubError, SyncPlan, course_groups, plan_sync, read_staff
from ethicskit.hub._client import BAD_HUB_URL, NO_ANSWER, NO_TOKEN, NOT_JSON
from ethicskit.hub._sync import MISSING_STAFF, STAFF_NOT_UTF8, STAFF_ROLE
from tools import need

REPO = Path(__file__).resolve().parents[1]
MODULE = "00-orientation"
LEARNERS = {"E1": "ann@example.org", "E2": "ben@example.org", "E3": "cat@example.org"}
FACILITATOR, MANAGER = "fay@example.org", "max@example.org"
FORMGRADER, DASHBOARD = "/services/ethicskit", "/services/dashboard-ethicskit"


# --- a cohort on a running hub ---------------------------------------------------------------------
#
# The fixture plays the whole cohort once per test process (the suite runs under pytest-xdist)
# and records what people saw; the tests check the record, so none depends on another's order.


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """A hub on which three learners completed module 00 (through a restart), graded and reported."""
    from hub.harness import Hub, Person, make_course, postgres_database, postgres_server

    need("postgresql")
    need("configurable-http-proxy")
    folder = tmp_path_factory.mktemp("hub")
    with postgres_server() as server, postgres_database(server) as gradebook:
        course = make_course(folder / "course", MODULE)
        hub = Hub(folder, course, gradebook)
        try:
            hub.start()
            roster = folder / "hr.csv"
            roster.write_text("employee_id,name,email,team,manager,cohort\n" + "".join(
                f"{e},Learner {e},{mail},{'Web' if e != 'E3' else 'Data'},Max,A\n" for e, mail in LEARNERS.items()))
            hub.ethicskit("roster", "import", str(roster))
            hub.ethicskit("release", MODULE)
            sync = hub.ethicskit("hub", "roster-sync", "--hub-url", hub.api_url, "--facilitator", FACILITATOR,
                                 "--manager", MANAGER, "--login-map", str(hub.login_map),
                                 extra_env={"JUPYTERHUB_API_TOKEN": hub.sync_token})
            record = {"sync": sync.stdout, "hub": hub, "gradebook": gradebook}
            record["learners"] = [Person(hub, mail).log_in() for mail in LEARNERS.values()]
            record["facilitator"] = Person(hub, FACILITATOR).log_in()
            record["manager"] = Person(hub, MANAGER).log_in()
            _play_the_cohort(record)
            yield record
        finally:
            hub.close()
            (REPO / "test-artifacts").mkdir(exist_ok=True)
            if hub.log_path.exists():  # for people reading a CI failure
                shutil.copy(hub.log_path, REPO / "test-artifacts" / "hub-test-jupyterhub.log")


def _answers(course: Path) -> dict[str, dict[str, str]]:
    from ethicskit.course import Module
    from ethicskit.course.demo.simulate import solution_answers

    return solution_answers(Module(MODULE, course))


def _fetch_complete_submit(learner, prefix: str, answers: dict) -> None:
    course = {"course_id": "ethicskit", "assignment_id": MODULE}
    released = learner.get(f"{prefix}/assignments", params={"course_id": "ethicskit"})
    assert released.status_code == 200 and MODULE in released.text, released.text
    r = learner.post(f"{prefix}/assignments/fetch", data=course)
    assert r.status_code == 200, r.text
    path = f"{prefix}/api/contents/{MODULE}/{MODULE}.ipynb"
    fetched = learner.get(path)
    assert fetched.status_code == 200, f"module 00 was not fetched into the learner's home: {fetched.text[:300]}"
    done = with_answers(nbformat.from_dict(fetched.json()["content"]), answers[MODULE])
    r = learner.put(path, json={"type": "notebook", "format": "json", "content": done})
    assert r.status_code == 200, r.text
    r = learner.post(f"{prefix}/assignments/submit", data=course)
    assert r.status_code == 200 and '"submitted"' in r.text, r.text


def _submitted(learner, prefix: str) -> list[dict]:
    listed = learner.get(f"{prefix}/assignments", params={"course_id": "ethicskit"}).json()
    return [a for a in listed["value"] if a["assignment_id"] == MODULE and a["status"] == "submitted"]


def _play_the_cohort(record: dict) -> None:
    """Learners work and submit, the hub restarts midway, the facilitator grades and reports."""
    from hub.harness import run_in_terminal

    hub, learners, fay = record["hub"], record["learners"], record["facilitator"]
    answers = _answers(hub.course)
    record["opened"], record["homes"], record["courses"], prefixes = [], [], [], []
    for learner in learners:
        prefix = learner.start_server()
        prefixes.append(prefix)
        record["opened"].append(learner.get(f"{prefix}/").headers.get("Location", "").rstrip("?"))
        record["homes"].append({path: learner.get(f"{prefix}/api/contents/{path}").status_code
                                for path in ("START_HERE.ipynb", f"modules/{MODULE}/lesson.ipynb")})
        record["courses"].append(learner.get(f"{prefix}/courses").json())

    for learner, prefix in zip(learners[:2], prefixes[:2]):
        _fetch_complete_submit(learner, prefix, answers)
    hub.restart()  # mid-cohort: two have submitted, one is still working
    record["listed_after_restart"] = [len(_submitted(learner, prefix))
                                      for learner, prefix in zip(learners[:2], prefixes[:2])]
    _fetch_complete_submit(learners[2], prefixes[2], answers)

    record["formgrader_status"] = fay.get(f"{FORMGRADER}/formgrader/api/status").status_code
    record["graded"] = run_in_terminal(hub, fay, FORMGRADER, "ethicskit collect && ethicskit grade --workers 2")
    notebooks = fay.get(f"{FORMGRADER}/formgrader/api/submitted_notebooks/{MODULE}/{MODULE}").json()
    record["graded_students"] = sorted(n["student"] for n in notebooks)
    record["manual_marks"] = []
    for notebook in notebooks:  # the written answer, marked in the formgrader's API
        grades = fay.get(f"{FORMGRADER}/formgrader/api/grades", params={"submission_id": notebook["id"]}).json()
        for grade in (g for g in grades if g["needs_manual_grade"]):
            r = fay.put(f"{FORMGRADER}/formgrader/api/grade/{grade['id']}", json={"manual_score": grade["max_score"]})
            record["manual_marks"].append(r.status_code)
    record["reported"] = run_in_terminal(hub, fay, FORMGRADER, "ethicskit report --out course-data/completion.csv")
    report = fay.get(f"{FORMGRADER}/api/contents/course-data/completion.csv")
    record["report"] = list(csv.DictReader(io.StringIO(report.json()["content"]))) if report.ok else report.text
    record["landing"] = {p.login: p.session.get(hub.url + "/hub/", allow_redirects=False).headers.get("Location")
                         for p in (fay, record["manager"], learners[0])}


@pytest.mark.slow
def test_learners_sign_in_with_their_email_as_their_learner_id(cohort):
    assert "create 5 user(s)" in cohort["sync"] and "wrote the login map of 3 learner(s)" in cohort["sync"]
    assert all(p.name.startswith("ek") and p.name != p.login for p in cohort["learners"])


@pytest.mark.slow
def test_a_learner_server_opens_on_start_here_with_the_lessons_and_the_course(cohort):
    assert all(url.endswith("/lab/tree/START_HERE.ipynb") for url in cohort["opened"]), cohort["opened"]
    assert all(set(home.values()) == {200} for home in cohort["homes"]), cohort["homes"]
    assert all(c == {"success": True, "value": ["ethicskit"]} for c in cohort["courses"]), cohort["courses"]


@pytest.mark.slow
def test_restarting_the_hub_mid_cohort_loses_no_submission(cohort):
    assert cohort["listed_after_restart"] == [1, 1], "submissions made before the restart are still there"
    assert cohort["graded_students"] == sorted(p.name for p in cohort["learners"]), "all three were collected"


@pytest.mark.slow
def test_a_facilitator_collects_and_grades_in_the_formgrader(cohort):
    assert cohort["formgrader_status"] == 200
    status, out = cohort["graded"]
    assert status == 0 and "3 graded, 0 failed" in out, out[-3000:]
    assert cohort["manual_marks"] == [200, 200, 200], "one written answer each, marked in the formgrader"


@pytest.mark.slow
def test_the_report_shows_three_completions(cohort):
    status, out = cohort["reported"]
    assert status == 0, out[-2000:]
    rows = cohort["report"]
    assert {r["learner_id"]: r["status"] for r in rows} == {p.name: "passed" for p in cohort["learners"]}, rows
    assert {r["score"] for r in rows} == {"6.0"} and {r["module"] for r in rows} == {MODULE}


@pytest.mark.slow
def test_everyone_lands_where_their_work_is(cohort):
    assert cohort["landing"] == {FACILITATOR: f"{FORMGRADER}/formgrader", MANAGER: f"{DASHBOARD}/",
                                 LEARNERS["E1"]: "/hub/spawn"}


@pytest.mark.slow
def test_managers_and_facilitators_open_the_dashboard_and_only_facilitators_formgrader(cohort):
    fay, max_ = cohort["facilitator"], cohort["manager"]
    page = max_.get(f"{DASHBOARD}/")
    assert page.status_code == 200 and "Completion dashboard" in page.text, page.text[:500]
    assert fay.get(f"{DASHBOARD}/").status_code == 200
    assert max_.get(f"{FORMGRADER}/formgrader/api/status").status_code == 403


@pytest.mark.slow
def test_the_manager_dashboard_shows_the_three_completions_in_a_browser(cohort, page):
    """The manager signs in on the hub's page and reads the dashboard in Debian's chromium.

    The cohort fixture graded the three submissions; the leaver test (last in this file) has not run yet.
    """
    hub = cohort["hub"]
    page.goto(f"{hub.url}{DASHBOARD}/")
    page.fill("input[name=username]", MANAGER)
    page.fill("input[name=password]", hub.password)
    page.click("#login_submit")
    headline = page.locator("text=learners (everyone)")
    headline.wait_for(timeout=120_000)
    text = headline.first.inner_text()
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    page.screenshot(path=str(REPO / "test-artifacts" / "hub-manager-dashboard.png"), full_page=True)
    assert text.startswith("3 learners") and "3 of 3 released modules passed" in text, text


@pytest.mark.slow
def test_a_learner_reaches_neither_formgrader_nor_the_dashboard_nor_another_learner(cohort):
    ann, ben = cohort["learners"][:2]
    ben.start_server()
    for path in (f"{FORMGRADER}/formgrader/api/status", f"{FORMGRADER}/formgrader/", f"{FORMGRADER}/api/contents", f"{FORMGRADER}/api/terminals",
                 f"{DASHBOARD}/", f"/user/{ben.name}/api/contents", f"/user/{ben.name}/api/contents/{MODULE}"):
        status = ann.get(path).status_code
        assert status in (403, 404), f"a learner got HTTP {status} for {path}"
    assert ann.get(f"/hub/api/users/{ben.name}").status_code in (403, 404)
    # In a browser (cookies, not a token): the hub's OAuth refuses the service to a learner.
    for path in (f"{FORMGRADER}/formgrader/", f"{DASHBOARD}/"):
        status = ann.session.get(cohort["hub"].url + path, timeout=60).status_code
        assert status == 403, f"a learner's browser got HTTP {status} for {path}"


@pytest.mark.slow
def test_only_people_on_the_roster_or_staff_can_log_in(cohort):
    from hub.harness import Person

    with pytest.raises(AssertionError, match="could not log in"):
        Person(cohort["hub"], "stranger@example.org").log_in()


@pytest.mark.slow
def test_roster_sync_is_idempotent_and_a_leaver_loses_the_course(cohort, tmp_path):
    """Changes the roster, so it stays the last test on the cohort's hub."""
    hub = cohort["hub"]
    again = hub.ethicskit("hub", "roster-sync", "--hub-url", hub.api_url, "--dry-run",
                          extra_env={"JUPYTERHUB_API_TOKEN": hub.sync_token})
    assert "the hub already matches the roster" in again.stdout, again.stdout
    roster = tmp_path / "hr.csv"  # E3 left the company
    roster.write_text("employee_id,name,email,team,manager,cohort\n"
                      f"E1,Learner E1,{LEARNERS['E1']},Web,Max,A\nE2,Learner E2,{LEARNERS['E2']},Web,Max,A\n")
    hub.ethicskit("roster", "import", str(roster))
    out = hub.ethicskit("hub", "roster-sync", "--hub-url", hub.api_url, "--login-map", str(hub.login_map),
                        extra_env={"JUPYTERHUB_API_TOKEN": hub.sync_token}).stdout
    cat = cohort["learners"][2]
    assert f"remove 1 from nbgrader-ethicskit: {cat.name}" in out, out
    users = HubClient(hub.api_url, hub.sync_token).users()
    assert "nbgrader-ethicskit" not in users[cat.name] and LEARNERS["E3"] not in json.loads(hub.login_map.read_text())
    bad = hub.ethicskit("hub", "roster-sync", "--hub-url", hub.api_url, check=False,
                        extra_env={"JUPYTERHUB_API_TOKEN": "not-a-token"})
    assert bad.returncode != 0 and "HTTP 403" in bad.stderr, bad.stderr


# --- roster-sync planning, without a hub ----------------------------------------------------------

ROWS = [{"learner_id": "ek1", "email": "Ann@X.org", "active": 1},
        {"learner_id": "ek2", "email": "ben@x.org", "active": 1},
        {"learner_id": "ek3", "email": "cat@x.org", "active": 0}]


def test_plan_creates_users_and_groups_and_maps_logins_to_learner_ids():
    plan = plan_sync(ROWS, {}, set(), course="c", facilitators=["Fay"], managers=["max"])
    assert plan.create_groups == ["dashboard-c", "formgrade-c", "nbgrader-c"]
    assert plan.create_users == ["ek1", "ek2", "fay", "max"]
    assert plan.add == {"nbgrader-c": ["ek1", "ek2"], "formgrade-c": ["fay"], "dashboard-c": ["max"]}
    assert plan.login_map == {"ann@x.org": "ek1", "ben@x.org": "ek2"}, "leavers are not mapped"


def test_plan_is_empty_when_the_hub_matches():
    groups = course_groups("c")
    hub = {"ek1": {groups["learner"]}, "ek2": {groups["learner"]}, "fay": {groups["facilitator"]}}
    plan = plan_sync(ROWS, hub, set(groups.values()), course="c", facilitators=["fay"])
    assert plan.changes == 0 and plan.lines() == ["the hub already matches the roster"]


def test_plan_removes_leavers_and_strangers_from_the_learners_group_and_leaves_unlisted_staff_alone():
    groups = course_groups("c")
    hub = {"ek1": {groups["learner"]}, "ek3": {groups["learner"]}, "guest": {groups["learner"]},
           "fay": {groups["facilitator"]}}
    plan = plan_sync(ROWS, hub, set(groups.values()), course="c")
    assert plan.remove[groups["learner"]] == ["ek3", "guest"] and plan.add[groups["learner"]] == ["ek2"]
    assert groups["facilitator"] not in plan.remove, "no staff list given: the staff groups are left alone"
    deleting = plan_sync(ROWS, hub, set(groups.values()), course="c", delete_inactive=True)
    assert deleting.delete_users == ["ek3"] and deleting.remove[groups["learner"]] == ["guest"]


def test_a_learner_who_is_also_staff_signs_in_as_staff():
    plan = plan_sync(ROWS, {}, set(), course="c", facilitators=["ann@x.org"])
    assert "ann@x.org" not in plan.login_map and any("is staff and also learner ek1" in n for n in plan.notes)


def test_staff_file_is_checked(tmp_path):
    good = tmp_path / "staff.csv"
    good.write_text("username,role\nfay,facilitator\nmax,Manager\n")
    assert read_staff(good) == {"facilitator": ["fay"], "manager": ["max"]}
    bad = tmp_path / "bad.csv"
    bad.write_text("username,role\nfay,teacher\n")
    with pytest.raises(ValueError) as info:
        read_staff(bad)
    assert str(info.value) == STAFF_ROLE.format(name="bad.csv", line=2, role="teacher", username="fay",
                                                roles="facilitator, manager")
    assert isinstance(info.value, CourseError)
    (tmp_path / "cp1252.csv").write_bytes("username,role\nzoë,manager\n".encode("cp1252"))
    with pytest.raises(CourseError, match=re.escape(STAFF_NOT_UTF8.split("({error})")[0].format(name="cp1252.csv"))):
        read_staff(tmp_path / "cp1252.csv")
    with pytest.raises(MissingFile, match=re.escape(MISSING_STAFF.format(path=tmp_path / "nope.csv"))):
        read_staff(tmp_path / "nope.csv")


def test_the_hub_client_says_what_failed():
    url = "http://127.0.0.1:9/hub/api/users?offset=0&limit=200"
    with pytest.raises(HubError, match=re.escape(NO_ANSWER.split("({reason})")[0].format(method="GET", url=url))):
        HubClient("http://127.0.0.1:9/hub/api", "token").users()
    with pytest.raises(HubError, match=re.escape(NO_TOKEN)):
        HubClient("http://127.0.0.1:9/hub/api", "")
    with pytest.raises(HubError, match=re.escape(BAD_HUB_URL.format(url="127.0.0.1:8081/hub/api"))):
        HubClient("127.0.0.1:8081/hub/api", "token")
    assert isinstance(SyncPlan().lines(), list)


def test_a_web_page_instead_of_the_hub_api_is_a_hub_error():
    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<html>a login page</html>")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        api = f"http://127.0.0.1:{server.server_port}/hub/api"
        not_json = NOT_JSON.split("({error})")[0].format(method="GET", url=f"{api}/groups")
        with pytest.raises(HubError, match=re.escape(not_json)):
            HubClient(api, "token").request("GET", "groups")
    finally:
        server.shutdown()
        server.server_close()


def test_the_hub_extra_is_pinned_alike_in_pyproject_and_environment_yml():
    """The single-user image (environment.yml) installs the kit with its hub extra, at the same ranges."""
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert set(extras["hub"]) <= set(pip), f"environment.yml's pip list lacks {set(extras['hub']) - set(pip)}"
    assert any("ethicskit[hub]" in e for e in extras["test"]), "the tests need the hub extra"
