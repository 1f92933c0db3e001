"""Writing the output atomically: build into a temporary sibling, then swap it in.

A build that fails or is killed midway leaves the previous site untouched. The output folder
carries a marker file, so a folder that gxgk did not make is never deleted.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

MARKER = ".gxgk-build"


class OutputRefused(Exception):
    """The output folder cannot be used; the message says why and what to do."""


def recover(out_dir: Path) -> None:
    """Put back a previous site that a build killed between the two renames of ``commit``
    moved aside: otherwise the next build would clean it up as a leftover."""
    old = out_dir.with_name(f".{out_dir.name}.building-old")
    if old.is_dir() and not out_dir.exists() and (old / MARKER).is_file():
        old.rename(out_dir)


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
