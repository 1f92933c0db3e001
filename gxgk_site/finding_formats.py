"""How findings are printed: plain text for people, JSON for tools, GitHub annotations for CI."""

from __future__ import annotations

import json
from pathlib import Path

from gxgk_site.check import CheckResult
from gxgk_site.findings import Finding

FORMATS = ("text", "json", "github")


def finding_line(finding: Finding) -> str:
    """``content/x.md:7: error[window] message`` (no line number for a whole file)."""
    place = finding.path if finding.line is None else f"{finding.path}:{finding.line}"
    return f"{place}: {finding.severity}[{finding.rule}] {finding.message}"


def _scope_note(result: CheckResult) -> str:
    """How much of the site the findings cover, when only changed items are reported."""
    if result.changed is None:
        return ""
    return (f", reporting the {len(result.changed.items)} changed since {result.changed.ref} "
            "and site-wide findings")


def as_text(result: CheckResult) -> str:
    lines = [finding_line(finding) for finding in result.findings]
    lines.append(
        f"checked {result.items} item(s) on {result.today}{_scope_note(result)}: "
        f"{result.errors} error(s), {result.warnings} warning(s)"
    )
    return "\n".join(lines) + "\n"


def as_json(result: CheckResult) -> str:
    summary: dict[str, object] = {
        "items": result.items, "errors": result.errors, "warnings": result.warnings}
    if result.changed is not None:
        summary["changed_since"] = {"ref": result.changed.ref,
                                    "items": list(result.changed.items)}
    document = {
        "version": 1,
        "today": result.today.isoformat(),
        "summary": summary,
        "findings": [finding_json(f) for f in result.findings],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def finding_json(finding: Finding) -> dict[str, object]:
    """A finding as the JSON formats give it (gxgk check, gxgk linkcheck)."""
    return {"rule": finding.rule, "severity": str(finding.severity), "path": finding.path,
            "line": finding.line, "message": finding.message}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(result: CheckResult, prefix: Path | None = None) -> str:
    """Workflow commands; paths are prefixed so they are relative to the repository root."""
    lines = [github_annotation(finding, prefix) for finding in result.findings]
    lines.append(f"checked {result.items} item(s){_scope_note(result)}: "
                 f"{result.errors} error(s), {result.warnings} warning(s)")
    return "\n".join(lines) + "\n"


def github_annotation(finding: Finding, prefix: Path | None = None) -> str:
    """``::error file=…,line=…,title=rule::message``; the path is prefixed so that it is
    relative to the repository root."""
    path = (prefix / finding.path).as_posix() if prefix else finding.path
    props = [f"file={_escape_property(path)}"]
    if finding.line is not None:
        props.append(f"line={finding.line}")
    props.append(f"title={_escape_property(finding.rule)}")
    return f"::{finding.severity} {','.join(props)}::{_escape_data(finding.message)}"


def render(result: CheckResult, fmt: str, prefix: Path | None = None) -> str:
    if fmt == "json":
        return as_json(result)
    if fmt == "github":
        return as_github(result, prefix)
    return as_text(result)


__all__ = ["FORMATS", "Finding", "render"]
