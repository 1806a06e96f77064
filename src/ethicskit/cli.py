"""The ``ethicskit`` command line: a thin layer over the library.

Each command parses its arguments, calls one library function and prints the
result. The errors a user can cause (:class:`ethicskit.errors.EthicskitError`)
become ``click.ClickException``; any other exception is a bug and keeps its
traceback. Heavy imports (nbgrader, pandas) happen inside the commands so
``--help`` stays fast.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from ethicskit.errors import EthicskitError


@click.group()
@click.version_option(package_name="ethicskit")
def main() -> None:
    """ethicskit: train staff to segment and personalize ethically."""


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the CSVs (default: the project's datasets/).")
@click.option("--rows", type=int, default=None, help="Number of customers (default: the committed size).")
@click.option("--seed", type=int, default=None, help="Random seed (default: the committed seed).")
def data(out: Path | None, rows: int | None, seed: int | None) -> None:
    """Regenerate the practice datasets (deterministic)."""
    from ethicskit import data as datasets
    from ethicskit.paths import datasets_dir

    try:
        written = datasets.write_all(out or datasets_dir(), rows=rows, seed=seed)
    except (ValueError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from exc
    for path in written:
        click.echo(f"wrote {path}")


@main.command()
@click.argument("modules", nargs=-1)
def build(modules: tuple[str, ...]) -> None:
    """Generate exercises/ from solutions/ with nbgrader (all modules by default)."""
    from ethicskit.course import build as build_modules

    results = _library_call(build_modules, list(modules))
    for result in results:
        click.echo(f"{'built' if result.success else 'FAILED'} {result.target}" + ("" if result.success else f": {result.error}"))
    if not all(r.success for r in results):
        sys.exit(1)


@main.command()
def prepare() -> None:
    """Get the course ready: datasets, exercises and the local gradebook (safe to re-run)."""
    from ethicskit.course import prepare as prepare_course

    results = _library_call(prepare_course)
    for result in results:
        click.echo(f"{'ok' if result.success else 'FAILED'} {result.step} {result.target}" + ("" if result.success else f": {result.error}"))
    if not all(r.success for r in results):
        sys.exit(1)


@main.command()
@click.argument("modules", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable results.")
@click.option("--workers", type=int, default=2, show_default=True, help="Modules checked in parallel.")
def check(modules: tuple[str, ...], as_json: bool, workers: int) -> None:
    """Run the integrity gate on modules (all by default) in a scratch course."""
    from ethicskit.course import resolve_modules, run_checks

    chosen = _library_call(resolve_modules, list(modules))
    outcomes = run_checks(chosen, workers=workers, dashboards=not modules, progress=not as_json)
    if as_json:
        click.echo(json.dumps([o.to_dict() for o in outcomes], indent=2))
    else:
        _print_outcomes(outcomes)
    if not all(o.ok for o in outcomes):
        sys.exit(1)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=int, default=8888, show_default=True, help="Port to listen on.")
@click.option("--bundle", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A learner bundle zip from your manager: unpack it (keeping your work) and open it.")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to unpack the bundle into (default: a folder named after it, here).")
def start(host: str, port: int, bundle: Path | None, into: Path | None) -> None:
    """Open JupyterLab on START_HERE with token authentication, and print its URL."""
    from ethicskit.paths import project_root
    from ethicskit.serve import lab_plan, run_when_ready

    root = project_root() if bundle is None else _unpack(bundle, into or Path(bundle.stem))
    plan = lab_plan(root, host=host, port=port, token=os.environ.get("JUPYTER_TOKEN"), as_root=os.geteuid() == 0)
    plan.env["ETHICSKIT_ROOT"] = str(root)
    if plan.shared:
        _warn(f"JupyterLab will listen on {host}: anyone on the network with the token can run code as you.")
    probe = plan.url.split("/lab/", 1)[0] + "/api/status"
    code = run_when_ready(plan, probe=probe,
                          announce=lambda: click.echo(f"\nOpen this URL in your browser:\n\n    {plan.url}\n"))
    sys.exit(code)


def _unpack(bundle: Path, into: Path) -> Path:
    from ethicskit.course.delivery.bundle import unpack_bundle

    root, kept = _library_call(unpack_bundle, bundle, into)
    click.echo(f"Course folder: {root}" + (f" (kept your {len(kept)} existing file(s))" if kept else ""))
    return root


@main.command()
@click.option("--learner", "learners", multiple=True, help="Make a personal bundle for this learner id (repeat).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="The zip, or a folder for the zips (default: ethicskit-course[-ID].zip here).")
def bundle(learners: tuple[str, ...], out: Path | None) -> None:
    """Write the learner bundle: lessons, released exercises, data and trees; never solutions or guides."""
    from ethicskit.course.delivery.bundle import write_bundle

    if len(learners) > 1 and out is not None and out.suffix == ".zip":
        raise click.ClickException("several learners need a folder for --out, not one zip")
    for learner in learners or (None,):
        made = _library_call(write_bundle, out, learner_id=learner)
        click.echo(f"wrote {made.path}" + (f" for learner {learner}: give it to them only" if learner else
                                           " (no personal key: for practice, not for submitting)"))


@main.command()
@click.argument("module", required=False)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on. 0.0.0.0 shares the app on the room's network, with a token.")
@click.option("--port", type=int, default=8866, show_default=True, help="Port to listen on.")
@click.option("--pool", type=int, default=2, show_default=True, help="Preheated kernels kept ready for visitors.")
def workshop(module: str | None, host: str, port: int, pool: int) -> None:
    """Serve a module's lesson as a Voila app (code hidden, widgets live), or an index of all modules."""
    from ethicskit.paths import project_root
    from ethicskit.serve import serve_plan

    if module:
        [chosen] = _one_module(module)
        target = chosen.lesson
    else:
        target = project_root() / "modules"
    plan = serve_plan(target, host=host, port=port, preheat=pool)
    if plan.shared:
        _warn(f"SHARED ON THE NETWORK: anyone who can reach {host}:{port} and has the token can open this app.")
    click.echo(f"Open {plan.url}  (Ctrl+C to stop)")
    sys.stdout.flush()
    os.chdir(plan.cwd)
    os.execve(plan.argv[0], plan.argv, plan.env)  # Voila replaces this process, so Ctrl+C reaches it


