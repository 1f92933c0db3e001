"""The `gxgk` command line."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from gxgk_site import __version__
from gxgk_site.check import check_site
from gxgk_site.config import ConfigUnavailable
from gxgk_site.finding_formats import FORMATS, render
from gxgk_site.workdays import china_today

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT_RUN = 0, 1, 2


def _parse_today(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return china_today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD") from None


today_option = click.option(
    "--today", metavar="YYYY-MM-DD", callback=_parse_today,
    help="Judge dates as if today were this day (default: today in Beijing time).",
)
site_argument = click.argument(
    "site_dir", required=False, default=".",
    type=click.Path(file_okay=False, dir_okay=True, path_type=Path),
)


@click.group()
@click.version_option(__version__, prog_name="gxgk")
def cli() -> None:
    """gxgk-site: build and check a 政府信息公开专栏 (government information-disclosure column)."""


def _repo_prefix(site_dir: Path) -> Path | None:
    """The site folder relative to the working directory, for CI annotations."""
    try:
        relative = site_dir.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return None
    return None if relative == Path() else relative


@cli.command()
@site_argument
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people, json for tools, github for CI annotations.")
@today_option
def check(site_dir: Path, fmt: str, today: dt.date) -> None:
    """Check every item against the disclosure rules.

    Exit 0 when there is no error, 1 when there is one, 2 when the check cannot run.
    """
    if not site_dir.is_dir():
        raise click.UsageError(f"{site_dir} is not a folder")
    try:
        result = check_site(site_dir, today)
    except ConfigUnavailable as exc:
        click.echo(f"gxgk check: {exc}", err=True)
        sys.exit(EXIT_CANNOT_RUN)
    click.echo(render(result, fmt, _repo_prefix(site_dir)), nl=False)
    sys.exit(EXIT_FINDINGS if result.errors else EXIT_OK)


def main() -> None:
    """Console entry point: no traceback reaches an editor unless GXGK_DEBUG is set."""
    try:
        cli(standalone_mode=True)
    except Exception as exc:  # a bug in gxgk itself
        if os.environ.get("GXGK_DEBUG"):
            raise
        click.echo(f"gxgk: internal error: {type(exc).__name__}: {exc} "
                   "(set GXGK_DEBUG=1 for details, and please report it)", err=True)
        sys.exit(EXIT_CANNOT_RUN)
