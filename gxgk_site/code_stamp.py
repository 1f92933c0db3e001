"""A fingerprint of the installed gxgk code: every cache made by one version of the code is
dropped by another (a rule, a parser or a template helper may have changed what it computes)."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from gxgk_site import __version__

_PACKAGE = Path(__file__).parent


@functools.cache
def code_stamp() -> str:
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
