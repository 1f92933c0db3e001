"""Child processes die with the process that started them.

The build forks workers (loading, the rules, the search sources, rendering) and runs Pagefind.
A build that is killed (SIGKILL, the out-of-memory killer) cannot stop them itself, and a forked
worker waiting for its next task would wait for ever: each child asks the kernel, right after the
fork, to kill it when its parent dies (Linux: ``PR_SET_PDEATHSIG``; elsewhere nothing is done).
The parent may die before the request takes effect, so the child then checks that its parent is
still the process that started it, and ends itself when it is not. (The kernel watches the
thread that forked the child: a thread that starts a child must outlive it, as the build's do.)

Use ``die_with_parent`` as a process pool's initializer, with ``os.getpid()`` of the parent as
its argument, or ``parent_lifeline()`` as ``preexec_fn`` of a ``subprocess.Popen``.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable

PR_SET_PDEATHSIG = 1
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def die_with_parent(parent: int) -> None:
    """In a child just forked by ``parent``: be killed when ``parent`` dies (on Linux)."""
    if _LIBC is None:
        return
    _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # kept across exec
    if os.getppid() != parent:  # it died before the request took effect
        os.kill(os.getpid(), signal.SIGKILL)


def parent_lifeline() -> Callable[[], None]:
    """A ``preexec_fn`` that has the child killed when this process dies."""
    parent = os.getpid()
    return lambda: die_with_parent(parent)
