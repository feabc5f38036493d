"""Polls as a service: posting, voting, closing, keeping messages in step.

The poll cog's commands, the vote buttons, discussion threads and watch parties all go through
one `PollKeeper`, reached as `bot.polls` (see `bot.services.PollService`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import math
import time
from typing import Any

import discord

from bot import i18n
from bot.app import Watchparty
from bot.errors import EXPIRED, UserError
from bot.i18n import _
from bot.models import Episode, Mode, Poll, PresetPoll, Show, VoteOutcome
from bot.render.polls import native_role_note, poll_embed, role_refusal, vote_reply
from bot.store.db import Cache

from ..utils.alarm import Alarm
from ..utils.locks import KeyedLocks
from ._tally import TallyUpdater
from ._unposted import Unposted
from ._votes import VoteQueue
from .buttons import vote_view
from .parsing import check_poll_text, parse_duration

# Poll definitions kept for the vote buttons (question and options never change): the polls
# clicked most recently; a closed poll's goes at once.
DEFINITIONS = 500


def may_vote(interaction: discord.Interaction[Any], poll: Poll) -> bool:
    """Whether the member may vote: a poll for a role takes only that role's members."""
    if poll.voters_role_id is None:
        return True
    roles = getattr(interaction.user, "roles", ())
    return any(role.id == poll.voters_role_id for role in roles)


