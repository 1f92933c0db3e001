"""Running the rules in a second process while the build prepares its pages.

The rules only read the model, and the build writes nothing before their findings are in, so
the two can overlap: on a large site a forked child runs the rules (it inherits the loaded model
for free) while the parent plans the pages and computes their fingerprints. On a small site,
with one job, or where fork is not available, the rules simply run first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from gxgk_site import workers
from gxgk_site.findings import Finding
from gxgk_site.loader import PARALLEL_THRESHOLD
from gxgk_site.model import Site
from gxgk_site.rules import run_rules


@contextlib.contextmanager
def rules_in_background(site: Site, jobs: int) -> Iterator[Callable[[], list[Finding]]]:
    """``with rules_in_background(site, jobs) as findings:`` ... ``findings()``."""
    parallel = jobs >= 2 and len(site.items) >= PARALLEL_THRESHOLD
    with workers.in_background(lambda: run_rules(site), parallel=parallel) as findings:
        yield findings
