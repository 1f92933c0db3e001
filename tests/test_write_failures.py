"""A build that cannot write: a clear message, the previous site untouched, nothing left behind.

Writes are made to fail for real: a file size limit on the build (RLIMIT_FSIZE, inherited by its
workers; Python ignores SIGXFSZ, so a write past the limit fails with EFBIG), and, where this
machine lets the tests mount one, a tmpfs too small for the new site (ENOSPC). A build cache
that cannot be written only costs time: the build goes on.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from build_support import tree_digest
from conftest import run_gxgk
from process_support import session

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-20"


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    pid: int


def _limit(size: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def build_limited(site: Path, limit: int, *options: str) -> Outcome:
    """`gxgk build` in a child whose files may not grow past ``limit`` bytes."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("GXGK_DEBUG", None)
    with session([sys.executable, "-m", "gxgk_site", "build", str(site), "--today", TODAY,
                  "--jobs", "2", *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                 env=env, preexec_fn=lambda: _limit(limit)) as process:
        out, err = process.communicate()
    return Outcome(process.returncode, out.decode(), err.decode(), process.pid)


def leftovers(out: Path, pid: int) -> list[str]:
    """What a failed build may not leave: its temporary tree, an update being applied."""
    found = [*out.parent.glob(f".{out.name}.building-*"), *out.parent.glob(f".{out.name}.applying")]
    return [str(path) for path in found]


def assert_failed_cleanly(outcome: Outcome, out: Path, before: dict[str, str], *said: str) -> None:
    report = outcome.stdout + outcome.stderr
    assert outcome.returncode == 2, report
    assert "internal error" not in report and "Traceback" not in report, report
    assert "gxgk build: cannot write " in outcome.stderr, report
    assert "nothing was published" in outcome.stderr, report
    for text in said:
        assert text in outcome.stderr, report
    assert tree_digest(out) == before  # the previous site, untouched
    assert not leftovers(out, outcome.pid)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site of 600 items (parallel loading, rendering and search sources with --jobs 2),
    built once with its search index."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import generate

    site = generate(tmp_path_factory.mktemp("failures") / "big", 600, light=True)
    built = run_gxgk("build", str(site), "--today", TODAY, "--jobs", "2")
    assert built.returncode == 0, built.stdout + built.stderr
    return site


@contextlib.contextmanager
def edited(paths: list[Path], addition: str) -> Iterator[None]:
    """Append to files, and put them back afterwards."""
    originals = {path: path.read_bytes() for path in paths}
    try:
        for path in paths:
            path.write_bytes(originals[path] + addition.encode("utf-8"))
        yield
    finally:
        for path, data in originals.items():
            path.write_bytes(data)


def some_items(site: Path) -> list[Path]:
    return sorted((site / "content").rglob("item-*.md"))[::4]  # 150 items: 300 pages


def test_pages_that_cannot_be_written_by_the_render_workers(big: Path) -> None:
    out = big / "_site"
    before = tree_digest(out)
    with edited(some_items(big), "\n补充说明：本条内容已更新。\n"):  # an update: 300 pages
        outcome = build_limited(big, 4096, "--no-search")
    assert_failed_cleanly(outcome, out, before, f"cannot write {out}/", ".html: File too large",
                          "ulimit -f")


def test_a_search_index_that_cannot_be_written(big: Path) -> None:
    """The search bundle is written into the new tree like the pages: when a file cannot be
    (here a file size limit), the build fails naming it, and leaves nothing behind."""
    out = big / "_site"
    before = tree_digest(out)
    with edited(some_items(big), "\n补充说明：本条内容已再次更新。\n"):
        outcome = build_limited(big, 100 * 1024)  # pages fit; the search index does not
    assert_failed_cleanly(outcome, out, before, f"cannot write {out}/pagefind",
                          ": File too large", "ulimit -f")


def test_generated_files_that_cannot_be_written(big: Path) -> None:
    out = big / "_site"
    before = tree_digest(out)
    with edited([big / "site.yaml"], "# 改过\n"):  # every page changes: a clean build
        outcome = build_limited(big, 64 * 1024, "--no-search")
    assert_failed_cleanly(outcome, out, before, f"{out}/catalog.", "File too large")


@contextlib.contextmanager
def tmpfs(mount_point: Path, size: int) -> Iterator[Path]:
    """A real file system of ``size`` bytes at ``mount_point``, or a skipped test where this
    machine does not let the tests mount one (e.g. CI without the privilege)."""
    mount_point.mkdir(parents=True)
    try:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                                  str(mount_point)], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        pytest.skip("no mount command here, so no full disk to test with")
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}), so no full disk "
                    "to test with")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _space(root: Path) -> int:
    """The bytes the files and folders under ``root`` take, in whole pages."""
    pages = sum(-(-path.stat().st_size // 4096) or 1 for path in root.rglob("*"))
    return pages * 4096


def test_a_full_disk(big: Path, tmp_path: Path) -> None:
    """The output on a disk with room for one site but not two: a clean build runs out of space
    while the previous site is still there."""
    reference = tmp_path / "reference"
    assert run_gxgk("build", str(big), "--today", TODAY, "--no-search", "--out",
                    str(reference)).returncode == 0
    with tmpfs(tmp_path / "disk", _space(reference) * 3 // 2) as disk:
        out = disk / "_site"
        first = run_gxgk("build", str(big), "--today", TODAY, "--no-search", "--out", str(out))
        assert first.returncode == 0, first.stdout + first.stderr
        before = tree_digest(out)
        with edited([big / "site.yaml"], "# 改过\n"):
            process = run_gxgk("build", str(big), "--today", TODAY, "--no-search", "--out",
                               str(out))
        outcome = Outcome(process.returncode, process.stdout, process.stderr, 0)
        assert_failed_cleanly(outcome, out, before, f"{out}/", "No space left on device",
                              "free some space")


def test_a_build_cache_that_cannot_be_written_does_not_stop_the_build(tmp_path: Path) -> None:
    """The build cache only saves time: a file where its folder should be (every write to it
    fails) leaves the build, the check and the editors' search as they would be without it."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    shutil.copyfile(ROOT / "site.yaml", site / "site.yaml")
    shutil.copytree(ROOT / "data", site / "data")
    reference = tmp_path / "reference"
    assert run_gxgk("build", str(site), "--today", TODAY, "--no-search", "--out",
                    str(reference)).returncode == 0
    checked = run_gxgk("check", str(site), "--today", TODAY, "--format", "json")
    found = run_gxgk("search", "养老保险", str(site), "--today", TODAY)
    shutil.rmtree(site / ".gxgk")
    (site / ".gxgk").mkdir()
    (site / ".gxgk" / "cache").write_text("not a folder\n")
    for attempt in range(2):  # the second one finds what the first could not save
        result = run_gxgk("build", str(site), "--today", TODAY, "--no-search")
        assert result.returncode == 0, f"attempt {attempt}: {result.stdout + result.stderr}"
        assert tree_digest(site / "_site") == tree_digest(reference)
        again = run_gxgk("check", str(site), "--today", TODAY, "--format", "json")
        assert (again.returncode, again.stdout, again.stderr) == \
            (checked.returncode, checked.stdout, checked.stderr)
        searched = run_gxgk("search", "养老保险", str(site), "--today", TODAY)
        assert (searched.returncode, searched.stdout) == (found.returncode, found.stdout)
        assert "Traceback" not in searched.stderr
    assert (site / ".gxgk" / "cache").read_text() == "not a folder\n"
