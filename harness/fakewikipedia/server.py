"""A loopback fake of the MediaWiki Action API (`/w/api.php`), with scriptable faults.

    async with FakeWikipedia(standard_pages(), latency=0.05) as fake:
        client = WikipediaClient(session, contact="test", base_url=fake.api_url)
        fake.script(status=429, retry_after=0)   # the next request is turned away
        fake.script(maxlag=True)                  # the next answers the maxlag error

It answers `action=query` with `titles=` (revisions, pageprops, redirects, as
formatversion=2 shapes them) and `list=search`. Every request is recorded, and the most
requests ever in flight at once is kept, so tests can prove one-at-a-time and batching.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .fixtures import FakePage

TITLES_LIMIT = 50


@dataclass
class Fault:
    status: int | None = None
    retry_after: float | None = None
    maxlag: bool = False
    times: int = 1
    body: str | None = None  # answered with HTTP 200 and this text instead


@dataclass
class FakeWikipedia:
    pages: Iterable[FakePage] = field(default=(), repr=False)
    latency: float = 0.0  # seconds before each answer
    requests: list[dict[str, str]] = field(default_factory=list)
    user_agents: list[str] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    port: int = 0

    def __post_init__(self) -> None:
        self.by_title = {p.title: p for p in self.pages}
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> FakeWikipedia:
        app = web.Application()
        app.add_routes([web.get("/w/api.php", self._api)])
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/w/api.php"

    def script(
        self,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        maxlag: bool = False,
        times: int = 1,
        body: str | None = None,
    ) -> None:
        """The next `times` requests get this fault instead of an answer."""
        self.faults.append(Fault(status, retry_after, maxlag, times, body))

    def edit(self, title: str, text: str) -> None:
        """A later revision of a page, as an editor's save makes one."""
        page = self.by_title[title]
        page.text, page.revision = text, page.revision + 1

    def add(self, page: FakePage) -> None:
        self.by_title[page.title] = page

    # -- the API -----------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        self.requests.append(dict(request.query))
        self.user_agents.append(request.headers.get("User-Agent", ""))
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.latency:
                await asyncio.sleep(self.latency)
            return self._answer(request)
        finally:
            self.in_flight -= 1

    def _answer(self, request: web.Request) -> web.Response:
        fault = self._next_fault()
        if fault is not None:
            headers = (
                {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else {}
            )
            if fault.body is not None:
                return web.Response(text=fault.body, content_type="application/json")
            if fault.maxlag:
                # MediaWiki answers maxlag with HTTP 200, an error body and Retry-After.
                body = {
                    "error": {"code": "maxlag", "info": "Waiting for a replica: 6 seconds lagged."}
                }
                return web.json_response(body, headers={**headers, "X-Database-Lag": "6"})
            return web.Response(
                status=fault.status or 503, text="Too many requests", headers=headers
            )
        query = request.query
        if query.get("format") != "json" or query.get("action") != "query":
            return _error("badvalue", "Only action=query&format=json is faked.")
        if "maxlag" not in query or "User-Agent" not in request.headers:
            return _error("etiquette", "Requests must send maxlag and a User-Agent.")
        if query.get("list") == "search":
            return web.json_response(
                self._search(query.get("srsearch", ""), int(query.get("srlimit", "10")))
            )
        titles = [t for t in query.get("titles", "").split("|") if t]
        if len(titles) > TITLES_LIMIT:
            return _error(
                "toomanyvalues",
                f'Too many values supplied for parameter "titles". The limit is {TITLES_LIMIT}.',
            )
        return web.json_response(self._query(titles, query.get("redirects") == "1"))

    def _next_fault(self) -> Fault | None:
        if not self.faults:
            return None
        fault = self.faults[0]
        fault.times -= 1
        if fault.times <= 0:
            self.faults.pop(0)
        return fault

    def _search(self, text: str, limit: int) -> dict[str, Any]:
        words = [
            w
            for w in text.casefold().replace('"', " ").split()
            if w not in {"list", "of", "episodes"}
        ]
        titles = [
            p.title
            for p in self.by_title.values()
            if p.redirect_to is None and all(w in p.title.casefold() for w in words)
        ]
        titles.sort(key=lambda t: not t.startswith("List of"))
        hits = [{"ns": 0, "title": title} for title in titles[:limit]]
        return {"batchcomplete": True, "query": {"search": hits}}

    def _query(self, titles: list[str], follow: bool) -> dict[str, Any]:
        normalized, redirects, pages = [], [], []
        for asked in titles:
            title = asked[:1].upper() + asked[1:].replace("_", " ")
            if title != asked:
                normalized.append({"fromencoded": False, "from": asked, "to": title})
            page = self.by_title.get(title)
            if follow and page is not None and page.redirect_to:
                redirects.append({"from": title, "to": page.redirect_to})
                title, page = page.redirect_to, self.by_title.get(page.redirect_to)
            if page is None:
                pages.append({"ns": 0, "title": title, "missing": True})
                continue
            entry: dict[str, Any] = {
                "pageid": page.revision * 10,
                "ns": 0,
                "title": page.title,
                "revisions": [
                    {
                        "revid": page.revision,
                        "parentid": page.revision - 1,
                        "slots": {
                            "main": {
                                "contentmodel": "wikitext",
                                "contentformat": "text/x-wiki",
                                "content": page.text,
                            }
                        },
                    }
                ],
            }
            if page.disambiguation:
                entry["pageprops"] = {"disambiguation": ""}
            pages.append(entry)
        query: dict[str, Any] = {"pages": pages}
        if normalized:
            query["normalized"] = normalized
        if redirects:
            query["redirects"] = redirects
        return {"batchcomplete": True, "query": query}


def _error(code: str, info: str) -> web.Response:
    return web.json_response({"error": {"code": code, "info": info}})
