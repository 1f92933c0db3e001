"""When ``gxgk report`` must not print a year's report.

A table is never printed from input that was partly rejected: that is how a report of zeros
whose cross-checks "all hold" came out of a file with one bad cell. The year is refused when
there is an error about:

- its ``data/reports/YEAR.yaml`` (other years' files do not matter here);
- the ledger, ``data/requests/``: a rejected record may be of any year;
- any other file under ``data/reports/`` (misnamed, a symbolic link, not text): it is not read,
  and may hold this year's data;
- table 三 entered by hand and counted from the ledger too (``source_conflict``).
"""

from __future__ import annotations

from collections.abc import Sequence

from gxgk_site.findings import Finding, Severity
from gxgk_site.report.inputs import REPORTS_DIR, YEAR_FILE

_INPUT_DIRS = (REPORTS_DIR, "data/requests")


def is_input(path: str) -> bool:
    """Whether a finding's file is one the report is made from (or its folder)."""
    return any(path == folder or path.startswith(f"{folder}/") for folder in _INPUT_DIRS)


def _another_years_file(path: str, year: int) -> bool:
    folder, _, name = path.rpartition("/")
    match = YEAR_FILE.fullmatch(name)
    return folder == REPORTS_DIR and match is not None and int(match[1]) != year


def blocking(year: int, findings: Sequence[Finding]) -> list[Finding]:
    """The errors among the loading ``findings`` (and the source conflict) that keep the
    year's report from being printed."""
    return [f for f in findings if f.severity == Severity.ERROR and is_input(f.path)
            and not _another_years_file(f.path, year)]


def refusal(year: int, blockers: Sequence[Finding]) -> str | None:
    """What ``gxgk report`` says instead of the report, or None when it may print it."""
    if not blockers:
        return None
    files = ", ".join(sorted({f.path for f in blockers}))
    return (f"gxgk report: the {year} report is not printed: {len(blockers)} error(s) in what "
            f"it is made from ({files}; listed above). A report is never printed from input "
            "that was rejected, in part or whole: fix them, then run it again.")
