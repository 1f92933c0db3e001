"""A fingerprint of the installed gxgk code and of the libraries that shape its output: every
cache made by one version is dropped by another (a rule, a parser, the Markdown or Traditional
conversion, or the QR encoder may have changed what it computes)."""

from __future__ import annotations

import functools
import hashlib
import importlib
from importlib import metadata
from pathlib import Path

from gxgk_site import __version__

_PACKAGE = Path(__file__).parent
# what parses the items, renders and converts the pages, and counts working days (modules the
# build imports anyway; their __version__, or the distribution's when a module has none)
LIBRARIES = (("yaml", "pyyaml"), ("jinja2", "jinja2"), ("markdown_it", "markdown-it-py"),
             ("mdit_py_plugins", "mdit-py-plugins"), ("opencc", "opencc"),
             ("zxingcpp", "zxing-cpp"), ("chinese_calendar", "chinesecalendar"),
             ("", "pagefind"),  # run as a program: its distribution's version
             # what reads the attachments and finds the wording errors (by their
             # distributions' versions: importing pypinyin alone takes 0.2 s)
             ("", "python-calamine"), ("", "lxml"), ("", "pypdfium2"), ("", "pypinyin"),
             ("", "ahocorasick-rs"))


def _version(module_name: str, distribution: str) -> str:
    try:
        module = importlib.import_module(module_name) if module_name else None
        version = getattr(module, "__version__", None)
        return str(version) if version else metadata.version(distribution)
    except (ImportError, metadata.PackageNotFoundError):
        return "?"


@functools.cache
def code_stamp() -> str:
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for module_name, distribution in LIBRARIES:
        digest.update(f"{distribution}={_version(module_name, distribution)};".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
