"""The learner's copy: the bundle and the wheel carry no solution, hidden test or rubric exemplar.

The scans look for nbgrader's markers and for the literal content of the
solutions: every answer region, every hidden test, every facilitator-only
mark-scheme region and every written-answer exemplar cell of ``solutions/``.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from ethicskit.cli import main
from ethicskit.course.delivery.bundle import (
    BUNDLE_MARK,
    LEAK,
    UNKNOWN_LEARNER,
    BundleError,
    unpack_bundle,
    write_bundle,
)
from ethicskit.course.delivery.package import SIGNED_FOR_OTHER_LEARNER
from ethicskit.course.delivery.submit import LEARNER_FILE, NOT_YOUR_BUNDLE

CLEAN = ["00-orientation", "02-consent-and-minimization"]
MARKERS = ("### BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "BEGIN MARK SCHEME", "Strong answer", "exemplar answer")
REGIONS = [("### BEGIN SOLUTION", "### END SOLUTION"), ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"),
           ("<!-- BEGIN MARK SCHEME -->", "<!-- END MARK SCHEME -->")]
MIN_SNIPPET = 12


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def solution_snippets(solutions: Path) -> dict[str, str]:
    """Where -> normalised text of each answer, hidden test, mark scheme and exemplar cell of the solutions."""
    found = {}
    for path in sorted(solutions.glob("*/*.ipynb")):
        for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
            meta = cell.metadata.get("nbgrader", {})
            for begin, end in REGIONS:
                for region in re.findall(re.escape(begin) + r"(.*?)" + re.escape(end), cell.source, re.S):
                    if len(_normal(region)) >= MIN_SNIPPET:
                        found[f"{path.name} cell {i} {begin.strip('#<!- ')}"] = _normal(region)
            if meta.get("solution") and cell.cell_type == "markdown" and len(_normal(cell.source)) >= MIN_SNIPPET:
                found[f"{path.name} cell {i} exemplar"] = _normal(cell.source)
    return found


def _texts(files: dict[str, bytes]) -> dict[str, str]:
    """Name -> normalised text; notebooks as their cells' sources (JSON escapes would hide the content)."""
    texts = {}
    for name, data in files.items():
        text = data.decode("utf-8", errors="replace")
        if name.endswith(".ipynb"):
            text = "\n".join(c.source for c in nbformat.reads(text, as_version=4).cells)
        texts[name] = _normal(text)
    return texts


def _same_module(name: str, where: str) -> bool:
    """A module's files are checked for that module's solutions (a short answer like ``q4_outcome = "stop"``
    may be another module's example); every other file for all of them."""
    slug = re.search(r"(?:^|/)(\d{2}-[a-z0-9-]+)/", name)
    return slug is None or where.startswith(slug[1])


def leaks(files: dict[str, bytes], snippets: dict[str, str], *, markers: bool = True) -> list[str]:
    found = []
    for name, text in _texts(files).items():
        found += [f"{name}: marker {m!r}" for m in MARKERS if markers and m.lower() in text.lower()]
        found += [f"{name}: the content of {where}" for where, snippet in snippets.items()
                  if snippet in text and _same_module(name, where)]
    return found


def _zip_files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}


def test_the_scan_finds_solution_content_planted_in_a_file(repo):
    snippets = solution_snippets(repo / "solutions")
    assert len([w for w in snippets if "SOLUTION" in w]) >= 40 and len([w for w in snippets if "HIDDEN" in w]) >= 20
    solution = (repo / "solutions" / CLEAN[0] / f"{CLEAN[0]}.ipynb").read_bytes()
    stripped = re.sub(rb"### (BEGIN|END) (SOLUTION|HIDDEN TESTS)", b"", solution)  # markers gone, content kept
    planted = f"exercises/{CLEAN[0]}/{CLEAN[0]}.ipynb"
    assert any("the content of" in leak for leak in leaks({planted: stripped}, snippets, markers=False))
    assert any("the content of" in leak for leak in leaks({"START_HERE.ipynb": stripped}, snippets, markers=False))
    release = (repo / "exercises" / CLEAN[0] / f"{CLEAN[0]}.ipynb").read_bytes()
    assert leaks({planted: release}, snippets) == []


@pytest.fixture
def course(make_project):
    """A scratch course with two modules whose releases are clean, plus the repository's datasets."""
    root = make_project(*CLEAN)
    shutil.copy(Path(__file__).resolve().parents[1] / "START_HERE.ipynb", root / "START_HERE.ipynb")
    shutil.copytree(Path(__file__).resolve().parents[1] / "datasets", root / "datasets")
    return root


def test_the_bundle_holds_what_a_learner_needs_and_nothing_of_the_solutions(course, tmp_path):
    made = write_bundle(tmp_path / "b.zip", root=course)
    files = _zip_files(made.path)
    assert {"START_HERE.ipynb", "README.md", "nbgrader_config.py", BUNDLE_MARK} <= set(files)
    for slug in CLEAN:
        assert f"modules/{slug}/lesson.ipynb" in files and f"exercises/{slug}/{slug}.ipynb" in files
    assert "datasets/customers.csv" in files and "datasets/customers.md" in files
    assert "decision_trees/use_of_feature.yaml" in files
    assert not [n for n in files if n.startswith(("solutions/", "course-data/", "tests/")) or "facilitator" in n
                or n == "autotests.yml" or n == LEARNER_FILE]
    assert leaks(files, solution_snippets(course / "solutions")) == []
    assert "ethicskit start --bundle b.zip" in files["README.md"].decode() and "no personal key" in \
        files["README.md"].decode()


