"""External links: asked over HTTP (HEAD, then GET when HEAD is refused), a few at a time per
host, with a timeout and retries; answers that last (the page is there, or 404/410: it is gone)
are kept in the build cache (cache_store.py, part ``links``) with the time they were given, and
reused while they are younger than ``--max-age``.

Only the standard library: urllib in threads. What an answer means:

- ``ok``: a status below 400, after following redirects.
- ``dead`` (an error): 404 or 410; another 4xx but those below; a 5xx, a refused or reset
  connection still there after the retries; a name that does not resolve; a certificate the
  browser would refuse.
- ``unverified`` (a warning): the server would not answer the checker (401, 403, 407, 412,
  429, 451, often bot protection), or it did not answer within the timeout after the retries.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from gxgk_site.cache_store import Store

OK, DEAD, UNVERIFIED = "ok", "dead", "unverified"
CACHE_PART = "links"
LASTING_DEAD = frozenset({404, 410})  # a page that is gone: an answer worth keeping
REFUSED_CHECKER = frozenset({401, 403, 407, 412, 429, 451})
TRANSIENT_STATUS = frozenset({429}) | frozenset(range(500, 600))
FORGET_AFTER = 90 * 86400  # cache entries older than this are dropped when it is written
_AGE = re.compile(r"(\d+)\s*([smhdw])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_age(text: str) -> float:
    """'7d', '12h', '30m', '1w', '0' → seconds; raises ValueError saying what is allowed."""
    text = text.strip().lower()
    if text == "0":
        return 0.0
    match = _AGE.fullmatch(text)
    if match is None:
        raise ValueError(f"{text!r} is not an age; write a number and a unit, e.g. 7d, 12h, "
                         "30m, 1w (or 0: ask again every time)")
    return float(int(match[1]) * _UNITS[match[2]])


@dataclass(frozen=True, slots=True)
class Answer:
    verdict: str  # ok | dead | unverified
    status: int | None  # the HTTP status, when there was one
    reason: str  # "404 Not Found", "timed out after 10 s", …
    checked: float  # when it was given (Unix time)
    cached: bool = False  # taken from the cache

    @property
    def lasting(self) -> bool:
        """Worth keeping: it will very likely be the same next week."""
        return self.verdict == OK or (self.verdict == DEAD and self.status in LASTING_DEAD)


def ascii_url(url: str) -> str:
    """The URL as HTTP sends it: the host in IDNA, other non-ASCII characters %-encoded."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii")
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    port = parts.port  # ValueError for a port that is not a number
    netloc = host if port is None else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    return urlunsplit((parts.scheme, netloc, quote(parts.path or "/", safe="/%;:@&=+$,!~*'()-._"),
                       quote(parts.query, safe="=&%+/?:@,;$!~*'()-._"), ""))


class _KeepHead(urllib.request.HTTPRedirectHandler):
    """Follow redirects keeping the method (urllib turns a redirected HEAD into a GET)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and req.get_method() == "HEAD":
            new.method = "HEAD"
        return new


@dataclass(frozen=True, slots=True)
class Settings:
    timeout: float = 10.0
    retries: int = 2
    per_host: int = 2
    jobs: int = 8
    user_agent: str = "Mozilla/5.0 (compatible; gxgk-linkcheck)"
    backoff: float = 0.5  # seconds before the first retry, doubled for each further one


class _Outcome:
    """One request's outcome: an HTTP status, or a transport problem."""

    def __init__(self, status: int | None, reason: str, kind: str = "") -> None:
        self.status, self.reason, self.kind = status, reason, kind  # kind: timeout, dns, …


def _request(opener: urllib.request.OpenerDirector, url: str, method: str,
             settings: Settings) -> _Outcome:
    request = urllib.request.Request(url, method=method, headers={
        "User-Agent": settings.user_agent, "Accept": "*/*"})
    try:
        with opener.open(request, timeout=settings.timeout) as response:
            return _Outcome(response.status, f"{response.status} {response.reason}")
    except urllib.error.HTTPError as exc:
        with contextlib.suppress(Exception):
            exc.close()
        return _Outcome(exc.code, f"{exc.code} {exc.reason}")
    except urllib.error.URLError as exc:
        return _transport(exc.reason, settings)
    except (TimeoutError, OSError, ValueError) as exc:  # also http.client's errors
        return _transport(exc, settings)


def _transport(reason: object, settings: Settings) -> _Outcome:
    if isinstance(reason, TimeoutError | socket.timeout):
        return _Outcome(None, f"no answer within {settings.timeout:g} s", "timeout")
    if isinstance(reason, socket.gaierror):
        return _Outcome(None, "the host name does not resolve", "dns")
    if isinstance(reason, ssl.SSLCertVerificationError):
        return _Outcome(None, f"the certificate is not valid ({reason.verify_message})", "ssl")
    if isinstance(reason, ssl.SSLError):
        return _Outcome(None, f"the secure connection failed ({reason})", "ssl")
    if isinstance(reason, ConnectionRefusedError):
        return _Outcome(None, "the connection was refused", "refused")
    if isinstance(reason, ValueError):
        return _Outcome(None, f"not a URL that can be requested ({reason})", "bad")
    return _Outcome(None, f"the connection failed ({reason})", "connection")


