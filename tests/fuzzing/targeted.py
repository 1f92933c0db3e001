"""Mutations aimed at one kind of file: public items (injection, links, flips, Markdown), the
guide, site.yaml, the ledger, the report data, new and odd files, symlinks and templates."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from fuzzing import values
from fuzzing.context import (
    GUIDE_FILE,
    LEDGER,
    PRIVATE,
    PUBLIC,
    REPORTS,
    ROOT,
    SITE,
    TEMPLATE,
    Ctx,
    Doc,
    append_raw,
    dump,
    edit_value,
    load_data,
    mutation,
    open_doc,
)
from fuzzing.sites import CODE, LEAK, REPO, read_front_matter

# ---------------------------------------------------------------- helpers


def _append(path: Path, text: str) -> None:
    with path.open("ab") as handle:
        handle.write(f"\n\n{text}\n".encode("utf-8", "surrogatepass"))


def _edit(path: Path, changes: dict[str, object]) -> Doc | None:
    """Set top-level keys (None deletes); falls back to appending lines to broken YAML."""
    doc = open_doc(path)
    if doc is None:
        return None
    data = load_data(doc)
    if isinstance(data, dict):
        for key, value in changes.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        doc.text = dump(data)
    else:
        for key, value in changes.items():
            if value is not None:
                append_raw(doc, key, values.quote(str(value)))
    doc.save(path)
    return doc


def _folder(ctx: Ctx) -> Path:
    content = ctx.root / "content"
    folders = sorted(p for p in content.iterdir() if p.is_dir() and not p.is_symlink())
    return ctx.rng.choice(folders) if folders else content


def _public_source(ctx: Ctx) -> Path | None:
    """A public item of the base that is still where it was (earlier mutations move some)."""
    found = ctx.targets(PUBLIC)
    return ctx.rng.choice(found) if found else None


def _folder_at(folder: Path) -> bool:
    """Whether ``folder`` is (or could be made) a folder: a mutation may have made it a file."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return folder.is_dir()


def _with_index(text: str, serial: int) -> str:
    return re.sub(r"(?m)^index_no: .*$", f"index_no: {CODE}/2026-{serial:05d}", text, count=1)


def _relative(ctx: Ctx, item: Path, target: Path) -> str:
    return os.path.relpath(target, item.parent).replace(os.sep, "/")


# ---------------------------------------------------------------- public items: text


_ITEM_FIELDS = ("title", "title", "summary", "keywords", "department", "doc_number", "kind",
                "body", "body")


@mutation("inject-item", (PUBLIC,), build_focus=True)
def inject_item(ctx: Ctx, path: Path) -> str:
    """Markup, template syntax, placeholders and spreadsheet formulas in a public item."""
    text = ctx.plant(values.payload(ctx.rng, ctx.new_id()))
    field = ctx.rng.choice(_ITEM_FIELDS)
    if field == "body":
        _append(path, text)
    else:
        _edit(path, {field: [text, "养老"] if field == "keywords" else text})
    return f"{field}: {text[:40]!r}"


@mutation("privacy-in-item", (PUBLIC,))
def privacy_in_item(ctx: Ctx, path: Path) -> str:
    number = values.valid_id_number(ctx.rng)
    where = ctx.rng.choice(("title", "summary", "body"))
    if where == "body":
        _append(path, f"联系人身份证号码：{number}。")
    else:
        doc = open_doc(path)
        data = load_data(doc) if doc else None
        old = data.get(where, "") if isinstance(data, dict) else ""
        _edit(path, {where: f"{old}{number}"})
    ctx.must_find(ctx.rel(path), "a citizen ID number in a public item")
    return where


@mutation("huge-body", (PUBLIC,))
def huge_body(ctx: Ctx, path: Path) -> str:
    kind = ctx.rng.choice(("cjk", "ascii-line", "links", "table", "headings"))
    text = {
        "cjk": "政府信息公开" * 170_000,
        "ascii-line": "x" * 1_000_000,
        # 80,000 links: a few seconds for a linear reading, well over 10 s for a quadratic one
        "links": " ".join(f"[链接{i}](#{i})" for i in range(80_000)),
        "table": "|" + "a|" * 2000 + "\n|" + "-|" * 2000 + "\n" + ("|" + "1|" * 2000 + "\n") * 200,
        "headings": "\n\n".join("## 同名标题" for _ in range(20_000)),
    }[kind]
    _append(path, text)
    return kind