@main.command()
@click.argument("module")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file (default: NN-slug-slides.html in the current folder).")
@click.option("--reveal-prefix", default=None,
              help="Where reveal.js lives, e.g. a local copy for rooms without internet (default: unpkg CDN).")
def slides(module: str, out: Path | None, reveal_prefix: str | None) -> None:
    """Export a module's lesson as reveal.js slides with code hidden."""
    from ethicskit.handouts import CDN_REVEAL, slides_html

    [chosen] = _one_module(module)
    out = out or Path(f"{chosen.slug}-slides.html")
    out.write_text(slides_html(chosen.lesson, reveal_prefix=reveal_prefix or CDN_REVEAL), encoding="utf-8")
    click.echo(f"wrote {out}")


@main.command()
@click.argument("module")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file (default: NN-slug-handout.html in the current folder).")
def handout(module: str, out: Path | None) -> None:
    """Write the facilitator handout: guide, decision-tree diagram and checklist, and rubrics (printable)."""
    from ethicskit.handouts import module_handout

    [chosen] = _one_module(module)
    out = out or Path(f"{chosen.slug}-handout.html")
    out.write_text(module_handout(chosen), encoding="utf-8")
    click.echo(f"wrote {out}")


# --- completion tracking for managers (issue 9) -------------------------------------------------

@main.group()
def roster() -> None:
    """Manage the roster of learners: import an HR export, list it, export it."""


