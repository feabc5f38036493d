"""Each part of a watch-party step (a message, the thread, the poll, the event's state)
happens once, across crashes, restarts and Discord's outages.

A part is recorded in the store as 'sending' before it asks Discord and as 'done', with the
id of what it made, right after; a part already done is not asked again. Discord remembers a
message's nonce for a few minutes only, so a send whose record is older than that (a restart
hours later, a long outage that lost an answer) is first looked for in the channel's recent
history. A fault that passes (Discord's 5xx, a network error, a busy database) is raised for
the timeline to retry the step; a refusal (403, 404, 400) skips the part, with the reason.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.app import Watchparty
from bot.models import Party

from ..utils.faults import TRANSIENT
from ..utils.sent import NONCE_MEMORY, find_sent

log = logging.getLogger(__name__)


def event_path(
    current: discord.EventStatus, target: discord.EventStatus
) -> list[discord.EventStatus]:
    """The statuses to set, in order, to bring an event from `current` to `target`."""
    scheduled, active = discord.EventStatus.scheduled, discord.EventStatus.active
    completed, cancelled = discord.EventStatus.completed, discord.EventStatus.cancelled
    if current in (completed, cancelled) or current == target:
        return []
    if target is cancelled:
        # A party that already started cannot be cancelled on Discord; it ends.
        return [cancelled] if current is scheduled else [completed]
    if target is completed:
        return [active, completed] if current is scheduled else [completed]
    return [active] if current is scheduled else []


class Parts:
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store

    async def act(
        self,
        party: Party,
        part: str,
        action: Callable[[], Awaitable[int | None]],
        *,
        until: float | None = None,
        missing: str | None = None,
    ) -> bool:
        """Run `action` for this part unless it was done or skipped before; True once done.

        Skipped, with the reason, when `until` passed before it was first tried (it no
        longer makes sense),
        when `missing` says what it needs is not there, or when Discord refuses it."""
        record = await self.store.parties.part(party.id, part)
        if record is not None and record.outcome != "sending":
            return record.outcome == "done"
        if record is None and until is not None and time.time() > until:
            # Never asked, and too late now. A part already asked is seen through instead:
            # Discord may have acted on it, and then it must be recorded, not repeated.
            return await self.skip(party, part, "its time had passed before it could be done")
        if missing is not None:
            return await self.skip(party, part, missing)
        try:
            made = await action()
        except discord.HTTPException as error:
            if isinstance(error, TRANSIENT):
                raise
            return await self.skip(
                party, part, f"Discord refused it ({error.status}: {error.text})"
            )
        await self.store.parties.part_done(party.id, part, made)
        return True

    async def skip(self, party: Party, part: str, reason: str) -> bool:
        log.warning("Watch party %d: skipped its %s: %s", party.id, part, reason)
        await self.store.parties.part_done(party.id, part, reason=reason)
        return False

    async def send(
        self,
        party: Party,
        part: str,
        channel: discord.abc.Messageable | None,
        content: str,
        *,
        key: str | None = None,
        until: float | None = None,
        **kwargs: Any,
    ) -> bool:
        """Post `content` once. `key`: what the message starts with, whenever it was rendered
        (a reminder's wording changes with the time), to recognise it in the history."""

        async def post() -> int:
            assert channel is not None
            record = await self.store.parties.part(party.id, part)
            if record is None:
                await self.store.parties.sending(party.id, part)
            elif time.time() - record.at > NONCE_MEMORY:
                found = await find_sent(self.bot, channel, record.at, key or content)
                if found is not None:
                    return found.id
            # The nonce makes Discord return the first message for a send repeated within
            # its memory (an answer lost to a 5xx, a crash before the record).
            message = await channel.send(content, nonce=f"wp-{party.id}-{part}", **kwargs)
            return message.id

        missing = "it has no channel to post in" if channel is None else None
        return await self.act(party, part, post, until=until, missing=missing)

    async def event(
        self,
        party: Party,
        part: str,
        guild: discord.Guild,
        status: discord.EventStatus,
        *,
        until: float | None = None,
    ) -> bool:
        """Move the party's event forward to `status`, through the transitions Discord allows
        (scheduled → active → completed, scheduled → cancelled); the part names the state."""

        async def move() -> None:
            if party.event_id is None:
                return
            try:
                event = await guild.fetch_scheduled_event(party.event_id)
            except discord.NotFound:
                return  # deleted on Discord by a moderator: nothing left to move
            for step in event_path(event.status, status):
                await event.edit(status=step)

        return await self.act(party, part, move, until=until)
