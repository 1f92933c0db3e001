"""Rendering: Markdown to HTML, the Traditional conversion, QR codes, URLs, the templates, and
pages to files in both scripts."""