class PollKeeper:
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store
        self.tally = TallyUpdater(bot, self._draw)
        self._definitions: Cache[int, Poll] = self.store.cache(DEFINITIONS)
        self.votes = VoteQueue(self.store, self.tally.touch)
        # One episode poll posted at a time per (channel, episode); dropped once idle.
        self._posting: KeyedLocks[tuple[int, int]] = KeyedLocks()
        self.deadlines = Alarm(bot, "poll deadlines", self._next_deadline, self._close_due)
        self.unposted = Unposted(bot, self._posting, self._found, self.close_poll)
        self._catching_up: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.deadlines.start()
        self._catching_up = asyncio.create_task(self._catch_up())

    async def stop(self) -> None:
        if self._catching_up is not None:
            self._catching_up.cancel()
        self.deadlines.stop()
        await self.tally.stop()

    # --- posting ------------------------------------------------------------------------

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
        if isinstance(to, discord.Interaction):
            guild_id, channel_id, creator_id = to.guild_id, to.channel_id, to.user.id
        else:
            guild = getattr(to, "guild", None)
            guild_id, channel_id = (guild.id if guild else None), getattr(to, "id", None)
            creator_id = self.bot.user.id if self.bot.user else 0
        if guild_id is None or channel_id is None:
            raise UserError(_("Polls work inside a server channel."))
        check_poll_text(question, options)
        if mode is Mode.NATIVE:
            # Native polls run in whole hours.
            seconds = 3600 * math.ceil(seconds / 3600)
        async with self.unposted.registering():
            poll = await self.store.polls.create(
                guild_id=guild_id,
                channel_id=channel_id,
                creator_id=creator_id,
                question=question,
                options=options,
                mode=mode,
                closes_at=time.time() + seconds,
                episode_id=episode.id if episode else None,
                voters_role_id=voters_role_id,
            )
            self.unposted.sending.add(poll.id)
        try:
            try:
                message = await self._send(to, poll, episode, show, seconds)
            except BaseException:
                await self.store.polls.discard(poll.id)
                raise
            # Should this write fail (or the process die first), the deadline closer finds
            # the message in the channel (see _unposted.py).
            await self.store.polls.set_message(poll.id, message.channel.id, message.id)
        finally:
            self.unposted.sending.discard(poll.id)
        self.deadlines.wake()
        return poll

    async def post_episode_poll(
        self, channel: discord.abc.Messageable, show: Show, episode: Episode
    ) -> Poll | None:
        """Post the episode's first preset poll into a channel or thread (live, default length),
        unless it holds one already: a thread opens with one poll, whoever opened it, and a step
        repeated after a crash does not post it twice. `/poll episode` posts them all.
        """
        presets = await self.store.catalog.preset_polls(episode.id)
        if not presets:
            return None
        channel_id = getattr(channel, "id", 0)
        # One at a time per thread and episode: the check below and the post are one step.
        async with self._posting.hold((channel_id, episode.id)):
            return await self._post_episode_poll(channel, show, episode, presets)

    async def _post_episode_poll(
        self,
        channel: discord.abc.Messageable,
        show: Show,
        episode: Episode,
        presets: list[PresetPoll],
    ) -> Poll | None:
        channel_id = getattr(channel, "id", 0)
        existing = await self.store.polls.of_episode_in(channel_id, episode.id)
        if existing is not None and existing.message_id is not None:
            return existing
        if existing is not None:
            # Created, maybe sent, but the crash came before its message id was stored:
            # sending again with the same nonce returns the message Discord already has.
            self.unposted.sending.add(existing.id)
            try:
                message = await self._send(channel, existing, episode, show, parse_duration(None))
                await self.store.polls.set_message(existing.id, message.channel.id, message.id)
            finally:
                self.unposted.sending.discard(existing.id)
            self.deadlines.wake()
            return existing
        first = presets[0]
        seconds = parse_duration(None)
        return await self.post(
            channel, first.question, first.options, Mode.LIVE, seconds, episode, show
        )

    async def _send(
        self,
        to: discord.Interaction[Any] | discord.abc.Messageable,
        poll: Poll,
        episode: Episode | None,
        show: Show | None,
        seconds: int,
    ) -> discord.Message:
        # The channel reads it: the server's language (its preferred one from a timer).
        language: contextlib.AbstractContextManager[None] = (
            i18n.public()
            if isinstance(to, discord.Interaction)
            else i18n.server(getattr(to, "guild", None))
        )
        with language:
            kwargs = await self._message(poll, episode, show, seconds)
        if not isinstance(to, discord.Interaction):
            # The nonce makes a repeated send (after a crash) return the first message.
            return await to.send(nonce=f"wp-poll-{poll.id}", **kwargs)
        if to.response.is_done():
            return await to.followup.send(wait=True, **kwargs)
        response = await to.response.send_message(**kwargs)
        if isinstance(response.resource, discord.InteractionMessage):
            return response.resource
        return await to.original_response()

    async def _message(
        self, poll: Poll, episode: Episode | None, show: Show | None, seconds: int
    ) -> dict[str, Any]:
        if poll.mode is Mode.NATIVE:
            native = discord.Poll(
                question=poll.question, duration=datetime.timedelta(seconds=seconds)
            )
            for option in poll.options:
                native.add_answer(text=option)
            kwargs: dict[str, Any] = {"poll": native}
            if poll.voters_role_id is not None:
                kwargs["content"] = native_role_note(poll.voters_role_id)
            return kwargs
        tally = await self.store.polls.tally(poll.id)
        assert tally is not None
        return {"embed": poll_embed(tally, episode, show), "view": vote_view(poll)}

    async def _draw(
        self, poll_id: int
    ) -> tuple[int, int, int, discord.Embed, discord.ui.View] | None:
        tally = await self.store.polls.tally(poll_id)
        if tally is None or tally.poll.message_id is None or tally.poll.mode is Mode.NATIVE:
            return None
        if tally.poll.version <= tally.poll.shown:
            return None  # the message shows this already: an edit would change nothing
        episode = (
            await self.store.catalog.episode_by_id(tally.poll.episode_id)
            if tally.poll.episode_id
            else None
        )
        show = await self.store.catalog.show_by_id(episode.show_id) if episode else None
        # A tally edit follows votes, not one interaction: the server's preferred language.
        with i18n.server(self.bot.get_guild(tally.poll.guild_id)):
            embed = poll_embed(tally, episode, show)
        return (
            tally.poll.version,
            tally.poll.channel_id,
            tally.poll.message_id,
            embed,
            vote_view(tally.poll),
        )

    # --- voting -------------------------------------------------------------------------

    async def record_vote(
        self, interaction: discord.Interaction[Any], poll_id: int, position: int
    ) -> None:
        """A vote button was clicked: commit the vote, then acknowledge it to the member alone."""
        poll = self._definitions.get(poll_id) or await self.store.polls.get(poll_id)
        if poll is None or position >= len(poll.options):
            await interaction.response.send_message(
                _("This poll no longer exists."), ephemeral=True
            )
            return
        if poll.is_open:
            self._definitions.put(poll_id, poll)
        if not may_vote(interaction, poll):
            # Refused before anything is written: the member's click stores nothing.
            await interaction.response.send_message(role_refusal(poll), ephemeral=True)
            return
        # Discord's time of the click, on the host clock every deadline is kept on.
        clicked_at = self.bot.clock.created(interaction.id)
        cast = await self.votes.vote(poll_id, interaction.user.id, position, clicked_at)
        if cast is None:
            EXPIRED.note()  # too late to answer, so not written either
            return
        await self.votes.answer(cast, interaction, vote_reply(cast.outcome, poll, position))
        if cast.outcome.counted:
            self.tally.touch(poll_id)
        elif cast.outcome is VoteOutcome.LATE:
            self.deadlines.wake()  # past its deadline and still open: the closer is behind

    def _found(self, poll: Poll) -> None:
        # Its message shows the counts of when it was posted: draw the votes since, and let
        # the closer see its deadline.
        self.tally.touch(poll.id)
        self.deadlines.wake()

    def redraw(self, poll_id: int) -> None:
        """Votes changed outside a click (a member's data deleted): update the poll's message."""
        self.tally.touch(poll_id)

    @property
    def tracked(self) -> int:
        """How many polls this keeper holds state for: cached definitions, posting locks,
        and the tally updater's per-poll state. Bounded, however many polls come and go."""
        return len(self._definitions) + len(self._posting) + self.tally.tracked

    # --- closing ------------------------------------------------------------------------

    async def close_poll(self, poll: Poll) -> bool:
        """Close now: freeze the counts and show the results; False if it was closed already."""
        if poll.mode is Mode.NATIVE:
            closed = await self.store.polls.close(poll.id, await self._end_native(poll))
        else:
            closed = await self.store.polls.close(poll.id)
            self._definitions.forget(poll.id)
            if closed:
                # Lost the race (another process, or a /poll close, closed it first): the
                # winner shows the results, so this one edits nothing.
                await self.tally.refresh(poll.id)
            self.tally.forget(poll.id)
        if closed:
            # Features that wait on a poll's outcome (a vote among suggestions) listen here.
            self.bot.dispatch("poll_closed", poll.id)
        return closed

    async def _end_native(self, poll: Poll) -> tuple[int, ...] | None:
        if poll.message_id is None:
            return None  # its message is gone (see _unposted.py): the votes stored count
        message = self.bot.get_partial_messageable(poll.channel_id).get_partial_message(
            poll.message_id
        )
        try:
            ended = await message.end_poll()
        except discord.HTTPException:
            # Discord ended it on its own already: read the final counts from the message.
            try:
                ended = await message.fetch()
            except discord.HTTPException:
                return None
        if ended.poll is None:
            return None
        return tuple(answer.vote_count for answer in ended.poll.answers)

    async def _next_deadline(self) -> float | None:
        # Only this process's servers: another shard's deadline is its process's to keep.
        return await self.store.polls.next_deadline(self.bot.owned)

    async def _close_due(self, now: float) -> None:
        # First the polls whose message id was lost, so one found here closes in this pass.
        await self.unposted.settle()
        for poll_id in await self.store.polls.due(now, self.bot.owned):
            poll = await self.store.polls.get(poll_id)
            if poll is not None:
                await self.close_poll(poll)

    async def _catch_up(self) -> None:
        await self.bot.wait_until_ready()
        # Messages that fell behind their votes (a crash between a vote and its edit).
        for poll_id in await self.store.polls.behind(self.bot.owned):
            self.tally.touch(poll_id)