@mutation("deep-markdown", (PUBLIC, GUIDE_FILE), build_focus=True)
def deep_markdown(ctx: Ctx, path: Path) -> str:
    depth = ctx.rng.choice((100, 1000, 5000, 20000))
    kind = ctx.rng.choice(("quote", "list", "brackets", "emphasis", "angle", "footnotes"))
    text = {
        "quote": "> " * depth + "引用",
        "list": "\n".join("  " * level + "- 项" for level in range(min(depth, 2000))),
        "brackets": "[" * depth + "x" + "](y)" * depth,
        "emphasis": "*a**" * depth,
        "angle": "<" * depth + "a" + ">" * depth,
        "footnotes": "".join(f"[^{i}]" for i in range(depth)) + "\n\n[^1]: 注",
    }[kind]
    _append(path, text)
    return f"{kind} x{depth}"


@mutation("markdown-edge", (PUBLIC, GUIDE_FILE))
def markdown_edge(ctx: Ctx, path: Path) -> str:
    text = ctx.rng.choice((
        "[^x]\n\n[^x]: 一\n[^x]: 二", "# 标题\n# 标题\n# 标题", "<!-- 未闭合的注释",
        "&#0; &#xD800; &#x110000; &nbsp &#99999999999;", "[x]: <>\n[x]", "```\n未闭合的代码块",
        "| a |\n|---|\n| b | c | d |", "![](<>)", "[](#)", "<https://例子.中国/路径>",
        "\\" * 1001, "`" * 5000, "- [ ] 任务\n- [x] 完成", "[链接](<../x y.pdf>)",
        "![图片](data:image/svg+xml;base64,PHN2Zz4=)",
    ))
    _append(path, text)
    return text[:30]


# ---------------------------------------------------------------- links


_UNPUBLISHED = ("site.yaml", "data/requests/2025.yaml", "data/reports/2025.yaml", ".env",
                "outside", "etc")


def _link(form: str, target: str) -> str:
    return {
        "link": f"[文件]({target})",
        "image": f"![图]({target})",
        "fragment": f"[文件]({target}#L1)",
        "angle": f"[文件](<{target}>)",
        "reference": f"[文件][ref]\n\n[ref]: {target}",
        "encoded": f"[文件]({target.replace('.', '%2E')})",
        "query": f"[文件]({target}?download=1)",
    }[form]


def _unpublished_target(ctx: Ctx, path: Path) -> tuple[str, str]:
    what = ctx.rng.choice(_UNPUBLISHED)
    if what == "etc":
        return what, "../" * 12 + "etc/passwd"
    target = ctx.outside / "secret.txt" if what == "outside" else ctx.root / what
    return what, _relative(ctx, path, target)


@mutation("link-unpublished", (PUBLIC,), build_focus=True)
def link_unpublished(ctx: Ctx, path: Path) -> str:
    """A public item links site.yaml, the ledger, .env or a file outside the site."""
    what, target = _unpublished_target(ctx, path)
    form = ctx.rng.choice(("link", "image", "fragment", "angle", "reference", "encoded", "query"))
    _append(path, _link(form, target))
    ctx.must_find(ctx.rel(path), f"links {what}, which is never published")
    return f"{form} to {target}"


@mutation("link-absolute", (PUBLIC, GUIDE_FILE))
def link_absolute(ctx: Ctx, path: Path) -> str:
    n = ctx.new_id()
    target = ctx.rng.choice(("/site.yaml", "/.env", "file:///etc/passwd", "//evil.invalid/x",
                             f"javascript:gxgkxss({n})", f"JaVaScRiPt:gxgkxss({n})",
                             f"data:text/html,<script>gxgkxss({n})</script>",
                             "/data/requests/2025.yaml", "~/site.yaml", "\\\\server\\share"))
    ctx.expect.forbid_markup.extend((f'href="javascript:gxgkxss({n})',
                                     f'href="JaVaScRiPt:gxgkxss({n})',
                                     f"<script>gxgkxss({n})"))
    _append(path, f"[文件]({target}) ![图]({target})")
    return target