@roster.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--encoding", default=None, help="The file's encoding if not UTF-8, e.g. cp1252.")
def roster_import(file: Path, encoding: str | None) -> None:
    """Import an HR CSV (employee_id, name, email, team, manager, cohort[, due]); all or nothing."""
    from ethicskit.course import import_roster

    result = _library_call(import_roster, file, encoding=encoding)
    for note in result.notes:
        click.echo(f"note: {note}")
    click.echo(f"added {len(result.added)}, updated {len(result.updated)}, deactivated {len(result.deactivated)}, "
               f"unchanged {result.unchanged}")


@roster.command("list")
@click.option("--team", default=None, help="Only this team.")
@click.option("--all", "include_inactive", is_flag=True, help="Include inactive people.")
def roster_list(team: str | None, include_inactive: bool) -> None:
    """List the roster with each person's pseudonymous learner id."""
    from ethicskit.course import list_roster

    rows = _library_call(list_roster, include_inactive=include_inactive, team=team)
    _print_table(rows, ["learner_id", "employee_id", "name", "team", "manager", "cohort", "due", "active"])


@roster.command("export")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def roster_export(out: Path) -> None:
    """Write the roster, with learner ids, to a UTF-8 CSV (inactive people included)."""
    from ethicskit.course import export_roster

    click.echo(f"wrote {_library_call(export_roster, out)} people to {out}")


@main.command("release")
@click.argument("modules", nargs=-1, required=True)
@click.option("--cohort", default=None, help="Release to this cohort only (default: everyone).")
@click.option("--due", default=None, help="Due date, YYYY-MM-DD (default: none, self-paced).")
def release_command(modules: tuple[str, ...], cohort: str | None, due: str | None) -> None:
    """Release modules to learners through nbgrader's exchange, recording the module version."""
    from ethicskit.course import release

    for record in _library_call(release, list(modules), cohort=cohort, due=due):
        click.echo(f"released {record.module} version {record.version} to {record.cohort or 'everyone'}"
                   + (f", due {record.due}" if record.due else ""))


@main.command("submit")
@click.argument("module")
@click.option("--learner", envvar="ETHICSKIT_LEARNER", default=None,
              help="Your learner id (default: the one your learner bundle carries).")
@click.option("--from", "folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of your notebooks (default: exercises/MODULE).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the zip (default: the current folder).")
def submit_command(module: str, learner: str | None, folder: Path | None, out: Path | None) -> None:
    """Validate your exercise, say what fails, and pack it as a zip for your manager."""
    from ethicskit.course import submit

    result = _library_call(submit, module, learner_id=learner, folder=folder, out=out)
    for problem in result.problems:
        click.echo(f"  ✗ {problem}")
    click.echo(("All visible checks pass. " if result.validated else "Some checks fail; you can fix them and "
                "submit again, or send this version. ") + f"Send this file to your manager: {result.zip_path}")


@main.command("collect")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), required=False)
def collect_command(folder: Path | None) -> None:
    """Ingest a folder of submission zips (or, without FOLDER, collect from nbgrader's exchange)."""
    from ethicskit.course import collect, collect_exchange

    if folder is None:
        for result in _library_call(collect_exchange):
            click.echo(f"{'collected' if result.success else 'FAILED'} {result.target}")
        return
    result = _library_call(collect, folder)
    for item in result.ingested:
        click.echo(f"ingested {item.file} (received {item.timestamp}; the file name claims {item.claimed_at})")
    for name, reason in result.skipped:
        click.echo(f"skipped  {name}: {reason}")
    for name, reason in result.rejected:
        click.echo(f"REJECTED {name}: {reason}")
    click.echo(f"{len(result.ingested)} ingested, {len(result.skipped)} skipped, {len(result.rejected)} rejected")


