"""The emulated Discord world: every guild, channel, member and message, and how they change."""

from __future__ import annotations

import re
import time
from typing import Any

from . import state as s
from .message import Message
from .rules import pings

BOT_ROLE_PERMISSIONS = (
    s.DEFAULT_MEMBER_PERMISSIONS
    | s.MANAGE_MESSAGES
    | s.MANAGE_THREADS
    | s.MANAGE_WEBHOOKS
    | s.CREATE_EVENTS
    | s.CREATE_PRIVATE_THREADS
)


def id_of(thing: Any) -> int:
    """A snowflake from an object with an id or from the id itself, as the test API takes both."""
    return int(getattr(thing, "id", thing))


def user_of(who: s.Member | s.User) -> s.User:
    return who.user if isinstance(who, s.Member) else who


def perm_value(permissions: Any) -> int:
    """An int bitfield from an int, a discord.Permissions, or a class flag like
    discord.Permissions.manage_messages (or a list of those, combined)."""
    if isinstance(permissions, list | tuple | set):
        total = 0
        for item in permissions:
            total |= perm_value(item)
        return total
    for attr in ("value", "flag"):
        if hasattr(permissions, attr):
            return int(getattr(permissions, attr))
    return int(permissions)


class World:
    def __init__(self, bot_name: str, bot_id: int | None = None, clock_skew: float = 0.0) -> None:
        # Every id, timestamp and Date header the emulator issues reads this clock.
        self.clock = s.WallClock(clock_skew)
        self.ids = s.Snowflakes(self.clock)
        self.bot = s.User(bot_id or self.ids.next(), bot_name, bot=True)
        self.users: dict[int, s.User] = {self.bot.id: self.bot}
        self.guilds: dict[int, s.Guild] = {}
        self.channels: dict[int, s.Channel] = {}
        self.messages: dict[int, Message] = {}
        self.channel_messages: dict[int, list[int]] = {}
        self.webhooks: dict[int, s.Webhook] = {}
        self.events: dict[int, s.ScheduledEvent] = {}
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.sync_counts: dict[int | None, int] = {}
        self.dm_channels: dict[int, int] = {}
        self.poll_votes: dict[int, dict[int, set[int]]] = {}
        self.nonces: dict[tuple[int, str], tuple[int, float]] = {}
        # A test may pin the bot's effective guild permissions regardless of @everyone.
        self.bot_permissions: dict[int, int] = {}
        # Servers the bot was removed from (kicked, or the server deleted): kept here so a test
        # can add the bot back; a new session is not sent them.
        self.bot_removed: set[int] = set()
        # The bytes of every attachment, by attachment id.
        self.attachment_data: dict[str, bytes] = {}

    # -- guild structure -------------------------------------------------------------------

    def add_user(self, name: str, *, bot: bool = False) -> s.User:
        user = s.User(self.ids.next(), name, bot=bot)
        self.users[user.id] = user
        return user

    def add_guild(self, name: str, *, shard: tuple[int, int] | None = None) -> s.Guild:
        """`shard` (id, count) picks an id whose server that shard holds."""
        owner = self.add_user(f"{name.lower()}-owner")
        guild_id = self.ids.next() if shard is None else self.ids.next_on_shard(*shard)
        guild = s.Guild(guild_id, name, owner.id)
        guild.roles[guild.id] = s.Role(guild.id, "@everyone", s.DEFAULT_MEMBER_PERMISSIONS)
        bot_role = s.Role(self.ids.next(), self.bot.username, BOT_ROLE_PERMISSIONS, position=1)
        guild.roles[bot_role.id] = bot_role
        guild.members[owner.id] = s.Member(owner, guild.id)
        guild.members[self.bot.id] = s.Member(self.bot, guild.id, [bot_role.id])
        self.guilds[guild.id] = guild
        self.add_channel(guild, "general")
        return guild

    def add_channel(
        self,
        guild: s.Guild,
        name: str,
        type: int = s.TEXT,
        *,
        tags: list[str] | list[dict[str, Any]] | None = None,
        parent_id: int | None = None,
        owner_id: int | None = None,
    ) -> s.Channel:
        available = []
        for tag in tags or []:
            tag_data: dict[str, Any] = {"name": tag} if isinstance(tag, str) else dict(tag)
            tag_data.setdefault("id", str(self.ids.next()))
            tag_data.setdefault("moderated", False)
            tag_data.setdefault("emoji_id", None)
            tag_data.setdefault("emoji_name", None)
            available.append(tag_data)
        channel = s.Channel(
            self.ids.next(),
            type,
            name,
            guild.id,
            parent_id=parent_id,
            position=len(guild.channel_ids),
            available_tags=available,
            owner_id=owner_id,
            created_at=self.clock.time(),
        )
        self.channels[channel.id] = channel
        self.channel_messages[channel.id] = []
        guild.channel_ids.append(channel.id)
        return channel

    def add_member(self, guild: s.Guild, name: str, permissions: Any = None) -> s.Member:
        user = self.add_user(name)
        member = s.Member(user, guild.id)
        if permissions is not None:
            role = s.Role(self.ids.next(), f"{name}-role", perm_value(permissions), position=1)
            guild.roles[role.id] = role
            member.role_ids.append(role.id)
        guild.members[user.id] = member
        return member

    def set_bot_permissions(self, guild: s.Guild, permissions: Any) -> None:
        self.bot_permissions[guild.id] = perm_value(permissions)

    def permissions(self, guild_id: int | None, user_id: int) -> int:
        if guild_id is None:
            return s.ALL_PERMISSIONS
        if user_id == self.bot.id and guild_id in self.bot_permissions:
            return self.bot_permissions[guild_id]
        return self.guilds[guild_id].permissions_of(user_id)

    def guild_of(self, channel: s.Channel) -> s.Guild | None:
        return None if channel.guild_id is None else self.guilds.get(channel.guild_id)

    def member_dict(self, guild_id: int | None, user_id: int, *, perms: bool = False) -> Any:
        guild = self.guilds.get(guild_id) if guild_id is not None else None
        if guild is None or user_id not in guild.members:
            return None
        permissions = self.permissions(guild_id, user_id) if perms else None
        return guild.members[user_id].to_dict(permissions)

    def dm_channel(self, user: s.User) -> s.Channel:
        if user.id not in self.dm_channels:
            channel = s.Channel(self.ids.next(), s.DM, "", recipient_ids=[user.id])
            self.channels[channel.id] = channel
            self.channel_messages[channel.id] = []
            self.dm_channels[user.id] = channel.id
        return self.channels[self.dm_channels[user.id]]

    # -- payloads --------------------------------------------------------------------------

    def message_payload(self, msg: Message) -> dict[str, Any]:
        member = self.member_dict(msg.guild_id, msg.author.id)
        if member is not None:
            member.pop("user", None)
        data = msg.to_dict(member)
        if msg.poll is not None:
            data["poll"] = self.poll_payload(msg)
        return data

    def poll_payload(self, msg: Message) -> dict[str, Any]:
        assert msg.poll is not None
        poll = dict(msg.poll)
        finalized = bool(poll.get("results", {}).get("is_finalized"))
        votes = self.poll_votes.get(msg.id, {})
        counts = [
            {"id": a["answer_id"], "count": len(votes.get(a["answer_id"], ())), "me_voted": False}
            for a in poll["answers"]
        ]
        poll["results"] = {"is_finalized": finalized, "answer_counts": counts}
        return poll

    def guild_create(self, guild: s.Guild, all_members: bool) -> dict[str, Any]:
        data = guild.to_dict()
        channels = [self.channels[c] for c in guild.channel_ids]
        members = [
            m.to_dict() for m in guild.members.values() if all_members or m.id == self.bot.id
        ]
        data.update(
            unavailable=False,
            joined_at=s.iso(self.clock.time()),
            large=False,
            member_count=len(guild.members),
            members=members,
            channels=[c.to_dict() for c in channels if not c.is_thread],
            threads=[c.to_dict() for c in channels if c.is_thread and not c.archived],
            voice_states=[],
            presences=[],
            stage_instances=[],
            guild_scheduled_events=[
                e.to_dict()
                for e in self.events.values()
                if e.guild_id == guild.id and not e.deleted
            ],
            soundboard_sounds=[],
        )
        return data

    # -- messages --------------------------------------------------------------------------

    def _mentions(self, msg: Message, body: dict[str, Any]) -> None:
        pinged = pings({**body, "content": msg.content})
        msg.mention_everyone = any(p in ("@everyone", "@here") for p in pinged)
        ids = [int(x) for x in re.findall(r"<@!?(\d+)>", " ".join(pinged))]
        msg.mentions = [self.users[i].to_dict() for i in ids if i in self.users]
        roles = [int(x) for x in re.findall(r"<@&(\d+)>", " ".join(pinged))]
        msg.mention_roles = [r for r in roles if self._may_ping_role(msg, r)]

    def _may_ping_role(self, msg: Message, role_id: int) -> bool:
        guild = self.guilds.get(msg.guild_id or 0)
        role = guild.roles.get(role_id) if guild else None
        if guild is None or role is None:
            return False
        return role.mentionable or bool(
            self.permissions(guild.id, msg.author.id) & s.MENTION_EVERYONE
        )

    def _poll(self, body: dict[str, Any]) -> dict[str, Any]:
        hours = body.get("duration") or 24
        answers = [
            {"answer_id": i, "poll_media": a.get("poll_media") or {}}
            for i, a in enumerate(body.get("answers") or [], start=1)
        ]
        return {
            "question": body.get("question") or {},
            "answers": answers,
            "expiry": s.iso(self.clock.time() + hours * 3600),
            "allow_multiselect": bool(body.get("allow_multiselect")),
            "layout_type": body.get("layout_type") or 1,
            "results": {"is_finalized": False, "answer_counts": []},
        }

    def _attachments(self, files: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for f in files:
            att_id = str(self.ids.next())
            url = f"https://cdn.discordapp.com/attachments/{att_id}/{f['filename']}"
            self.attachment_data[att_id] = f.get("_data", b"")
            shown = {k: v for k, v in f.items() if k != "_data"}
            out.append({"id": att_id, "url": url, "proxy_url": url, **shown})
        return out

    def create_message(
        self, channel: s.Channel, author: s.User, body: dict[str, Any], **extra: Any
    ) -> Message:
        msg = Message(
            self.ids.next(),
            channel.id,
            author,
            content=body.get("content") or "",
            embeds=list(body.get("embeds") or []),
            components=list(body.get("components") or []),
            flags=int(body.get("flags") or 0),
            guild_id=channel.guild_id,
            message_reference=body.get("message_reference"),
            created_at=self.clock.time(),
            **extra,
        )
        if body.get("poll"):
            msg.poll = self._poll(body["poll"])
        msg.attachments = self._attachments(body.get("_files") or [])
        self._mentions(msg, body)
        self.messages[msg.id] = msg
        self.channel_messages.setdefault(channel.id, []).append(msg.id)
        if channel.is_thread:
            channel.message_count += 1
        return msg

    # How long Discord remembers a nonce sent with enforce_nonce ("the past few minutes").
    NONCE_SECONDS = 300.0

    def by_nonce(self, author_id: int, nonce: str | int) -> Message | None:
        seen = self.nonces.get((author_id, str(nonce)))
        if seen is None or time.monotonic() - seen[1] > self.NONCE_SECONDS:
            return None
        msg = self.messages.get(seen[0])
        return msg if msg is not None and not msg.deleted else None

    def remember_nonce(self, author_id: int, nonce: str | int, msg: Message) -> None:
        self.nonces[(author_id, str(nonce))] = (msg.id, time.monotonic())

    def edit_message(self, msg: Message, body: dict[str, Any]) -> None:
        msg.history.append(msg.snapshot())
        msg.edit_count += 1
        msg.edited_at = self.clock.time()
        if "content" in body:
            msg.content = body["content"] or ""
            self._mentions(msg, body)
        for key in ("embeds", "components"):
            if key in body:
                setattr(msg, key, list(body[key] or []))
        if "attachments" in body or "_files" in body:
            # On edit, "attachments" lists the existing files to keep.
            keep = {str(a.get("id")) for a in body.get("attachments") or []}
            kept = [a for a in msg.attachments if a["id"] in keep]
            msg.attachments = kept + self._attachments(body.get("_files") or [])
        if body.get("flags") is not None:
            # Only SUPPRESS_EMBEDS and IS_COMPONENTS_V2 may change on edit; keep the rest.
            msg.flags = (msg.flags & ~((1 << 2) | (1 << 15))) | (
                body["flags"] & ((1 << 2) | (1 << 15))
            )

    def visible_messages(self, channel_id: int) -> list[Message]:
        ids = self.channel_messages.get(channel_id, [])
        return [self.messages[i] for i in ids if not self.messages[i].deleted]
