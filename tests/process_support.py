"""Real processes that tests kill: each in a session of its own, and none may outlive its build.

``session(command)`` starts a command as the leader of a new session (and process group), and
kills whatever is left of that group when the test ends, pass or fail. ``kill(process)`` sends
SIGKILL to the leader alone, as the out-of-memory killer would, and ``survivors(process)`` lists
the processes of its session that are still alive a short while later (its render workers, the
rules child, Pagefind: whatever it started must die with it).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

GRACE_SECONDS = 10.0  # how long the children of a killed build get to die


@contextlib.contextmanager
def session(command: list[str], **options: Any) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(command, start_new_session=True, **options)
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the leader only (not its group) and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGKILL)
    process.wait()


def members(leader: int) -> list[str]:
    """The live processes (zombies are dead: only not yet reaped) whose process group or session
    is ``leader``'s, as "pid command"."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(
                errors="replace").strip()
        except OSError:  # it ended meanwhile
            continue
        state, _, group, sid = stat.rpartition(")")[2].split()[:4]
        if state != "Z" and leader in (int(group), int(sid)):
            found.append(f"{entry.name} {command}")
    return found


def survivors(process: subprocess.Popen[bytes]) -> list[str]:
    """The processes of ``process``'s session still alive after a bounded wait for them to go."""
    deadline = time.monotonic() + GRACE_SECONDS
    alive = members(process.pid)
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = members(process.pid)
    return alive


def kill_once_it_has_forked(process: subprocess.Popen[bytes], count: int) -> None:
    """SIGKILL the leader (only) as soon as it has started ``count`` children in all and one of
    them is alive: with ``count`` 1, while it loads the site; with more, at a later phase."""
    seen: set[str] = set()
    while process.poll() is None:
        alive = {line.partition(" ")[0] for line in members(process.pid)} - {str(process.pid)}
        seen |= alive
        if alive and len(seen) >= count:
            kill(process)
            return
    raise AssertionError(f"the build ended (exit {process.returncode}) before it had started "
                         f"{count} children")
