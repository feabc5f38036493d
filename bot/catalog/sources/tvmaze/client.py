"""An async client for TVmaze's public API (https://www.tvmaze.com/api): no key needed.

The caller owns the aiohttp session (main() opens one for the whole app) and passes it in.
Every failure is a TvmazeError whose str() is one sentence for the user.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlparse

import aiohttp

from ....i18n import _
from . import convert
from .convert import Catalog, ShowHit, TvEpisode, TvShow
from .errors import (
    TvmazeBusy,
    TvmazeDropped,
    TvmazeError,
    TvmazeNotFound,
    TvmazeOffline,
    TvmazeTimeout,
)

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.tvmaze.com"
# TVmaze asks API users to identify themselves in the User-Agent.
USER_AGENT = "Watchparty (a Discord bot for TV watch parties)"
EMBED = [("embed[]", "seasons"), ("embed[]", "cast")]

_IMDB = re.compile(r"(?:(?:https?://)?(?:www\.|m\.)?imdb\.com/title/)?(tt\d+)(?:[/?]\S*)?", re.I)
_QUOTED = re.compile(r'"(.*\S.*)"|\'(.*\S.*)\'|“(.*\S.*)”')
_TVMAZE = re.compile(r"(?:https?://)?(?:www\.)?tvmaze\.com/shows/(\d+)(?:/\S*)?|(\d+)")


class RateLimit:
    """At most `calls` requests in any `period` seconds: a sliding window.

    TVmaze documents "at least 20 calls every 10 seconds per IP"; one client instance (and so
    every request of the app) shares one window. `clock` and `sleep` are parameters so tests
    can run the real numbers on a fake clock instead of waiting.
    """

    def __init__(
        self,
        calls: int = 20,
        period: float = 10.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.calls, self.period = calls, period
        self.clock, self.sleep = clock, sleep
        self._sent: deque[float] = deque()
        # Waiters queue on the lock, so they are let through in arrival order.
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self.clock()
                while self._sent and now - self._sent[0] >= self.period:
                    self._sent.popleft()
                if len(self._sent) < self.calls:
                    self._sent.append(now)
                    return
                await self.sleep(self._sent[0] + self.period - now)


class TvmazeClient:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 10.0,
        rate_limit: RateLimit | None = None,
        retries: int = 2,
        longest_wait: float = 30.0,
        failure_retries: int = 3,
        backoff: float = 0.5,
        retry_budget: float = 20.0,
    ) -> None:
        self.session = session
        self.base_url = base_url.rstrip("/")
        self.host = urlparse(self.base_url).netloc or self.base_url
        self.timeout = timeout
        self.rate_limit = rate_limit or RateLimit()
        # On 429: how many times to retry, and the longest Retry-After we are willing to sit out.
        self.retries = retries
        self.longest_wait = longest_wait
        # On a 5xx or a dropped connection: how many times to retry, the first wait (doubled
        # each time, with jitter so many clients do not retry in step), and the most time all
        # the attempts of one request may take.
        self.failure_retries = failure_retries
        self.backoff = backoff
        self.retry_budget = retry_budget

    # -- endpoints ---------------------------------------------------------------------------

    async def search(self, query: str) -> list[ShowHit]:
        """Shows whose name matches `query`, best first (TVmaze returns at most 10)."""
        data = await self._json("/search/shows", [("q", query)], missing="")
        return convert.search_results(data)

    async def singlesearch(self, name: str) -> TvShow:
        """The one show TVmaze thinks `name` means, with its seasons and cast."""
        missing = _("TVmaze has no show called “{name}”.").format(name=name)
        return convert.show(await self._json("/singlesearch/shows", [("q", name), *EMBED], missing))

    async def show(self, show_id: int) -> TvShow:
        """One show by TVmaze id, with its seasons and cast in the same call."""
        missing = _("TVmaze has no show with id {id}.").format(id=show_id)
        return convert.show(await self._json(f"/shows/{show_id}", EMBED, missing))

    async def episodes(self, show_id: int) -> list[TvEpisode]:
        """Every episode, specials included, in airing order."""
        missing = _("TVmaze has no show with id {id}.").format(id=show_id)
        data = await self._json(f"/shows/{show_id}/episodes", [("specials", "1")], missing)
        return convert.episodes(data)

    async def lookup_imdb(self, imdb_id: str) -> TvShow:
        """The show with this IMDb id (tt…)."""
        missing = _("TVmaze has no show with IMDb id {id}.").format(id=imdb_id)
        # TVmaze answers a lookup with a redirect to /shows/{id}; following it by hand keeps
        # the second request inside the rate limit and gets the embedded seasons and cast.
        status, headers, body = await self._get("/lookup/shows", [("imdb", imdb_id)], False)
        if status in (301, 302, 303, 307, 308):
            found = re.search(r"/shows/(\d+)", headers.get("Location", ""))
            if found is None:
                raise convert.shape_error("a lookup")
            return await self.show(int(found[1]))
        return convert.show(self._decode(status, body, missing))

    async def resolve(self, text: str) -> TvShow:
        """A show from a name, a TVmaze id or address, or an IMDb id (tt…) or address.

        Bare digits are a TVmaze id; a show whose name is a number ("1883") is found by
        quoting it: `"1883"`.
        """
        text = text.strip()
        if quoted := _QUOTED.fullmatch(text):
            return await self.singlesearch(next(g for g in quoted.groups() if g).strip())
        if not text:
            raise TvmazeNotFound(_("Name a show, or give its TVmaze id or IMDb id (tt…)."))
        if imdb := _IMDB.fullmatch(text):
            return await self.lookup_imdb(imdb[1].lower())
        if tvmaze := _TVMAZE.fullmatch(text):
            return await self.show(int(tvmaze[1] or tvmaze[2]))
        return await self.singlesearch(text)

    async def catalog(self, show: int | TvShow) -> Catalog:
        """A show with its seasons, cast and episodes: what a data file is written from."""
        if isinstance(show, int):
            show = await self.show(show)
        return convert.catalog(show, await self.episodes(show.tvmaze_id))

    # -- transport ---------------------------------------------------------------------------

    async def _json(self, path: str, params: list[tuple[str, str]], missing: str) -> Any:
        status, _, body = await self._get(path, params, True)
        return self._decode(status, body, missing)

    def _decode(self, status: int, body: bytes, missing: str) -> Any:
        if status == 404:
            if not missing:
                return []  # a search with no match is an empty list, not an error
            raise TvmazeNotFound(missing)
        if status != 200:
            raise TvmazeError(_http_error(status))
        try:
            return json.loads(body)
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            raise TvmazeError(
                _("TVmaze sent an answer that isn't valid JSON; try again later.")
            ) from exc

    async def _get(
        self, path: str, params: list[tuple[str, str]], redirects: bool
    ) -> tuple[int, Any, bytes]:
        """Status, headers and body of a GET, retrying 429s as TVmaze's Retry-After says, and
        5xx answers and dropped connections with backoff, within `retry_budget` seconds."""
        started = self.rate_limit.clock()
        busy = failed = 0
        while True:
            await self.rate_limit.acquire()
            try:
                status, headers, body = await self._send(path, params, redirects)
            except TvmazeDropped as dropped:
                error: TvmazeError = dropped
            else:
                if status == 429:
                    wait = _retry_after(headers.get("Retry-After"))
                    if busy == self.retries or wait > self.longest_wait:
                        raise TvmazeBusy(
                            _("TVmaze is busy and asked us to slow down; try again in a minute.")
                        )
                    busy += 1
                    log.info("TVmaze rate-limited %s; retrying in %.1f s", path, wait)
                    await self.rate_limit.sleep(wait)
                    continue
                if status < 500:
                    return status, headers, body
                error = TvmazeError(_http_error(status))
            wait = self.backoff * 2**failed * random.uniform(0.5, 1.0)
            spent = self.rate_limit.clock() - started
            if failed == self.failure_retries or spent + wait > self.retry_budget:
                raise error
            failed += 1
            log.info("TVmaze: %s %s; retry %d in %.1f s", path, error, failed, wait)
            await self.rate_limit.sleep(wait)

    async def _send(
        self, path: str, params: list[tuple[str, str]], redirects: bool
    ) -> tuple[int, Any, bytes]:
        try:
            async with self.session.get(
                self.base_url + path,
                params=params,
                headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                allow_redirects=redirects,
            ) as response:
                return response.status, response.headers, await response.read()
        except TimeoutError as exc:  # before ClientConnectionError: some timeouts are both
            raise TvmazeTimeout(
                _("TVmaze ({host}) didn't answer within {seconds} s; try again later.").format(
                    host=self.host, seconds=f"{self.timeout:g}"
                )
            ) from exc
        except aiohttp.ClientConnectorError as exc:
            raise TvmazeOffline(
                _("Can't reach TVmaze ({host}): check the network.").format(host=self.host)
            ) from exc
        except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError) as exc:
            # Reached, then cut off mid-answer (a reset, a restart behind TVmaze's proxy).
            raise TvmazeDropped(
                _("TVmaze ({host}) dropped the connection; try again later.").format(host=self.host)
            ) from exc
        except aiohttp.ClientError as exc:
            raise TvmazeError(
                _("TVmaze's answer couldn't be read ({problem}).").format(
                    problem=type(exc).__name__
                )
            ) from exc


def _http_error(status: int) -> str:
    return _("TVmaze answered with an error (HTTP {status}); try again later.").format(
        status=status
    )


def _retry_after(value: str | None) -> float:
    """Seconds to wait from a Retry-After header; TVmaze's advice is a few seconds."""
    try:
        return max(0.0, float(value)) if value else 2.0
    except ValueError:
        return 2.0  # an HTTP-date: rare enough that "a few seconds" is close enough
