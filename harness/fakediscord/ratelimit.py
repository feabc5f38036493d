"""Per-route rate-limit buckets that answer the way Discord's do."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Rule:
    limit: int
    window: float


# Discord's buckets are per route and per "major parameter" (channel, guild, webhook).
# Message sends and edits allow 5 per 5 s in a channel.
DEFAULT_RULES: dict[tuple[str, str], Rule] = {
    ("POST", "/channels/{channel_id}/messages"): Rule(5, 5.0),
    ("PATCH", "/channels/{channel_id}/messages/{message_id}"): Rule(5, 5.0),
    ("DELETE", "/channels/{channel_id}/messages/{message_id}"): Rule(5, 1.0),
    ("POST", "/channels/{channel_id}/threads"): Rule(5, 5.0),
    ("PATCH", "/channels/{channel_id}"): Rule(5, 5.0),
}
DEFAULT_RULE = Rule(50, 1.0)
MAJOR_PARAMS = ("channel_id", "guild_id", "webhook_id")
# Interaction tokens and webhook-token routes are exempt in this emulator.
EXEMPT_PREFIXES = ("/interactions/", "/webhooks/")


@dataclass
class Bucket:
    rule: Rule
    name: str
    remaining: int = 0
    reset_at: float = 0.0


@dataclass
class Verdict:
    allowed: bool
    headers: dict[str, str] = field(default_factory=dict)
    retry_after: float = 0.0


class RateLimiter:
    def __init__(self) -> None:
        self.enabled = True
        # Discord hides some sub-limits from the headers; turning this off lets a test
        # see how the client copes when it only learns of a limit from a 429.
        self.advertise = True
        self.rules: dict[tuple[str, str], Rule] = dict(DEFAULT_RULES)
        self._buckets: dict[str, Bucket] = {}
        # Discord's wall clock, for the absolute X-RateLimit-Reset (the driver sets it).
        self.wall: Callable[[], float] = time.time

    def set_rule(self, method: str, template: str, limit: int, window: float) -> None:
        self.rules[(method.upper(), template)] = Rule(limit, window)

    def reset(self) -> None:
        self._buckets.clear()

    def check(self, method: str, template: str, params: dict[str, str]) -> Verdict:
        if not self.enabled or template.startswith(EXEMPT_PREFIXES):
            return Verdict(True)
        rule = self.rules.get((method.upper(), template), DEFAULT_RULE)
        bucket_name = hashlib.sha1(f"{method} {template}".encode()).hexdigest()[:16]
        major = ":".join(params.get(p, "") for p in MAJOR_PARAMS)
        key = f"{bucket_name}:{major}"
        now = time.monotonic()
        bucket = self._buckets.get(key)
        if bucket is None or now >= bucket.reset_at:
            bucket = Bucket(rule, bucket_name, rule.limit, now + rule.window)
            self._buckets[key] = bucket
        reset_after = max(bucket.reset_at - now, 0.0)
        allowed = bucket.remaining > 0
        if allowed:
            bucket.remaining -= 1
        headers: dict[str, str] = {}
        if self.advertise:
            headers = {
                "X-RateLimit-Limit": str(rule.limit),
                "X-RateLimit-Remaining": str(bucket.remaining),
                "X-RateLimit-Reset": f"{self.wall() + reset_after:.3f}",
                "X-RateLimit-Reset-After": f"{reset_after:.3f}",
                "X-RateLimit-Bucket": bucket_name,
            }
        if not allowed:
            headers["Retry-After"] = str(math.ceil(reset_after))
            headers["X-RateLimit-Scope"] = "user"
        return Verdict(allowed, headers, round(reset_after, 3))
