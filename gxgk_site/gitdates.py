"""Publication dates from Git: the day each file first landed on the current branch.

One ``git log`` pass over the whole site, oldest commit first, following renames, so that an item
keeps its original date when it is moved. Only the current branch's own line of history counts
(``--first-parent``): a file added on a feature branch is published when it is merged. Commit
times are read as Beijing dates, whatever time zone the committer's machine had.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from gxgk_site.gitstatus import name_status
from gxgk_site.workdays import china_date


@dataclass
class GitHistory:
    """For each path (relative to the site directory): the days of the commits that touched it."""

    in_repo: bool = False
    shallow: bool = False
    days: dict[str, list[dt.date]] = field(default_factory=dict)

    def added(self, path: str) -> dt.date | None:
        days = self.days.get(path)
        return days[0] if days else None


def _git(site_dir: Path, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    try:
        return subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=site_dir, capture_output=True, check=False,
        )
    except OSError:  # git is not installed
        return None


def read_history(site_dir: Path) -> GitHistory:
    probe = _git(site_dir, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository")
    if probe is None or probe.returncode != 0:
        return GitHistory()
    answers = probe.stdout.decode().split()
    history = GitHistory(in_repo=True, shallow=answers[-1:] == ["true"])
    log = _git(site_dir, "log", "--first-parent", "--reverse", "-M", "--name-status", "-z",
               "--format=%x01%ct", "--relative", "--", ".")
    if log is None or log.returncode != 0:  # e.g. a repository with no commit yet
        return history
    for chunk in log.stdout.decode("utf-8", errors="surrogateescape").split("\x01")[1:]:
        stamp, _, rest = chunk.partition("\x00")
        day = china_date(int(stamp.strip()))
        for change in name_status(rest.lstrip("\n").split("\x00")):
            if change.old is not None:
                if change.status == "C":  # a copy starts with the original's history
                    earlier = history.days.get(change.old, [])
                else:  # a rename keeps it
                    earlier = history.days.pop(change.old, [])
                history.days[change.path] = [*earlier, day]
            elif change.status == "D":
                history.days.pop(change.path, None)
            else:
                history.days.setdefault(change.path, []).append(day)
    return history