def _verdict(outcome: _Outcome) -> str:
    if outcome.status is not None:
        if outcome.status < 400:
            return OK
        return UNVERIFIED if outcome.status in REFUSED_CHECKER else DEAD
    return UNVERIFIED if outcome.kind == "timeout" else DEAD


def _transient(outcome: _Outcome) -> bool:
    if outcome.status is not None:
        return outcome.status in TRANSIENT_STATUS
    return outcome.kind in ("timeout", "refused", "connection")


class Checker:
    """Asks every URL once per run, at most ``per_host`` at a time per host."""

    def __init__(self, settings: Settings, now: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.now = now
        self._hosts: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()
        self._local = threading.local()

    def _opener(self) -> urllib.request.OpenerDirector:
        opener = getattr(self._local, "opener", None)
        if opener is None:
            opener = self._local.opener = urllib.request.build_opener(_KeepHead)
        return opener

    def _host(self, url: str) -> threading.Semaphore:
        host = urlsplit(url).netloc.lower()
        with self._lock:
            if host not in self._hosts:
                self._hosts[host] = threading.Semaphore(self.settings.per_host)
            return self._hosts[host]

    def check(self, url: str) -> Answer:
        """HEAD (GET when HEAD is refused or fails), retried while the outcome is transient."""
        try:
            wire = ascii_url(url)
        except ValueError as exc:
            return Answer(DEAD, None, f"not a URL that can be requested ({exc})", self.now())
        outcome = _Outcome(None, "not asked")
        for attempt in range(self.settings.retries + 1):
            if attempt:
                time.sleep(self.settings.backoff * 2 ** (attempt - 1))
            with self._host(wire):
                outcome = _request(self._opener(), wire, "HEAD", self.settings)
                if _verdict(outcome) != OK and outcome.kind not in ("timeout", "dns", "ssl"):
                    outcome = _request(self._opener(), wire, "GET", self.settings)
            if not _transient(outcome):
                break
        tries = f" ({self.settings.retries + 1} tries)" if _transient(outcome) and \
            self.settings.retries else ""
        return Answer(_verdict(outcome), outcome.status, outcome.reason + tries, self.now())

    def check_all(self, urls: list[str]) -> dict[str, Answer]:
        if not urls:
            return {}
        with ThreadPoolExecutor(max_workers=min(self.settings.jobs, len(urls))) as pool:
            return dict(zip(urls, pool.map(self.check, urls), strict=True))


class AnswerCache:
    """The answers kept in the build cache (part ``links``): URL -> answer and its time."""

    def __init__(self, store: Store, max_age: float, now: Callable[[], float] = time.time):
        self.store = store
        self.max_age = max_age
        self.now = now
        self.entries: dict[str, dict[str, object]] = {}
        for url, text in store.read(CACHE_PART).items():
            with contextlib.suppress(ValueError, TypeError):
                self.entries[url] = dict(json.loads(text))
        self.new: dict[str, str] = {}

    def get(self, url: str) -> Answer | None:
        entry = self.entries.get(url)
        if entry is None:
            return None
        try:
            answer = Answer(str(entry["verdict"]), entry.get("status"),  # type: ignore[arg-type]
                            str(entry["reason"]), float(entry["checked"]), cached=True)
        except (KeyError, TypeError, ValueError):
            return None
        if answer.verdict not in (OK, DEAD) or self.now() - answer.checked > self.max_age:
            return None
        return answer

    def put(self, url: str, answer: Answer) -> None:
        if answer.lasting and not answer.cached:
            entry = asdict(answer)
            entry.pop("cached")
            self.entries[url] = entry
            self.new[url] = json.dumps(entry, ensure_ascii=False, sort_keys=True)

    def save(self) -> None:
        """Keep the new answers and forget those older than FORGET_AFTER; a cache that cannot
        be written only costs time."""
        now = self.now()
        self.store.write(CACHE_PART, self.new)
        self.store.delete(CACHE_PART, [url for url, entry in self.entries.items()
                                       if not _young(entry, now)])


def _young(entry: dict[str, object], now: float) -> bool:
    try:
        return now - float(entry.get("checked", 0)) <= FORGET_AFTER  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def check_urls(urls: list[str], settings: Settings, cache: AnswerCache) -> dict[str, Answer]:
    """Every URL's answer: from the cache while young enough, else asked now (and kept)."""
    answers: dict[str, Answer] = {}
    to_ask = []
    for url in urls:
        cached = cache.get(url)
        if cached is not None:
            answers[url] = cached
        else:
            to_ask.append(url)
    fresh = Checker(settings).check_all(to_ask)
    for url, answer in fresh.items():
        cache.put(url, answer)
    answers.update(fresh)
    cache.save()
    return answers
