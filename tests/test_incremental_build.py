"""Incremental builds: after any sequence of edits, the output is byte-identical to a clean build.

A copy of the demo site is edited at random (bodies, titles, categories, dates; items added,
deleted, renamed and made 不予公开; attachments, templates and site.yaml changed) and built
after each edit into the same output folder, which the build updates in place from its cache;
each result is compared with a clean build of the same files in a fresh folder.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import sys
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

from gxgk_site.cache_store import PARTS
from gxgk_site.loader import load_site
from gxgk_site.public_search.index import BUNDLE, OLDER_BUNDLE
from gxgk_site.publish.build import build_site
from gxgk_site.publish.public import public_site
from gxgk_site.render.templates import theme_dir

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 21)




def clean_build(site: Path, scratch: Path, search: bool) -> dict[str, str]:
    """Build a fresh copy of the site's files (no cache, no previous output)."""
    if scratch.exists():
        shutil.rmtree(scratch)
    copy = scratch / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("_site", ".gxgk"))
    build_site(copy, copy / "_site", TODAY, jobs=1, withhold=True, search=search)
    return tree_digest(copy / "_site")


class Editor:
    """Random edits of the kinds editors make, on real files."""

    def __init__(self, site: Path, rng: random.Random) -> None:
        self.site = site
        self.rng = rng
        self.serial = 90000

    def items(self) -> list[Path]:
        return sorted(path for path in (self.site / "content").rglob("*.md")
                      if path.name != "guide.md")

    def pick(self) -> Path:
        return self.rng.choice(self.items())

    def rewrite(self, path: Path, pattern: str, replacement: str) -> None:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(pattern, replacement, text, count=1, flags=re.M),
                        encoding="utf-8")

    def body(self) -> str:
        path = self.pick()
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"\n补充说明第{self.rng.randrange(1000)}条：本文件由示例编辑修订。\n")
        return f"body of {path.name}"

    def title(self) -> str:
        path = self.pick()
        self.rewrite(path, r"^title: (.*)$", rf"title: \1（第{self.rng.randrange(100)}次修订）")
        return f"title of {path.name}"

    def category(self) -> str:
        path = self.pick()
        categories = sorted({p.parent.name for p in self.items()})
        self.rewrite(path, r"^category: .*$", f"category: {self.rng.choice(categories)}")
        return f"category of {path.name}"

    def date(self) -> str:
        path = self.pick()
        key = self.rng.choice(("published", "formed"))
        text = path.read_text(encoding="utf-8")
        found = re.search(rf"^{key}: (\d{{4}}-\d\d-\d\d)", text, flags=re.M)
        if found is None:
            return self.body()
        day = dt.date.fromisoformat(found.group(1)) + dt.timedelta(days=self.rng.choice((-3, 1, 2)))
        self.rewrite(path, rf"^{key}: \d{{4}}-\d\d-\d\d", f"{key}: {day.isoformat()}")
        return f"{key} of {path.name}"

    def add(self) -> str:
        source = self.pick()
        self.serial += 1
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"^(index_no: .*/\d{4})-\d{5}$", rf"\1-{self.serial}", text, count=1,
                      flags=re.M)
        text = re.sub(r"^title: (.*)$", rf"title: \1（之{self.serial}）", text, count=1,
                      flags=re.M)
        target = source.with_name(f"new-{self.serial}.md")
        target.write_text(text, encoding="utf-8")
        return f"add {target.name}"

    def delete(self) -> str:
        path = self.pick()
        path.unlink()
        return f"delete {path.name}"

    def rename(self) -> str:
        path = self.pick()
        folder = self.rng.choice(sorted({p.parent for p in self.items()}))
        target = folder / f"renamed-{self.rng.randrange(10**6)}.md"
        path.rename(target)
        return f"rename {path.name} -> {target.parent.name}/{target.name}"

    def withhold(self) -> str:
        path = self.pick()
        self.rewrite(path, r"^attribute: .*$", "attribute: 不予公开\nexempt_ground: 内部事务信息")
        return f"不予公开 {path.name}"

    def attachment(self) -> str:
        path = self.pick()
        name = f"fujian-{self.rng.randrange(3)}.pdf"
        (path.parent / name).write_bytes(b"%PDF-1.4 " + bytes(self.rng.randrange(50, 500)))
        if name not in path.read_text(encoding="utf-8"):
            with path.open("a", encoding="utf-8") as handle:
                handle.write(f"\n附件：[{name}]({name})\n")
        return f"attachment {name} of {path.name}"

    def template(self) -> str:
        target = self.site / "templates" / "partials" / "footer.html"
        source = target if target.exists() else theme_dir() / "templates/partials/footer.html"
        text = source.read_text(encoding="utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text + f"<!-- 模板修改 {self.rng.randrange(1000)} -->\n",
                          encoding="utf-8")
        return "template footer"

    def site_yaml(self) -> str:
        path = self.site / "site.yaml"
        self.rewrite(path, r"^(  title: .*?)(（\d+）)?$", rf"\1（{self.rng.randrange(100)}）")
        return "site.yaml title"

    def report(self) -> str:
        if self.rng.random() < 0.5:
            self.rewrite(self.site / "data/reports/2025.yaml", r"开展业务培训\d+次",
                         f"开展业务培训{self.rng.randrange(2, 100)}次")
            return "report data"
        outcome = self.rng.choice(("予以公开", "部分公开", "本机关不掌握相关政府信息"))
        self.rewrite(self.site / "data/requests/2025.yaml",
                     r"(  decided: 2025-01-20\n  outcome: ).*", rf"\g<1>{outcome}")
        return f"ledger outcome {outcome}"

    def category_name(self) -> str:
        path = self.site / "site.yaml"
        text = path.read_text(encoding="utf-8")
        names = re.findall(r"^    name: (.*)$", text, flags=re.M)
        old = self.rng.choice(names)
        path.write_text(text.replace(f"    name: {old}\n", f"    name: {old}（更名）\n", 1),
                        encoding="utf-8")
        return f"category {old} renamed"

    def category_id(self) -> str:
        """A column gets another id: site.yaml and every item of it change together."""
        path = self.site / "site.yaml"
        text = path.read_text(encoding="utf-8")
        old = self.rng.choice(sorted({p.parent.name for p in self.items()}
                                     & set(re.findall(r"id: (\w+)$", text, flags=re.M))))
        new = f"{old}x"
        path.write_text(re.sub(rf"id: {old}$", f"id: {new}", text, flags=re.M),
                        encoding="utf-8")
        for item in self.items():
            self.rewrite(item, rf"^category: {old}$", f"category: {new}")
        return f"category id {old} -> {new}"

    def attachment_gone(self) -> str:
        """An attachment is deleted (its item then links nothing: held back, or fixed)."""
        found = sorted(p for p in (self.site / "content").rglob("*")
                       if p.is_file() and p.suffix != ".md")
        if not found:
            return self.attachment()
        path = self.rng.choice(found)
        path.unlink()
        return f"attachment {path.name} deleted"

    EDITS = ("body", "title", "category", "date", "add", "delete", "rename", "withhold",
             "attachment", "template", "site_yaml", "report", "category_name", "category_id",
             "attachment_gone")

    def edit(self) -> str:
        kind = self.rng.choice(self.EDITS)
        return getattr(self, kind)()


