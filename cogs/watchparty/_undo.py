"""Taking a watch party back: a cancelled one (its event cancelled, its announcement struck,
its thread reopened) and a half-made one (what it made on Discord deleted, its row too)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import discord

from bot.app import Watchparty
from bot.i18n import _
from bot.models import Episode, Party, Show
from bot.render import parties as render

from ._parts import event_path

log = logging.getLogger(__name__)

Announcements = Callable[[discord.Guild, Party], Awaitable[discord.abc.Messageable | None]]


class Undo:
    def __init__(self, bot: Watchparty, announcements: Announcements) -> None:
        self.bot = bot
        self.store = bot.store
        self.announcements = announcements

    async def set_event_status(
        self, guild: discord.Guild, party: Party, status: discord.EventStatus
    ) -> None:
        """Move the party's event forward to `status`, or log why it could not."""
        if party.event_id is None:
            return
        try:
            event = await guild.fetch_scheduled_event(party.event_id)
            for step in event_path(event.status, status):
                await event.edit(status=step)
        except discord.HTTPException as error:
            log.warning(
                "Watch party %d: could not mark its event %s (%s)", party.id, status.name, error
            )

    async def cancel(
        self, party: Party, guild: discord.Guild, show: Show, episode: Episode
    ) -> None:
        """A cancelled party: its event cancelled, its announcement struck, its thread reopened."""
        await self.set_event_status(guild, party, discord.EventStatus.cancelled)
        channel = await self.announcements(guild, party)
        if party.announcement_id and isinstance(channel, discord.abc.Messageable):
            message = channel.get_partial_message(party.announcement_id)  # type: ignore[attr-defined]
            try:
                await message.edit(content=None, embed=render.cancelled(show, episode, party))
            except discord.HTTPException:
                log.info("Watch party %d: its announcement could not be edited", party.id)
        thread_id = await self.store.threads.get(guild.id, episode.id)
        thread = guild.get_thread(thread_id) if thread_id else None
        if (
            thread
            and thread.locked
            and await self.store.parties.pending_end(guild.id, episode.id) is None
        ):
            await thread.edit(locked=False)

    async def unmake(self, party: Party) -> list[str]:
        """Delete a half-made party's event and announcement from Discord, then its row.

        Returns what could not be deleted from Discord ("event", "announcement"), for the
        organiser; the row goes either way, so no step of the party ever runs."""
        guild = self.bot.get_guild(party.guild_id)
        left: list[str] = []
        if guild is not None and party.event_id is not None:
            try:
                event = guild.get_scheduled_event(party.event_id)
                event = event or await guild.fetch_scheduled_event(party.event_id)
                await event.delete()
            except discord.NotFound:
                pass
            except discord.HTTPException as error:
                log.warning("Watch party %d: its event stays (%s)", party.id, error)
                left.append("event")
        channel = await self.announcements(guild, party) if guild is not None else None
        if party.announcement_id is not None and isinstance(channel, discord.abc.Messageable):
            message = channel.get_partial_message(party.announcement_id)  # type: ignore[attr-defined]
            try:
                await message.delete()
            except discord.NotFound:
                pass
            except discord.HTTPException as error:
                log.warning("Watch party %d: its announcement stays (%s)", party.id, error)
                left.append("announcement")
        await self.store.parties.delete(party.id)
        return left


def left_behind(left: list[str]) -> str:
    """The organiser's sentence for what `Undo.unmake` could not delete, said whole (each
    language words "it" and "them" its own way)."""
    if left == ["event"]:
        return _("I could not remove its scheduled event: please delete it by hand.")
    if left == ["announcement"]:
        return _("I could not remove its announcement: please delete it by hand.")
    return _(
        "I could not remove its scheduled event and its announcement: please delete them by hand."
    )
