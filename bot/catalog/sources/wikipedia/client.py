"""The MediaWiki Action API of English Wikipedia, as this bot uses it: pages and search.

Wikimedia's API etiquette: a User-Agent that says who is asking and how to reach them,
`maxlag` so a lagging cluster can turn us away, one request at a time, and backing off when
told (429, 503, or a `maxlag` error, each with Retry-After). Page texts come 50 titles a call,
the most the API accepts for one `titles=` request.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp

from .... import __version__
from ....i18n import _
from ....limits import WIKIPEDIA_TITLES

log = logging.getLogger(__name__)

DEFAULT_API = "https://en.wikipedia.org/w/api.php"
MAXLAG = 5  # seconds of replication lag past which Wikipedia asks us to wait
ATTEMPTS = 4
LONGEST_WAIT = 60.0  # never sleep longer than this on one Retry-After


class WikipediaError(Exception):
    """Wikipedia could not be asked, or did not have the answer; the message is a sentence."""


@dataclass(frozen=True)
class Page:
    """One article as the API returns it; `missing` when there is none of that title."""

    title: str
    revision: int = 0
    text: str = ""
    missing: bool = False
    disambiguation: bool = False


class WikipediaClient:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        contact: str,
        base_url: str = DEFAULT_API,
        timeout: float = 20.0,
        backoff: float = 1.0,
    ) -> None:
        self.session = session
        self.base_url = base_url
        # Wikimedia's User-Agent policy: name the tool and a way to reach its operator.
        self.user_agent = f"Watchparty/{__version__} ({contact})"
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.backoff = backoff
        # One request at a time, whatever the callers do: the etiquette asks for it.
        self._lock = asyncio.Lock()

    async def call(self, params: dict[str, str]) -> dict[str, Any]:
        """One API call, retried on 429, 503 and maxlag; raises WikipediaError."""
        query = {**params, "format": "json", "formatversion": "2", "maxlag": str(MAXLAG)}
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip"}
        async with self._lock:
            for attempt in range(ATTEMPTS):
                # Without a Retry-After: 1 s, 2 s, 4 s (with the default backoff).
                wait, body = await self._once(query, headers, self.backoff * 2**attempt)
                if wait is None:
                    return body
                if attempt + 1 < ATTEMPTS:
                    log.info("Wikipedia asked us to wait %.1f s", wait)
                    await asyncio.sleep(wait)
        raise WikipediaError(
            _("Wikipedia is busy and kept asking us to wait: try again in a few minutes.")
        )

    async def _once(
        self, query: dict[str, str], headers: dict[str, str], backoff: float
    ) -> tuple[float | None, dict[str, Any]]:
        """(None, body) for an answer, or (seconds to wait, {}) when told to back off."""
        try:
            async with self.session.get(
                self.base_url, params=query, headers=headers, timeout=self.timeout
            ) as response:
                retry = _retry_after(response.headers.get("Retry-After"), backoff)
                if response.status in (429, 503):
                    return retry, {}
                if response.status != 200:
                    raise WikipediaError(
                        _("Wikipedia answered with HTTP {status}: try again later.").format(
                            status=response.status
                        )
                    )
                body = await response.json(content_type=None)
        except TimeoutError as error:
            raise WikipediaError(_("Wikipedia did not answer in time: try again later.")) from error
        except aiohttp.ClientError as error:
            raise WikipediaError(
                _("Can't reach Wikipedia ({problem}): check the network.").format(
                    problem=error.__class__.__name__
                )
            ) from error
        except ValueError as error:
            raise WikipediaError(_("Wikipedia's answer was not JSON: try again later.")) from error
        if not isinstance(body, dict):
            raise WikipediaError(
                _("Wikipedia's answer was not what its API sends: try again later.")
            )
        problem = body.get("error")
        if isinstance(problem, dict):
            if problem.get("code") == "maxlag":
                return retry, {}
            raise WikipediaError(
                _("Wikipedia refused the request: {problem}.").format(
                    problem=problem.get("info", "unknown")
                )
            )
        return None, body

    async def pages(self, titles: Sequence[str]) -> dict[str, Page]:
        """Each title's current text and revision, redirects followed, in calls of 50.

        Keyed by the title asked for; a redirect's entry holds its target's page."""
        out: dict[str, Page] = {}
        for start in range(0, len(titles), WIKIPEDIA_TITLES):
            batch = list(titles[start : start + WIKIPEDIA_TITLES])
            body = await self.call(
                {
                    "action": "query",
                    "prop": "revisions|pageprops",
                    "rvprop": "content|ids",
                    "rvslots": "main",
                    "ppprop": "disambiguation",
                    "redirects": "1",
                    "titles": "|".join(batch),
                }
            )
            out.update(_pages(body, batch))
        return out

    async def search(self, text: str, limit: int = 5) -> list[str]:
        """Article titles for a search, best first."""
        body = await self.call(
            {
                "action": "query",
                "list": "search",
                "srsearch": text,
                "srnamespace": "0",
                "srlimit": str(limit),
                "srprop": "",
            }
        )
        hits = body.get("query", {}).get("search", [])
        return [str(hit["title"]) for hit in hits if isinstance(hit, dict) and "title" in hit]


def _retry_after(value: str | None, default: float) -> float:
    try:
        seconds = float(value) if value is not None else default
    except ValueError:
        seconds = default
    return min(max(seconds, 0.0), LONGEST_WAIT)


def _pages(body: dict[str, Any], asked: list[str]) -> dict[str, Page]:
    query = body.get("query", {})
    # What each asked title became: normalised ("list of x" -> "List of x"), then redirected.
    renamed = {str(n["from"]): str(n["to"]) for n in query.get("normalized", [])}
    moved = {str(r["from"]): str(r["to"]) for r in query.get("redirects", [])}
    found: dict[str, Page] = {}
    for raw in query.get("pages", []):
        title = str(raw.get("title", ""))
        if raw.get("missing") or raw.get("invalid"):
            found[title] = Page(title, missing=True)
            continue
        revision = (raw.get("revisions") or [{}])[0]
        text = revision.get("slots", {}).get("main", {}).get("content", "")
        found[title] = Page(
            title=title,
            revision=int(revision.get("revid", 0)),
            text=str(text),
            disambiguation="disambiguation" in (raw.get("pageprops") or {}),
        )
    out = {}
    for title in asked:
        final = renamed.get(title, title)
        final = moved.get(final, final)
        out[title] = found.get(final, Page(final, missing=True))
    return out