@main.command("grade")
@click.argument("modules", nargs=-1)
@click.option("--workers", type=int, default=None, help="Parallel processes (default: one per core, plus one).")
@click.option("--timeout", type=int, default=None, help="Seconds a cell may run before it is stopped (default 30).")
@click.option("--force", is_flag=True, help="Grade again even submissions already graded and unchanged.")
@click.option("--unsafe-no-sandbox", is_flag=True,
              help="DANGEROUS: run learner code without the bubblewrap sandbox, with your rights.")
@click.option("--watch", is_flag=True,
              help="Keep running: collect new submissions from the exchange, grade them and release feedback.")
@click.option("--interval", type=float, default=10.0, show_default=True,
              help="With --watch: seconds between two looks at the exchange.")
def grade_command(modules: tuple[str, ...], workers: int | None, timeout: int | None, force: bool,
                  unsafe_no_sandbox: bool, watch: bool, interval: float) -> None:
    """Autograde new or changed submissions in parallel, sandboxed (all modules by default); safe to re-run."""
    from ethicskit.course import grade
    from ethicskit.course.grading.grade import REGRADE_HINT
    from ethicskit.course.grading.sandbox import UNSAFE_WARNING

    if unsafe_no_sandbox:
        click.secho(UNSAFE_WARNING, fg="red", bold=True, err=True)
    if watch:
        if force:
            raise click.ClickException("--force cannot be used with --watch (the watch grades each submission once)")
        return _grade_watch(list(modules), workers=workers, timeout=timeout, interval=interval,
                            sandbox=not unsafe_no_sandbox)
    run = _library_call(grade, list(modules), workers=workers, timeout=timeout, force=force, progress=True,
                        sandbox=not unsafe_no_sandbox)
    for o in run.graded:
        flags = "".join(f"  [{label}: {'; '.join(items)}]"
                        for label, items in (("TAMPERED", o.tampered), ("timed out", o.timed_out)) if items)
        click.echo(f"{'graded' if o.success else 'GRADING FAILED'} {o.learner_id} {o.module}"
                   + (f": {o.error}; {REGRADE_HINT.format(module=o.module[:2])}" if o.error else "") + flags)
    click.echo(f"{len(run.graded) - len(run.failed)} graded, {len(run.failed)} failed, {run.up_to_date} already "
               f"up to date, in {run.seconds:.1f} s")
    if run.failed:
        sys.exit(1)


@main.command("feedback")
@click.argument("modules", nargs=-1)
@click.option("--no-release", is_flag=True, help="Generate the feedback files only.")
def feedback_command(modules: tuple[str, ...], no_release: bool) -> None:
    """Generate feedback for graded submissions and release it to learners."""
    from ethicskit.course import feedback

    results = _library_call(feedback, list(modules), release=not no_release)
    for r in results:
        click.echo(f"{'ok' if r.success else 'FAILED'} {r.step} {r.target}" + ("" if r.success else f": {r.summary}"))
    if not all(r.success for r in results):
        sys.exit(1)


@main.command("report")
@click.option("--format", "fmt", type=click.Choice(["csv", "html"]), default="csv", show_default=True,
              help="Output format.")
@click.option("--team", default=None, help="Only this team.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file (default: completion.csv or completion.html in the current folder).")
@click.option("--extensions", "extensions", is_flag=True,
              help="Write the active extensions as CSV instead (default: extensions.csv).")
def report_command(fmt: str, team: str | None, out: Path | None, extensions: bool) -> None:
    """Write the completion report: learner x module statuses, roll-ups, overdue list, item analysis."""
    from ethicskit.course import build_report, write_report

    report = _library_call(build_report, team=team)
    if extensions:
        from ethicskit.course.reporting.report import write_extensions

        path = write_extensions(report, out or Path("extensions.csv"))
        click.echo(f"wrote {len(report.extensions)} active extensions to {path}")
        return
    path = write_report(report, out or Path(f"completion.{fmt}"), fmt=fmt)
    _print_table(report.teams.to_dict("records"), TEAM_SUMMARY, title="By team")
    click.echo(f"wrote {path}")


