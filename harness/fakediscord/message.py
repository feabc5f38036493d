"""The message model: what was sent, every earlier version, and helpers tests read it with."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from .state import EPHEMERAL, User, iso


@dataclass
class Message:
    id: int
    channel_id: int
    author: User
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    flags: int = 0
    poll: dict[str, Any] | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    guild_id: int | None = None
    webhook_id: int | None = None
    message_reference: dict[str, Any] | None = None
    interaction_id: int | None = None
    interaction_metadata: dict[str, Any] | None = None
    visible_to: int | None = None
    mentions: list[dict[str, Any]] = field(default_factory=list)
    mention_roles: list[int] = field(default_factory=list)
    mention_everyone: bool = False
    created_at: float = field(default_factory=time.time)
    edited_at: float | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False
    edit_count: int = 0
    type: int = 0
    username_override: str | None = None

    @property
    def author_id(self) -> int:
        return self.author.id

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    def text(self) -> str:
        parts = [self.content]
        for embed in self.embeds:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            for f in embed.get("fields") or []:
                parts += [f.get("name", ""), f.get("value", "")]
            parts.append((embed.get("footer") or {}).get("text", ""))
            parts.append((embed.get("author") or {}).get("name", ""))
        return "\n".join(p for p in parts if p)

    def _leaf_components(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        stack = list(self.components)
        while stack:
            comp = stack.pop(0)
            out.append(comp)
            stack[0:0] = list(comp.get("components") or [])
            if isinstance(comp.get("accessory"), dict):
                stack.insert(0, comp["accessory"])
        return out

    def custom_ids(self) -> list[str]:
        return [c["custom_id"] for c in self._leaf_components() if c.get("custom_id")]

    def buttons(self) -> list[dict[str, Any]]:
        keys = ("label", "custom_id", "url", "disabled", "style")
        return [{k: c.get(k) for k in keys} for c in self._leaf_components() if c.get("type") == 2]

    def component(self, custom_id: str) -> dict[str, Any] | None:
        return next((c for c in self._leaf_components() if c.get("custom_id") == custom_id), None)

    def snapshot(self) -> dict[str, Any]:
        return {
            "content": self.content,
            "embeds": self.embeds,
            "components": self.components,
            "flags": self.flags,
            "poll": self.poll,
            "attachments": self.attachments,
            "edited_at": self.edited_at,
        }

    def to_dict(self, author_member: dict[str, Any] | None = None) -> dict[str, Any]:
        author = self.author.to_dict()
        if self.username_override:
            author["username"] = self.username_override
        data: dict[str, Any] = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "type": self.type,
            "author": author,
            "content": self.content,
            "timestamp": iso(self.created_at),
            "edited_timestamp": None if self.edited_at is None else iso(self.edited_at),
            "tts": False,
            "mention_everyone": self.mention_everyone,
            "mentions": self.mentions,
            "mention_roles": [str(r) for r in self.mention_roles],
            "attachments": self.attachments,
            "embeds": self.embeds,
            "components": self.components,
            "pinned": False,
            "flags": self.flags,
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
            if author_member is not None and self.webhook_id is None:
                data["member"] = author_member
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
        if self.interaction_id is not None:
            data["application_id"] = str(self.author.id)
            if self.interaction_metadata is not None:
                data["interaction_metadata"] = self.interaction_metadata
        if self.poll is not None:
            data["poll"] = self.poll
        if self.message_reference is not None:
            data["message_reference"] = self.message_reference
        return data
