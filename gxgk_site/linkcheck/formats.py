"""How `gxgk linkcheck` prints its report: text for people, JSON for tools, GitHub annotations
for CI (the findings as `gxgk check` prints them)."""

from __future__ import annotations

import json
from pathlib import Path

from gxgk_site.finding_formats import finding_json, finding_line, github_annotation
from gxgk_site.linkcheck.run import LinkReport

FORMATS = ("text", "json", "github")
JSON_VERSION = 1


def summary_line(report: LinkReport) -> str:
    if report.external_checked:
        cached = f", {report.from_cache} answer(s) from the cache" if report.from_cache else ""
        external = (f"{report.external:,} external to {report.external_urls:,} URL(s)"
                    f"{cached}")
    else:
        external = (f"{report.external:,} external (not checked: add --external)"
                    if report.external else "0 external")
    return (f"checked {report.pages:,} page(s): {report.links:,} link(s), {report.internal:,} "
            f"inside the site, {external}: {report.errors} error(s), {report.warnings} "
            "warning(s)")


def as_text(report: LinkReport) -> str:
    lines = [finding_line(finding) for finding in report.findings]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def as_json(report: LinkReport) -> str:
    document = {
        "version": JSON_VERSION,
        "output": report.out_dir.as_posix(),
        "summary": {"pages": report.pages, "links": report.links, "internal": report.internal,
                    "external": report.external, "external_urls": report.external_urls,
                    "external_checked": report.external_checked,
                    "from_cache": report.from_cache, "errors": report.errors,
                    "warnings": report.warnings},
        "findings": [finding_json(finding) for finding in report.findings],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def as_github(report: LinkReport, prefix: Path | None = None) -> str:
    lines = [github_annotation(finding, prefix) for finding in report.findings]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def render(report: LinkReport, fmt: str, prefix: Path | None = None) -> str:
    if fmt == "json":
        return as_json(report)
    if fmt == "github":
        return as_github(report, prefix)
    return as_text(report)
