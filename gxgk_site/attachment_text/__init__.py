"""The text of the attachments items link: which files (``load``), their text (``extract``),
kept by digest (``cache``). The rules ``privacy``, ``wording`` and ``attachment`` read it from
the Site; the searches take it with ``load.item_text``."""
