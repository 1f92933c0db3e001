"""Serious wording errors (严重表述错误): gxgk's own list (``builtin``), the site's lists under
``data/wording/`` (``lists``) and finding them in a text (``scan``); the rule is
``rules/wording.py``."""