# Templates a site may write that read across the site: what each page shows of other items
# and columns is what its templates read, never only its own data.
OVERRIDES = {
    # each column's three newest titles with their summaries (the common home page)
    "home.html": """{% extends "base.html" %}
{% block content %}
{% for column in columns %}<h2>{{ column.category.name }}（{{ column.count }}）</h2>
<ul>{% for view in column.items[:3] %}<li>{{ view.title }}：{{ view.item.summary or "" }}</li>
{% endfor %}</ul>{% endfor %}
{% endblock %}
""",
    # a column page showing each row's department and summary
    "column.html": """{% extends "base.html" %}
{% block content %}<h1>{{ column.category.name }}</h1>
{% for view in rows %}<p>{{ view.title }}｜{{ view.department }}｜{{ view.item.summary }}</p>
{% endfor %}{% endblock %}
""",
    # an item page listing its column's other titles
    "item.html": """{% extends "base.html" %}
{% block content %}<h1>{{ view.title }}</h1>{{ body_html }}
<ul>{% for other in public.column_by_id[view.column.id].items %}{% if other.url != view.url %}
<li><a href="{{ rel(other.url) }}">{{ other.title }}</a></li>{% endif %}{% endfor %}</ul>
{% endblock %}
""",
    # a shared partial: each column's count, and the current column's newest title
    "partials/sidebar.html": """<nav class="columns-nav">{% for column in public.columns %}
<p>{{ column.category.name }}（{{ column.count }}）{% if column.category.id == column_id
and column.items %}{{ column.items[0].title }}{% endif %}</p>{% endfor %}</nav>
""",
}


