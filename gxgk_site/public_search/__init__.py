"""Public search: a static Pagefind index of the public items, exact for Chinese."""