@main.command("dashboard")
@click.option("--port", type=int, default=8867, show_default=True, help="Port to listen on (localhost only).")
@click.option("--max-kernels", type=int, default=4, show_default=True,
              help="Most page views served at once; each runs a kernel, culled after a minute idle.")
def dashboard_command(port: int, max_kernels: int) -> None:
    """Serve the manager dashboard (dashboards/manager.ipynb) with Voila on localhost, with a token; read-only."""
    import subprocess

    from ethicskit.paths import project_root
    from ethicskit.serve import DASHBOARD_CULL_IDLE_SECONDS, serve_plan

    root = _library_call(project_root)
    plan = serve_plan(root / "dashboards" / "manager.ipynb", host="127.0.0.1", port=port, max_kernels=max_kernels,
                      cull_idle=DASHBOARD_CULL_IDLE_SECONDS)
    click.echo(f"Open {plan.url}  (Ctrl+C to stop)")
    sys.exit(subprocess.call(plan.argv, env={**plan.env, "ETHICSKIT_ROOT": str(root)}, cwd=plan.cwd))


@main.command("certificates")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the certificates (default: course-data/certificates).")
@click.option("--require", "required", multiple=True, help="A required module (repeat; default: all released).")
def certificates_command(out: Path | None, required: tuple[str, ...]) -> None:
    """Write a printable HTML certificate for each learner who passed every required module."""
    from ethicskit.course import certificates

    written = _library_call(certificates, out=out, required=list(required) or None)
    click.echo(f"wrote {len(written)} certificate(s)" + (f" to {written[0].parent}" if written else ""))


@main.command("demo")
@click.option("--learners", type=int, default=60, show_default=True, help="Simulated employees.")
@click.option("--module", "modules", multiple=True, help="Module(s) to simulate (default: 00).")
@click.option("--workers", type=int, default=None, help="Grading processes (default: one per core, plus one).")
@click.option("--timeout", type=int, default=10, show_default=True,
              help="Seconds before a never-ending cell is stopped.")
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to build the demo course (default: a new temporary folder).")
def demo_command(learners: int, modules: tuple[str, ...], workers: int | None, timeout: int,
                 folder: Path | None) -> None:
    """Run the whole pipeline on a simulated cohort in a scratch course and print the manager's view."""
    from ethicskit.course import run_demo

    result = _library_call(run_demo, learners=learners, modules=list(modules) or None, workers=workers,
                           timeout=timeout, folder=folder, progress=True)
    for name, reason in result.collected.rejected:
        click.echo(f"rejected {name}: {reason}")
    report = result.report
    click.echo(f"\nThe manager's view as of {report.today} ({len(result.graded.graded)} submissions graded "
               f"in {result.graded.seconds:.0f} s):")
    _print_table(report.teams.to_dict("records"), list(report.teams.columns))
    _print_table(report.overdue.head(10).assign(due=report.overdue["due"].dt.strftime("%Y-%m-%d")).to_dict("records"),
                 ["name", "team", "manager", "module", "due", "days_overdue"], title="Overdue (first 10)")
    _print_table(report.items.to_dict("records"), list(report.items.columns), title="Item analysis")
    click.echo(f"Files: {', '.join(str(p) for p in result.outputs)}\n"
               f"Dashboard: ETHICSKIT_ROOT={result.folder} ethicskit dashboard")


# --- records an auditor can trust (issue 21, part 5): the event log, verify, certificate codes -------

@main.command("verify")
@click.argument("code", required=False)
@click.option("--head", default=None,
              help="A head noted earlier (SEQ:HASH, as verify prints it): check the log still holds it.")