@mutation("link-guide-unpublished", (GUIDE_FILE, REPORTS))
def link_guide_unpublished(ctx: Ctx, path: Path) -> str:
    """The guide or the report's Markdown links an unpublished file (the leak is judged)."""
    what, target = _unpublished_target(ctx, ctx.root / "content" / "guide.md")
    text = _link(ctx.rng.choice(("link", "image", "angle")), target)
    if path.suffix == ".md":
        _append(path, text)
        return f"to {what}"
    return f"to {what}: " + _set_report_text(ctx, path, text)


@mutation("link-private-item", (PUBLIC,))
def link_private_item(ctx: Ctx, path: Path) -> str:
    private = ctx.root / ctx.rng.choice(ctx.base.private_items)
    _append(path, f"[相关文件]({_relative(ctx, path, private)})")
    ctx.must_find(ctx.rel(path), "links a non-public item")
    return ctx.rel(private)


@mutation("interprets-private", (PUBLIC,))
def interprets_private(ctx: Ctx, path: Path) -> str:
    private = ctx.root / ctx.rng.choice(ctx.base.private_items)
    data = read_front_matter(private)
    if not data or "index_no" not in data:
        return "private item unreadable"
    _edit(path, {"kind": "政策解读", "interprets": data["index_no"]})
    ctx.must_find(ctx.rel(path), "interprets a non-public item")
    return ctx.rel(private)


# ---------------------------------------------------------------- public items: attributes


def _plant_secrets(ctx: Ctx, path: Path, title: bool) -> dict[str, object]:
    relative = ctx.rel(path)
    n = ctx.new_id()
    body = f"{LEAK}-flipped-body-{n}"
    _append(path, f"内部 {body}")
    ctx.secret(body, relative)
    if not title:
        return {}
    doc = open_doc(path)
    data = load_data(doc) if doc else None
    old = data.get("title", "") if isinstance(data, dict) else ""
    ctx.secret(f"{LEAK}-flipped-title-{n}", relative)
    ctx.secret(f"{LEAK}-flipped-summary-{n}", relative)
    return {"title": f"{old} {LEAK}-flipped-title-{n}", "summary": f"{LEAK}-flipped-summary-{n}"}


@mutation("flip-withheld", (PUBLIC,), build_focus=True)
def flip_withheld(ctx: Ctx, path: Path) -> str:
    """主动公开 → 不予公开 (with or without a ground), with secrets in title, summary, body."""
    changes = _plant_secrets(ctx, path, title=True)
    ground = ctx.rng.choice(("过程性信息", "国家秘密", None))
    _edit(path, {**changes, "attribute": "不予公开", "exempt_ground": ground})
    return f"ground {ground}"


@mutation("flip-on-request", (PUBLIC,), build_focus=True)
def flip_on_request(ctx: Ctx, path: Path) -> str:
    """主动公开 → 依申请公开: its title may be listed, its body never."""
    _plant_secrets(ctx, path, title=False)
    ground = ctx.rng.choice(("不属于主动公开范围", None))
    _edit(path, {"attribute": "依申请公开", "exempt_ground": ground})
    return f"ground {ground}"


@mutation("flip-draft", (PUBLIC,), build_focus=True)
def flip_draft(ctx: Ctx, path: Path) -> str:
    changes = _plant_secrets(ctx, path, title=True)
    _edit(path, {**changes, "draft": True})
    return ""


@mutation("missing-review", (PUBLIC,), build_focus=True)
def missing_review(ctx: Ctx, path: Path) -> str:
    """One sign-off tier, or the secrecy review, missing or empty."""
    doc = open_doc(path)
    data = load_data(doc) if doc else None
    if doc is None or not isinstance(data, dict):
        return "unreadable"
    tier = ctx.rng.choice(("first", "second", "final", "secrecy_review", "all"))
    how = ctx.rng.choice(("delete", "null", "empty", "name-only"))
    reviewers = data.get("reviewers") if isinstance(data.get("reviewers"), dict) else {}
    holder, key = (data, "secrecy_review") if tier == "secrecy_review" else (reviewers, tier)
    if tier == "all":
        holder, key = data, "reviewers"
    replacement = {"null": None, "empty": {}, "name-only": {"name": "王某"}}.get(how)
    if how == "delete":
        holder.pop(key, None)
    else:
        holder[key] = replacement
    doc.text = dump(data)
    doc.save(path)
    return f"{tier} {how}"