def test_a_leak_in_the_release_stops_the_bundle_naming_the_file(course, tmp_path):
    slug = CLEAN[0]
    shutil.copy(course / "solutions" / slug / f"{slug}.ipynb", course / "exercises" / slug / f"{slug}.ipynb")
    leak = LEAK.format(name=f"exercises/{slug}/{slug}.ipynb", marker="### BEGIN SOLUTION")
    with pytest.raises(BundleError, match=re.escape(leak)):
        write_bundle(tmp_path / "b.zip", root=course)
    assert not (tmp_path / "b.zip").exists()


@pytest.fixture
def rostered(course, tmp_path):
    from ethicskit.course import import_roster, list_roster, release

    (tmp_path / "hr.csv").write_text("employee_id,name,email,team,manager,cohort\nE1,Ann,ann@corp.com,Web,Bo,A\n"
                                     "E2,Ben,ben@corp.com,Web,Bo,A\n")
    import_roster(tmp_path / "hr.csv")
    release([CLEAN[0]])
    return course, {p["employee_id"]: p["learner_id"] for p in list_roster()}


@pytest.mark.slow
def test_a_personal_bundle_signs_its_learners_zips_and_only_theirs(rostered, tmp_path, monkeypatch):
    from ethicskit.course import collect, submit
    from ethicskit.course.nbgrader import load_config
    from ethicskit.course.records.store import open_store

    course, ids = rostered
    result = CliRunner().invoke(main, ["bundle", "--learner", ids["E1"], "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    path = tmp_path / "out" / f"ethicskit-course-{ids['E1']}.zip"
    key = json.loads(_zip_files(path)[LEARNER_FILE])
    with open_store(load_config(course), readonly=True) as db:
        assert key == {"learner_id": ids["E1"], "secret": db.execute(
            "SELECT secret FROM learner_secrets WHERE learner_id=?", (ids["E1"],)).fetchone()[0]}
    folder, kept = unpack_bundle(path, tmp_path / "ann")
    assert kept == [] and (folder / LEARNER_FILE).stat().st_mode & 0o077 == 0
    exercise = folder / "exercises" / CLEAN[0] / f"{CLEAN[0]}.ipynb"
    exercise.write_text(exercise.read_text().replace("YOUR ANSWER HERE", "my work"))
    assert unpack_bundle(path, tmp_path / "ann")[1], "unpacking again keeps the learner's files"
    assert "my work" in exercise.read_text()
    monkeypatch.setenv("ETHICSKIT_ROOT", str(folder))
    zipped = submit(CLEAN[0], out=tmp_path / "inbox", validate=False)
    with pytest.raises(ValueError, match=re.escape(NOT_YOUR_BUNDLE.format(owner=ids["E1"], learner_id=ids["E2"]))):
        submit(CLEAN[0], learner_id=ids["E2"], out=tmp_path / "inbox", validate=False)
    monkeypatch.setenv("ETHICSKIT_ROOT", str(course))
    renamed = zipped.zip_path.with_name(zipped.zip_path.name.replace(ids["E1"], ids["E2"]))
    shutil.copy(zipped.zip_path, renamed)
    collected = collect(tmp_path / "inbox")
    assert [i.learner_id for i in collected.ingested] == [ids["E1"]], collected.rejected
    assert dict(collected.rejected)[renamed.name] == SIGNED_FOR_OTHER_LEARNER.format(signed=ids["E1"],
                                                                                     learner_id=ids["E2"])
    with pytest.raises(BundleError, match=re.escape(UNKNOWN_LEARNER.format(learner_id="ek-nobody"))):
        write_bundle(tmp_path / "x.zip", learner_id="ek-nobody", root=course)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_start_with_a_bundle_unpacks_it_and_serves_it_with_a_token(course, tmp_path):
    bundle = write_bundle(tmp_path / "course.zip", root=course).path
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "ethicskit", "start", "--bundle", str(bundle), "--into",
                             str(tmp_path / "mine"), "--port", str(port)], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        url = ""
        while not url:
            line = proc.stdout.readline()
            assert line, "ethicskit start exited without printing a URL"
            url = (re.search(r"(http://\S+token=\w+)", line) or [""])[0]
        token = url.rsplit("=", 1)[1]
        api = f"http://127.0.0.1:{port}/api/contents/exercises/{CLEAN[0]}"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(api, timeout=10)
        assert refused.value.code == 403
        listing = json.loads(urllib.request.urlopen(f"{api}?token={token}", timeout=10).read())
        assert f"{CLEAN[0]}.ipynb" in {c["name"] for c in listing["content"]}
        top = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents?token={token}").read())
        assert "solutions" not in {c["name"] for c in top["content"]} and (tmp_path / "mine" / "START_HERE.ipynb").exists()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.slow
def test_the_wheel_carries_no_notebook_solution_or_hidden_test(repo, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(repo)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    [wheel] = tmp_path.glob("ethicskit-*.whl")
    files = _zip_files(wheel)
    assert any(n.endswith("ethicskit/cli.py") for n in files)
    assert not [n for n in files if "solutions/" in n or "exercises/" in n or n.endswith((".ipynb", ".yml"))]
    # The kit's own tooling names nbgrader's markers, so the wheel is scanned for the solutions' content.
    assert leaks(files, solution_snippets(repo / "solutions"), markers=False) == []


def test_the_whole_course_bundles_without_a_leak(repo, tmp_path, monkeypatch):
    """The real course: fails, naming each file, while a released exercise still carries facilitator text."""
    monkeypatch.delenv("ETHICSKIT_ROOT", raising=False)
    made = write_bundle(tmp_path / "course.zip", root=repo)
    assert leaks(_zip_files(made.path), solution_snippets(repo / "solutions")) == []
