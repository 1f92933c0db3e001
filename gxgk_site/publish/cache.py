"""The build's QR codes and item bodies, kept in the build cache (cache_store.py, parts ``qr``
and ``bodies``): what is costly to compute and never changes for the same input.

QR codes: an item's URL never changes, so its code is computed once and reused by every later
build. Keyed by what the SVG depends on (the URL and the title); the part's stamp is the
encoder's and qr.py's, not all of gxgk's code (see PARTS in cache_store.py).

Item bodies: markdown-it is a third of the CPU time of rendering the pages, and converting the
bodies to Traditional most of OpenCC's. A body's HTML depends on the item file (its path and
digest) and on what each of its links resolved to, so the HTML in both scripts is kept with
those answers and reused when every link still resolves the same way (render/html.py checks).
The bodies of items that are gone are dropped whenever new ones are saved.

The rendering workers add what they compute themselves, batch by batch, while the other worker
renders: a cold build of 10,000 items computes about 120 MB of codes and bodies, which would
otherwise be sent to the parent and then written there after the pages, on one core. The build
reads both parts before the workers start, so their stamps are settled when they write; a
worker that finds another stamp writes nothing (see cache_store.py).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from gxgk_site.cache_store import Store
from gxgk_site.publish.manifest import LinkAnswers

QR_PART = "qr"
BODY_PART = "bodies"

QrKey = tuple[str, str]  # (url, title)
# what the links of a body resolved to, its HTML, and that HTML in Traditional Chinese
Body = tuple[LinkAnswers, str, str]


def _qr_key(key: QrKey) -> str:
    return f"{key[0]}\n{key[1]}"


def load_qr(store: Store, keys: Sequence[QrKey] | None = None) -> dict[QrKey, str]:
    """The cached codes: all of them, or only those of ``keys`` (an incremental build needs a
    few of the tens of thousands, and reading them all costs 0.2 s)."""
    found = store.read(QR_PART, None if keys is None else [_qr_key(key) for key in keys])
    codes: dict[QrKey, str] = {}
    for key, svg in found.items():
        url, _, title = key.partition("\n")
        codes[url, title] = svg
    return codes


def add_qr(store: Store, new: dict[QrKey, str]) -> None:
    """Add codes computed by a worker (see the module's docstring)."""
    store.write(QR_PART, {_qr_key(key): svg for key, svg in new.items()})


def body_key(path: str, digest: str) -> str:
    return f"{path}\n{digest}"


def _is_body(value: object) -> bool:
    return (isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], tuple)
            and isinstance(value[1], str) and isinstance(value[2], str))


def load_bodies(store: Store, keys: Collection[str]) -> dict[str, Body]:
    """The cached bodies of these keys (see body_key) that there are."""
    return {key: body for key, body in store.read(BODY_PART, keys).items() if _is_body(body)}


def add_bodies(store: Store, new: dict[str, Body]) -> None:
    """Add bodies rendered by a worker (see the module's docstring)."""
    store.write(BODY_PART, new)


def keep_bodies(store: Store, current: Collection[str]) -> None:
    """Drop the bodies of items no longer ``current``."""
    store.keep_only(BODY_PART, current)