@mutation("interpretation-chain", (PUBLIC,))
def interpretation_chain(ctx: Ctx, path: Path) -> str:
    """An interpretation of itself, or of an index number no item has."""
    doc = open_doc(path)
    data = load_data(doc) if doc else None
    own = data.get("index_no") if isinstance(data, dict) else None
    target = ctx.rng.choice((own, f"{CODE}/2099-99999", "", "x" * 1000, None))
    _edit(path, {"kind": "政策解读", "interprets": target})
    return str(target)[:30]


# ---------------------------------------------------------------- the guide and the reports


@mutation("inject-guide", (GUIDE_FILE,), build_focus=True)
def inject_guide(ctx: Ctx, path: Path) -> str:
    text = ctx.plant(values.payload(ctx.rng, ctx.new_id()))
    _append(path, text)
    return text[:40]


@mutation("guide-front-matter", (GUIDE_FILE,))
def guide_front_matter(ctx: Ctx, path: Path) -> str:
    head = ctx.rng.choice(("---\ntitle: 指南\n---\n", "---\n[broken\n---\n", "---\n",
                           "---\n" + values.alias_bomb(8) + "\n---\n", "---\n---\n---\n"))
    path.write_bytes(head.encode() + path.read_bytes())
    return head.split("\n")[1][:20]


def _set_report_text(ctx: Ctx, path: Path, text: str) -> str:
    key = ctx.rng.choice(("overview", "problems", "other"))
    doc = open_doc(path)
    if doc is None:
        return "unreadable"
    note = edit_value(doc, (key,), values.quote(text))
    doc.save(path)
    return note


@mutation("inject-report", (REPORTS,), build_focus=True)
def inject_report(ctx: Ctx, path: Path) -> str:
    return _set_report_text(ctx, path, ctx.plant(values.payload(ctx.rng, ctx.new_id())))


@mutation("report-numbers", (REPORTS,))
def report_numbers(ctx: Ctx, path: Path) -> str:
    key = ctx.rng.choice((("administrative", "licensing"), ("administrative", "fees"),
                          ("review_litigation", "review", "total"), ("processing_fee",),
                          ("applications",), ("review_litigation", "review")))
    raw = ctx.rng.choice(("-1", "1e400", "1.5", "99999999999999999999999", ".nan", "'十'",
                          "[1, 2]", "{本年新收: {自然人: -1}}", "{不存在的行: [1, 2, 3]}", "~"))
    doc = open_doc(path)
    if doc is None:
        return "unreadable"
    note = edit_value(doc, key, raw)
    doc.save(path)
    return note + f" = {raw}"


@mutation("report-year-file", (ROOT,))
def report_year_file(ctx: Ctx, path: Path) -> str:
    year = ctx.rng.choice(("0000", "0001", "1999", "2008", "2100", "9999", "2026"))
    source = path / "data" / "reports" / "2025.yaml"
    target = path / "data" / "reports" / f"{year}.yaml"
    if not _folder_at(target.parent):
        return "data/reports is not a folder"
    if source.is_file():
        shutil.copyfile(source, target)
    else:
        target.write_text("published: 2026-01-20\n", encoding="utf-8")
    return year


# ---------------------------------------------------------------- site.yaml


_SITE_TEXTS = (("agency", "name"), ("agency", "address"), ("agency", "office_hours"),
               ("site", "title"), ("categories", 0, "name"), ("categories", 0, "empty_note"),
               ("categories", 1, "description"), ("agency", "phone"))


def _set_site(ctx: Ctx, path: Path, key: tuple, raw: str) -> str:
    doc = open_doc(path)
    if doc is None:
        return "unreadable"
    note = edit_value(doc, key, raw)
    doc.save(path)
    return note


