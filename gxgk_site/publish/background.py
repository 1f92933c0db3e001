"""Running the rules in a second process while the build prepares its pages.

The rules only read the model, and the build writes nothing before their findings are in, so
the two can overlap: on a large site a forked child runs the rules (it inherits the loaded model
for free) while the parent plans the pages and computes their fingerprints. On a small site,
with one job, or where fork is not available, the rules simply run first.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor

from gxgk_site.children import die_with_parent
from gxgk_site.findings import Finding
from gxgk_site.loader import PARALLEL_THRESHOLD
from gxgk_site.model import Site
from gxgk_site.rules import run_rules

_SITE: Site | None = None  # the model a forked child inherited


def _run_inherited() -> list[Finding]:
    assert _SITE is not None
    return run_rules(_SITE)


@contextlib.contextmanager
def rules_in_background(site: Site, jobs: int) -> Iterator[Callable[[], list[Finding]]]:
    """``with rules_in_background(site, jobs) as findings:`` ... ``findings()``."""
    global _SITE
    if (jobs < 2 or len(site.items) < PARALLEL_THRESHOLD
            or "fork" not in multiprocessing.get_all_start_methods()):
        found = run_rules(site)
        yield lambda: found
        return
    _SITE = site
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"),
                                 initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            future = pool.submit(_run_inherited)
            yield future.result
    finally:
        _SITE = None
