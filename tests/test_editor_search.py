"""`gxgk search`: the editors' whoosh index of every item, on real files in a real site folder."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import CODE, SiteDir, git_env, run_gxgk

from gxgk_site.editor_search.analysis import tokens
from gxgk_site.editor_search.index import INDEX_DIR, UpdateReport, update_index
from gxgk_site.editor_search.query import QueryProblem, parse_query, run_query

TODAY = dt.date(2025, 12, 31)


def update(site: SiteDir, today: dt.date = TODAY) -> UpdateReport:
    _, report = update_index(site.root, today)
    return report


def found(site: SiteDir, text: str, today: dt.date = TODAY) -> list[str]:
    """The paths of every item matching ``text``, after bringing the index up to date."""
    ix, _ = update_index(site.root, today)
    result = run_query(ix, parse_query(text, today), limit=10_000)
    assert result.total == len(result.hits)
    return sorted(hit.path for hit in result.hits)


def paths(*names: str) -> list[str]:
    return sorted(f"content/{name}.md" for name in names)


def index_no(n: int, year: int = 2025) -> str:
    return f"{CODE}/{year}-{n:05d}"


# --- the analyser ---------------------------------------------------------------------------

def test_cjk_runs_become_one_token_per_character_and_words_stay_whole() -> None:
    assert tokens("社会保险费") == ["社会", "会保", "保险", "险费", "费"]
    assert tokens("示人社发〔2025〕12号") == ["示人", "人社", "社发", "发", "2025", "12", "号"]
    assert tokens("Ｇ２０ MB0123456X") == ["g20", "mb0123456x"]  # full width folded, lower case
    # in codes (index and document numbers), runs of letters and of digits are words
    assert tokens(index_no(12), split_words=True) == ["11990100", "mb", "0123456", "x", "2025",
                                                      "00012"]


# --- exact Chinese matching -----------------------------------------------------------------

def test_a_word_inside_a_longer_run_is_found(site: SiteDir) -> None:
    site.item("fee", body="依法征收社会保险费。\n", title="关于征收工作的通知")
    site.item("title", title="关于社会保险费率的通知")
    site.item("other", body="就业创业补贴。\n")
    assert found(site, "社会保险") == paths("fee", "title")
    assert found(site, "保险费") == paths("fee", "title")
    assert found(site, "险费率") == paths("title")


def test_words_apart_do_not_match(site: SiteDir) -> None:
    site.item("apart", body="社会各界关心养老保险。\n")
    site.item("comma", body="面向社会，保险机构参与。\n")
    site.item("reversed", body="保险社会化服务。\n")
    site.item("exact", body="社会保险经办。\n")
    assert found(site, "社会保险") == paths("exact")
    assert found(site, "会保") == paths("exact")
    # the parts themselves are everywhere
    assert found(site, "社会") == paths("apart", "comma", "exact", "reversed")
    # a quoted phrase with a space wants the runs side by side, separated only by punctuation
    assert found(site, '"社会 保险"') == paths("comma")


def test_a_single_character_is_found_wherever_it_is(site: SiteDir) -> None:
    site.item("start", body="险种目录。\n")
    site.item("middle", body="社会保险经办。\n")
    site.item("end", body="工伤保险\n")
    site.item("alone", body="一，险，二。\n")
    site.item("none", body="就业创业。\n")
    assert found(site, "body:险") == paths("alone", "end", "middle", "start")
    assert found(site, "body:创") == paths("none")


def test_a_repeated_character_run_matches_only_as_long_as_the_text(site: SiteDir) -> None:
    site.item("three", body="哈哈哈。\n")
    assert found(site, "哈哈哈") == paths("three")
    assert found(site, "哈哈哈哈") == []


def test_latin_words_and_numbers(site: SiteDir) -> None:
    site.item("a", doc_number="示人社发〔2025〕12号", body="参见 MB0123456X 号文，2025年度。\n")
    site.item("b", doc_number="示人社发〔2024〕120号", body="2024年度标准。\n",
              index_no=index_no(2, 2024))
    assert found(site, "2025") == paths("a")
    assert found(site, "mb0123456x") == paths("a")  # case does not matter
    assert found(site, "２０２５") == paths("a")  # full-width digits are the same digits
    assert found(site, "2025年") == paths("a")
    assert found(site, "doc_number:12号") == paths("a")  # 120号 is another number
    assert found(site, "doc_number:〔2025〕12号") == paths("a")
    assert found(site, "doc_number:示人社发〔2024〕") == paths("b")
    assert found(site, "index_no:2025-00001") == paths("a")
    assert found(site, "index_no:0000*") == paths("a", "b")  # a wildcard on a number


def test_prefixes_of_index_and_document_numbers(site: SiteDir) -> None:
    """Index and document numbers are codes: each run of letters and each run of digits in
    them is a word (11990100MB0123456X is 11990100, MB, 0123456, X), so a wildcard finds
    a part of the agency code, and one may end a number written with its punctuation."""
    site.item("a", index_no=index_no(12), doc_number="示人社发〔2025〕12号")
    site.item("b", index_no=index_no(3), doc_number="示人社发〔2025〕1号")
    site.item("c", index_no=index_no(12, 2024), doc_number="示人社规〔2024〕12号")
    everything = paths("a", "b", "c")
    assert found(site, "index_no:MB01*") == everything
    assert found(site, "index_no:mb0123*") == everything
    assert found(site, "index_no:MB0123456X") == everything
    assert found(site, "index_no:11990100MB*") == everything
    assert found(site, f"index_no:{CODE}/2025*") == paths("a", "b")
    assert found(site, f"index_no:{CODE}/2025-0001*") == paths("a")
    assert found(site, f"index_no:{CODE}/*-00012") == paths("a", "c")
    assert found(site, f'index_no:"{CODE}/2024*"') == paths("c")
    assert found(site, "index_no:2025-000*") == paths("a", "b")
    assert found(site, f"index_no:{index_no(12)}") == paths("a")
    # still whole words: a part is not found without a wildcard, nor the middle of a part
    assert found(site, "index_no:MB01") == []
    assert found(site, "index_no:123456*") == []
    assert found(site, "doc_number:示人社发〔2025〕1*") == paths("a", "b")
    assert found(site, "doc_number:〔2025〕1号") == paths("b")


def test_a_wildcard_matching_many_words_inside_a_sequence(site: SiteDir) -> None:
    """Whoosh joins over 1,024 terms without their positions, which a sequence needs."""
    words = " ".join(f"x{n:04d}" for n in range(1100))
    site.item("many", body=f"{words}-end 2025年\n")
    assert found(site, "x*-end") == paths("many")
    assert found(site, "x1*-end") == paths("many")
    assert found(site, "x*-start") == []


def test_a_prefix_of_a_latin_word_in_title_and_body(site: SiteDir) -> None:
    site.item("code", body="统一社会信用代码 MB0123456X。\n")
    site.item("other", body="代码 MA0000000X。\n")
    assert found(site, "MB01*") == paths("code")
    assert found(site, "mb0123456x") == paths("code")
    assert found(site, "MB01") == []  # a word is whole without the wildcard


def test_chinese_and_numbers_must_be_side_by_side(site: SiteDir) -> None:
    site.item("near", doc_number="示人社发〔2025〕12号")
    site.item("far", doc_number="示人社发〔2025〕第3批12号")
    assert found(site, "doc_number:〔2025〕12号") == paths("near")
    assert found(site, "doc_number:示人社发〔2025〕") == paths("far", "near")


# --- fields ---------------------------------------------------------------------------------

@pytest.fixture
def fielded(site: SiteDir) -> SiteDir:
    site.item("policy", title="示例市灵活就业人员参保办法", category="gfxwj", kind="规范性文件",
              validity="有效", doc_number="示人社规〔2025〕3号", department="养老保险科",
              index_no=index_no(1))
    site.item("repealed", title="原参保办法", category="gfxwj", kind="规范性文件",
              validity="废止", repealed=dt.date(2025, 6, 30), doc_number="示人社规〔2020〕1号",
              department="养老保险科", index_no=index_no(2))
    site.item("request", title="养老保险基金收支明细", attribute="依申请公开",
              exempt_ground="不属于主动公开范围", category="ylbx", department="基金监督科",
              index_no=index_no(3))
    site.item("news", title="我局召开养老保险工作会议", category="gzdt", kind="工作动态",
              department="办公室", index_no=index_no(4))
    return site


def test_every_field_is_searchable(fielded: SiteDir) -> None:
    assert found(fielded, "attribute:依申请公开") == paths("request")
    assert found(fielded, "attribute:主动公开") == paths("news", "policy", "repealed")
    assert found(fielded, "category:gfxwj") == paths("policy", "repealed")
    assert found(fielded, "kind:规范性文件") == paths("policy", "repealed")
    assert found(fielded, "kind:规范性文件 validity:有效") == paths("policy")
    assert found(fielded, "validity:废止") == paths("repealed")
    assert found(fielded, "department:养老保险") == paths("policy", "repealed")
    assert found(fielded, "doc_number:示人社规〔2025〕3号") == paths("policy")
    assert found(fielded, f"index_no:{index_no(3)}") == paths("request")
    assert found(fielded, "title:参保办法") == paths("policy", "repealed")
    assert found(fielded, "body:正文") == paths("news", "policy", "repealed", "request")


def test_a_bare_term_searches_title_and_body_only(fielded: SiteDir) -> None:
    assert found(fielded, "养老保险") == paths("news", "request")  # not the department
    assert found(fielded, "养老保险 NOT attribute:依申请公开") == paths("news")
    assert found(fielded, "(基金 OR 会议) AND 养老") == paths("news", "request")


def test_the_example_of_the_issue(fielded: SiteDir) -> None:
    query = "养老保险 attribute:依申请公开 formed:[20250101 TO 20251231]"
    assert found(fielded, query) == paths("request")


# --- dates ----------------------------------------------------------------------------------

@pytest.fixture
def dated(site: SiteDir) -> SiteDir:
    site.item("jan", formed=dt.date(2025, 1, 6), published=dt.date(2025, 1, 10))
    site.item("mar", formed=dt.date(2025, 3, 3), published=dt.date(2025, 3, 31))
    site.item("jun", formed=dt.date(2025, 6, 30), published=dt.date(2025, 7, 1))
    site.item("old", formed=dt.date(2024, 12, 31), published=dt.date(2025, 1, 2))
    site.item("pending", formed=dt.date(2025, 12, 1), published=None)
    return site


@pytest.mark.parametrize(("query", "expected"), [
    ("formed:[20250101 TO 20250331]", ("jan", "mar")),
    ("formed:[2025-01-06 TO 2025-03-03]", ("jan", "mar")),
    ("formed:{20250106 TO 20250630}", ("mar",)),  # braces leave the ends out
    ("formed:2025", ("jan", "mar", "jun", "pending")),
    ("formed:2025-03", ("mar",)),
    ("formed:202406", ()),
    ("formed:20241231", ("old",)),
    ("formed:[TO 2024]", ("old",)),
    ("formed:>=2025-06", ("jun", "pending")),
    ("formed:<2025-03-03", ("jan", "old")),
    ("published:2025-01", ("jan", "old")),
    ("published:[20250301 TO 20250701]", ("jun", "mar")),
    ("published:>20250331", ("jun",)),  # an item not published yet has no date
    ("published:[2025 TO 2026] formed:2024", ("old",)),
])
def test_date_ranges(dated: SiteDir, query: str, expected: tuple[str, ...]) -> None:
    assert found(dated, query) == paths(*expected)


def test_today_is_the_today_option(dated: SiteDir) -> None:
    assert found(dated, "formed:today", today=dt.date(2025, 6, 30)) == paths("jun")
    assert found(dated, "formed:[20250601 TO today]", today=dt.date(2025, 12, 1)) == paths(
        "jun", "pending")


# --- what editors see that the public does not -----------------------------------------------

def test_non_public_items_and_drafts_are_found(site: SiteDir) -> None:
    site.item("public", body="金丝雀公开。\n")
    site.item("request", attribute="依申请公开", exempt_ground="不属于主动公开范围",
              body="金丝雀依申请。\n")
    site.item("withheld", attribute="不予公开", exempt_ground="过程性信息", body="金丝雀不予。\n")
    site.item("draft", draft=True, body="金丝雀草稿。\n")
    assert found(site, "金丝雀") == paths("draft", "public", "request", "withheld")
    assert found(site, "金丝雀 attribute:不予公开") == paths("withheld")


def test_the_index_lives_under_dot_gxgk_not_in_the_output(site: SiteDir) -> None:
    site.item("a")
    update(site)
    assert (site.root / INDEX_DIR).is_dir()
    assert not (site.root / "_site").exists()
    assert sorted(p.name for p in (site.root / "content").iterdir()) == ["a.md"]


# --- incremental update ---------------------------------------------------------------------

def test_only_added_changed_and_removed_files_are_indexed(site: SiteDir) -> None:
    site.item("a", body="旧的正文甲。\n")
    site.item("b", body="正文乙。\n")
    site.item("c", body="正文丙。\n")
    first = update(site)
    assert (first.created, first.added, first.indexed) == (True, paths("a", "b", "c"), 3)

    again = update(site)
    assert (again.indexed, again.removed, again.unchanged) == (0, [], 3)

    site.item("a", body="新的正文甲，修订版。\n")  # edit
    site.item("d", body="正文丁。\n")  # add
    (site.root / "content/b.md").unlink()  # delete
    (site.root / "content/c.md").rename(site.root / "content/renamed.md")  # rename
    report = update(site)
    assert report.changed == paths("a")
    assert report.added == paths("d", "renamed")
    assert report.removed == paths("b", "c")
    assert (report.indexed, report.unchanged) == (3, 0)

    assert found(site, "修订版") == paths("a")
    assert found(site, "旧的") == []
    assert found(site, "正文乙") == []
    assert found(site, "正文丙") == paths("renamed")
    assert found(site, "正文") == paths("a", "d", "renamed")
    assert update(site).indexed == 0


def test_an_edit_that_keeps_size_and_modification_time_is_still_seen(site: SiteDir) -> None:
    path = site.item("a", body="甲乙丙丁。\n")
    before = path.stat()
    update(site)
    site.item("a", body="戊己庚辛。\n")  # same length, same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    report = update(site)
    assert report.changed == paths("a")
    assert found(site, "戊己") == paths("a")


def test_touching_a_file_without_changing_it_does_not_reindex_it(site: SiteDir) -> None:
    path = site.item("a")
    update(site)
    later = path.stat().st_mtime_ns + 60_000_000_000
    os.utime(path, ns=(later, later))
    assert update(site).indexed == 0


def test_an_unreadable_file_is_listed_never_found_and_indexed_once_fixed(site: SiteDir) -> None:
    site.item("good", body="可读的正文。\n")
    site.write("content/broken.md", "---\ntitle: [未闭合\n---\n可读的正文。\n")
    first = update(site)
    assert first.unreadable == paths("broken")
    assert found(site, "可读") == paths("good")
    assert found(site, "NOT 不存在的词") == paths("good")
    second = update(site)
    assert (second.indexed, second.unreadable) == (0, paths("broken"))
    site.item("broken", body="修好了的正文。\n")
    third = update(site)
    assert (third.changed, third.unreadable) == (paths("broken"), [])
    assert found(site, "修好") == paths("broken")


def test_a_damaged_index_is_rebuilt(site: SiteDir) -> None:
    site.item("a", body="重建索引。\n")
    update(site)
    for toc in (site.root / INDEX_DIR).glob("*.toc"):
        toc.write_bytes(b"not an index")
    report = update(site)
    assert (report.created, report.added) == (True, paths("a"))
    assert found(site, "重建") == paths("a")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_first_commit_gives_the_publication_date_and_reindexes(site: SiteDir) -> None:
    env = git_env("2025-03-20")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=site.root, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    site.write(".gitignore", ".gxgk/\n")
    site.item("a", published=None)
    assert found(site, "published:2025") == []  # not committed: not published yet
    git("add", "-A")
    git("commit", "-q", "-m", "publish")
    report = update(site)
    assert report.changed == paths("a")
    assert found(site, "published:2025-03-20") == paths("a")


# --- ordering, limit ------------------------------------------------------------------------

def test_hits_are_ranked_then_ordered_by_path_and_limited(site: SiteDir) -> None:
    for name in ("c", "a", "b"):
        site.item(name, body="同样的正文。\n")
    ix, _ = update_index(site.root, TODAY)
    result = run_query(ix, parse_query("同样"), limit=2)
    assert result.total == 3
    assert [hit.path for hit in result.hits] == paths("a", "b")


# --- bad queries ----------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "message"), [
    ("formed:[2025 TO", "the range opened at column 8 is not closed"),
    ("formed:[2025 2026]", "has no TO"),
    ("formed:2025]", "closes no range"),
    ('"社会保险', "the quote at column 1 is not closed"),
    ("(社会 OR 保险", "the '(' at column 1 is not closed"),
    ("社会)", "the ')' at column 3 closes no '('"),
    ("author:王某", "unknown field 'author'"),
    ("formed:2025-13-01", "'2025-13-01' is not a date"),
    ("published:去年", "'去年' is not a date"),
    ("title:[a TO b]", "ranges ([… TO …], >, <) work on the dates only"),
    ("社会 OR", "OR at column 4 has nothing to join"),
    ("AND 社会", "AND at column 1 has nothing to join"),
    ("社*险", "wildcards (* ?) work on Latin letters and numbers only"),
    ('"社会保险"~2', "proximity (~N) is not supported"),
    ("，。", "has nothing to search for"),
    ("   ", "the query is empty"),
])
def test_bad_queries_say_what_is_wrong(query: str, message: str) -> None:
    with pytest.raises(QueryProblem, match=None) as caught:
        parse_query(query, TODAY)
    assert message in str(caught.value)


@pytest.mark.parametrize(("query", "message"), [
    ("formed:[2025 TO", "the range opened at column 8 is not closed"),
    ('"社会保险', "the quote at column 1 is not closed"),
    ("(社会", "the '(' at column 1 is not closed"),
    ("department:办公室 author:王某", "unknown field 'author'"),
])
def test_the_cli_exits_2_on_a_bad_query(site: SiteDir, query: str, message: str) -> None:
    site.item("a")
    result = run_gxgk("search", query, str(site.root))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"gxgk search: cannot read the query {query!r}: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


# --- the real command line ------------------------------------------------------------------

@pytest.fixture
def cli_site(site: SiteDir) -> SiteDir:
    site.item("b", title="关于社会保险费征收的通知", index_no=index_no(2),
              formed=dt.date(2025, 3, 3), published=dt.date(2025, 3, 10))
    site.item("a", title="社会保险基金收支明细", attribute="依申请公开",
              exempt_ground="不属于主动公开范围", category="ylbx", index_no=index_no(1),
              formed=dt.date(2025, 4, 7), published=None, kind="统计数据")
    site.item("c", title="就业创业补贴", index_no=index_no(3))
    return site


def test_cli_text_output(cli_site: SiteDir) -> None:
    result = run_gxgk("search", "title:社会保险", str(cli_site.root), "--today", "2025-12-31")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert sorted(lines[:2]) == [
        f"content/a.md: {index_no(1)} 社会保险基金收支明细 (依申请公开, ylbx, 2025-04-07, -)",
        f"content/b.md: {index_no(2)} 关于社会保险费征收的通知 (主动公开, shbx, 2025-03-03, "
        "2025-03-10)",
    ]
    assert lines[2:] == ["2 item(s) found"]
    assert "search index: 3 file(s) indexed, 0 removed" in result.stderr


def test_cli_no_hits_then_limit(cli_site: SiteDir) -> None:
    none = run_gxgk("search", "不存在的词", str(cli_site.root))
    assert (none.returncode, none.stdout) == (0, "0 item(s) found\n")
    limited = run_gxgk("search", "社会保险", str(cli_site.root), "--limit", "1")
    assert limited.returncode == 0
    assert limited.stdout.splitlines()[-1] == (
        "2 item(s) found, the first 1 shown (--limit N shows more)")
    assert len(limited.stdout.splitlines()) == 2
    assert limited.stderr == ""  # nothing changed since the first run: nothing indexed


def test_cli_json_output(cli_site: SiteDir) -> None:
    result = run_gxgk("search", "社会保险 attribute:依申请公开", str(cli_site.root),
                      "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["query"] == "社会保险 attribute:依申请公开"
    assert document["total"] == 1
    [hit] = document["hits"]
    score = hit.pop("score")
    assert isinstance(score, float) and score > 0
    assert hit == {
        "path": "content/a.md", "title": "社会保险基金收支明细", "index_no": index_no(1),
        "attribute": "依申请公开", "category": "ylbx", "kind": "统计数据", "validity": None,
        "formed": "2025-04-07", "published": None,
    }


def test_cli_site_dir_defaults_to_the_current_folder(cli_site: SiteDir) -> None:
    result = run_gxgk("search", "就业", cwd=cli_site.root)
    assert result.returncode == 0
    assert result.stdout.startswith("content/c.md: ")


def test_cli_without_site_yaml_exits_2(tmp_path: Path) -> None:
    result = run_gxgk("search", "社会保险", str(tmp_path))
    assert result.returncode == 2
    assert "no site.yaml" in result.stderr
    assert not (tmp_path / ".gxgk").exists()


def test_cli_names_unreadable_files(cli_site: SiteDir) -> None:
    cli_site.write("content/broken.md", "没有前置元数据\n")
    result = run_gxgk("search", "就业", str(cli_site.root))
    assert result.returncode == 0
    assert "1 file(s) cannot be read as items and are not searched (see gxgk check): " \
           "content/broken.md" in result.stderr


# --- large batches and housekeeping ----------------------------------------------------------

def test_the_parallel_writer_gives_the_same_index(site: SiteDir,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from gxgk_site.editor_search import index as index_module

    monkeypatch.setattr(index_module, "PARALLEL_WRITE_MIN", 2)
    monkeypatch.setattr(index_module, "LOAD_CHUNK", 3)  # several chunks
    for n in range(1, 8):
        site.item(f"i{n}", body=f"第{n}号正文，社会保险费。\n", index_no=index_no(n))
    _, report = update_index(site.root, TODAY, jobs=2)
    assert report.indexed == 7
    assert found(site, "社会保险") == paths(*(f"i{n}" for n in range(1, 8)))
    assert found(site, "第3号") == paths("i3")
    site.item("i3", body="改过的正文。\n", index_no=index_no(3))
    assert update(site).changed == paths("i3")
    assert found(site, "第3号") == []


def test_a_parallel_write_that_lost_documents_is_redone(site: SiteDir,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from whoosh.index import FileIndex

    from gxgk_site.editor_search import index as index_module

    monkeypatch.setattr(index_module, "PARALLEL_WRITE_MIN", 2)
    for n in range(1, 4):
        site.item(f"i{n}", body="正文。\n", index_no=index_no(n))
    real = FileIndex.doc_count
    calls: list[int] = []

    def first_one_short(self: FileIndex) -> int:
        calls.append(1)
        return real(self) - (1 if len(calls) == 1 else 0)

    monkeypatch.setattr(FileIndex, "doc_count", first_one_short)
    _, report = update_index(site.root, TODAY, jobs=2)
    assert (report.created, report.indexed) == (True, 3)
    assert found(site, "正文") == paths("i1", "i2", "i3")


def test_an_index_mostly_of_replaced_versions_is_rebuilt(site: SiteDir,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from gxgk_site.editor_search import index as index_module

    monkeypatch.setattr(index_module, "COMPACT_MIN_DOCS", 0)
    for name in ("a", "b", "c"):
        site.item(name, body="原来的正文。\n")
    update(site)
    site.item("a", body="修改后的正文甲。\n")
    site.item("b", body="修改后的正文乙。\n")
    assert update(site).created is False  # 2 of 5 documents are now replaced versions
    report = update(site)
    assert (report.created, report.added) == (True, paths("a", "b", "c"))
    assert found(site, "修改后") == paths("a", "b")


def test_an_index_another_process_is_writing_is_searched_as_it_is(
        site: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    from gxgk_site.editor_search import index as index_module

    site.item("a", body="第一版正文。\n")
    ix, _ = update_index(site.root, TODAY)
    site.item("b", body="第一版之后新增。\n")
    monkeypatch.setattr(index_module, "LOCK_WAIT_SECONDS", 0.2)
    other = ix.writer()  # another gxgk search in the middle of its update
    try:
        ix, report = update_index(site.root, TODAY)
        assert report.busy
        assert run_query(ix, parse_query("第一版"), 10).total == 1  # the index as it was
    finally:
        other.cancel()
    assert found(site, "第一版") == paths("a", "b")


# --- the README's examples on the demo ------------------------------------------------------

DEMO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site, copied (the search index is written into the site folder)."""
    root = tmp_path_factory.mktemp("demo") / "site"
    root.mkdir()
    shutil.copy(DEMO / "site.yaml", root / "site.yaml")
    for folder in ("content", "data"):
        shutil.copytree(DEMO / folder, root / folder)
    return root


def demo_index_numbers(root: Path) -> list[str]:
    numbers = []
    for path in (root / "content").rglob("*.md"):
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.startswith("index_no:"):
                numbers.append(line.removeprefix("index_no:").strip())
    return sorted(numbers)


@pytest.mark.parametrize(("query", "prefix"), [
    ("index_no:MB01*", f"{CODE}/"),
    ("index_no:MB0123*", f"{CODE}/"),
    (f"index_no:{CODE}/2025*", f"{CODE}/2025-"),
    (f"index_no:{CODE}/2025-0001*", f"{CODE}/2025-0001"),
])
def test_prefix_queries_on_the_demos_index_numbers(demo_copy: Path, query: str,
                                                     prefix: str) -> None:
    expected = [number for number in demo_index_numbers(demo_copy) if number.startswith(prefix)]
    assert len(expected) >= 5
    result = run_gxgk("search", query, str(demo_copy), "--format", "json", "--limit", "1000",
                      "--today", "2026-11-21")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert sorted(hit["index_no"] for hit in document["hits"]) == expected