@mutation("inject-site", (SITE,), build_focus=True)
def inject_site(ctx: Ctx, path: Path) -> str:
    text = ctx.plant(values.payload(ctx.rng, ctx.new_id()))
    return _set_site(ctx, path, ctx.rng.choice(_SITE_TEXTS), values.quote(text))


@mutation("deep-categories", (SITE,))
def deep_categories(ctx: Ctx, path: Path) -> str:
    depth = ctx.rng.choice((50, 300, 990, 1500))
    nested = "{id: deep0, name: 深}"
    for level in range(1, depth):
        nested = f"{{id: deep{level}, name: 深, children: [{nested}]}}"
    return _set_site(ctx, path, ("categories", 2, "children"), f"[{nested}]") + f" x{depth}"


@mutation("category-clash", (SITE,))
def category_clash(ctx: Ctx, path: Path) -> str:
    how = ctx.rng.choice(("duplicate-id", "remove-used", "empty-list", "self-child", "odd-id"))
    raw = {
        "duplicate-id": "{id: shbx, name: 重复}",
        "remove-used": "{id: gone, name: 已删除}",
        "empty-list": "[]",
        "self-child": "{id: loop, name: 环, children: [{id: loop, name: 环}]}",
        "odd-id": "{id: '../../etc', name: 路径}",
    }[how]
    key: tuple = ("categories",) if how == "empty-list" else ("categories", 0)
    return _set_site(ctx, path, key, raw) + f" {how}"


@mutation("list-on-request", (SITE,), build_focus=True)
def list_on_request(ctx: Ctx, path: Path) -> str:
    """A legitimate option: 依申请公开 titles listed in the catalog (their bodies never)."""
    return _set_site(ctx, path, ("catalog",), "{list_on_request: true, page_size: 5}")


@mutation("site-numbers", (SITE,))
def site_numbers(ctx: Ctx, path: Path) -> str:
    key = ctx.rng.choice((("site", "home_latest"), ("catalog", "page_size"),
                          ("rules", "window_working_days"), ("rules", "request_days"),
                          ("rules", "due_warning_days"), ("rules", "request_extension_days")))
    raw = ctx.rng.choice(("0", "-1", "1", "5", "60", "61", "100", "101", "200", "201",
                          "99999999999999999999", "1.5", "true", "'20'"))
    return _set_site(ctx, path, key, raw)


@mutation("base-url", (SITE,))
def base_url(ctx: Ctx, path: Path) -> str:
    n = ctx.new_id()
    ctx.expect.forbid_markup.append(f"<script>gxgkxss({n})")
    url = ctx.rng.choice((f"javascript:gxgkxss({n})", "https://例子.中国/公开/", "http://x/",
                          "https://example.gov.cn/" + "a/" * 2000, "https://example.gov.cn",
                          f'https://x.cn/"><script>gxgkxss({n})</script>/', "ftp://x.cn/",
                          "https://x.cn/?q=1#f", "https://x.cn/%ZZ/", "https://[::1]:99999/"))
    return _set_site(ctx, path, ("site", "base_url"), values.quote(url))


@mutation("huge-calendar", (SITE,))
def huge_calendar(ctx: Ctx, path: Path) -> str:
    how = ctx.rng.choice(("many", "extreme", "both"))
    raw = {
        "many": "[" + ", ".join(f"2026-{m:02d}-{d:02d}" for m in range(1, 13)
                                for d in range(1, 29)) * 30 + "]",
        "extreme": "[0001-01-01, 9999-12-31, 2026-11-20, 2026-11-21]",
        "both": "[2026-11-23, 2026-11-24]",
    }[how]
    raw = raw.replace("][", ", ")
    key = ("calendar", "holidays") if how != "both" else ("calendar", "workdays")
    return _set_site(ctx, path, key, raw) + f" {how}"


# ---------------------------------------------------------------- the ledger


@mutation("ledger-numbers", (LEDGER,))
def ledger_numbers(ctx: Ctx, path: Path) -> str:
    doc = open_doc(path)
    if doc is None:
        return "unreadable"
    raw = ctx.rng.choice(("1000000000", "-1", "1e400", "99999999999999999999", "1.5",
                          "0", "20", "'3'"))
    note = edit_value(doc, (ctx.rng.randrange(2), "paused_days"), raw)
    doc.save(path)
    return note + f" = {raw}"


