"""The editors' search: a whoosh index of every item, public or not, outside the output.

``analysis`` splits Chinese into overlapping character bigrams, ``index`` keeps the index in
``SITE_DIR/.gxgk/search/`` up to date file by file, and ``query`` parses and runs whoosh queries.
"""
