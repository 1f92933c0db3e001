"""The site's own files: listed and read only inside the site folder, never through a symbolic
link, and only as UTF-8 text.

gxgk reads nothing outside the site. A symbolic link among the site's inputs (``site.yaml``,
``content/``, ``data/``, ``static/``, ``templates/``) or its working folder ``.gxgk/`` could make it
read or publish any file of the machine (``ln -s /etc/passwd static/passwd.txt``), or write outside
the site; so a link is never followed, and each one is an error (rule ``symlink``) that names it
and says what to do. Listing folders never follows links either, so no reader meets one.

Text files (items, the guide, ``site.yaml``, the data files) are UTF-8, a byte-order mark allowed;
anything else gets one clear message, with a guess at the encoding editors' tools most often
save in (GBK/GB18030, UTF-16).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from gxgk_site.findings import Finding, error

CONFIG_FILE = "site.yaml"
CONTENT_DIR = "content"  # the items, the guide and the attachments
# folders gxgk reads: no symbolic link may stand anywhere in them
INPUT_FOLDERS = (CONTENT_DIR, "data", "static", "templates")
WORK_FOLDER = ".gxgk"  # where gxgk keeps its caches and the preview: never a link either
SYMLINK_RULE = "symlink"
FILE_NAME_RULE = "file-name"


class NotText(Exception):
    """A file that is not UTF-8 text; the message says what it seems to be and what to do."""


@dataclass
class Listing:
    """The files under a folder (site-relative POSIX paths, sorted), and the symbolic links
    met there, which are not followed. Hidden files and folders (a leading '.') are left out."""

    files: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    # names that are not UTF-8 (e.g. copied from a GBK Windows share), shown with the bad bytes
    # escaped: such a file (or folder) is not read
    misnamed: list[str] = field(default_factory=list)


def listing(site_dir: Path, folder: str) -> Listing:
    """Every regular file under ``site_dir/folder``, without following a symbolic link."""
    found = Listing()
    root = site_dir / folder
    if root.is_symlink():
        found.links.append(folder)
        return found
    if not root.is_dir():
        return found
    # os.scandir, not Path.rglob: at 10,000 files pathlib's bookkeeping costs a quarter second,
    # and a DirEntry knows whether it is a link without another system call.
    pending = [(str(root), f"{folder}/")]
    while pending:
        path, prefix = pending.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                if not _is_utf8(name):
                    found.misnamed.append(shown_name(prefix + name))
                elif entry.is_symlink():
                    found.links.append(prefix + name)
                elif entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{prefix}{name}/"))
                elif entry.is_file(follow_symlinks=False):
                    found.files.append(prefix + name)
    found.files.sort()
    found.links.sort()
    found.misnamed.sort()
    return found


def _is_utf8(name: str) -> bool:
    """Whether a file name was UTF-8 on disk (Python keeps other bytes as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown_name(path: str) -> str:
    """A path that may hold undecodable bytes, printable: those bytes as \\xNN."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def input_findings(site_dir: Path, known: dict[str, Listing] | None = None) -> list[Finding]:
    """Errors for the symbolic links among the site's inputs and in gxgk's working folder, and
    for the names that are not UTF-8; ``known`` holds listings already made (folder -> listing),
    so that no folder is walked twice."""
    known = known or {}
    links = [CONFIG_FILE] if (site_dir / CONFIG_FILE).is_symlink() else []
    misnamed: list[str] = []
    for folder in INPUT_FOLDERS:
        found = known.get(folder) or listing(site_dir, folder)
        links += found.links
        misnamed += found.misnamed
    return symlink_findings(sorted(links + work_links(site_dir))) + misnamed_findings(misnamed)


def work_links(site_dir: Path) -> list[str]:
    """Links where gxgk writes: .gxgk/ itself, its folders (cache, serve, search) and the
    cache's entries; what is below those, gxgk made itself."""
    found: list[str] = []
    pending = [WORK_FOLDER]
    while pending:
        relative = pending.pop()
        path = site_dir / relative
        if path.is_symlink():
            found.append(relative)
        elif path.is_dir() and relative.count("/") < 2:
            pending += [f"{relative}/{name}" for name in os.listdir(path)]
    return found


def work_folder_problem(site_dir: Path) -> str | None:
    """Why gxgk may not write into the site's .gxgk/ (a link in it), or None."""
    links = work_links(site_dir)
    if not links:
        return None
    return (f"{', '.join(links)} is a symbolic link; gxgk writes its caches and previews only "
            f"inside the site: remove the link (gxgk makes {WORK_FOLDER}/ again)")


def misnamed_findings(names: list[str]) -> list[Finding]:
    return [error(FILE_NAME_RULE, name, None,
                  "the name is not UTF-8 (it was probably copied from a system using GBK), so "
                  "gxgk cannot read or publish it: rename it")
            for name in names]


def symlink_findings(links: list[str]) -> list[Finding]:
    return [error(SYMLINK_RULE, link, None,
                  "is a symbolic link; gxgk reads and publishes only the site's own files, and "
                  "never follows a link (it could lead anywhere on this machine): put the file "
                  "or folder itself here, or remove the link")
            for link in links]


def decode(raw: bytes) -> str:
    """UTF-8 text (a byte-order mark is dropped) with LF line ends; raises NotText."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        seems = "UTF-16 text" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else "binary data"
        raise NotText(_not_text(seems))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotText(_not_text(_guess(raw))) from None
    if "\x00" in text:
        raise NotText(_not_text("binary data"))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _guess(raw: bytes) -> str:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return "neither UTF-8 nor GBK text"
    return "GBK (GB18030) text"


def _not_text(seems: str) -> str:
    return (f"not a UTF-8 text file (it looks like {seems}); save it as UTF-8, e.g. in the "
            "editor's 'Save with encoding' (binary files such as PDFs belong in an attachments "
            "folder, linked from an item)")


def read_text(path: Path) -> str:
    """A text file's content (see decode); raises NotText, also when it cannot be read."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise NotText(f"cannot read the file: {exc.strerror or exc}") from None
    return decode(raw)


class TooLarge(Exception):
    """A file beyond the size a reader takes; ``size`` is its size in bytes."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size:,} bytes")
        self.size = size


def read_bytes(path: Path, limit: int) -> bytes:
    """A regular file's bytes, never through a symbolic link (the file itself must not be one:
    O_NOFOLLOW), at most ``limit`` of them; raises TooLarge beyond, OSError when it cannot be
    read."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise OSError(f"{path.name} is not a regular file")
        if status.st_size > limit:
            raise TooLarge(status.st_size)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(len(data))
    return data