_RECORD = """\
- id: {id}
  received: {received}
  applicant: {applicant}
  decided: {decided}
  outcome: {outcome}
"""


@mutation("ledger-new-file", (ROOT,))
def ledger_new_file(ctx: Ctx, path: Path) -> str:
    folder = path / "data" / "requests"
    if not _folder_at(folder):
        return "data/requests is not a folder"
    rng = ctx.rng
    records = "".join(_RECORD.format(
        id=rng.choice(("2026-900", "2025-001", "~", "[x]", "2026-901")),
        received=rng.choice(("2026-10-08", "9999-12-31", "0001-01-01", "2026-11-20", "x")),
        applicant=rng.choice(("自然人", "外星人", "~", "[商业企业]")),
        decided=rng.choice(("2026-10-20", "~", "2026-10-01", "9999-12-31")),
        outcome=rng.choice(("予以公开", "本机关不掌握相关政府信息", "其他", "~")))
        for _ in range(rng.randint(1, 4)))
    name = rng.choice(("2026-extra.yaml", "x.yml", "one.yaml"))
    if name == "one.yaml":  # one record as a mapping
        records = "\n".join(line[2:] for line in records.split("\n")[:5]) + "\n"
    (folder / name).write_text(records, encoding="utf-8")
    return name


@mutation("odd-data-entries", (ROOT,))
def odd_data_entries(ctx: Ctx, path: Path) -> str:
    how = ctx.rng.choice(("dir-named-yaml", "hidden", "requests-is-file", "reports-is-file",
                          "no-data", "empty-yaml", "only-comment"))
    requests, reports = path / "data" / "requests", path / "data" / "reports"
    if not (_folder_at(requests) and _folder_at(reports)):
        return "no data folders"
    if how == "dir-named-yaml":
        (requests / "folder.yaml").mkdir(parents=True, exist_ok=True)
    elif how == "hidden":
        (requests / ".hidden.yaml").write_text("[broken\n", encoding="utf-8")
    elif how in ("requests-is-file", "reports-is-file"):
        folder = requests if how == "requests-is-file" else reports
        shutil.rmtree(folder, ignore_errors=True)
        folder.write_text("not a folder\n", encoding="utf-8")
    elif how == "no-data":
        shutil.rmtree(path / "data", ignore_errors=True)
    elif how == "empty-yaml":
        (requests / "empty.yaml").write_text("", encoding="utf-8")
    else:
        (reports / "2024.yaml").write_text("# 只有注释\n", encoding="utf-8")
    return how


# ---------------------------------------------------------------- new and odd files


@mutation("duplicate-item-file", (ROOT,))
def duplicate_item_file(ctx: Ctx, path: Path) -> str:
    sources = ctx.targets(PUBLIC) + ctx.targets(PRIVATE)
    if not sources:
        return "no item left"
    source = ctx.rng.choice(sources)
    target = source.with_name("gxgk-copy-" + source.name)
    shutil.copyfile(source, target)
    if ctx.rel(source) in ctx.base.private_items:  # the copy is as secret as its source
        for marker, files in list(ctx.expect.secrets.items()):
            if ctx.rel(source) in files:
                ctx.expect.secrets[marker] = (*files, ctx.rel(target))
    return ctx.rel(target)


@mutation("deep-folder-item", (ROOT,))
def deep_folder_item(ctx: Ctx, path: Path) -> str:
    source = _public_source(ctx)
    if source is None:
        return "no public item left"
    depth = ctx.rng.choice((20, 100, 400))
    folder = path / "content" / Path(*(["d"] * depth))
    try:
        folder.mkdir(parents=True)
        (folder / "deep.md").write_bytes(source.read_bytes())
    except OSError as exc:
        return f"depth {depth}: {exc.strerror}"
    source.unlink()  # moved, so its index number stays unique
    return f"{ctx.rel(source)} moved {depth} folders deep"


