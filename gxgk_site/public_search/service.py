"""Pagefind in service mode: one process per search bundle, fed the records one by one.

Pagefind numbers a bundle's pages in the order it gets them. Its command line walks a folder of
sources, in the order the file system lists them (a memory file system lists them in the order
they were written, by several processes at once; another file system by a hash of the names),
so two builds of the same site gave different index files. Records sent through the service
protocol (base64 of a JSON message, then a comma, each way; one answer per message, in order)
are numbered in the order sent: the same items give the same bundle on any machine. Nothing is
written but the bundle itself.

The records go in from one thread while this one reads the answers (each side's pipe would
otherwise fill and wait for the other); the process dies with the build (children.py).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import signal
import subprocess
import threading
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from pagefind.service import get_executable

from gxgk_site.children import parent_lifeline
from gxgk_site.publish.output import write_file

# Pagefind's allocator (jemalloc) keeps freed pages for reuse; returning them at once lowers its
# peak memory at 10,000 items from 2.09 to 1.82 GB, at no cost in time and the same output.
ALLOCATOR = "dirty_decay_ms:0,muzzy_decay_ms:0"


class ServiceFailed(Exception):
    """Pagefind could not be started, or answered with an error; the message says which."""


class Service:
    """``with Service() as pagefind:`` one Pagefind process in service mode."""

    def __init__(self) -> None:
        binary = get_executable()
        if binary is None:
            raise ServiceFailed("the Pagefind program is not installed (pip install "
                                "'pagefind[extended]')")
        try:
            self.process = subprocess.Popen(
                [str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, env={**os.environ, "_RJEM_MALLOC_CONF": ALLOCATOR},
                preexec_fn=parent_lifeline())
        except OSError as exc:  # e.g. no memory left to start it
            raise ServiceFailed(f"pagefind could not be started: {exc}") from None
        self.sent = 0
        self.answers = _Answers(self.process.stdout)
        self.errors: list[str] = []  # what it wrote to stderr
        self.reader = threading.Thread(target=self._drain_errors, daemon=True)
        self.reader.start()

    def __enter__(self) -> Service:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _drain_errors(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.errors.append(line.decode("utf-8", "replace"))
            del self.errors[:-20]

    def _message(self, payload: dict[str, Any]) -> bytes:
        self.sent += 1
        request = {"message_id": self.sent, "payload": payload}
        return base64.b64encode(json.dumps(request, ensure_ascii=False).encode("utf-8")) + b","

    def _decode(self, raw: bytes) -> dict[str, Any]:
        answer = json.loads(base64.b64decode(raw))
        payload = answer.get("payload", {})
        if payload.get("type") == "Error":
            raise ServiceFailed(f"pagefind: {payload.get('message')}")
        return payload

    def _ended(self) -> str:
        code = self.process.wait()
        said = "".join(self.errors).strip()[-2000:]
        return f"pagefind {_how(code)} before it answered" + (f": {said}" if said else "")

    def request(self, payload: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(self._message(payload))
            self.process.stdin.flush()
        except BrokenPipeError:
            raise ServiceFailed(self._ended()) from None
        return self._answers(1)[0]

    def _answers(self, count: int) -> list[dict[str, Any]]:
        found = []
        for _ in range(count):
            raw = self.answers.next()
            if raw is None:
                raise ServiceFailed(self._ended())
            found.append(self._decode(raw))
        return found

    def new_index(self) -> int:
        answer = self.request({"type": "NewIndex", "config": {"force_language": "zh"}})
        return int(answer["index_id"])

    def add_records(self, index: int, records: Iterable[dict[str, Any]]) -> int:
        """Send the records in order (each: url, content, meta, filters, sort); how many."""
        messages = [self._message({"type": "AddRecord", "index_id": index, "language": "zh",
                                   **record}) for record in records]
        problem: list[BaseException] = []

        def send() -> None:
            assert self.process.stdin is not None
            try:
                for message in messages:
                    self.process.stdin.write(message)
                self.process.stdin.flush()
            except BrokenPipeError as exc:  # it ended: the reader says why
                problem.append(exc)

        writer = threading.Thread(target=send, daemon=True)
        writer.start()
        try:
            self._answers(len(messages))
        finally:
            writer.join()
        return len(messages)

    def write_files(self, index: int, output: Path) -> None:
        """Write the bundle into ``output``, here. Pagefind's own WriteFiles answers before its
        writes are done, and it stops at the end of its input: a bundle was then sometimes left
        with empty files (seen for the wasm, the entry and the UI files under load). GetFiles
        hands over every file's bytes; this process writes them (a failure names the file)."""
        answer = self.request({"type": "GetFiles", "index_id": index})
        files = []
        for entry in answer.get("files", []):
            relative = PurePosixPath(str(entry["path"]))
            if relative.is_absolute() or ".." in relative.parts or not relative.parts:
                raise ServiceFailed(f"pagefind: unexpected file name {entry['path']!r}")
            files.append((relative, base64.b64decode(entry["content"])))
        for relative, data in sorted(files):
            target = output / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            write_file(target, data)

    def close(self) -> None:
        if self.process.stdin is not None and not self.process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.process.stdin.close()  # at the end of its input it exits
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.reader.join(timeout=5)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()


def _how(returncode: int) -> str:
    if returncode < 0:
        with contextlib.suppress(ValueError):
            name = signal.Signals(-returncode).name
            return f"was killed by {name}" + (" (a file larger than the limit set with "
                                              "ulimit -f)" if name == "SIGXFSZ" else "")
    return f"exited with {returncode}"


class _Answers:
    """The service's answers, one at a time: each is everything up to the next comma."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.buffer = bytearray()

    def next(self) -> bytes | None:
        while True:
            end = self.buffer.find(b",")
            if end >= 0:
                raw = bytes(self.buffer[:end])
                del self.buffer[:end + 1]
                return raw
            chunk = self.stream.read1(1 << 16)
            if not chunk:
                return None
            self.buffer += chunk
