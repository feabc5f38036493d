"""What one feature offers another, typed.

The bot holds one attribute per service (RoboDanny's `bot.reminder` pattern). The cog that
provides it sets it when it loads and clears it when it unloads, so a feature calls another
through a typed attribute, never by looking a cog up by name; `None` means that feature is
not loaded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import discord

from .models import Episode, Link, Mode, Poll, Show
from .render.episodes import Page
from .store import Store

# Draws page `n` of what `ref` names ("12" for an episode), with the link buttons under it.
# Page buttons and "Show anyway" carry (kind, ref, n) in their custom_id and call these.
Pager = Callable[[Store, str, int], Awaitable[tuple[Page, tuple[Link, ...]]]]


class PollService(Protocol):
    async def post_episode_poll(
        self, channel: discord.abc.Messageable, show: Show, episode: Episode
    ) -> Poll | None:
        """Post the episode's first preset poll into a channel or thread, if it has one."""
        ...

    async def record_vote(
        self, interaction: discord.Interaction[Any], poll_id: int, position: int
    ) -> None:
        """A vote button was clicked: store the vote, then tell the member."""
        ...

    async def post(
        self,
        to: discord.Interaction[Any] | discord.abc.Messageable,
        question: str,
        options: tuple[str, ...],
        mode: Mode,
        seconds: int,
        episode: Episode | None = None,
        show: Show | None = None,
        voters_role_id: int | None = None,
    ) -> Poll:
        """Post a poll as the answer to an interaction, or into a channel as the bot."""
        ...

    def redraw(self, poll_id: int) -> None:
        """Votes changed outside a click (a member's data deleted): update the poll's message."""
        ...


class ThreadService(Protocol):
    async def ensure_thread(
        self,
        guild: discord.Guild,
        show: Show,
        episode: Episode,
        *,
        fallback: discord.abc.GuildChannel | discord.Thread | None = None,
        party_ending: bool = False,
    ) -> tuple[discord.Thread, bool]:
        """The episode's one discussion thread in this server, created if missing (locked
        while one of its watch parties is pending, unless that party is `party_ending`)."""
        ...


class ReminderService(Protocol):
    def party_started(self, party_id: int) -> None:
        """A watch party started: DM the members interested in its event, in the background."""
        ...


class PartyPlanner(Protocol):
    async def plan(
        self,
        interaction: discord.Interaction[Any],
        show: Show,
        episode: Episode,
        start: str,
        length: str | None,
    ) -> None:
        """Schedule a watch party as /watchparty schedule does, in the interaction's channel
        (the schedule form of a suggestion vote's winner)."""
        ...
