"""FakeDiscord: the object tests hold. Owns the server, the world and the records."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from . import state as s
from .actions import UserActions
from .base import Hold, RequestRecord, Violation
from .chat import ChatActions
from .faults import Outage
from .gateway import Gateway
from .interactions import Interaction
from .message import Message
from .openapi import OpenAPI
from .ratelimit import RateLimiter
from .rules import pings
from .server import build_app
from .session import GUILD_MEMBERS
from .world import World, id_of, user_of


@dataclass
class Server:
    """One of `add_guilds`' servers: the guild, its channel and its members."""

    guild: s.Guild
    channel: s.Channel
    members: list[s.Member]


class FakeDiscord(UserActions, ChatActions):
    def __init__(
        self,
        token: str = "test-token",
        bot_name: str = "Watchparty",
        *,
        bot_id: int | None = None,
        rate_limits: bool = True,
        spec_path: str | Path | None = None,
        clock_skew: float = 0.0,
    ) -> None:
        """`clock_skew`: Discord's wall clock runs this many seconds ahead of this machine's
        (behind if negative), for every snowflake, timestamp and `Date` header it issues. The
        3-second and 15-minute windows are durations and are measured as before. Given here,
        not later, because ids only increase: a clock set back would stall their timestamps."""
        self.token = token
        self.world = World(bot_name, bot_id, clock_skew)
        self.gateway = Gateway(self.world, token, lambda: self.gateway_url)
        self.ratelimiter = RateLimiter()
        self.ratelimiter.wall = self.world.clock.time
        self.ratelimiter.enabled = rate_limits
        self.openapi = OpenAPI(Path(spec_path) if spec_path else None)
        self.requests: list[RequestRecord] = []
        self.violations: list[Violation] = []
        self.rate_limited = 0
        self.holds: list[Hold] = []
        self.outages: list[Outage] = []
        self.interactions: dict[int, Interaction] = {}
        self.interactions_by_token: dict[str, Interaction] = {}
        self.port = 0
        self._clock_offset = 0.0
        self._runner: web.AppRunner | None = None

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        self._runner = web.AppRunner(build_app(self), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server: Any = site._server
        self.port = server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def openapi_skip_reason(self) -> str | None:
        return self.openapi.skip_reason

    @property
    def bot_user(self) -> s.User:
        return self.world.bot

    @property
    def bot_id(self) -> int:
        return self.world.bot.id

    @property
    def application_id(self) -> int:
        return self.world.bot.id

    async def wait_for_bot_ready(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Until the bot has identified and been sent every GUILD_CREATE."""
        await asyncio.wait_for(self.gateway.ready.wait(), timeout)

    async def wait_for_shards(
        self,
        shard_ids: list[int] | range,
        shard_count: int,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> None:
        """Until each shard has identified (from any process) and had its GUILD_CREATEs."""
        wanted = {(i, shard_count) for i in shard_ids}
        await asyncio.wait_for(self.gateway.wait_for_shards(wanted), timeout)

    async def disconnect_bot(self, code: int = 4000) -> None:
        """Drop the gateway socket; discord.py reconnects and RESUMEs."""
        await self.gateway.disconnect(code)

    async def wait_for_bot_resumed(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Until the bot has RESUMEd since the last disconnect_bot()."""
        await asyncio.wait_for(self.gateway.resumed.wait(), timeout)

    # -- clocks ----------------------------------------------------------------------------

    def now(self) -> float:
        """The clock interaction deadlines are measured on (monotonic plus any advance)."""
        return time.monotonic() + self._clock_offset

    def advance_token_clock(self, seconds: float) -> None:
        self._clock_offset += seconds

    # -- records ---------------------------------------------------------------------------

    def violate(self, kind: str, detail: Any, request: web.Request | None = None) -> None:
        method = request.method if request is not None else ""
        path = request.path if request is not None else ""
        self.violations.append(Violation(kind, detail, method, path))

    def violations_of(self, kind: str) -> list[Violation]:
        return [v for v in self.violations if v.kind == kind]

    def check_pings(
        self, body: dict[str, Any], request: web.Request | None, *, creating: bool = True
    ) -> None:
        """A violation when a message lets mentions through by kind (`parse`), where any text,
        a member's included, could ping. Pings of ids the bot listed are deliberate: tests
        read them with `pinged()`."""
        # Ephemeral messages notify nobody, and edits never notify.
        if not creating or int(body.get("flags") or 0) & s.EPHEMERAL:
            return
        found = pings(body, listed=False)
        if found:
            detail = {"mentions": found, "allowed_mentions": body.get("allowed_mentions")}
            self.violate("ping", detail, request)

    def note_callback_rejected(self, interaction_id: str, code: int) -> None:
        """A callback body refused before it reached the route still counts as an attempt."""
        ix = self.interactions.get(int(interaction_id)) if interaction_id.isdigit() else None
        if ix is not None and (400, code) not in ix.callback_errors:
            ix.callback_errors.append((400, code))
            ix.answered.set()

    async def emit(self, event: str, data: dict[str, Any], *, guild: bool = True) -> None:
        await self.gateway.dispatch(event, data, guild=guild)

    async def remove_bot(self, guild: s.Guild | int) -> None:
        """The bot is removed from a server: GUILD_DELETE without `unavailable`, as Discord
        sends when the bot is kicked or the server deleted (with it, an outage)."""
        guild_id = id_of(guild)
        self.world.bot_removed.add(guild_id)
        for session in self.gateway.live_sessions:
            if session.holds(guild_id):
                await session.dispatch("GUILD_DELETE", {"id": str(guild_id)})

    async def add_bot_back(self, guild: s.Guild | int) -> None:
        """The bot is added to the server again: a GUILD_CREATE, as after an invite."""
        g = self.world.guilds[id_of(guild)]
        self.world.bot_removed.discard(g.id)
        for session in self.gateway.live_sessions:
            if session.holds(g.id):
                all_members = bool(session.intents & GUILD_MEMBERS)
                await session.dispatch("GUILD_CREATE", self.world.guild_create(g, all_members))

    # -- building the world ----------------------------------------------------------------

    def add_guild(self, name: str, *, shard: tuple[int, int] | None = None) -> s.Guild:
        """A server with a #general; `shard=(id, count)` makes that shard hold it."""
        return self.world.add_guild(name, shard=shard)

    def add_guilds(
        self, count: int, *, shard_count: int = 1, members: int = 2, channel: str = "episodes"
    ) -> list[Server]:
        """`count` servers ("Server 1" …), dealt round-robin over `shard_count` shards, each
        with a #general, a `channel` and `members` members ("s1-m1" …)."""
        servers = []
        for n in range(1, count + 1):
            guild = self.add_guild(f"Server {n}", shard=((n - 1) % shard_count, shard_count))
            room = self.add_channel(guild, channel)
            people = [self.add_member(guild, f"s{n}-m{i}") for i in range(1, members + 1)]
            servers.append(Server(guild, room, people))
        return servers

    def add_channel(
        self,
        guild: s.Guild | int,
        name: str,
        type: int = s.TEXT,
        *,
        tags: list[Any] | None = None,
        parent: s.Channel | int | None = None,
    ) -> s.Channel:
        g = self.world.guilds[id_of(guild)]
        parent_id = None if parent is None else id_of(parent)
        return self.world.add_channel(g, name, type, tags=tags, parent_id=parent_id)

    def add_member(self, guild: s.Guild | int, name: str, permissions: Any = None) -> s.Member:
        return self.world.add_member(self.world.guilds[id_of(guild)], name, permissions)

    def set_bot_permissions(self, guild: s.Guild | int, permissions: Any) -> None:
        self.world.set_bot_permissions(self.world.guilds[id_of(guild)], permissions)

    def add_role(self, guild: s.Guild | int, name: str, *, mentionable: bool = True) -> s.Role:
        g = self.world.guilds[id_of(guild)]
        role = s.Role(self.world.ids.next(), name, 0, position=1, mentionable=mentionable)
        g.roles[role.id] = role
        return role

    def close_dms(self, who: s.Member | s.User) -> None:
        """The member no longer accepts DMs from the bot (their privacy setting)."""
        user_of(who).dms_closed = True

    async def mark_interested(self, event: s.ScheduledEvent, who: s.Member | s.User) -> None:
        """The member clicks "Interested" on a scheduled event."""
        user = user_of(who)
        if user.id not in event.interested:
            event.interested.append(user.id)
            payload = {
                "guild_scheduled_event_id": str(event.id),
                "user_id": str(user.id),
                "guild_id": str(event.guild_id),
            }
            await self.emit("GUILD_SCHEDULED_EVENT_USER_ADD", payload)

    # -- inspecting ------------------------------------------------------------------------

    def commands(self, guild: s.Guild | int | None = None) -> list[dict[str, Any]]:
        return list(self.world.commands.get(None if guild is None else id_of(guild), []))

    def sync_count(self, guild: s.Guild | int | None = None) -> int:
        return self.world.sync_counts.get(None if guild is None else id_of(guild), 0)

    def pinged(self) -> list[tuple[Message, list[int]]]:
        """Every message that notified someone, with whom: user and role ids."""
        out = []
        for msg in self.world.messages.values():
            ids = [int(u["id"]) for u in msg.mentions] + list(msg.mention_roles)
            if (ids or msg.mention_everyone) and not msg.ephemeral:
                out.append((msg, ids))
        return out

    def dms(self, who: s.Member | s.User) -> list[Message]:
        """The messages in the bot's DM channel with this member."""
        channel_id = self.world.dm_channels.get(user_of(who).id)
        return [] if channel_id is None else self.world.visible_messages(channel_id)

    def hold(self, method: str, template: str, match: Callable[[Any], bool] = bool) -> Hold:
        """Make the next matching request wait for `hold.release` (see `Hold`).

        `template` is the route as Discord documents it, e.g. "/channels/{channel_id}/messages".
        """
        held = Hold(method, template, match)
        self.holds.append(held)
        return held

    def outage(
        self,
        status: int = 503,
        seconds: float = 60.0,
        *,
        method: str | None = None,
        route: str | None = None,
        match: Callable[[Any], bool] | None = None,
    ) -> Outage:
        """Discord answers `status` (500, 502, 503) to matching requests for `seconds`, then
        serves again (see harness/fakediscord/faults.py); `outage.end()` ends it sooner."""
        opened = Outage(status, time.monotonic() + seconds, method, route, match)
        self.outages.append(opened)
        return opened

    def forget_nonces(self) -> None:
        """Discord's nonce memory lapses ("the past few minutes"), as hours after a send."""
        self.world.nonces.clear()

    def messages(self, channel: s.Channel | int) -> list[Message]:
        return self.world.visible_messages(id_of(channel))

    def message(self, message_id: int) -> Message:
        return self.world.messages[id_of(message_id)]

    def channel(self, channel_id: int) -> s.Channel:
        return self.world.channels[id_of(channel_id)]

    def threads(self, guild: s.Guild | int) -> list[s.Channel]:
        g = self.world.guilds[id_of(guild)]
        return [self.world.channels[c] for c in g.channel_ids if self.world.channels[c].is_thread]

    def scheduled_events(self, guild: s.Guild | int) -> list[s.ScheduledEvent]:
        events = self.world.events.values()
        return [e for e in events if e.guild_id == id_of(guild) and not e.deleted]

    @property
    def edits_per_message(self) -> dict[int, int]:
        return {m.id: m.edit_count for m in self.world.messages.values() if m.edit_count}

    def requests_to(self, method: str, route: str) -> list[RequestRecord]:
        return [r for r in self.requests if r.method == method and r.route == route]