@click.option("--sync", is_flag=True, help="First log manual grades given in the formgrader since last seen (writes).")
def verify_command(code: str | None, head: str | None, sync: bool) -> None:
    """Check the event log's hash chain; with CODE, resolve a certificate's verification code."""
    from ethicskit.course import verify

    result = _library_call(verify, code, head=head, sync=sync)
    if sync:
        click.echo(f"logged {result.manual_grades_logged} new or changed manual grade(s)")
    _print_verification(result)
    if not result.intact or (code and result.certificate is None):
        sys.exit(1)


def _print_verification(result) -> None:
    from ethicskit.course.records.events import UNKNOWN_CODE

    if result.finding:
        click.echo(f"BROKEN: {result.finding.message}")
        click.echo(f"checked {result.checked} event(s); the log cannot be trusted from event {result.finding.seq} on")
    else:
        click.echo(f"checked {result.checked} event(s): the chain is intact")
    if result.head:
        click.echo(f"head {result.head}\n  (note it in your records; later, `ethicskit verify --head {result.head}` "
                   "checks the log still holds it)")
    if result.code and result.certificate is None:
        click.echo(UNKNOWN_CODE.format(code=result.code))
    elif result.certificate:
        cert, detail = result.certificate, result.certificate["detail"]
        who = cert["learner_id"] + (f" ({cert['name']})" if cert["name"] else "")
        click.echo(f"certificate {result.code}: issued {detail['issued']} to {who}"
                   + ("" if result.intact else "; NOT vouched for: the log is broken"))
        for m in detail["modules"]:
            click.echo(f"  {m['module']}  version {m['version']}  passed on {m['passed_on']}")


# --- completion in the company LMS (issue 21, part 4): xAPI statements to a learning record store -----

@main.group("export")
def export_group() -> None:
    """Send completions to the company's systems (the completion CSV is `ethicskit report`)."""


@export_group.command("xapi")
@click.option("--lrs", required=True, help="The learning record store's address, e.g. https://lrs.example.com.")
@click.option("--batch", type=int, default=50, show_default=True, help="Statements per request.")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send and record nothing.")
@click.option("--actor", type=click.Choice(["account", "email"]), default=None,
              help="Who a statement is about: the learner id as an account (default), or the roster's email "
                   "[env: ETHICSKIT_XAPI_ACTOR].")
@click.option("--activity-base", default=None,
              help="Prefix of the modules' activity ids [env: ETHICSKIT_XAPI_ACTIVITY_BASE].")
def export_xapi_command(lrs: str, batch: int, dry_run: bool, actor: str | None, activity_base: str | None) -> None:
    """Send xAPI statements (completed, passed, failed) for graded modules not sent yet; user and password from
    ETHICSKIT_LRS_USER and ETHICSKIT_LRS_PASSWORD."""
    from ethicskit.course import export_xapi

    r = _library_call(export_xapi, lrs, batch=batch, dry_run=dry_run, actor=actor, activity_base=activity_base)
    for line in r.warnings + r.problems + r.failures:
        click.echo(line, err=True)
    for s in r.unsent if dry_run else []:
        click.echo(json.dumps(s.body))
    done = f"would send {len(r.unsent)}" if dry_run else f"sent {len(r.sent)}"
    left = f"; {len(r.unsent)} left for the next run" if r.unsent and not dry_run else ""
    click.echo(f"{done} statement(s) to {r.endpoint}; {r.already_sent} sent before{left}; "
               f"{r.pending} module(s) wait for manual grading")
    sys.exit(0 if r.ok else 1)


# --- feedback minutes after submitting (issue 21, part 3): `ethicskit grade --watch` ----------------

