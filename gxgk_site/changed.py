"""Which files of a site changed since a Git revision: the git side of `check --changed-since`.

"Changed since REF" is every file that differs between REF and the working tree (committed,
staged or not) plus every untracked file that is not ignored; a renamed file counts under its new
path, and its old path is remembered as gone, like a deleted file. Git runs from the repository's
top folder; paths are then made relative to the site folder, which may be a subfolder of the
repository (files outside it are left out).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from gxgk_site.gitstatus import name_status


class ChangesUnavailable(Exception):
    """No git, no repository, or REF is not a revision; the message says what to do."""


@dataclass(frozen=True)
class Changes:
    ref: str
    changed: frozenset[str]  # site-relative paths that exist now and differ from REF, or are new
    gone: frozenset[str]  # site-relative paths deleted since REF, or renamed away
    repo_paths: dict[str, str]  # site-relative path (changed or gone) -> path in the repository


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise ChangesUnavailable(f"--changed-since needs git, which cannot run here ({exc}); "
                                 "install git, or check without --changed-since") from None


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogateescape")


def _site_prefix(site_dir: Path) -> tuple[Path, str]:
    """The repository's top folder, and the site folder's path in it ('' or 'sub/dir/')."""
    probe = _git(site_dir, "rev-parse", "--show-toplevel", "--show-prefix")
    if probe.returncode != 0:
        raise ChangesUnavailable(f"--changed-since: {site_dir} is not in a Git repository; "
                                 "run it in a clone of the site, or check without it")
    lines = _text(probe.stdout).split("\n")
    return Path(lines[0]), lines[1] if len(lines) > 1 else ""


def _verify(top: Path, ref: str) -> None:
    probe = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if probe.returncode != 0:
        raise ChangesUnavailable(
            f"--changed-since {ref}: not a commit in the repository at {top}; give a branch, "
            "tag or commit that exists there (in CI fetch the whole history, e.g. "
            "fetch-depth: 0 / GIT_DEPTH: 0, and name the remote branch, e.g. origin/main)")


def _name_status(output: bytes) -> tuple[list[str], list[str]]:
    """(paths that exist after the change, paths that are gone) from ``diff --name-status -z``."""
    present: list[str] = []
    gone: list[str] = []
    for change in name_status(_text(output).split("\x00")):
        (gone if change.status == "D" else present).append(change.path)
        if change.status == "R" and change.old is not None:
            gone.append(change.old)
    return present, gone


def changed_since(site_dir: Path, ref: str) -> Changes:
    """The site's files changed since ``ref``; raises ChangesUnavailable with a clear message."""
    top, prefix = _site_prefix(site_dir)
    _verify(top, ref)
    diff = _git(top, "-c", "core.quotepath=off", "diff", "--name-status", "-z", "-M",
                "--end-of-options", ref, "--")
    untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z")
    for answer in (diff, untracked):
        if answer.returncode != 0:
            message = _text(answer.stderr).strip() or "git failed"
            raise ChangesUnavailable(f"--changed-since {ref}: {message}")
    present, gone = _name_status(diff.stdout)
    present += [path for path in _text(untracked.stdout).split("\x00") if path]

    repo_paths: dict[str, str] = {}

    def in_site(paths: list[str]) -> frozenset[str]:
        inside = set()
        for path in paths:
            if path.startswith(prefix):
                relative = PurePosixPath(path[len(prefix):]).as_posix()
                repo_paths[relative] = path
                inside.add(relative)
        return frozenset(inside)

    changed = in_site(present)
    return Changes(ref=ref, changed=changed, gone=in_site(gone) - changed,
                   repo_paths=repo_paths)


def texts_at(site_dir: Path, ref: str, repo_paths: list[str]) -> dict[str, str]:
    """The text at ``ref`` of each repository path that existed there (one ``git cat-file``)."""
    if not repo_paths:
        return {}
    top, _ = _site_prefix(site_dir)
    request = "".join(f"{ref}:{path}\n" for path in repo_paths).encode("utf-8", "surrogateescape")
    try:
        answer = subprocess.run(["git", "cat-file", "--batch"], cwd=top, input=request,
                                capture_output=True, check=False)
    except OSError:
        return {}
    texts: dict[str, str] = {}
    data, position = answer.stdout, 0
    for path in repo_paths:
        end = data.find(b"\n", position)
        if end < 0:
            break
        header = data[position:end].split(b" ")
        position = end + 1
        if len(header) != 3 or not header[2].isdigit():  # "<name> missing": not in REF
            continue
        size = int(header[2])
        if header[1] == b"blob":
            texts[path] = _text(data[position:position + size])
        position += size + 1
    return texts
