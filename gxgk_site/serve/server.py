"""The preview's HTTP side: the built files, with the reload script added to each HTML response.

The files on disk are exactly what the build wrote; the script tag is added here, in responses
only, so it can never reach a published site. Files are looked up per request, because each
build swaps a new output folder in. Reserved paths under /__gxgk/ serve the script, its style
sheet, the build state as JSON, and that state as Server-Sent Events.
"""

from __future__ import annotations

import contextlib
import html
import json
import mimetypes
import re
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from gxgk_site.serve.state import PreviewState, Snapshot

RESERVED = "/__gxgk/"
ASSETS = {"reload.js": "text/javascript; charset=utf-8",
          "overlay.css": "text/css; charset=utf-8"}
KEEPALIVE_SECONDS = 15.0
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def _asset(name: str) -> bytes:
    return resources.files("gxgk_site.serve").joinpath(name).read_bytes()


def reload_tag(snapshot: Snapshot, status: int) -> bytes:
    return (f'<script src="{RESERVED}reload.js" data-build="{html.escape(snapshot.tag)}" '
            f'data-status="{status}" defer></script>\n').encode()


def inject(page: bytes, tag: bytes) -> bytes:
    """The page with ``tag`` before its last </body> (at the end when it has none)."""
    ends = list(_BODY_END.finditer(page))
    if not ends:
        return page + tag
    at = ends[-1].start()
    return page[:at] + tag + page[at:]


def _placeholder(snapshot: Snapshot) -> bytes:
    message = ("正在生成预览…… The preview is being built." if not snapshot.findings else
               "站点暂时无法生成，请按提示修改。The site cannot be built yet: see the errors.")
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            '<title>gxgk serve</title></head>\n<body><main><h1>gxgk serve</h1>'
            f"<p>{html.escape(message)}</p></main></body></html>\n").encode()


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], out_dir: Path, state: PreviewState) -> None:
        self.out_dir, self.state = out_dir, state
        # the path of site.yaml's base_url (e.g. /xxgk/): the site is served there as well as
        # at the root, so that the links that start with it (the 404 page's) work in preview
        self.base_path = "/"
        super().__init__(address, PreviewHandler)


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "gxgk-serve"

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal shows builds, not requests

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def do_GET(self) -> None:
        self._respond(head=False)

    # ---- routing ----

    def _respond(self, head: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        try:
            if path.startswith(RESERVED):
                self._reserved(path[len(RESERVED):], head)
            else:
                self._site_file(path, head)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went away (a reload, a closed tab)

    def _reserved(self, name: str, head: bool) -> None:
        if name in ASSETS:
            self._send(HTTPStatus.OK, ASSETS[name], _asset(name), head)
        elif name == "state":
            body = json.dumps(self.server.state.snapshot().as_json(), ensure_ascii=False)
            self._send(HTTPStatus.OK, "application/json; charset=utf-8", body.encode(), head)
        elif name == "events" and not head:
            self._events()
        else:
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found\n", head)

    # ---- the built site ----

    def _site_file(self, path: str, head: bool) -> None:
        snapshot = self.server.state.snapshot()  # before reading: a newer page only reloads
        base = self.server.base_path
        if base != "/" and (path + "/").startswith(base):
            path = "/" + path[len(base):]
        parts = [part for part in path.split("/") if part]
        if any(part.startswith(".") or "\\" in part or "\0" in part for part in parts):
            self._not_found(snapshot, head)
            return
        root = self._output_root()
        if root is None:
            body = inject(_placeholder(snapshot), reload_tag(snapshot, 503))
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/html; charset=utf-8", body, head)
            return
        target = root.joinpath(*parts)
        if target.is_dir():
            if path and not path.endswith("/"):
                self._redirect(path + "/")
                return
            target = target / "index.html"
        data = self._read(target)
        if data is None:
            self._not_found(snapshot, head)
            return
        self._send_page(HTTPStatus.OK, target.name, data, snapshot, head)

    def _output_root(self) -> Path | None:
        """The output folder; None when no build has made one yet.

        A build swaps its folder in with two renames: in between, the folder is missing for a
        moment, so wait for it briefly before deciding there is none.
        """
        out = self.server.out_dir
        for _ in range(40):
            if out.is_dir():
                return out
            if self.server.state.snapshot().generation == 0:
                return None
            time.sleep(0.05)
        return None

    @staticmethod
    def _read(target: Path) -> bytes | None:
        for _ in range(3):  # a file can vanish under us while a build swaps the folder
            try:
                return target.read_bytes()
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                time.sleep(0.05)
            except OSError:
                return None
        return None

    def _not_found(self, snapshot: Snapshot, head: bool) -> None:
        page = self.server.out_dir / "404.html"
        data = self._read(page) if page.is_file() else None
        if data is None:
            data = b"<!DOCTYPE html><html><body><h1>404</h1></body></html>\n"
        self._send_page(HTTPStatus.NOT_FOUND, "404.html", data, snapshot, head)

    def _send_page(self, status: HTTPStatus, name: str, data: bytes, snapshot: Snapshot,
                   head: bool) -> None:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = inject(data, reload_tag(snapshot, int(status)))
        if kind.startswith("text/") or kind in ("application/json", "application/xml",
                                                "application/javascript"):
            kind += "; charset=utf-8"
        self._send(status, kind, data, head)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, kind: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    # ---- live updates ----

    def _events(self) -> None:
        """Server-Sent Events: the state now, then each change, until the browser leaves."""
        state = self.server.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        snapshot: Snapshot | None = state.snapshot()
        seen = -1
        while not state.stopping:
            if snapshot is None:
                self.wfile.write(b": still here\n\n")
            else:
                seen = snapshot.version
                data = json.dumps(snapshot.as_json(), ensure_ascii=False)
                self.wfile.write(f"retry: 1000\ndata: {data}\n\n".encode())
            self.wfile.flush()
            snapshot = state.wait_for_change(seen, KEEPALIVE_SECONDS)
        with contextlib.suppress(OSError):
            self.wfile.flush()
