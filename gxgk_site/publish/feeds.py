"""Machine-readable files: the Atom feed, sitemap.xml and robots.txt (at the host root only).

Deterministic: no build time anywhere; the feed's ``updated`` is its newest entry's date.
"""

from __future__ import annotations

from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from gxgk_site.publish.pages import Page
from gxgk_site.publish.public import PublicSite
from gxgk_site.render.urls import HANT_PREFIX, absolute

FEED_ENTRIES = 50


def _stamp(pubdate: str) -> str:
    day, time = pubdate.split(" ")
    return f"{day}T{time}:00+08:00"


def atom(public: PublicSite) -> str:
    config = public.config
    base = config.site.base_url
    entries = public.items[:FEED_ENTRIES]
    updated = _stamp(entries[0].pubdate) if entries else "2000-01-01T00:00:00+08:00"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-Hans">',
        f"  <title>{escape(config.site.title)}</title>",
        f"  <id>{escape(base)}</id>",
        f"  <link rel=\"alternate\" href={quoteattr(base)}/>",
        f"  <link rel=\"self\" href={quoteattr(base + 'feed.xml')}/>",
        f"  <updated>{updated}</updated>",
        f"  <author><name>{escape(config.agency.name)}</name></author>",
    ]
    for view in entries:
        assert view.url is not None
        url = absolute(base, view.url)
        lines += [
            "  <entry>",
            f"    <title>{escape(view.title)}</title>",
            f"    <id>{escape(url)}</id>",
            f"    <link rel=\"alternate\" href={quoteattr(url)}/>",
            f"    <updated>{_stamp(view.pubdate)}</updated>",
            f"    <published>{_stamp(view.pubdate)}</published>",
            f"    <category term={quoteattr(view.column.id)} label={quoteattr(view.column.name)}/>",
            f"    <summary>{escape(view.item.summary or '')}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def sitemap(public: PublicSite, pages: list[Page]) -> str:
    base = public.config.site.base_url
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in pages:
        if not page.in_sitemap:
            continue
        view = page.data.get("view")
        lastmod = f"<lastmod>{view.published.isoformat()}</lastmod>" if view is not None else ""
        for url in (page.url, HANT_PREFIX + page.url) if page.mirrored else (page.url,):
            lines.append(f"  <url><loc>{escape(absolute(base, url))}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(public: PublicSite) -> str | None:
    """robots.txt, for a site at the root of its host; None for a site under a path (e.g.
    /xxgk/): crawlers read only the host's /robots.txt, which the site does not own (README
    says which line to add to it)."""
    base_url = public.config.site.base_url
    if urlsplit(base_url).path not in ("", "/"):
        return None
    return f"User-agent: *\nAllow: /\nSitemap: {base_url}sitemap.xml\n"