@mutation("odd-filename", (ROOT,))
def odd_filename(ctx: Ctx, path: Path) -> str:
    source = _public_source(ctx)
    if source is None:
        return "no public item left"
    name = ctx.rng.choice(("空 格.md", "#hash.md", "100%25.md", "a?b=c.md", "引号'\".md",
                           "UPPER.MD.md", "-dash.md", "x" * 240 + ".md", "tab\tname.md",
                           "换\n行.md", "..md", "guide.md", "index.md", "🇨🇳.md"))
    target = source.with_name(name)
    source.rename(target)
    return repr(name[:30])


@mutation("undecodable-filename", (ROOT,))
def undecodable_filename(ctx: Ctx, path: Path) -> str:
    source = _public_source(ctx)
    if source is None:
        return "no public item left"
    raw = ctx.rng.choice((b"\xb9\xab\xbf\xaa-gbk.md", b"\xff\xfe.md", b"a\x80b.md"))
    os.rename(os.fsencode(source), os.fsencode(source.parent) + b"/" + raw)
    return repr(raw)


_JUNK = (b"", b"---\n", b"---\n---\n", b"---\n...\n", b"---\nhello\n---\n", b"---\n- a\n---\n",
         b"---\n~\n---\n", b"# \xe5\x8f\xaa\xe6\x9c\x89\xe6\xad\xa3\xe6\x96\x87\n",
         b"\n\n---\ntitle: x\n---\n", b"--- \ntitle: x\n--- \n", b"---\r\ntitle: x\r\n---\r\n",
         b"+++\ntitle = 'toml'\n+++\n", b"---\n" + b"a: 1\n" * 50_000 + b"---\n")


@mutation("junk-item-file", (ROOT,))
def junk_item_file(ctx: Ctx, path: Path) -> str:
    data = ctx.rng.choice(_JUNK)
    target = _folder(ctx) / f"gxgk-junk-{ctx.new_id()}.md"
    target.write_bytes(data)
    ctx.must_find(ctx.rel(target), "is not a complete item")
    return f"{ctx.rel(target)}: {data[:20]!r}"


@mutation("hidden-files", (ROOT,))
def hidden_files(ctx: Ctx, path: Path) -> str:
    """Files that are not items: hidden, '_'-prefixed, not .md, folders named .md."""
    folder = _folder(ctx)
    (folder / ".hidden.md").write_text("[broken", encoding="utf-8")
    (folder / "_partial.md").write_bytes(b"\xff\xfe")
    (folder / "notes.txt").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    (folder / "folder.md").mkdir(exist_ok=True)
    (folder / ".git").mkdir(exist_ok=True)
    return ctx.rel(folder)


@mutation("many-items", (ROOT,))
def many_items(ctx: Ctx, path: Path) -> str:
    """Enough items for the parallel loader (400 files and more)."""
    chosen = _public_source(ctx)
    if chosen is None:
        return "no public item left"
    source = chosen.read_text(encoding="utf-8")
    folder = _folder(ctx)
    for serial in range(10_000, 10_420):
        (folder / f"gxgk-many-{serial}.md").write_text(_with_index(source, serial),
                                                       encoding="utf-8")
    return "420 copies"


@mutation("content-odd", (ROOT,))
def content_odd(ctx: Ctx, path: Path) -> str:
    how = ctx.rng.choice(("guide-folder", "content-empty", "only-guide"))
    content = path / "content"
    if how == "guide-folder":
        _remove(content / "guide.md")
        (content / "guide.md").mkdir()
    elif how == "content-empty":
        shutil.rmtree(content)
        content.mkdir()
    else:
        for child in content.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
    return how


# ---------------------------------------------------------------- symlinks


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.is_symlink() or path.exists():
        path.unlink()


def _symlink(link: Path, target: Path | str) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    _remove(link)
    os.symlink(target, link)


@mutation("symlink-item-outside", (ROOT,), build_focus=True)
def symlink_item_outside(ctx: Ctx, path: Path) -> str:
    link = _folder(ctx) / "gxgk-outside.md"
    _symlink(link, ctx.outside / "item.md")
    return ctx.rel(link)


@mutation("symlink-folder-outside", (ROOT,), build_focus=True)
def symlink_folder_outside(ctx: Ctx, path: Path) -> str:
    link = _folder(ctx) / "gxgk-outside-folder"
    _symlink(link, ctx.outside / "folder")
    return ctx.rel(link)


