"""One preview build: the only place `gxgk serve` calls the site build.

Whatever goes wrong becomes findings (file, line, message), never an exception: a file broken
mid-edit must not stop the server, which then keeps serving the last good build.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from gxgk_site.config import CONFIG_FILE, ConfigUnavailable, load_config
from gxgk_site.findings import Finding, Severity, error
from gxgk_site.public_search.index import SearchIndexFailed
from gxgk_site.publish.build import BuildRefused, build_site
from gxgk_site.publish.output import OutputFailed, OutputRefused
from gxgk_site.render.templates import TemplateProblem

_PLACE = re.compile(r"^(?P<path>(?:theme )?[^\s:]+):(?P<line>\d+): (?P<message>.*)$", re.DOTALL)


@dataclass
class Attempt:
    built: bool  # a new output folder was swapped in
    findings: list[Finding]  # errors and warnings; the errors of held-back items included
    seconds: float
    summary: str
    withheld: list[str] = field(default_factory=list)
    base_path: str = "/"  # of site.yaml's base_url, when built

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity is Severity.WARNING for f in self.findings)


def _template_finding(exc: TemplateProblem) -> Finding:
    match = _PLACE.match(str(exc))
    if match:
        return error("template", match["path"], int(match["line"]), match["message"])
    return error("template", "templates", None, str(exc))


def build_preview(site_dir: Path, out_dir: Path, today: dt.date) -> Attempt:
    """Build the site into ``out_dir``, leaving out items with errors and the search index."""
    started = time.perf_counter()

    def failed(findings: list[Finding], why: str) -> Attempt:
        return Attempt(False, findings, time.perf_counter() - started, f"not built ({why})")

    try:
        report = build_site(site_dir, out_dir, today, withhold=True, search=False)
    except BuildRefused as exc:
        return failed(exc.findings, "the site has errors outside its items")
    except ConfigUnavailable as exc:
        return failed([error("config", CONFIG_FILE, None, str(exc))], "no site.yaml")
    except TemplateProblem as exc:
        return failed([_template_finding(exc)], "template error")
    except OutputRefused as exc:
        return failed([error("output", out_dir.as_posix(), None, str(exc))], "output refused")
    except OutputFailed as exc:  # e.g. a full disk
        return failed([error("output", out_dir.as_posix(), None, str(exc))],
                      "the preview could not be written")
    except SearchIndexFailed as exc:  # not built in preview, but say so if it ever is
        return failed([error("search", "pagefind", None, str(exc))], "search index failed")
    except Exception as exc:  # a bug in gxgk: the server goes on, and says what happened
        return failed([error("internal", "gxgk", None, f"{type(exc).__name__}: {exc} "
                             "(please report it; run gxgk build with GXGK_DEBUG=1 for details)")],
                      "internal error")
    config, _ = load_config(site_dir)  # read and checked by the build a moment ago
    base_path = urlsplit(config.site.base_url).path if config is not None else "/"
    return Attempt(True, report.findings, report.seconds,
                   f"built {report.items} item(s), {report.pages} page(s)",
                   withheld=report.withheld, base_path=base_path or "/")
