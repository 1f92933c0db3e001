"""Writing the output safely: a build that fails or is killed midway leaves the previous site.

A clean build writes into a temporary sibling and swaps it in (``AtomicOutput``). An incremental
build (``StagedUpdate``) writes only the changed files, into a temporary sibling too; when all
are written it renames that folder to ``.<out>.applying`` (the moment the build is done), then
moves its files into the output and deletes the files that are gone. A build killed while
moving is finished by the next run (``recover``), so the output is always either the previous
site or the new one. The output folder carries a marker file, so a folder that gxgk did not
make is never deleted.

One build at a time writes an output: a build holds an exclusive lock (``flock``) on
``.<out>.lock`` beside the output folder (not in it: the folder is replaced) for as long as it
runs, and a second build of the same output stops at once. The lock file stays; the kernel
releases the lock when the build ends, however it ends. Forked children close their copy of it,
so that none can keep it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # not a POSIX system: no lock
    fcntl = None  # type: ignore[assignment]

MARKER = ".gxgk-build"
JOURNAL = ".gxgk-apply.json"  # in the staged folder: the files to delete


class OutputRefused(Exception):
    """The output folder cannot be used; the message says why and what to do."""


class OutputBusy(OutputRefused):
    """Another build is writing the same output folder."""


_HELD: set[int] = set()  # descriptors of the locks this process holds


def _forget_locks() -> None:
    for descriptor in _HELD:
        with contextlib.suppress(OSError):
            os.close(descriptor)
    _HELD.clear()


os.register_at_fork(after_in_child=_forget_locks)


def lock_path(out_dir: Path) -> Path:
    out = Path(os.path.abspath(out_dir))  # one lock however the folder is spelled
    return out.with_name(f".{out.name}.lock")


@contextlib.contextmanager
def exclusive(out_dir: Path) -> Iterator[None]:
    """``with exclusive(out):`` this process alone builds ``out``; raises OutputBusy when
    another holds it."""
    if fcntl is None:
        yield
        return
    path = lock_path(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputBusy(f"another gxgk build is writing {out_dir}; run this one again "
                             "when that one has finished") from None
        _HELD.add(descriptor)
        yield
    finally:
        _HELD.discard(descriptor)
        os.close(descriptor)


def recover(out_dir: Path) -> None:
    """Put back a previous site that a build killed between the two renames of ``commit``
    moved aside (otherwise the next build would clean it up as a leftover), and finish an
    incremental update that a killed build had committed but not yet moved in."""
    old = out_dir.with_name(f".{out_dir.name}.building-old")
    if old.is_dir() and not out_dir.exists() and (old / MARKER).is_file():
        old.rename(out_dir)
    if _applying(out_dir).is_dir():
        if (out_dir / MARKER).is_file():
            _apply(out_dir)
        else:
            shutil.rmtree(_applying(out_dir), ignore_errors=True)


def _applying(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}.applying")


def _apply(out_dir: Path) -> None:
    """Move the committed update's files into the output, then delete what is gone. Safe to
    run again after an interruption: every step can be repeated."""
    staged = _applying(out_dir)
    journal = staged / JOURNAL
    gone = json.loads(journal.read_text(encoding="utf-8")) if journal.is_file() else []
    for folder, _, names in sorted(os.walk(staged)):
        relative = Path(folder).relative_to(staged)
        for name in sorted(names):
            if relative == Path() and name == JOURNAL:
                continue
            target = out_dir / relative / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(Path(folder) / name, target)
    folders = set()
    for name in gone:
        with contextlib.suppress(FileNotFoundError):
            (out_dir / name).unlink()
        folders.update((out_dir / name).parents)
    for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
        if folder != out_dir and folder.is_relative_to(out_dir):
            with contextlib.suppress(OSError):  # not empty: still in use
                folder.rmdir()
    shutil.rmtree(staged)


def check_target(out_dir: Path, site_dir: Path) -> None:
    out, site = out_dir.resolve(), site_dir.resolve()
    if out == site or out in site.parents or (site / "content").resolve().is_relative_to(out):
        raise OutputRefused(f"the output folder {out_dir} would contain the site itself; "
                            "choose another --out (default: _site)")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and
                                              not (out / MARKER).is_file())):
        raise OutputRefused(f"{out_dir} exists and was not made by gxgk build, so it is not "
                            "replaced; remove it or choose another --out")


class AtomicOutput:
    """``with AtomicOutput(out) as tmp:`` write into tmp, then ``commit()`` swaps it in."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.prefix = f".{out_dir.name}.building-"
        self.tmp: Path | None = None

    def __enter__(self) -> Path:
        parent = self.out_dir.parent
        parent.mkdir(parents=True, exist_ok=True)
        for stale in parent.glob(f"{self.prefix}*"):  # left by a killed build
            shutil.rmtree(stale, ignore_errors=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=self.prefix, dir=parent))
        (self.tmp / MARKER).write_text("built by gxgk-site; replaced by the next build\n")
        return self.tmp

    def commit(self) -> None:
        assert self.tmp is not None
        old = None
        if self.out_dir.exists():
            old = self.out_dir.with_name(f"{self.prefix}old")  # see recover()
            if old.exists():
                shutil.rmtree(old)
            self.out_dir.rename(old)
        self.tmp.rename(self.out_dir)
        self.tmp = None
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def __exit__(self, *exc: object) -> None:
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)


class StagedUpdate:
    """``with StagedUpdate(out) as stage:`` write the changed files into stage, then
    ``commit(gone)`` moves them into the output in place and deletes the ``gone`` files."""

    def __init__(self, out_dir: Path) -> None:
        self.atomic = AtomicOutput(out_dir)  # the same temporary sibling and its clean-up
        self.stage: Path | None = None

    def __enter__(self) -> Path:
        self.stage = self.atomic.__enter__()
        (self.stage / MARKER).unlink()  # the output keeps its own
        return self.stage

    def commit(self, gone: list[str]) -> None:
        assert self.stage is not None
        out_dir = self.atomic.out_dir
        (self.stage / JOURNAL).write_text(json.dumps(sorted(gone), ensure_ascii=False),
                                          encoding="utf-8")
        self.stage.rename(_applying(out_dir))  # from here on the update happens, see recover
        self.atomic.tmp = self.stage = None
        _apply(out_dir)

    def __exit__(self, *exc: object) -> None:
        self.atomic.__exit__(*exc)
