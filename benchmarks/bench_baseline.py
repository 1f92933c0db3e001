"""The issue's reference pipeline, timed on this machine: what the build figures compare with.

Build issue: "a plain Python read → YAML → Markdown → Jinja2 → write pipeline on 2 processes took
7.8 s" for 10,000 items on the reference 2-core machine. This is that pipeline over the same
generated corpus as bench_build.py: each item file read, its front-matter parsed (PyYAML's C
loader), its body rendered (markdown-it-py, CommonMark and tables), a small page template filled
(Jinja2) and written, on 2 processes. One page per item: no Traditional mirror, catalog, column
pages, QR codes, rules or atomic swap, which `gxgk build` all does. The reference pipeline's
template is not known, so this is a floor on this machine rather than an exact replica: the
part of a build that any Python generator pays.

Usage: python benchmarks/bench_baseline.py [--sizes 1000 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate, size_arguments, work_folder

TEMPLATE = jinja2.Environment(autoescape=True).from_string(
    "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ m.title }}"
    "</title></head><body><header><a href=\"../\">首页</a></header><main><h1>{{ m.title }}</h1>"
    "<table>{% for key, value in m.items() if value is string %}<tr><th>{{ key }}</th>"
    "<td>{{ value }}</td></tr>{% endfor %}</table>{{ body }}</main><footer>{{ m.index_no }}"
    "</footer></body></html>")
PARSER = MarkdownIt("commonmark").enable("table")


def _pages(job: tuple[list[Path], Path]) -> int:
    files, out = job
    for path in files:
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = yaml.load(front, Loader=yaml.CSafeLoader)
        page = TEMPLATE.render(m=meta, body=jinja2.filters.Markup(PARSER.render(body)))
        (out / (path.stem + ".html")).write_text(page, encoding="utf-8")
    return len(files)


def run(site: Path, processes: int = 2) -> float:
    out = site / "_baseline"
    shutil.rmtree(out, ignore_errors=True)
    os.sync()
    time.sleep(1)  # as bench_build.py: the disk first finishes what the clean-up left
    start = time.perf_counter()
    out.mkdir()
    files = sorted((site / "content").rglob("*.md"))
    size = -(-len(files) // (processes * 8))
    with ProcessPoolExecutor(processes) as pool:
        done = sum(pool.map(_pages, [(files[i:i + size], out) for i in range(0, len(files), size)]))
    assert done == len(files)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    size_arguments(parser, repeat=3)
    args = parser.parse_args()
    with work_folder() as work:
        for size in args.sizes:
            site = generate(work / f"site-{size}", size)
            times = [run(site) for _ in range(args.repeat)]
            print(f"reference pipeline: {size:>6} items  best {min(times):6.2f} s  "
                  f"median {statistics.median(times):6.2f} s  (2 processes; the issue's "
                  f"machine: 7.8 s at 10,000)")


if __name__ == "__main__":
    main()
