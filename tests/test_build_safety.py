"""What never reaches the output, and builds that fail, are refused or are killed midway."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from build_support import build, read, tree_digest
from conftest import CODE, SiteDir, run_gxgk
from process_support import kill, kill_once_it_has_forked, session, survivors

from gxgk_site.publish.build import BuildRefused
from gxgk_site.publish.output import MARKER
from gxgk_site.render.traditional import to_traditional
from gxgk_site.render.urls import HANT_PREFIX

CANARIES = ["CANARY-ONREQUEST-4711", "CANARY-WITHHELD-0815", "CANARY-DRAFT-2342",
            "金丝雀依申请", "金丝雀不予公开", "金丝雀草稿", "CANARY-ATTACHMENT-9999"]


def _canary_site(site: SiteDir) -> SiteDir:
    site.write("content/private/minutes.pdf", b"%PDF CANARY-ATTACHMENT-9999")
    site.item("public", title="公开的通知", body="公开正文。\n")
    site.item("private/on-request", attribute="依申请公开", exempt_ground="不属于主动公开范围",
              index_no=f"{CODE}/2025-00002", title="金丝雀依申请 CANARY-ONREQUEST-4711",
              summary="CANARY-ONREQUEST-4711 概述", doc_number="示人社发〔2025〕99号",
              body="CANARY-ONREQUEST-4711 正文 [纪要](minutes.pdf)\n")
    site.item("private/withheld", attribute="不予公开", exempt_ground="过程性信息",
              index_no=f"{CODE}/2025-00003", title="金丝雀不予公开 CANARY-WITHHELD-0815",
              summary="CANARY-WITHHELD-0815", body="![图](minutes.pdf) CANARY-WITHHELD-0815\n")
    site.item("draft", draft=True, index_no=f"{CODE}/2025-00004",
              title="金丝雀草稿 CANARY-DRAFT-2342", summary="CANARY-DRAFT-2342",
              body="CANARY-DRAFT-2342 [附件](private/minutes.pdf)\n")
    return site


def _all_bytes(root: Path) -> list[tuple[str, bytes]]:
    return [(p.relative_to(root).as_posix(), p.read_bytes())
            for p in sorted(root.rglob("*")) if p.is_file()]


def test_no_byte_of_non_public_items_drafts_or_their_attachments(site: SiteDir) -> None:
    _canary_site(site)
    report = build(site)
    assert report.items == 1
    out = site.root / "_site"
    needles = {c for c in CANARIES} | {to_traditional(c) for c in CANARIES}
    needles |= {"示人社发〔2025〕99号", f"{CODE}/2025-00002", f"{CODE}/2025-00003",
                f"{CODE}-2025-00002", f"{CODE}-2025-00004"}
    for path, data in _all_bytes(out):
        for needle in needles:
            assert needle.encode("utf-8") not in data, f"{needle} leaked into {path}"
        assert "minutes" not in path
    assert "公开的通知" in read(out, "index.html")


def test_list_on_request_lists_titles_only(site: SiteDir) -> None:
    _canary_site(site)
    site.config["catalog"] = {"list_on_request": True}
    site.write_config()
    build(site)
    out = site.root / "_site"
    catalog = read(out, "catalog/index.html")
    assert "金丝雀依申请 CANARY-ONREQUEST-4711" in catalog
    assert 'href="../apply/">依申请公开</a>' in catalog
    assert not (out / f"items/{CODE}-2025-00002.html").exists()
    everything = b"".join(data for _, data in _all_bytes(out))
    assert "CANARY-ONREQUEST-4711 正文".encode() not in everything  # never the body
    assert b"CANARY-WITHHELD-0815" not in everything and b"CANARY-ATTACHMENT" not in everything


def test_errors_refuse_the_build_and_write_nothing(site: SiteDir) -> None:
    site.item("a", secrecy_review=None)
    with pytest.raises(BuildRefused) as refused:
        build(site)
    assert any(f.rule == "secrecy-review" for f in refused.value.findings)
    assert not (site.root / "_site").exists()
    result = run_gxgk("build", str(site.root), "--today", "2025-12-31")
    assert result.returncode == 1
    assert "error[secrecy-review]" in result.stdout
    assert "nothing was written" in result.stdout
    # only the parse cache (.gxgk/cache, never published) may have been written, and the empty
    # lock file beside the output folder (see output.exclusive)
    assert sorted(p.name for p in site.root.iterdir()) == ["._site.lock", ".gxgk", "content",
                                                            "site.yaml"]
    assert (site.root / "._site.lock").stat().st_size == 0
    assert [p.name for p in (site.root / ".gxgk").iterdir()] == ["cache"]


def test_withhold_builds_without_the_failing_items(site: SiteDir) -> None:
    site.item("good", title="合格的通知")
    site.item("bad", title="缺少保密审查的通知", index_no=f"{CODE}/2025-00002",
              secrecy_review=None)
    result = run_gxgk("build", str(site.root), "--today", "2025-12-31", "--withhold")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "held back: content/bad.md" in result.stdout
    assert "1 item(s) held back" in result.stdout.splitlines()[-1]
    out = site.root / "_site"
    assert "合格的通知" in read(out, "index.html")
    everything = b"".join(data for _, data in _all_bytes(out))
    assert "缺少保密审查的通知".encode() not in everything


def test_withhold_cannot_skip_a_broken_site_yaml(site: SiteDir) -> None:
    site.item("good")
    site.config["agency"]["email"] = "broken"
    site.write_config()
    result = run_gxgk("build", str(site.root), "--today", "2025-12-31", "--withhold")
    assert result.returncode == 1
    assert not (site.root / "_site").exists()


def test_a_failed_build_leaves_the_previous_site_untouched(site: SiteDir) -> None:
    site.item("a")
    build(site)
    before = tree_digest(site.root / "_site")
    site.item("b", index_no=f"{CODE}/2025-00002", reviewers=None)
    with pytest.raises(BuildRefused):
        build(site)
    assert tree_digest(site.root / "_site") == before


def test_a_killed_build_leaves_the_previous_site_untouched_and_no_process(site: SiteDir) -> None:
    """A clean build killed while its workers render pages: the previous site is untouched, and
    the workers die with the build (none is left rendering, or waiting, without a parent)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from corpus import generate

    big = generate(site.root.parent / "big", 1500, light=True)
    first = run_gxgk("build", str(big), "--today", "2026-11-20", "--jobs", "1")
    assert first.returncode == 0, first.stdout + first.stderr
    before = tree_digest(big / "_site")
    # a change to site.yaml changes every page: a clean build into a temporary folder
    (big / "site.yaml").write_text((big / "site.yaml").read_text(encoding="utf-8").replace(
        "  title: ", "  title: 改过的", 1), encoding="utf-8")
    with session([sys.executable, "-m", "gxgk_site", "build", str(big), "--today",
                  "2026-11-20", "--jobs", "2"],
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as process:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # kill it while its workers write pages
            building = list(big.glob("._site.building-*/items"))
            if building and sum(1 for _ in building[0].iterdir()) > 50:
                break
            time.sleep(0.01)
        else:
            pytest.fail("the build never started writing pages")
        kill(process)
        assert not survivors(process), "the killed build's children outlived it"
    assert tree_digest(big / "_site") == before
    again = run_gxgk("build", str(big), "--today", "2026-11-20")
    assert again.returncode == 0
    assert not list(big.glob("._site.building-*"))  # the killed build's leftovers are gone
    assert tree_digest(big / "_site") != before


# with --jobs 2: two loading workers, the rules child, two search-source writers, then the
# render workers and Pagefind; the build is killed once it has started this many children
@pytest.mark.parametrize("children", [1, 4, 6],
                         ids=["loading", "writing-search-sources", "rendering-and-indexing"])
def test_a_killed_build_leaves_no_process_behind(tmp_path: Path, children: int) -> None:
    """The build is killed while it has children (the loading workers; the render workers, the
    search-source writers or Pagefind): every one of them dies with it, at once, instead of
    waiting for a parent that is gone."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from corpus import generate

    big = generate(tmp_path / "big", 600, light=True)  # above the parallel threshold
    with session([sys.executable, "-m", "gxgk_site", "build", str(big), "--today",
                  "2026-11-20", "--jobs", "2"],
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as process:
        kill_once_it_has_forked(process, children)
        assert not survivors(process), "the killed build's children outlived it"


def _looks(paths: list[Path]) -> list[tuple[int, int] | None]:
    """What a web server would notice first of an output folder changing: the folders' inodes
    and modification times."""
    looks: list[tuple[int, int] | None] = []
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            looks.append(None)
        else:
            looks.append((stat.st_ino, stat.st_mtime_ns))
    return looks


def _kill_when_it_changes(process: subprocess.Popen[bytes], paths: list[Path],
                          delay: float) -> None:
    """SIGKILL the build ``delay`` seconds after the first change to any of ``paths`` (or when
    it ends)."""
    first = _looks(paths)
    while process.poll() is None and _looks(paths) == first:
        pass
    time.sleep(delay)
    kill(process)


def test_a_killed_update_leaves_the_old_site_or_the_new_one_at_every_moment(
        tmp_path: Path) -> None:
    """An incremental build is killed at many moments, from loading to its very end (a sweep
    over its running time, and kills aimed at the moment the output starts to change), and the
    output folder is looked at right away, as a web server would serve it, with nothing run to
    repair it: it is the previous site or the new one, every time."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from corpus import generate

    big = generate(tmp_path / "big", 1000, light=True)
    out = big / "_site"
    command = [sys.executable, "-m", "gxgk_site", "build", str(big), "--today", "2026-11-20",
               "--no-search", "--jobs", "2"]
    edited = sorted((big / "content").rglob("item-*.md"))[::3]  # 300 items: 600 pages change
    original = {path: path.read_text(encoding="utf-8") for path in edited}

    def switch_to(version: str) -> None:
        for path, text in original.items():
            path.write_text(text + ("\n补充说明：本条内容已更新。\n" if version == "B" else ""),
                            encoding="utf-8")

    assert run_gxgk(*command[3:]).returncode == 0
    sites = {"A": tree_digest(out)}
    switch_to("B")
    started = time.monotonic()
    assert "page(s) rendered again" in run_gxgk(*command[3:]).stdout  # it is incremental
    duration = time.monotonic() - started
    sites["B"] = tree_digest(out)
    assert sites["A"] != sites["B"]
    # the folders of the changed pages (the root's files, e.g. 404.html, are written by every
    # build, unchanged): a change to them is the moment the output starts to change
    watched = [out / "items", out / HANT_PREFIX / "items"]
    moments = ([("after", duration * share) for share in (0.3, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95,
                                                          1.0, 1.1)]
               + [("aimed", delay) for delay in (0.0, 0.0005, 0.002, 0.005, 0.02)])
    current = "B"
    for attempt, (how, seconds) in enumerate(moments):
        target = "A" if current == "B" else "B"
        switch_to(target)
        with session(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as process:
            if how == "after":
                time.sleep(seconds)
                kill(process)
            else:
                _kill_when_it_changes(process, watched, seconds)
            assert not survivors(process), "the killed build's children outlived it"
        state = tree_digest(out)  # no recover(), no next run: what is served now
        assert state in (sites[current], sites[target]), (
            f"attempt {attempt} (killed {how} {seconds:.4f} s): neither the old nor the new site")
        finished = run_gxgk(*command[3:])  # the next run, to start the next attempt from
        assert finished.returncode == 0, finished.stdout + finished.stderr
        assert tree_digest(out) == sites[target]
        current = target


def test_a_second_build_of_the_same_output_stops_at_once_and_changes_nothing(
        tmp_path: Path) -> None:
    """Two builds of one output at once: the second stops at once (exit 2, saying why) and the
    first finishes its site as if it had been alone."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from corpus import generate

    big = generate(tmp_path / "big", 600, light=True)
    reference = tmp_path / "reference"
    shutil.copytree(big, reference)
    command = ["build", "--today", "2026-11-20", "--no-search", "--jobs", "2"]
    with session([sys.executable, "-m", "gxgk_site", *command, str(big)],
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE) as first:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # the first build is writing its pages
            building = list(big.glob("._site.building-*/items"))
            if building and sum(1 for _ in building[0].iterdir()) > 50:
                break
            time.sleep(0.01)
        else:
            pytest.fail("the first build never started writing pages")
        second = run_gxgk(*command, str(big))
        out, err = first.communicate()
    assert second.returncode == 2, second.stdout + second.stderr
    assert f"another gxgk build is writing {big / '_site'}" in second.stderr
    assert "internal error" not in second.stderr and "Traceback" not in second.stderr
    assert first.returncode == 0, (out + err).decode()
    assert not list(big.glob("._site.building-*"))  # no temporary folder of either build
    assert run_gxgk(*command, str(reference)).returncode == 0
    assert tree_digest(big / "_site") == tree_digest(reference / "_site")


def test_a_folder_not_made_by_gxgk_is_never_replaced(site: SiteDir, tmp_path: Path) -> None:
    site.item("a")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    result = run_gxgk("build", str(site.root), "--out", str(precious), "--today", "2025-12-31")
    assert result.returncode == 2
    assert "was not made by gxgk build" in result.stderr
    assert (precious / "notes.txt").read_text() == "keep me"
    result = run_gxgk("build", str(site.root), "--out", str(site.root), "--today", "2025-12-31")
    assert result.returncode == 2
    assert (site.root / "site.yaml").is_file()


def test_output_carries_the_marker_and_rebuilds_replace_it(site: SiteDir) -> None:
    site.item("a")
    build(site)
    assert (site.root / "_site" / MARKER).is_file()
    site.item("a", title="新标题的通知")
    build(site)
    assert "新标题的通知" in read(site.root / "_site", "index.html")


def test_build_py_builds_the_demo(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, str(root / "build.py"), "--out",
                             str(tmp_path / "demo"), "--today", "2026-11-21"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("built 41 item(s)")
    assert (tmp_path / "demo/index.html").is_file()


def test_a_build_killed_between_the_two_renames_loses_nothing(site: SiteDir) -> None:
    site.item("a")
    build(site)
    before = tree_digest(site.root / "_site")
    # the state a kill between "old site aside" and "new site in" leaves behind
    (site.root / "_site").rename(site.root / "._site.building-old")
    site.item("b", index_no=f"{CODE}/2025-00002", reviewers=None)  # this build is refused
    with pytest.raises(BuildRefused):
        build(site)
    assert tree_digest(site.root / "_site") == before
    assert not (site.root / "._site.building-old").exists()


def test_the_output_is_readable_by_a_web_server_of_another_user(site: SiteDir) -> None:
    """mkdtemp makes a private folder (0700): swapped in as is, nginx running as www-data could
    read none of the site. Every folder gets the mode the umask gives (0755 under 022)."""
    site.item("a")
    for _ in range(2):  # a clean build, then an incremental one
        result = run_gxgk("build", str(site.root), "--today", "2025-12-31", "--no-search")
        assert result.returncode == 0, result.stderr
        folders = [site.root / "_site", *(p for p in (site.root / "_site").rglob("*")
                                          if p.is_dir())]
        assert {stat.S_IMODE(folder.stat().st_mode) for folder in folders} == {0o755}
        site.item("a", title="改过的通知")
