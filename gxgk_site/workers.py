"""Work spread over forked worker processes: the one way every parallel step does it.

Loading items, the rules, the search sources and the pages all run the same way: the parent
forks ``jobs`` workers, each worker makes its state once from what it inherited (``prepare``,
run in the child: caches, a renderer), and each task is ``work(state, task)``. Workers inherit
the model by fork, which costs nothing; only tasks and results travel through pipes. The state is
the workers' own: nothing a worker does reaches the parent but its results. Workers die with the
build (children.die_with_parent). With one job, too few tasks, or no fork on this system, the
same calls run in this process.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from gxgk_site.children import die_with_parent

State = TypeVar("State")
Task = TypeVar("Task")
Result = TypeVar("Result")

# In a worker: (work, state). The only module-level state of the parallel steps, set in the
# child by _start and never in the parent.
_WORKER: tuple[Callable[[Any, Any], Any], Any] | None = None


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def default_jobs() -> int:
    return os.cpu_count() or 1


def _start(parent: int, work: Callable[[Any, Any], Any], prepare: Callable[[], Any]) -> None:
    global _WORKER
    die_with_parent(parent)
    _WORKER = (work, prepare())


def _run(task: Any) -> Any:
    assert _WORKER is not None, "a task reached a process that is not a worker"
    work, state = _WORKER
    return work(state, task)


def run(work: Callable[[State, Task], Result], tasks: Sequence[Task],
        prepare: Callable[[], State], jobs: int, *, ordered: bool = True,
        ) -> Iterator[Result]:
    """``work(state, task)`` for every task, on ``jobs`` forked workers (each with its own
    ``prepare()``), or here when ``jobs`` is 1 or there is at most one task. Results come in
    task order, or as they are done with ``ordered=False``. An exception in a task stops the
    workers and is raised here."""
    if jobs < 2 or len(tasks) < 2 or not can_fork():
        state = prepare()
        for task in tasks:
            yield work(state, task)
        return
    # The workers inherit every object of the parent. Freezing the garbage collector's view
    # keeps them from touching (and so copying) the memory of each inherited object.
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(min(jobs, len(tasks)), initializer=_start,
                          initargs=(os.getpid(), work, prepare)) as pool:
            mapped = pool.imap if ordered else pool.imap_unordered
            yield from mapped(_run, tasks)
    finally:
        gc.unfreeze()


@contextlib.contextmanager
def in_background(compute: Callable[[], Result], *,
                  parallel: bool) -> Iterator[Callable[[], Result]]:
    """``with in_background(compute, parallel=…) as result:`` … ``result()``: ``compute()`` in
    one forked worker, which inherits what it needs, while this process goes on (or here, at
    once, when not ``parallel`` or where there is no fork). Only the result travels."""
    if not parallel or not can_fork():
        done = compute()
        yield lambda: done
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(1, initializer=_start,
                      initargs=(os.getpid(), lambda _, __: compute(), lambda: None)) as pool:
        pending = pool.apply_async(_run, (None,))
        yield pending.get


def chunks(items: Sequence[Task], jobs: int, per_job: int = 4) -> list[Sequence[Task]]:
    """``items`` cut into a few chunks per job: enough to even out the load, few enough that
    each worker's state serves many items."""
    if not items:
        return []
    size = -(-len(items) // (max(jobs, 1) * per_job))
    return [items[start:start + size] for start in range(0, len(items), size)]
