"""The build cache (.gxgk/cache/store.sqlite3) only ever saves time.

Whatever state it is in (corrupt, cut short by a crash, of other code, not gxgk's at all, left
half-written by a killed build, written by two builds at once, impossible to write), a build
gives the output of a clean build without it, byte for byte, and no traceback; the store is
then made anew. The store's own rules (stamps, removal) are checked on real files.
"""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from build_support import (
    change_store,
    demo_copy,
    store_file,
    store_rows,
    store_stamps,
    tree_digest,
)
from conftest import run_gxgk
from process_support import session

from gxgk_site.cache_store import CACHE_DIR, PARTS, STORE_FILE, Store
from gxgk_site.code_stamp import code_stamp
from gxgk_site.parse_cache import RACY_SECONDS

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-21"




def generated(target: Path, count: int) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import generate

    return generate(target, count, light=True)


def gxgk_build(site: Path, out: Path, *options: str) -> None:
    result = run_gxgk("build", str(site), "--today", TODAY, "--no-search", "--out", str(out),
                      *options, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr


def reference(site: Path, scratch: Path) -> dict[str, str]:
    """The output of a clean build of the site's files without any cache."""
    copy = scratch / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("_site", ".gxgk", "out*"))
    gxgk_build(copy, copy / "_site")
    shutil.rmtree(copy / ".gxgk")
    return tree_digest(copy / "_site")


def assert_sound(site: Path, items: int) -> None:
    """The store after a build: every part of this code, every body and code kept."""
    stamps = store_stamps(site)
    assert {name: PARTS[name].stamp() for name in stamps} == stamps
    assert set(stamps) >= {"items", "templates", "qr", "bodies", "manifests"}  # and attachments
    assert stamps["qr"] != code_stamp()
    assert len(store_rows(site, "bodies")) == items
    assert len(store_rows(site, "qr")) == 2 * items  # each item page, in both scripts


# --- the store's rules, on real files -----------------------------------------------------


def test_each_part_says_what_it_depends_on() -> None:
    assert set(PARTS) == {"items", "attachments", "templates", "qr", "bodies", "manifests",
                          "links"}
    for part in PARTS.values():
        for name in part.files or ():
            assert (ROOT / "gxgk_site" / name).is_file(), name
    # 20,000 codes, and the answers of the links, survive a change of the rest of gxgk's code
    assert code_stamp() not in {PARTS["qr"].stamp(), PARTS["links"].stamp()}
    assert {PARTS[name].stamp() for name in PARTS if name not in ("qr", "links")} \
        == {code_stamp()}


