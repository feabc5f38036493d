"""Outages: Discord answering 5xx for a while, then serving again.

A test opens one with `fd.outage(503, seconds=90)` (every route) or narrows it to one route
(`method`, `route`, and a `match` on the body, as `fd.hold` takes). While it lasts, matching
requests are refused before Discord acts on them, with the body Discord's edge sends, and
recorded in `fd.requests` with their status; when it ends (its time is up, or `end()`),
service returns to normal. The gateway stays up: Discord's REST outages rarely take it down.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

# What Discord's edge answers for each status (500 comes from the API itself, as JSON).
REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


@dataclass
class Outage:
    status: int
    until: float  # time.monotonic() when service returns
    method: str | None = None  # None: every method
    route: str | None = None  # a route template as Discord documents it; None: every route
    match: Callable[[Any], bool] | None = None
    hits: int = 0  # requests refused so far

    def end(self) -> None:
        """Service returns now."""
        self.until = 0.0

    @property
    def active(self) -> bool:
        return time.monotonic() < self.until

    def covers(self, method: str, route: str, body: Any) -> bool:
        return (
            self.active
            and self.method in (None, method)
            and self.route in (None, route)
            and (self.match is None or self.match(body))
        )


def refusal(outages: list[Outage], method: str, route: str, body: Any) -> web.Response | None:
    """The 5xx answer to this request while an outage covers it; None when served normally."""
    for outage in outages:
        if outage.covers(method, route, body):
            outage.hits += 1
            reason = REASONS.get(outage.status, "Server Error")
            payload = {"message": f"{outage.status}: {reason}", "code": 0}
            return web.json_response(payload, status=outage.status)
    return None