def with_overrides(site: Path) -> Path:
    for name, text in OVERRIDES.items():
        path = site / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return site


@pytest.mark.parametrize(("seed", "steps", "search", "overrides"), [
    (1, 14, False, False), (2, 14, False, False), (3, 5, True, False),
    (4, 16, False, True), (5, 16, False, True)])
def test_random_edits_build_like_a_clean_build(tmp_path: Path, seed: int, steps: int,
                                               search: bool, overrides: bool) -> None:
    site = demo_copy(tmp_path / "site")
    if overrides:
        with_overrides(site)
    out = site / "_site"
    build_site(site, out, TODAY, jobs=1, withhold=True, search=search)
    editor = Editor(site, random.Random(seed))
    incremental = 0
    for step in range(steps):
        what = editor.edit()
        report = build_site(site, out, TODAY, jobs=1, withhold=True, search=search)
        incremental += report.incremental
        expected = clean_build(site, tmp_path / "clean", search)
        actual = tree_digest(out)
        assert sorted(actual) == sorted(expected), f"step {step} ({what}): other files"
        different = [name for name in expected if actual[name] != expected[name]]
        assert not different, f"step {step} ({what}): files differ: {different[:5]}"
        # a clean build into a new folder, with the build cache of the earlier builds
        warm = tmp_path / "warm"
        shutil.rmtree(warm, ignore_errors=True)
        build_site(site, warm, TODAY, jobs=1, withhold=True, search=search)
        assert tree_digest(warm) == expected, f"step {step} ({what}): cached build differs"
    assert incremental, "no build was incremental: the test did not test it"


def test_an_edit_of_an_old_item_indexes_only_the_older_half_again(tmp_path: Path) -> None:
    """Pagefind runs again only on the search bundle whose items changed: the newer half's
    files stay the very files of the previous build."""
    site = demo_copy(tmp_path / "site")
    out = site / "_site"
    build_site(site, out, TODAY, jobs=1, search=True)
    loaded = load_site(site, TODAY)
    assert loaded.site is not None
    oldest = public_site(loaded.site).items[-1].item.path

    def files(bundle: str) -> dict[str, tuple[int, int]]:
        return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
                for p in (out / bundle).rglob("*") if p.is_file()}

    newer, older = files(BUNDLE), files(OLDER_BUNDLE)
    with (site / oldest).open("a", encoding="utf-8") as handle:
        handle.write("\n补充说明：本文件由示例编辑修订。\n")
    report = build_site(site, out, TODAY, jobs=1, search=True)
    assert report.incremental
    assert files(BUNDLE) == newer  # not written again
    assert files(OLDER_BUNDLE) != older
    assert tree_digest(out) == clean_build(site, tmp_path / "clean", True)


def test_a_body_cache_left_by_other_code_is_replaced(tmp_path: Path) -> None:
    """The bodies made by another version (another stamp) are emptied and made anew, not left
    failing every write."""
    site = demo_copy(tmp_path / "site")
    build_site(site, site / "_site", TODAY, jobs=1, search=False)
    change_store(site, ("UPDATE parts SET stamp = 'gxgk 0.0.1' WHERE name = 'bodies'", ()),
                 ("INSERT INTO bodies VALUES ('content/x.md', ?)", ("<p>旧</p>".encode(),)))
    report = build_site(site, tmp_path / "second", TODAY, jobs=1, search=False)
    keys = store_rows(site, "bodies")
    assert len(keys) == report.items and "content/x.md" not in keys
    assert store_stamps(site)["bodies"] == PARTS["bodies"].stamp()


