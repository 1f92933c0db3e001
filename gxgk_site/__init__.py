"""gxgk-site: a static-site generator for a 政府信息公开专栏."""

__version__ = "0.1.0"