def _grade_watch(modules: list[str], *, workers: int | None, timeout: int | None, interval: float,
                 sandbox: bool) -> None:
    """The loop of `ethicskit grade --watch`: one line per submission collected, graded or fed back."""
    from datetime import datetime

    from ethicskit.course import watch
    from ethicskit.course.grading.grade import REGRADE_HINT

    def report(step) -> None:
        now = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        lines = [f"collected {lid} {module}" for lid, module in step.collected]
        lines += [f"graded {o.learner_id} {o.module}" if o.success else
                  f"GRADING FAILED {o.learner_id} {o.module}: {o.error}; {REGRADE_HINT.format(module=o.module[:2])}"
                  for o in step.graded]
        lines += [f"{'feedback ' + ('released' if r.step == 'release_feedback' else 'made') if r.success else 'FEEDBACK FAILED'}"
                  f" {r.target.replace('/', ' ')}" + ("" if r.success else f": {r.summary}") for r in step.feedback]
        lines += [f"problem: {p}" for p in step.problems]
        for line in lines:
            click.echo(f"{now}  {line}")

    click.echo(f"Watching the exchange every {interval:g} s (SIGTERM or Ctrl+C stops after the current step)")
    total = _library_call(watch, modules or None, interval=interval, workers=workers, timeout=timeout,
                          sandbox=sandbox, on_step=report)
    click.echo(f"stopped after {total.steps} step(s): {total.collected} collected, {total.graded} graded, "
               f"{total.failed} failed, {total.feedback} feedback")


# --- follow-up: extensions and reminders (issue 21) ----------------------------------------------

@main.command("extend")
@click.argument("learner")
@click.argument("module")
@click.option("--until", required=True, help="The learner's new due date, YYYY-MM-DD.")
@click.option("--reason", required=True, help="Why (kept in the store's records and shown in the report).")
def extend_command(learner: str, module: str, until: str, reason: str) -> None:
    """Give a learner (learner id or employee id) a later due date for one module."""
    from ethicskit.course import extend

    ext = _library_call(extend, learner, module, until=until, reason=reason)
    click.echo(f"{ext.name} ({ext.learner_id}) has until {ext.until} for {ext.module}"
               f" (was {ext.due_before or 'no due date'})")


@main.command("remind")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send and record nothing.")
@click.option("--today", default=None, help="Act as if today were this date, YYYY-MM-DD.")
@click.option("--days", default=None,
              help="Days before a due date to remind, e.g. 7,3,1 (default: ETHICSKIT_REMIND_DAYS or 7,3,1).")
@click.option("--manager-email", "manager_emails", multiple=True, help="A manager's address, NAME=ADDRESS (repeat).")
def remind_command(dry_run: bool, today: str | None, days: str | None, manager_emails: tuple[str, ...]) -> None:
    """Email learners before a due date and once overdue, and each manager a digest of their team's overdue modules."""
    from ethicskit.course import remind

    run = _library_call(remind, dry_run=dry_run, today=today, days=days, manager_emails=list(manager_emails))
    for note in run.notes:
        click.echo(f"skipped: {note}", err=True)
    for r in run.planned if dry_run else run.sent:
        click.echo(f"{'would send' if dry_run else 'sent'} to {r.recipient}: {r.subject}")
    for r, error in run.failed:
        click.echo(f"FAILED to {r.recipient}: {r.subject}: {error} (tried again next run)", err=True)
    click.echo(f"{len(run.planned)} to send" if dry_run else f"{len(run.sent)} sent, {len(run.failed)} failed")
    if run.failed:
        sys.exit(1)


# --- running on JupyterHub (issue 11; the hub's config is deploy/jupyterhub/) --------------------

@main.group()
def hub() -> None:
    """Run the course on JupyterHub: sync the roster to hub users and groups, serve the dashboard."""


@hub.command("roster-sync")
@click.option("--hub-url", envvar="JUPYTERHUB_API_URL", required=True, show_envvar=True,
              help="The hub's API URL, e.g. http://127.0.0.1:8081/hub/api.")
@click.option("--token-env", default="JUPYTERHUB_API_TOKEN", show_default=True,
              help="Environment variable holding the API token (the roster-sync service's token).")