def test_a_cached_body_follows_its_links(tmp_path: Path) -> None:
    """An unchanged body is taken from the cache only while its links resolve as before: when
    the item it links to gets another index number (so another URL), it is rendered again."""
    site = demo_copy(tmp_path / "site")
    build_site(site, tmp_path / "first", TODAY, jobs=1, search=False)
    target = site / "content/ldgx/genzhi-qianxin-dongji-zhuanxiang-2026.md"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("2026-00016", "2026-00916"), encoding="utf-8")
    build_site(site, tmp_path / "second", TODAY, jobs=1, search=False)
    linking = next(p for p in (tmp_path / "second/items").glob("*.html")
                   if "根治欠薪冬季专项行动的通知</a>》进行了解读" in p.read_text(encoding="utf-8"))
    page = linking.read_text(encoding="utf-8")
    assert 'href="11990100MB0123456X-2026-00916.html">关于开展2026年根治欠薪冬季专项行动' in page
    assert "2026-00016" not in page
    assert tree_digest(tmp_path / "second") == clean_build(site, tmp_path / "clean", False)


def test_an_unchanged_site_renders_no_page(tmp_path: Path) -> None:
    """A no-op rebuild of the demo renders nothing, the annual-report pages included."""
    site = demo_copy(tmp_path / "site")
    first = build_site(site, site / "_site", TODAY, jobs=1, search=False)
    again = build_site(site, site / "_site", TODAY, jobs=1, search=False)
    assert not first.incremental and again.incremental
    assert (again.rendered, again.written) == (0, 0)


def test_gxgk_build_twice_says_nothing_was_rendered_again(tmp_path: Path) -> None:
    site = demo_copy(tmp_path / "site")
    for _ in range(2):
        result = run_gxgk("build", str(site), "--today", TODAY.isoformat(), "--no-search")
        assert result.returncode == 0, result.stdout + result.stderr
    assert "(0 page(s) rendered again, 0 file(s) written: the rest was unchanged)" in result.stdout


def test_an_edit_of_the_report_data_or_the_ledger_renders_the_report_again(
        tmp_path: Path) -> None:
    site = demo_copy(tmp_path / "site")
    out = site / "_site"
    build_site(site, out, TODAY, jobs=1, search=False)
    data = site / "data" / "reports" / "2025.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace(
        "开展业务培训2次", "开展业务培训金丝雀次"), encoding="utf-8")
    report = build_site(site, out, TODAY, jobs=1, search=False)
    assert report.incremental and report.rendered == 1  # reports/2025/
    assert "开展业务培训金丝雀次" in (out / "reports" / "2025" / "index.html").read_text("utf-8")
    ledger = site / "data" / "requests" / "2025.yaml"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace(
        "  decided: 2025-01-20\n  outcome: 予以公开", "  decided: 2025-01-20\n  outcome: 部分公开",
        1), encoding="utf-8")
    report = build_site(site, out, TODAY, jobs=1, search=False)
    assert report.incremental and report.rendered == 1
    assert tree_digest(out) == clean_build(site, tmp_path / "clean", False)


def test_an_edit_renders_its_page_and_the_lists_that_show_it(tmp_path: Path) -> None:
    site = demo_copy(tmp_path / "site")
    build_site(site, site / "_site", TODAY, jobs=1, search=False)
    path = next((site / "content" / "gzdt").glob("*.md"))
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: .*$", "title: 金丝雀标题已修改", text, count=1, flags=re.M),
                    encoding="utf-8")
    report = build_site(site, site / "_site", TODAY, jobs=1, search=False)
    assert report.incremental
    assert report.rendered < 15
    pages = [p for p in (site / "_site").rglob("*.html")
             if "金丝雀标题已修改" in p.read_text(encoding="utf-8")]
    assert any(p.parent.name == "items" for p in pages)


def test_a_manifest_for_another_output_is_not_trusted(tmp_path: Path) -> None:
    """A folder rebuilt by another cache (e.g. another clone) gets a clean build."""
    site = demo_copy(tmp_path / "site")
    out = tmp_path / "out"
    build_site(site, out, TODAY, jobs=1, search=False)
    other = demo_copy(tmp_path / "other")
    build_site(other, out, TODAY, jobs=1, search=False)
    assert not build_site(site, out, TODAY, jobs=1, search=False).incremental


