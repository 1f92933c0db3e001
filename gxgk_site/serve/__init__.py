"""`gxgk serve`: build the site into a private folder, serve it, rebuild on every save.

The preview lives in ``SITE_DIR/.gxgk/serve/`` (never in ``_site/``): items with errors are left
out instead of stopping the preview, and the search index is not built. ``watch.py`` notices
saves, ``rebuild.py`` builds, ``state.py`` holds the outcome, ``server.py`` serves the files and
tells open pages to reload or to show the errors (``reload.js``, ``overlay.css``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import shutil
import signal
from collections.abc import Callable
from pathlib import Path

from gxgk_site import site_files
from gxgk_site.finding_formats import finding_line
from gxgk_site.publish.output import MARKER, OutputBusy, exclusive
from gxgk_site.serve.rebuild import build_preview
from gxgk_site.serve.server import PreviewServer
from gxgk_site.serve.state import PreviewState
from gxgk_site.serve.watch import Debouncer, SourceWatcher

PREVIEW_DIR = Path(".gxgk") / "serve"
SESSION = Path(".gxgk") / "serve-session"  # its lock (.gxgk/.serve-session.lock): one preview
HOST = "127.0.0.1"


class ServeUnavailable(Exception):
    """The server cannot start (e.g. the port is taken); the message says what to do."""


FIRST_BUILD = ""  # what the first build is queued as: no file changed


def _describe(changes: list[str]) -> str:
    changes = [change for change in changes if change != FIRST_BUILD]
    if not changes:
        return "first build"
    shown = ", ".join(changes[:3])
    return shown + (f" and {len(changes) - 3} more" if len(changes) > 3 else "") + " changed"


def _clear_stale(out_dir: Path) -> None:
    """Remove a previous session's preview: it may show items that are no longer public."""
    for folder in (out_dir, out_dir.with_name(f".{out_dir.name}.building-old")):
        if (folder / MARKER).is_file():
            shutil.rmtree(folder, ignore_errors=True)


def _bind(port: int, out_dir: Path, state: PreviewState) -> PreviewServer:
    try:
        return PreviewServer((HOST, port), out_dir, state)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServeUnavailable(
                f"port {port} on {HOST} is already in use (another gxgk serve?); stop that "
                "server or choose another port with --port") from None
        raise ServeUnavailable(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}; "
                               "choose another port with --port") from None


def _children_ignore_ctrl_c() -> None:
    """Ctrl-C reaches the whole process group: the render workers a rebuild forks leave it to
    the server, which stops them, instead of each printing a traceback."""
    os.register_at_fork(after_in_child=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))


def serve(site_dir: Path, port: int, today: Callable[[], dt.date],
          echo: Callable[[str], None]) -> None:
    """Serve until interrupted (Ctrl-C); raises ServeUnavailable when it cannot start."""
    problem = site_files.work_folder_problem(site_dir)
    if problem:
        raise ServeUnavailable(problem)
    # one preview per site: a second one would clear the first one's preview and take turns
    # with it building into the same folder
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(exclusive(site_dir / SESSION))
        except OutputBusy:
            raise ServeUnavailable("another gxgk serve is previewing this site already; use "
                                   "that one, or stop it (Ctrl-C) and start again") from None
        _serve(site_dir, port, today, echo)


def _serve(site_dir: Path, port: int, today: Callable[[], dt.date],
           echo: Callable[[str], None]) -> None:
    out_dir = site_dir / PREVIEW_DIR
    state = PreviewState()
    server = _bind(port, out_dir, state)
    _clear_stale(out_dir)
    _children_ignore_ctrl_c()

    def rebuild(changes: list[str]) -> None:
        state.started_build()
        attempt = build_preview(site_dir, out_dir, today())
        if attempt.built:
            server.base_path = attempt.base_path
        state.finished_build(built=attempt.built, findings=attempt.findings,
                             withheld=attempt.withheld, note=attempt.summary)
        held = f"; {len(attempt.withheld)} item(s) held back" if attempt.withheld else ""
        if not attempt.built:
            held = "; still serving the last good build"
        echo(f"{_describe(changes)}: {attempt.summary} in {attempt.seconds:.2f} s, "
             f"{attempt.errors} error(s), {attempt.warnings} warning(s){held}")
        for finding in attempt.findings:
            if finding.severity == "error":
                echo(f"  {finding_line(finding)}")

    debouncer = Debouncer(rebuild)
    watcher = SourceWatcher(site_dir, debouncer.poke)
    echo(f"serving {site_dir} at http://{HOST}:{server.server_port}/ (Ctrl-C to stop)")
    echo("preview: items with errors are left out; the search index is not built "
         "(gxgk build makes it)")
    try:
        watcher.start()
        debouncer.start()
        debouncer.poke(FIRST_BUILD)
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        state.stop()
        debouncer.stop()
        with contextlib.suppress(Exception):
            watcher.stop()
        server.server_close()
    echo("stopped")