def test_reading_makes_nothing(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    assert store.read("items") == {}
    assert not (tmp_path / ".gxgk").exists()


def test_values_are_kept_and_dropped(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    store.write("bodies", {"a": ((), "<p>甲</p>", "<p>甲</p>"), "b": ((), "<p>乙</p>", "")})
    store.write("qr", {"u\nt": "<svg/>"})
    assert store.read("bodies", ["b", "c"]) == {"b": ((), "<p>乙</p>", "")}
    assert store.read("qr") == {"u\nt": "<svg/>"}
    store.keep_only("bodies", {"b"})
    store.delete("qr", ["u\nt"])
    assert set(store.read("bodies")) == {"b"} and store.read("qr") == {}
    assert [path.name for path in (tmp_path / CACHE_DIR).iterdir()] == [STORE_FILE]


def test_a_part_of_another_stamp_is_emptied_never_read(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    store.write("manifests", {"/out": "kept by other code"})
    store.write("items", {"0": {}})
    change_store(tmp_path, ("UPDATE parts SET stamp = 'other' WHERE name = 'manifests'", ()))
    # a write (as a rendering worker's) finds the other stamp: it writes nothing
    store.write("manifests", {"/elsewhere": "mine"})
    assert store_rows(tmp_path, "manifests") == {"/out": pickle.dumps("kept by other code",
                                                                       protocol=5)}
    assert store_stamps(tmp_path)["manifests"] == "other"
    # a read empties it, stamps it as this code's, and returns nothing
    assert store.read("manifests") == {}
    assert store_rows(tmp_path, "manifests") == {}
    assert store_stamps(tmp_path)["manifests"] == code_stamp()
    assert store.read("items") == {"0": {}}  # the other parts are left as they are


def test_a_value_that_cannot_be_read_is_missing(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    store.write("bodies", {"a": ((), "x", "x"), "b": ((), "y", "y")})
    store.write("templates", {"t": b"code"})
    change_store(tmp_path, ("UPDATE bodies SET value = ? WHERE key = 'a'", (b"\x80garbage",)),
                 ("UPDATE templates SET value = 'text, not bytes'", ()))
    assert store.read("bodies") == {"b": ((), "y", "y")}
    assert store.read("templates") == {}


DAMAGES: dict[str, Callable[[Path], None]] = {
    "garbage": lambda path: path.write_bytes(b"\x00garbage, not a database\n" * 100),
    "cut short": lambda path: os.truncate(path, path.stat().st_size // 2),
    "pages overwritten": lambda path: _overwrite_middle(path),
    "empty": lambda path: path.write_bytes(b""),
    "another database": lambda path: _another_database(path),
    "the previous layout's bodies file": lambda path: _previous_bodies(path),
}


def _overwrite_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 3 * 4096] = os.urandom(3 * 4096)
    path.write_bytes(bytes(data))


def _another_database(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE parts (name TEXT, stamp TEXT, extra BLOB)")
        other.execute("INSERT INTO parts VALUES ('bodies', ?, NULL)", (code_stamp(),))
    other.close()


def _previous_bodies(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as old:
        old.execute("CREATE TABLE meta (stamp TEXT)")
        old.execute("INSERT INTO meta VALUES (?)", (code_stamp(),))
        old.execute("CREATE TABLE body (key TEXT PRIMARY KEY, answers TEXT, html TEXT)")
    old.close()


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_store_that_is_not_sound_is_made_anew(tmp_path: Path, damage: str) -> None:
    store = Store.open(tmp_path)
    store.write("items", {str(n): {"content/a.md": n} for n in range(32)})
    store.write("bodies", {f"content/{n}.md": ((), "<p>正文</p>" * 200, "") for n in range(300)})
    DAMAGES[damage](store_file(tmp_path))
    found = store.read("bodies")  # what is read is what was written, or nothing
    assert found in ({}, {f"content/{n}.md": ((), "<p>正文</p>" * 200, "") for n in range(300)})
    store.read("items")
    store.write("items", {"0": {"content/b.md": 1}})
    assert store.read("items")["0"] == {"content/b.md": 1}


# --- builds with a damaged store ---------------------------------------------------------


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The demo site with the store of a build, and the output of a clean build."""
    scratch = tmp_path_factory.mktemp("warm")
    site = demo_copy(scratch / "site")
    gxgk_build(site, site / "_site")
    return site, reference(site, scratch / "reference")


def _another_stamp(site: Path) -> None:
    """Every part made by other code, each with values that would show in the output."""
    foreign_body = pickle.dumps(((), "<p>FOREIGN BODY</p>", "<p>FOREIGN BODY</p>"), protocol=5)
    change_store(site, ("UPDATE parts SET stamp = 'gxgk 0.0.1'", ()),
                 ("UPDATE qr SET value = '<svg>FOREIGN CODE</svg>'", ()),
                 ("UPDATE bodies SET value = ?", (foreign_body,)),
                 ("UPDATE manifests SET value = ?", (b"\x80not a manifest",)))


BUILD_DAMAGES: dict[str, Callable[[Path], None]] = {
    **{name: (lambda site, damage=damage: damage(store_file(site)))
       for name, damage in DAMAGES.items()},
    "another stamp": _another_stamp}


@pytest.mark.parametrize("damage", sorted(BUILD_DAMAGES))
def test_a_build_passes_over_a_damaged_store(warm: tuple[Path, dict[str, str]], tmp_path: Path,
                                             damage: str) -> None:
    site = tmp_path / "site"
    shutil.copytree(warm[0], site, ignore=shutil.ignore_patterns("_site"))
    BUILD_DAMAGES[damage](site)
    gxgk_build(site, site / "_site")
    assert tree_digest(site / "_site") == warm[1]
    checked = run_gxgk("check", str(site), "--today", TODAY)
    assert checked.returncode == 0 and "Traceback" not in checked.stderr
    # made anew: a store found unsound in the middle of a build is removed then, with what
    # the build had written into it; the next one fills it
    gxgk_build(site, site / "_site")
    assert tree_digest(site / "_site") == warm[1]
    assert_sound(site, sum(1 for name in warm[1] if name.startswith("items/")))  # public


def test_the_previous_layouts_files_are_removed(warm: tuple[Path, dict[str, str]],
                                                tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(warm[0], site, ignore=shutil.ignore_patterns("_site", ".gxgk"))
    folder = site / CACHE_DIR
    (folder / "templates").mkdir(parents=True)
    (folder / "templates" / "__jinja2_0a1b.cache").write_bytes(b"old")
    old = ["items-00.pickle", "items-31.pickle", ".items-07.pickle.1234", "qr.sqlite3",
           "bodies.sqlite3", "bodies.sqlite3-journal", "output-0123456789abcdef.pickle",
           "attachments.pickle"]
    for name in old:
        (folder / name).write_bytes(b"left by the previous layout")
    (folder / "notes.txt").write_text("not gxgk's\n")
    checked = run_gxgk("check", str(site), "--today", TODAY)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert sorted(path.name for path in folder.iterdir()) == ["notes.txt", STORE_FILE]


# --- a build killed while it writes, and two builds at once --------------------------------


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A site of 400 items (several batches for each of two render workers), with the output
    of a clean build."""
    scratch = tmp_path_factory.mktemp("big")
    site = generated(scratch / "site", 400)
    return site, reference(site, scratch / "reference")


def _killed_while_writing(site: Path, out: Path) -> bool:
    """Start a cold build with two workers and kill its whole process group as soon as a
    transaction of the store is under way (its journal exists); whether one was."""
    journal = Path(f"{store_file(site)}-journal")
    command = [sys.executable, "-m", "gxgk_site", "build", str(site), "--today", TODAY,
               "--no-search", "--jobs", "2", "--out", str(out)]
    with session(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as process:
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if journal.exists() and store_file(site).stat().st_size > 1_000_000:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                return journal.exists()
    return False


def test_a_build_killed_while_it_writes_the_store(big: tuple[Path, dict[str, str]],
                                                  tmp_path: Path) -> None:
    """A build killed in the middle of a worker's transaction leaves a journal; the next build
    rolls it back, and gives the clean output."""
    site, expected = big
    shutil.rmtree(site / ".gxgk", ignore_errors=True)
    for attempt in range(10):
        if _killed_while_writing(site, tmp_path / f"killed-{attempt}"):
            break
        shutil.rmtree(site / ".gxgk", ignore_errors=True)
    else:
        pytest.fail("no build was killed while it wrote the store")
    gxgk_build(site, tmp_path / "out", "--jobs", "2")
    assert tree_digest(tmp_path / "out") == expected
    assert_sound(site, 360)  # the 主动公开 items of the 400
    gxgk_build(site, tmp_path / "again", "--jobs", "2")
    assert tree_digest(tmp_path / "again") == expected


def test_two_parallel_builds_write_the_store_at_once(big: tuple[Path, dict[str, str]],
                                                     tmp_path: Path) -> None:
    site, expected = big
    shutil.rmtree(site / ".gxgk", ignore_errors=True)
    outs = [tmp_path / "one", tmp_path / "two"]
    commands = [[sys.executable, "-m", "gxgk_site", "build", str(site), "--today", TODAY,
                 "--no-search", "--jobs", "2", "--out", str(out)] for out in outs]
    with session(commands[0], stdout=subprocess.PIPE, stderr=subprocess.PIPE) as first, \
            session(commands[1], stdout=subprocess.PIPE, stderr=subprocess.PIPE) as second:
        results = [process.communicate(timeout=300) for process in (first, second)]
        codes = [first.returncode, second.returncode]
    assert codes == [0, 0], results
    assert not any(b"Traceback" in err for _, err in results), results
    for out in outs:
        assert tree_digest(out) == expected
    assert_sound(site, 360)


# --- the parse cache's rule ---------------------------------------------------------------


def test_only_files_older_than_racy_seconds_are_kept(warm: tuple[Path, dict[str, str]],
                                                     tmp_path: Path) -> None:
    """A file modified in the last RACY_SECONDS is parsed, never kept: an edit in the same
    clock tick could not be told from it. An older one is kept, and read again once edited."""
    site = tmp_path / "site"
    shutil.copytree(warm[0], site, ignore=shutil.ignore_patterns("_site", ".gxgk"))
    item = site / "content/shbx/shebao-jiaofei-jishu-2025.md"
    relative = item.relative_to(site).as_posix()

    def kept() -> dict[str, object]:
        return {path: entry for shard in Store.open(site).read("items").values()
                for path, entry in shard.items()}

    text = item.read_text(encoding="utf-8")
    item.write_text(text.replace("title: ", "title: 新", 1), encoding="utf-8")
    assert run_gxgk("check", str(site), "--today", TODAY).returncode in (0, 1)
    assert relative not in kept() and len(kept()) > 30
    old = time.time() - 2 * RACY_SECONDS
    os.utime(item, (old, old))
    assert run_gxgk("check", str(site), "--today", TODAY).returncode in (0, 1)
    assert kept()[relative][1].title.startswith("新")
    item.write_text(text.replace("title: ", "title: 再", 1), encoding="utf-8")
    os.utime(item, (old, old))  # the same times: the change time and size tell it apart
    assert run_gxgk("check", str(site), "--today", TODAY).returncode in (0, 1)
    assert kept()[relative][1].title.startswith("再")
