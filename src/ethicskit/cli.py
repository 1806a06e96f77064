"""The ``ethicskit`` command line: a thin layer over the library.

Each command parses its arguments, calls one library function and prints the
result. Library errors become ``click.ClickException``. Heavy imports
(nbgrader, pandas) happen inside the commands so ``--help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


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


def _library_call(func, *args, **kwargs):
    """Call the library; its errors become clear CLI errors."""
    try:
        return func(*args, **kwargs)
    except (ValueError, FileNotFoundError, KeyError) as exc:
        raise click.ClickException(str(exc).strip("'\"")) from exc


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
