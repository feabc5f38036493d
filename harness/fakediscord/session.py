"""A gateway session: its opcodes, the intents each event needs, and what it is sent.

One `Session` per shard connection (from one bot process or several); gateway.py accepts the
connections and routes each event to the sessions that should receive it.
"""

from __future__ import annotations

import json
import logging
import zlib
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .shards import shard_of

log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, REQUEST_MEMBERS = 0, 1, 2, 6, 8
INVALID_SESSION, HELLO, HEARTBEAT_ACK = 9, 10, 11

GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_PRESENCES = 1 << 8
GUILD_MESSAGES = 1 << 9
DIRECT_MESSAGES = 1 << 12
MESSAGE_CONTENT = 1 << 15
PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT
GUILD_SCHEDULED_EVENTS = 1 << 16
GUILD_MESSAGE_POLLS = 1 << 24
DIRECT_MESSAGE_POLLS = 1 << 25

# Which intent a guild-scoped event needs, and its DM counterpart where there is one.
EVENT_INTENTS: dict[str, tuple[int, int | None]] = {
    "CHANNEL_CREATE": (GUILDS, None),
    "CHANNEL_UPDATE": (GUILDS, None),
    "CHANNEL_DELETE": (GUILDS, None),
    "THREAD_CREATE": (GUILDS, None),
    "THREAD_UPDATE": (GUILDS, None),
    "THREAD_DELETE": (GUILDS, None),
    "MESSAGE_CREATE": (GUILD_MESSAGES, DIRECT_MESSAGES),
    "MESSAGE_UPDATE": (GUILD_MESSAGES, DIRECT_MESSAGES),
    "MESSAGE_DELETE": (GUILD_MESSAGES, DIRECT_MESSAGES),
    "MESSAGE_POLL_VOTE_ADD": (GUILD_MESSAGE_POLLS, DIRECT_MESSAGE_POLLS),
    "MESSAGE_POLL_VOTE_REMOVE": (GUILD_MESSAGE_POLLS, DIRECT_MESSAGE_POLLS),
    "GUILD_SCHEDULED_EVENT_CREATE": (GUILD_SCHEDULED_EVENTS, None),
    "GUILD_SCHEDULED_EVENT_UPDATE": (GUILD_SCHEDULED_EVENTS, None),
    "GUILD_SCHEDULED_EVENT_DELETE": (GUILD_SCHEDULED_EVENTS, None),
    "GUILD_SCHEDULED_EVENT_USER_ADD": (GUILD_SCHEDULED_EVENTS, None),
}
CONTENT_FIELDS = {"content": "", "embeds": [], "components": [], "attachments": []}


@dataclass
class Session:
    session_id: str
    intents: int
    seq: int = 0
    ws: web.WebSocketResponse | None = None
    compressor: Any = None
    sent: list[dict[str, Any]] = field(default_factory=list)
    superseded: bool = False
    # (id, count) from IDENTIFY; a session without `shard` is (0, 1).
    shard: tuple[int, int] = (0, 1)
    # Every GUILD_CREATE of its shard has been sent.
    ready: bool = False

    def holds(self, guild_id: int | None) -> bool:
        """Discord sends a server's events to the shard that holds it, and DMs to shard 0."""
        if guild_id is None:
            return self.shard[0] == 0
        return shard_of(guild_id, self.shard[1]) == self.shard[0]

    @property
    def connected(self) -> bool:
        return self.ws is not None and not self.ws.closed

    async def send(self, payload: dict[str, Any]) -> None:
        if not self.connected:
            return
        assert self.ws is not None
        text = json.dumps(payload, separators=(",", ":"))
        try:
            if self.compressor is not None:
                # zlib-stream: one context per connection, every payload ends in 00 00 ff ff.
                data = self.compressor.compress(text.encode()) + self.compressor.flush(
                    zlib.Z_SYNC_FLUSH
                )
                await self.ws.send_bytes(data)
            else:
                await self.ws.send_str(text)
        except (ConnectionError, RuntimeError):
            log.debug("gateway send failed; the client will resume")

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self.seq += 1
        payload = {"op": DISPATCH, "t": event, "s": self.seq, "d": data}
        self.sent.append(payload)
        await self.send(payload)


def filter_content(session: Session, data: dict[str, Any], bot_id: str) -> dict[str, Any]:
    """What a MESSAGE_CREATE or MESSAGE_UPDATE shows a session: without MESSAGE_CONTENT,
    only the bot's own messages and those mentioning it keep their content."""
    if session.intents & MESSAGE_CONTENT or "guild_id" not in data:
        return data
    if (data.get("author") or {}).get("id") == bot_id:
        return data
    if any(u.get("id") == bot_id for u in data.get("mentions") or []):
        return data
    # Without MESSAGE_CONTENT, Discord blanks what other people wrote.
    blanked = {**data, **CONTENT_FIELDS}
    blanked.pop("poll", None)
    return blanked
