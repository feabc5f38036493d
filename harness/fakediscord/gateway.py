"""The gateway websocket: HELLO/IDENTIFY/READY, heartbeats, RESUME and intent-filtered dispatches.

One `Session` per shard connection, its opcodes and the intents each event needs, are in
session.py.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from .session import (
    EVENT_INTENTS,
    GUILD_MEMBERS,
    HEARTBEAT,
    HEARTBEAT_ACK,
    HELLO,
    IDENTIFY,
    INVALID_SESSION,
    PRIVILEGED,
    REQUEST_MEMBERS,
    RESUME,
    Session,
    filter_content,
)
from .shards import (
    GUILDS_PER_SHARD,
    INVALID_SHARD,
    SHARD_GUILD_LIMIT,
    SHARDING_REQUIRED,
    parse_shard,
    recommended_shards,
    shard_of,
)

if TYPE_CHECKING:
    from .world import World


class Gateway:
    """Every shard's sessions. `url` is read when READY is sent: the port is known by then."""

    def __init__(self, world: World, token: str, url: Callable[[], str]) -> None:
        # The privileged intents switched on for the bot in the Developer Portal (all, by
        # default; a test switches one off to see the bot's refusal).
        self.portal_intents = PRIVILEGED
        self.world, self.token, self.url = world, token, url
        self.sessions: list[Session] = []
        self.ready = asyncio.Event()
        self.resumed = asyncio.Event()
        self.identify_count = 0
        self.resume_count = 0
        self.heartbeat_interval_ms = 41250
        # Sharding: 4011 above this many servers on one session, and what /gateway/bot
        # recommends (tests lower both to see sharding with a handful of servers).
        self.shard_guild_limit = SHARD_GUILD_LIMIT
        self.guilds_per_shard = GUILDS_PER_SHARD
        self.shard_changes = asyncio.Condition()
        self._sockets: set[web.WebSocketResponse] = set()

    @property
    def live_sessions(self) -> list[Session]:
        return [x for x in self.sessions if not x.superseded]

    def recommended_shards(self) -> int:
        return recommended_shards(len(self.world.guilds), self.guilds_per_shard)

    def ready_shards(self) -> set[tuple[int, int]]:
        """(id, count) of every shard with a connected session that has had its GUILD_CREATEs."""
        return {x.shard for x in self.live_sessions if x.ready and x.connected}

    async def wait_for_shards(self, shards: set[tuple[int, int]]) -> None:
        async with self.shard_changes:
            await self.shard_changes.wait_for(lambda: shards <= self.ready_shards())

    async def _shards_changed(self) -> None:
        async with self.shard_changes:
            self.shard_changes.notify_all()

    def intents(self) -> int:
        live = self.live_sessions
        return live[-1].intents if live else 0

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self._sockets.add(ws)
        compress = request.query.get("compress") == "zlib-stream"
        conn = Session("", 0, ws=ws, compressor=zlib.compressobj() if compress else None)
        await conn.send({"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
        session: Session | None = None
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                payload = json.loads(msg.data)
                op, data = payload.get("op"), payload.get("d")
                if op == HEARTBEAT:
                    await (session or conn).send({"op": HEARTBEAT_ACK})
                elif op == IDENTIFY:
                    session = await self._identify(ws, conn, data)
                elif op == RESUME:
                    session = await self._resume(ws, conn, data)
                elif op == REQUEST_MEMBERS and session is not None:
                    await self._members_chunk(session, data)
        finally:
            self._sockets.discard(ws)
            if session is not None and session.ws is ws:
                session.ws = None
                # The bot is gone (closed, killed or reconnecting) until it identifies or resumes.
                if not session.superseded:
                    self.ready.clear()
                await self._shards_changed()
        return ws

    async def _identify(
        self, ws: web.WebSocketResponse, conn: Session, data: dict[str, Any]
    ) -> Session | None:
        if data.get("token") not in (self.token, f"Bot {self.token}"):
            await ws.close(code=4004, message=b"Authentication failed.")
            return None
        # Privileged intents need their switch in the Developer Portal, else Discord closes
        # the connection with 4014.
        asked = int(data.get("intents", 0)) & PRIVILEGED
        if asked & ~self.portal_intents:
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return None
        shard = parse_shard(data.get("shard"))
        if shard is None:
            await ws.close(code=INVALID_SHARD, message=b"Invalid shard.")
            return None
        world = self.world
        guilds = [
            g
            for g in world.guilds.values()
            if shard_of(g.id, shard[1]) == shard[0] and g.id not in world.bot_removed
        ]
        if len(guilds) > self.shard_guild_limit:
            await ws.close(code=SHARDING_REQUIRED, message=b"Sharding required.")
            return None
        self.ready.clear()
        self.identify_count += 1
        # A fresh IDENTIFY for a shard replaces whatever session that shard had before (and
        # every session of another shard count: the bot was resharded).
        for old in self.sessions:
            if old.shard[0] == shard[0] or old.shard[1] != shard[1]:
                old.superseded = True
        session = Session(
            secrets.token_hex(16),
            int(data.get("intents", 0)),
            ws=ws,
            compressor=conn.compressor,
            shard=shard,
        )
        self.sessions.append(session)
        ready = {
            "v": 10,
            "user": {**world.bot.to_dict(), "verified": True, "mfa_enabled": False, "flags": 0},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.url(),
            "application": {"id": str(world.bot.id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "shard": list(shard),
        }
        await session.dispatch("READY", ready)
        all_members = bool(session.intents & GUILD_MEMBERS)
        for guild in guilds:
            await session.dispatch("GUILD_CREATE", world.guild_create(guild, all_members))
        session.ready = True
        self.ready.set()
        await self._shards_changed()
        return session

    async def _resume(
        self, ws: web.WebSocketResponse, conn: Session, data: dict[str, Any]
    ) -> Session | None:
        found = next(
            (x for x in self.live_sessions if x.session_id == data.get("session_id")), None
        )
        if found is None or data.get("token") not in (self.token, f"Bot {self.token}"):
            await conn.send({"op": INVALID_SESSION, "d": False})
            return None
        self.resume_count += 1
        found.ws, found.compressor = ws, conn.compressor
        last = int(data.get("seq") or 0)
        for payload in [p for p in found.sent if p["s"] > last]:
            await found.send(payload)
        await found.dispatch("RESUMED", {})
        self.resumed.set()
        self.ready.set()
        await self._shards_changed()
        return found

    async def _members_chunk(self, session: Session, data: dict[str, Any]) -> None:
        guild = self.world.guilds.get(int(data.get("guild_id", 0)))
        if guild is None or not session.holds(guild.id):
            return
        chunk = {
            "guild_id": str(guild.id),
            "members": [m.to_dict() for m in guild.members.values()],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
            "nonce": data.get("nonce"),
        }
        await session.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    async def dispatch(self, event: str, data: dict[str, Any], *, guild: bool = True) -> None:
        """Send an event to every live session of the shard holding its server (DMs: shard 0)
        whose intents ask for it."""
        needed = EVENT_INTENTS.get(event)
        guild_id = int(data["guild_id"]) if data.get("guild_id") else None
        for session in self.live_sessions:
            if not session.holds(guild_id):
                continue
            if needed is not None:
                bit = needed[0] if guild else needed[1]
                if bit is None or not session.intents & bit:
                    continue
            payload = data
            if event in ("MESSAGE_CREATE", "MESSAGE_UPDATE"):
                payload = filter_content(session, data, str(self.world.bot.id))
            await session.dispatch(event, payload)

    async def disconnect(self, code: int = 4000) -> None:
        self.resumed.clear()
        for sock in list(self._sockets):
            await sock.close(code=code, message=b"emulator closed the connection")

    async def close(self) -> None:
        await self.disconnect(1001)