@click.option("--facilitator", "facilitators", multiple=True, help="A facilitator's hub username (repeat).")
@click.option("--manager", "managers", multiple=True, help="A manager's hub username (repeat).")
@click.option("--staff", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="CSV of staff: username,role (facilitator or manager).")
@click.option("--login-map", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write {email: learner id} here for the hub's config (ETHICSKIT_HUB_LOGIN_MAP).")
@click.option("--delete-inactive", is_flag=True, help="Delete the hub users of people who left (files and grades stay).")
@click.option("--dry-run", is_flag=True, help="Print the changes without making them.")
def hub_roster_sync(hub_url: str, token_env: str, facilitators: tuple[str, ...], managers: tuple[str, ...],
                    staff: Path | None, login_map: Path | None, delete_inactive: bool, dry_run: bool) -> None:
    """Create hub users for the roster's learners and set the course's learner, facilitator and manager groups."""
    from ethicskit.hub import roster_sync

    result = _library_call(roster_sync, hub_url, os.environ.get(token_env, ""), facilitators=list(facilitators),
                           managers=list(managers), staff=staff, login_map=login_map,
                           delete_inactive=delete_inactive, dry_run=dry_run)
    for line in result.plan.lines():
        click.echo(("would " if dry_run and not line.startswith(("note", "the hub")) else "") + line)
    if result.login_map:
        click.echo(f"wrote the login map of {len(result.plan.login_map)} learner(s) to {result.login_map}")


@hub.command("dashboard")
def hub_dashboard() -> None:
    """Serve the manager dashboard as a JupyterHub service (the hub starts this; see deploy/README.md)."""
    from ethicskit.hub import dashboard_service_plan
    from ethicskit.paths import project_root

    plan = _library_call(dashboard_service_plan, _library_call(project_root))
    click.echo(f"Serving the dashboard at {plan.url} behind the hub's login")
    sys.stdout.flush()
    os.chdir(plan.cwd)
    os.execve(plan.argv[0], plan.argv, plan.env)


TEAM_SUMMARY = ["team", "learners", "not started", "overdue", "submitted", "needs manual grading", "passed",
                "not passed", "passed %"]


PLAIN_TABLE_ROWS = 1000  # above this, a table is printed as tab-separated lines: rich takes ~1 ms a row


def _print_table(rows: list[dict], columns: list[str], *, title: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    if len(rows) > PLAIN_TABLE_ROWS:
        cell = lambda v: "" if v is None else str(v).replace("\t", " ").replace("\n", " ")  # noqa: E731
        lines = ([title] if title else []) + ["\t".join(map(str, columns))]
        lines += ["\t".join(cell(row.get(c)) for c in columns) for row in rows]
        click.echo("\n".join(lines))
        return

    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(str(column))
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    Console().print(table)


def _one_module(name: str):
    from ethicskit.course import resolve_modules

    return _library_call(resolve_modules, [name])[:1]


def _warn(text: str) -> None:
    from rich.console import Console
    from rich.panel import Panel

    Console(stderr=True).print(Panel(text, title="warning", style="bold red"))


def _library_call(func, *args, **kwargs):
    """Call the library; the errors a user can cause become clear CLI errors, any other keeps its traceback."""
    try:
        return func(*args, **kwargs)
    except EthicskitError as exc:
        raise click.ClickException(str(exc)) from exc


def _print_outcomes(outcomes) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    for module in dict.fromkeys(o.module for o in outcomes):
        table = Table(title=module, title_justify="left")
        for column in ("check", "result", "seconds"):
            table.add_column(column)
        for o in (o for o in outcomes if o.module == module):
            table.add_row(o.check, "[green]pass[/]" if o.ok else "[red]FAIL[/]", f"{o.seconds:.1f}")
        console.print(table)
        for o in (o for o in outcomes if o.module == module and not o.ok):
            for detail in o.details:
                console.print(f"  [red]✗[/] {escape(o.check)}: {escape(detail)}", highlight=False, soft_wrap=True)


if __name__ == "__main__":  # pragma: no cover
    main()