def built(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the demo, built once: (site, output)."""
    site = demo_copy(tmp_path / "site")
    build_site(site, site / "_site", TODAY, jobs=1, search=False)
    return site, site / "_site"


def edit_a_body(site: Path, paragraph: str) -> None:
    item = next((site / "content" / "gzdt").glob("*.md"))
    with item.open("a", encoding="utf-8") as handle:
        handle.write(f"\n{paragraph}\n")


def test_an_update_is_a_new_tree_that_shares_the_unchanged_files(tmp_path: Path) -> None:
    """An incremental build writes the changed files into a new tree, hard-links the others
    into it (the very files of the previous site, not copies) and swaps it in: the previous
    site's tree is gone, and so are the files no longer published."""
    site = demo_copy(tmp_path / "site")
    out = site / "_site"
    item = next((site / "content" / "gzdt").glob("*.md"))
    text = item.read_text(encoding="utf-8")
    (item.parent / "fujian-gone.pdf").write_bytes(b"%PDF-1.4 " + bytes(300))
    item.write_text(text + "\n附件：[fujian-gone.pdf](fujian-gone.pdf)\n", encoding="utf-8")
    build_site(site, out, TODAY, jobs=1, search=False)
    before = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*")
              if p.is_file()}
    item.write_text(text, encoding="utf-8")  # the attachment is no longer linked: it is gone
    report = build_site(site, out, TODAY, jobs=1, search=False)
    assert report.incremental
    assert tree_digest(out) == clean_build(site, tmp_path / "clean", False)
    after = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*")
             if p.is_file()}
    shared = {name for name in after if before.get(name) == after[name]}
    assert len(shared) == len(after) - report.written - 1  # all but the written and the marker
    assert [name for name in set(before) - set(after) if name.endswith("fujian-gone.pdf")]
    assert not list(out.parent.glob(f".{out.name}.building-*"))  # no tree left beside it