@mutation("symlink-attachment", (PUBLIC,), build_focus=True)
def symlink_attachment(ctx: Ctx, path: Path) -> str:
    """A public item links an attachment that is a symlink to a secret (outside the site,
    site.yaml, .env, the ledger): never published, and the link is a finding."""
    target = ctx.rng.choice((ctx.outside / "secret.txt", ctx.root / "site.yaml",
                             ctx.root / ".env", ctx.root / "data/requests/2025.yaml"))
    link = path.parent / f"gxgk-attachment-{ctx.new_id()}.txt"
    _symlink(link, target if ctx.rng.random() < 0.5 else os.path.relpath(target, link.parent))
    _append(path, f"[附件]({link.name})")
    ctx.must_find(ctx.rel(path), "links a symlink to a file that is never published")
    return f"{link.name} -> {target.name}"


@mutation("symlink-loop", (ROOT,))
def symlink_loop(ctx: Ctx, path: Path) -> str:
    folder = _folder(ctx)
    how = ctx.rng.choice(("parent", "root", "self", "pair"))
    if how == "parent":
        _symlink(folder / "gxgk-loop", "..")
    elif how == "root":
        _symlink(folder / "gxgk-loop", "../..")
    elif how == "self":
        _symlink(folder / "gxgk-self.md", "gxgk-self.md")
    else:
        _symlink(folder / "gxgk-a", "gxgk-b")
        _symlink(folder / "gxgk-b", "gxgk-a")
    return f"{ctx.rel(folder)} {how}"


@mutation("symlink-odd", (ROOT,))
def symlink_odd(ctx: Ctx, path: Path) -> str:
    folder = _folder(ctx)
    how = ctx.rng.choice(("dangling", "dir-as-md", "private-alias", "device", "fifo"))
    if how == "dangling":
        _symlink(folder / "gxgk-dangling.md", "/nonexistent/gxgk/item.md")
    elif how == "dir-as-md":
        _symlink(folder / "gxgk-dir.md", ctx.outside / "folder")
    elif how == "private-alias":
        private = ctx.root / ctx.rng.choice(ctx.base.private_items)
        _symlink(folder / "gxgk-alias.md", os.path.relpath(private, folder))
    elif how == "device":
        _symlink(folder / "gxgk-null.md", "/dev/null")
    else:
        os.mkfifo(folder / "gxgk-fifo.md")
    return f"{ctx.rel(folder)} {how}"


@mutation("symlink-guide", (ROOT,), build_focus=True)
def symlink_guide(ctx: Ctx, path: Path) -> str:
    target = ctx.rng.choice((ctx.outside / "secret.txt", ctx.root / "site.yaml",
                             ctx.root / ".env"))
    _symlink(path / "content" / "guide.md", target)
    return target.name


# ---------------------------------------------------------------- templates (builds only)


_TEMPLATE_NAMES = tuple(sorted(
    path.relative_to(REPO / "themes/default/templates").as_posix()
    for path in (REPO / "themes/default/templates").rglob("*.html")))

_BROKEN_TEMPLATES = (
    "{% if %}", "{{ unclosed", "{% block content %}never closed", "{% include 'missing.html' %}",
    "{{ nothing.at.all }}", "{{ 1 / 0 }}", "{% extends self %}", "{{ site.agency.name.upper() }",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "{% extends 'base.html' %}{% block x %}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}", "{% for x in 5 %}{% endfor %}",
    "{% set x = x + 1 %}{{ x }}", "{% raw %}",
)


@mutation("template-broken", (TEMPLATE,), build_focus=True)
def template_broken(ctx: Ctx, path: Path) -> str:
    name = ctx.rng.choice(_TEMPLATE_NAMES)
    body = ctx.rng.choice(_BROKEN_TEMPLATES)
    if body.startswith("{% extends self"):
        body = f"{{% extends '{name}' %}}"
    target = path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body.encode() if ctx.rng.random() < 0.9 else b"\xff\xfe{{ gbk }}\x00")
    return f"{name}: {body[:30]}"

