"""How `gxgk search` prints its hits: a line per hit for people, one JSON document for tools."""

from __future__ import annotations

import json
from dataclasses import asdict

from gxgk_site.editor_search.query import Hit, SearchResult

MISSING = "-"


def _line(hit: Hit) -> str:
    facts = (hit.attribute, hit.category, hit.formed, hit.published)
    details = ", ".join(MISSING if value is None else str(value) for value in facts)
    return f"{hit.path}: {hit.index_no or MISSING} {hit.title} ({details})"


def to_text(result: SearchResult) -> str:
    lines = [_line(hit) for hit in result.hits]
    if result.total > len(result.hits):
        lines.append(f"{result.total} item(s) found, the first {len(result.hits)} shown "
                     "(--limit N shows more)")
    else:
        lines.append(f"{result.total} item(s) found")
    return "\n".join(lines) + "\n"


def to_json(query_text: str, result: SearchResult) -> str:
    hits = []
    for hit in result.hits:
        record = asdict(hit)
        for key in ("formed", "published"):
            record[key] = None if record[key] is None else record[key].isoformat()
        hits.append(record)
    document = {"query": query_text, "total": result.total, "hits": hits}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
