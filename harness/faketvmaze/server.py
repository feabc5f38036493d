"""A loopback fake of TVmaze's API on aiohttp.web, with scriptable faults.

    async with FakeTvmaze([orbital_relay()]) as fake:
        client = TvmazeClient(session, base_url=fake.base_url)
        fake.script("/shows/4401", status=429, retry_after=3)

Routes answer in TVmaze's documented shapes; every request is recorded (with the time on the
fake's clock, which tests may share with the client's rate limiter).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .fixtures import FakeShow

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class RequestRecord:
    path: str
    query: list[tuple[str, str]]
    at: float
    status: int = 0


@dataclass
class Fault:
    """What to do instead of (or before) answering: matched by exact path, or any if None."""

    path: str | None
    status: int | None = None
    headers: dict[str, str] | None = None
    body: bytes | None = None
    delay: float = 0.0
    times: int = 1
    # Close the connection without an answer, as a reset does.
    reset: bool = False


def _error(status: int, name: str, message: str = "") -> web.Response:
    # TVmaze's error bodies look like this (Yii framework style).
    body = {"name": name, "message": message, "code": 0, "status": status}
    return web.json_response(body, status=status)


class FakeTvmaze:
    def __init__(
        self, shows: Iterable[FakeShow] = (), *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.shows = {s.id: s for s in shows}
        self.clock = clock
        self.requests: list[RequestRecord] = []
        self.faults: list[Fault] = []
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._closing = asyncio.Event()

    # -- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> FakeTvmaze:
        app = web.Application(middlewares=[self._record, self._fault])
        app.add_routes(
            [
                web.get("/search/shows", self._search),
                web.get("/singlesearch/shows", self._singlesearch),
                web.get("/lookup/shows", self._lookup),
                web.get("/shows/{id:\\d+}", self._show),
                web.get("/shows/{id:\\d+}/episodes", self._episodes),
                web.get("/shows/{id:\\d+}/seasons", self._seasons),
                web.get("/shows/{id:\\d+}/cast", self._cast),
            ]
        )
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)  # an ephemeral port
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._closing.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- scripting ---------------------------------------------------------------------------

    def script(
        self,
        path: str | None = None,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        body: bytes | None = None,
        delay: float = 0.0,
        times: int = 1,
        reset: bool = False,
    ) -> None:
        """The next `times` requests to `path` (any path if None) get this instead."""
        headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else None
        self.faults.append(Fault(path, status, headers, body, delay, times, reset))

    def requests_to(self, path: str) -> list[RequestRecord]:
        return [r for r in self.requests if r.path == path]

    def episode(self, episode_id: int) -> dict[str, Any]:
        for show in self.shows.values():
            for item in show.episodes:
                if item["id"] == episode_id:
                    return item
        raise KeyError(episode_id)

    def add_episode(self, show_id: int, item: dict[str, Any]) -> None:
        self.shows[show_id].episodes.append(item)

    def renumber(self, episode_id: int, season: int, number: int) -> None:
        self.episode(episode_id).update(season=season, number=number)

    def remove_episode(self, episode_id: int) -> None:
        for show in self.shows.values():
            show.episodes[:] = [e for e in show.episodes if e["id"] != episode_id]

    # -- middlewares -------------------------------------------------------------------------

    @web.middleware
    async def _record(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        record = RequestRecord(request.path, list(request.query.items()), self.clock())
        self.requests.append(record)
        try:
            response = await handler(request)
        except web.HTTPException as exc:  # the 404s and the lookup's redirect
            record.status = exc.status
            raise
        record.status = response.status
        return response

    @web.middleware
    async def _fault(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        fault = next((f for f in self.faults if f.path in (None, request.path)), None)
        if fault is None:
            return await handler(request)
        fault.times -= 1
        if fault.times <= 0:
            self.faults.remove(fault)
        if fault.delay:
            # Cut short when the fake closes, so a test's teardown doesn't wait the delay out.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), fault.delay)
        if fault.reset:
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=499)  # never sent: the connection is gone
        if fault.status == 404:
            return _error(404, "Not Found")
        if fault.status == 429:
            response = _error(429, "Too Many Requests", "API rate limit exceeded.")
            response.headers.update(fault.headers or {})
            return response
        if fault.status is not None or fault.body is not None:
            return web.Response(
                status=fault.status or 200,
                body=fault.body or b"",
                headers=fault.headers,
                content_type="application/json",
            )
        return await handler(request)

    # -- routes ------------------------------------------------------------------------------

    def _find(self, request: web.Request) -> FakeShow:
        show = self.shows.get(int(request.match_info["id"]))
        if show is None:
            raise web.HTTPNotFound(
                text='{"name":"Not Found","message":"","code":0,"status":404}',
                content_type="application/json",
            )
        return show

    def _matches(self, query: str) -> list[FakeShow]:
        words = query.casefold().split()
        found = [
            s for s in self.shows.values() if all(w in s.show["name"].casefold() for w in words)
        ]
        # An exact name first, as TVmaze's scoring does.
        return sorted(found, key=lambda s: s.show["name"].casefold() != query.casefold().strip())

    def _with_embeds(self, request: web.Request, show: FakeShow) -> dict[str, Any]:
        embeds = request.query.getall("embed[]", []) + request.query.getall("embed", [])
        body = dict(show.show)
        if embeds:
            parts = {
                "seasons": show.seasons,
                "cast": lambda: show.cast,
                "episodes": lambda: [e for e in show.episodes if e["type"] == "regular"],
            }
            body["_embedded"] = {name: parts[name]() for name in embeds if name in parts}
        return body

    async def _search(self, request: web.Request) -> web.Response:
        hits = self._matches(request.query.get("q", ""))
        results = [{"score": round(0.9 - i * 0.1, 2), "show": s.show} for i, s in enumerate(hits)]
        return web.json_response(results[:10])

    async def _singlesearch(self, request: web.Request) -> web.Response:
        hits = self._matches(request.query.get("q", ""))
        if not hits:
            return _error(404, "Not Found")
        return web.json_response(self._with_embeds(request, hits[0]))

    async def _lookup(self, request: web.Request) -> web.Response:
        imdb = request.query.get("imdb", "")
        for show in self.shows.values():
            if imdb and show.show["externals"].get("imdb") == imdb:
                # TVmaze answers a lookup with a redirect to the show.
                raise web.HTTPMovedPermanently(f"{self.base_url}/shows/{show.id}")
        return _error(404, "Not Found")

    async def _show(self, request: web.Request) -> web.Response:
        return web.json_response(self._with_embeds(request, self._find(request)))

    async def _episodes(self, request: web.Request) -> web.Response:
        show = self._find(request)
        specials = request.query.get("specials") == "1"
        return web.json_response([e for e in show.episodes if specials or e["type"] == "regular"])

    async def _seasons(self, request: web.Request) -> web.Response:
        return web.json_response(self._find(request).seasons())

    async def _cast(self, request: web.Request) -> web.Response:
        return web.json_response(self._find(request).cast)
