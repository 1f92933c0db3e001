"""What a page read while its templates rendered: the ground of sound incremental builds.

A template may reach any item, column or list of the public site (a home page listing each
column's newest titles, an item page listing its column's other titles), so what a page depends on
cannot be guessed from the page's own data or from template text. Instead every attribute and
item a template reads goes through the template environment (``templates.Environment``), which
asks here what that read depends on: the classes of the public site declare it (``depends``:
reading ``column.items`` depends on that column's list of items, reading anything of an item on
that item). The names of those dependencies are the page's reads; the manifest keeps them with
the page, and the next build renders the page again when the value of any of them changed
(``publish/changes.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# (object, attribute or key read) -> the name of what that read depends on, or None
Dependency = Callable[[Any, Any], str | None]

DEPENDENCIES: dict[type, Dependency] = {}  # by exact type (see depends)


def depends(cls: type, dependency: Dependency) -> None:
    """Declare what reading an attribute (or item) of a ``cls`` object depends on."""
    DEPENDENCIES[cls] = dependency
