"""In-memory models of the Discord objects the emulator serves, serialised as Discord does."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# Discord snowflakes count milliseconds from the first second of 2015.
DISCORD_EPOCH_MS = 1420070400000

# Permission bits used by the routes (values from Discord's permission table).
CREATE_INSTANT_INVITE = 1 << 0
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
MANAGE_WEBHOOKS = 1 << 29
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_EVENTS = 1 << 33
MANAGE_THREADS = 1 << 34
CREATE_PUBLIC_THREADS = 1 << 35
CREATE_PRIVATE_THREADS = 1 << 36
SEND_MESSAGES_IN_THREADS = 1 << 38
CREATE_EVENTS = 1 << 44
SEND_POLLS = 1 << 49
ALL_PERMISSIONS = (1 << 53) - 1

# What a fresh member of a community server can usually do.
DEFAULT_MEMBER_PERMISSIONS = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | USE_APPLICATION_COMMANDS
    | CREATE_PUBLIC_THREADS
    | SEND_MESSAGES_IN_THREADS
    | SEND_POLLS
)

TEXT, DM, FORUM, PUBLIC_THREAD, PRIVATE_THREAD = 0, 1, 15, 11, 12
THREAD_TYPES = (PUBLIC_THREAD, PRIVATE_THREAD)
EPHEMERAL = 1 << 6


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat()


class WallClock:
    """Discord's wall clock: this machine's plus `skew` seconds. Discord's clock and a bot
    host's are never quite in step; a test sets a skew to play one that is seconds apart."""

    def __init__(self, skew: float = 0.0) -> None:
        self.skew = skew

    def time(self) -> float:
        return time.time() + self.skew


class Snowflakes:
    """Increasing ids whose timestamp part is Discord's wall clock, like Discord's."""

    def __init__(self, clock: WallClock | None = None) -> None:
        self._last = 0
        self._counter = itertools.count()
        self.clock = clock or WallClock()

    def next(self) -> int:
        ms = int(self.clock.time() * 1000) - DISCORD_EPOCH_MS
        candidate = (ms << 22) | (next(self._counter) & 0xFFF)
        self._last = max(candidate, self._last + 1)
        return self._last

    def next_on_shard(self, shard_id: int, shard_count: int) -> int:
        """The next id whose server lands on this shard: `(id >> 22) % count`, so the
        timestamp moves on by up to `count - 1` milliseconds."""
        ms = max(int(time.time() * 1000) - DISCORD_EPOCH_MS, (self._last >> 22) + 1)
        ms += (shard_id - ms) % shard_count
        self._last = ms << 22
        return self._last


@dataclass
class User:
    id: int
    username: str
    bot: bool = False
    # "Allow direct messages from server members" switched off: DMs to them fail with 50007.
    dms_closed: bool = False
    # The language of this member's Discord client: each interaction's `locale`.
    locale: str = "en-US"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.username,
            "global_name": None if self.bot else self.username,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }


@dataclass
class Role:
    id: int
    name: str
    permissions: int
    position: int = 0
    # Discord pings a role only if it is mentionable, or the sender may mention @everyone.
    mentionable: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": False,
            "mentionable": self.mentionable,
            "flags": 0,
        }


@dataclass
class Member:
    user: User
    guild_id: int
    role_ids: list[int] = field(default_factory=list)
    joined_at: float = field(default_factory=time.time)

    @property
    def id(self) -> int:
        return self.user.id

    def to_dict(self, permissions: int | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "user": self.user.to_dict(),
            "nick": None,
            "avatar": None,
            "roles": [str(r) for r in self.role_ids],
            "joined_at": iso(self.joined_at),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    channel_ids: list[int] = field(default_factory=list)
    # The server's language (Server Settings): interactions' `guild_locale`.
    preferred_locale: str = "en-US"

    @property
    def everyone_role(self) -> Role:
        # Discord gives @everyone the guild's own id.
        return self.roles[self.id]

    def permissions_of(self, user_id: int) -> int:
        if user_id == self.owner_id:
            return ALL_PERMISSIONS
        member = self.members.get(user_id)
        perms = self.everyone_role.permissions
        if member is not None:
            for rid in member.role_ids:
                if rid in self.roles:
                    perms |= self.roles[rid].permissions
        return ALL_PERMISSIONS if perms & ADMINISTRATOR else perms

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [r.to_dict() for r in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "features": ["COMMUNITY"],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": self.preferred_locale,
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
        }


@dataclass
class Channel:
    id: int
    type: int
    name: str
    guild_id: int | None = None
    parent_id: int | None = None
    position: int = 0
    topic: str | None = None
    available_tags: list[dict[str, Any]] = field(default_factory=list)
    applied_tags: list[int] = field(default_factory=list)
    locked: bool = False
    archived: bool = False
    owner_id: int | None = None
    recipient_ids: list[int] = field(default_factory=list)
    created_at: float = field(default_factory=time.time)
    message_count: int = 0

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": str(self.id), "type": self.type, "name": self.name}
        data["flags"] = 0
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        if self.type == DM:
            data["recipients"] = []
            data["last_message_id"] = None
            return data
        data.update(position=self.position, permission_overwrites=[], nsfw=False)
        data["parent_id"] = None if self.parent_id is None else str(self.parent_id)
        if self.type == TEXT:
            data.update(topic=self.topic, rate_limit_per_user=0, last_message_id=None)
        if self.type == FORUM:
            data.update(
                topic=self.topic,
                available_tags=self.available_tags,
                default_reaction_emoji=None,
                default_sort_order=None,
                default_forum_layout=0,
                rate_limit_per_user=0,
            )
        if self.is_thread:
            data.update(
                owner_id=str(self.owner_id),
                message_count=self.message_count,
                member_count=1,
                rate_limit_per_user=0,
                applied_tags=[str(t) for t in self.applied_tags],
                thread_metadata={
                    "archived": self.archived,
                    "locked": self.locked,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": iso(self.created_at),
                    "create_timestamp": iso(self.created_at),
                },
            )
        return data


@dataclass
class ScheduledEvent:
    id: int
    guild_id: int
    creator_id: int
    data: dict[str, Any]
    deleted: bool = False
    # Members who clicked "Interested", in the order they did.
    interested: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.data.get("name", ""))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "description": None,
            "channel_id": None,
            "scheduled_end_time": None,
            "entity_metadata": None,
            "status": 1,
            "privacy_level": 2,
            "user_count": len(self.interested),
            "image": None,
            "recurrence_rule": None,
        }
        out.update(self.data)
        out.update(id=str(self.id), guild_id=str(self.guild_id), creator_id=str(self.creator_id))
        out["entity_id"] = None
        return out


@dataclass
class Webhook:
    id: int
    token: str
    channel_id: int
    guild_id: int | None
    name: str
    creator: User

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "type": 1,
            "token": self.token,
            "channel_id": str(self.channel_id),
            "guild_id": None if self.guild_id is None else str(self.guild_id),
            "name": self.name,
            "avatar": None,
            "application_id": None,
            "user": self.creator.to_dict(),
        }
