"""Reading the report's data files (the ledger under data/requests/, the report data under
data/reports/): one YAML document each; a file that is not YAML becomes a finding naming it and
its line, and the others are read on."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from gxgk_site import yamlio
from gxgk_site.findings import Finding, error

Key = TypeVar("Key")


def read_each(site_dir: Path, files: Iterable[tuple[Key, Path]], rule: str,
              findings: list[Finding], unreadable: list[tuple[Key, str]] | None = None,
              ) -> Iterator[tuple[Key, str, Any, yamlio.KeyLines]]:
    """(key, site-relative path, document, key lines) of each file that YAML can read; a
    finding of ``rule`` for each one it cannot, whose key and path go to ``unreadable``."""
    for key, path in files:
        relative = path.relative_to(site_dir).as_posix()
        try:
            data, lines = yamlio.load_path(path)
        except yamlio.YamlProblem as exc:
            findings.append(error(rule, relative, exc.line, exc.message))
            if unreadable is not None:
                unreadable.append((key, relative))
            continue
        yield key, relative, data, lines
