"""`gxgk linkcheck`: the links of a built output, checked (run.py), internal ones offline
(internal.py, html_links.py), external ones over HTTP when asked (external.py), each dead one
traced back to the item file and line it comes from (sources.py)."""