def test_where_folders_cannot_be_exchanged_the_swap_is_two_renames(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without renameat2(RENAME_EXCHANGE) (another system, or a file system that refuses it)
    the new tree is swapped in by two renames, for incremental and clean builds alike."""
    from gxgk_site.publish import output as output_module

    site, out = built(tmp_path)
    monkeypatch.setattr(output_module, "exchange", lambda first, second: False)
    edit_a_body(site, "本条为修订后新增内容。")
    assert build_site(site, out, TODAY, jobs=1, search=False).incremental
    assert tree_digest(out) == clean_build(site, tmp_path / "clean", False)
    site_yaml = site / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace(
        "  title: ", "  title: 改过的", 1), encoding="utf-8")
    assert not build_site(site, out, TODAY, jobs=1, search=False).incremental
    assert tree_digest(out) == clean_build(site, tmp_path / "clean", False)
    assert not list(out.parent.glob(f".{out.name}.building-*"))


def test_a_failed_build_keeps_the_output_and_the_next_build_incremental(tmp_path: Path) -> None:
    from gxgk_site.render.templates import TemplateProblem

    site, out = built(tmp_path)
    before = tree_digest(out)
    broken = site / "templates" / "item.html"
    broken.parent.mkdir()
    broken.write_text("{% if %}\n", encoding="utf-8")
    with pytest.raises(TemplateProblem):
        build_site(site, out, TODAY, jobs=1, search=False)
    assert tree_digest(out) == before
    broken.unlink()
    edit_a_body(site, "修改后的段落。")
    assert build_site(site, out, TODAY, jobs=1, search=False).incremental
    assert tree_digest(out) == clean_build(site, tmp_path / "clean", False)


def test_a_clean_build_after_a_manifest_renders_every_page(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """When a build decides for a clean build although most pages are unchanged, the new folder
    still gets every page (not only the changed ones)."""
    import gxgk_site.publish.changes as changes_module

    site, out = built(tmp_path)
    edit_a_body(site, "又一段修改。")
    monkeypatch.setattr(changes_module, "INCREMENTAL_SHARE", 0.0)  # any change: a clean build
    report = build_site(site, out, TODAY, jobs=1, search=False)
    assert not report.incremental and report.rendered == report.pages
    assert tree_digest(out) == clean_build(site, tmp_path / "clean", False)


def test_a_corrupt_cache_file_is_made_anew_by_a_parallel_build(tmp_path: Path) -> None:
    """A cache file that is not a database (a crash while it was written: its writes are not
    synced) is removed and made again, and the workers of a parallel build fill it with every
    code and body, which the next build then uses."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus import generate

    site = generate(tmp_path / "site", 300, light=True)  # pages for several worker batches
    store_file(site).parent.mkdir(parents=True)
    store_file(site).write_bytes(b"\x00garbage, not a database\n" * 100)
    report = build_site(site, site / "_site", TODAY, jobs=2, search=False)
    assert len(store_rows(site, "bodies")) == report.items
    assert len(store_rows(site, "qr")) == 2 * report.items  # each item page, in both scripts
    # mark one code, to see the next build take it from the cache
    change_store(site, ("UPDATE qr SET value = ? WHERE rowid = 1", (b"<svg>from the cache</svg>",)))
    build_site(site, tmp_path / "warm", TODAY, jobs=2, search=False)
    assert any("<svg>from the cache</svg>" in page.read_text(encoding="utf-8")
               for page in (tmp_path / "warm").rglob("*.html"))


def test_a_title_in_a_columns_top_three_is_updated_on_the_home_page(tmp_path: Path) -> None:
    """The stale page once published: a home page override listing each column's three newest
    titles, home_latest 1, an edit of the second newest title of a column; the home page (and
    its twin) must show the new title, as a clean build does."""
    site = with_overrides(demo_copy(tmp_path / "site"))
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  id_code:", "  home_latest: 1\n  id_code:", 1), encoding="utf-8")
    out = site / "_site"
    build_site(site, out, TODAY, jobs=1, search=False)
    loaded = load_site(site, TODAY)
    assert loaded.site is not None
    column = public_site(loaded.site).column_by_id["shbx"]
    second = column.items[1].item
    path = site / second.path
    path.write_text(path.read_text(encoding="utf-8").replace(
        f"title: {second.title}", "title: 改过标题的第二新文件", 1), encoding="utf-8")
    report = build_site(site, out, TODAY, jobs=1, search=False)
    assert report.incremental
    for page in ("index.html", "zh-hant/index.html"):
        assert "改过标题的第二新文件" in (out / page).read_text(encoding="utf-8") or \
            "改過標題的第二新文件" in (out / page).read_text(encoding="utf-8")
    assert tree_digest(out) == clean_build(site, tmp_path / "clean", False)


def test_a_new_order_of_a_column_shows_on_a_page_that_reads_its_newest(tmp_path: Path) -> None:
    """A home page showing each column's newest title reads that one item and the column's
    order: when another item becomes the newest (its date changed), the page is rendered again
    although the item it showed did not change."""
    site = demo_copy(tmp_path / "site")
    (site / "templates").mkdir()
    (site / "templates/home.html").write_text(
        '{% extends "base.html" %}{% block content %}{% for column in columns %}'
        "<p>{{ column.category.name }}：{{ column.items[0].title if column.items else '' }}</p>"
        "{% endfor %}{% endblock %}\n", encoding="utf-8")
    config = site / "site.yaml"  # the home page's own list: the newest item only (of gzdt)
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  id_code:", "  home_latest: 1\n  id_code:", 1), encoding="utf-8")
    out = site / "_site"
    build_site(site, out, TODAY, jobs=1, search=False)
    second = site / "content/shbx/daiyu-lingqu-zige-renzheng-2026.md"  # 社会保险's second
    second.write_text(second.read_text(encoding="utf-8").replace(
        "published: 2026-04-17", "published: 2026-07-25\ndelay_reason: 补登"), encoding="utf-8")
    report = build_site(site, out, TODAY, jobs=1, search=False)
    assert report.incremental
    title = re.search(r"^title: (.*)$", second.read_text(encoding="utf-8"), flags=re.M)
    assert title is not None and title[1] in (out / "index.html").read_text(encoding="utf-8")
    assert tree_digest(out) == clean_build(site, tmp_path / "clean", False)
