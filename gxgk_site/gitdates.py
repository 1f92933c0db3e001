"""Publication dates from Git: the day each file first landed on the current branch as a
published item (not a draft).

One ``git log`` pass over the whole site, oldest commit first, following renames, so that an item
keeps its original date when it is moved. Only the current branch's own line of history counts
(``--first-parent``): a file added on a feature branch is published when it is merged. Commit
times are read as Beijing dates, whatever time zone the committer's machine had.

A draft committed to the branch is not published: a second pass (``-G`` on the ``draft:`` line,
so only the commits that change it) finds when each file became, or stopped being, a draft, and
the commits made while it was one do not count. (The ``draft:`` line is recognised by its text
in the diff; a body line starting with ``draft:`` would be taken for it.)
"""

from __future__ import annotations

import datetime as dt
import re
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
               "--format=%x01%H %ct", "--relative", "--", ".")
    if log is None or log.returncode != 0:  # e.g. a repository with no commit yet
        return history
    drafts = _draft_changes(site_dir)
    drafted: dict[str, bool] = {}  # path -> a draft after the commit being read
    for chunk in log.stdout.decode("utf-8", errors="surrogateescape").split("\x01")[1:]:
        header, _, rest = chunk.partition("\x00")
        commit, _, stamp = header.strip().partition(" ")
        day = china_date(int(stamp))
        now_draft = drafts.get(commit, {})
        for change in name_status(rest.lstrip("\n").split("\x00")):
            if change.status == "D":
                history.days.pop(change.path, None)
                drafted.pop(change.path, None)
                continue
            earlier: list[dt.date] = []
            if change.old is not None:
                if change.status == "C":  # a copy starts with the original's history
                    earlier = list(history.days.get(change.old, []))
                    drafted[change.path] = drafted.get(change.old, False)
                else:  # a rename keeps it
                    earlier = history.days.pop(change.old, [])
                    drafted[change.path] = drafted.pop(change.old, False)
            else:
                earlier = history.days.pop(change.path, [])
            drafted[change.path] = now_draft.get(change.path, drafted.get(change.path, False))
            if drafted[change.path]:  # a draft is not published by this commit
                if earlier:
                    history.days[change.path] = earlier
            else:
                history.days[change.path] = [*earlier, day]
    return history


_DRAFT_LINE = re.compile(r"^([+-])draft:\s*([^#\s]*)", re.IGNORECASE)


def _draft_changes(site_dir: Path) -> dict[str, dict[str, bool]]:
    """commit -> {path: whether the file is a draft after it}, for the commits whose diff adds
    or removes a ``draft:`` line."""
    log = _git(site_dir, "log", "--first-parent", "-M", "-G^draft:", "--format=%x01%H",
               "-p", "--unified=0", "--no-color", "--no-ext-diff", "--relative", "--", ".")
    if log is None or log.returncode != 0:
        return {}
    changes: dict[str, dict[str, bool]] = {}
    for chunk in log.stdout.decode("utf-8", errors="surrogateescape").split("\x01")[1:]:
        commit, _, patch = chunk.partition("\n")
        states: dict[str, bool] = {}
        path = None
        added: bool | None = None
        for line in patch.split("\n"):
            if line.startswith("+++ "):
                if path is not None:
                    states[path] = bool(added)
                target = line[4:].rstrip("\t")
                path = target[2:] if target.startswith("b/") else None  # None: deleted
                added = None
                continue
            match = _DRAFT_LINE.match(line) if path is not None else None
            if match and not line.startswith(("+++", "---")):
                if match[1] == "+":
                    added = match[2].lower() in ("true", "yes", "on")
                elif added is None:
                    added = False  # the line was removed, and no new one added (yet)
        if path is not None:
            states[path] = bool(added)
        changes[commit.strip()] = states
    return changes
