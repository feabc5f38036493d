"""/poll: create, post an episode's preset polls, close, and read results."""

from __future__ import annotations

import asyncio
import datetime
import logging
import math
import time
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserError
from bot.models import Episode, PresetPoll, Show
from bot.render.polls import poll_embed, vote_reply
from bot.render.text import one_line
from bot.store.polls import Mode, Poll

from .._alarm import Alarm
from .._catalog import (
    episode_autocomplete,
    resolve_episode,
    resolve_show,
    season_autocomplete,
    show_autocomplete,
)
from .._permissions import check_organiser
from ._buttons import COUNTED, vote_view
from ._parse import parse_duration, parse_options
from ._results import send_results
from ._tally import TallyUpdater

if TYPE_CHECKING:
    from bot.app import Watchparty

log = logging.getLogger(__name__)

ModeName = Literal["live", "blind", "native"]


class Polls(
    commands.GroupCog, group_name="poll", group_description="Episode polls: one vote per member"
):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store
        self.tally = TallyUpdater(bot, self._draw)
        self._definitions: dict[int, Poll] = {}
        self.deadlines = Alarm(
            bot, "poll deadlines", self.store.polls.next_deadline, self._close_due
        )

    async def cog_load(self) -> None:
        self.deadlines.start()
        self._catching_up = asyncio.create_task(self._catch_up())

    async def cog_unload(self) -> None:
        self._catching_up.cancel()
        self.deadlines.stop()
        await self.tally.stop()

    # --- posting ------------------------------------------------------------------------

    async def _post(
        self,
        to: discord.Interaction | discord.abc.Messageable,
        question: str,
        options: tuple[str, ...],
        mode: Mode,
        seconds: int,
        episode: Episode | None = None,
        show: Show | None = None,
    ) -> Poll:
        """Post a poll as the answer to an interaction, or into a channel as the bot."""
        if isinstance(to, discord.Interaction):
            guild_id, channel_id, creator_id = to.guild_id, to.channel_id, to.user.id
        else:
            guild = getattr(to, "guild", None)
            guild_id, channel_id = (guild.id if guild else None), getattr(to, "id", None)
            creator_id = self.bot.user.id if self.bot.user else 0
        if guild_id is None or channel_id is None:
            raise UserError("Polls work inside a server channel.")
        if mode is Mode.NATIVE:
            # Native polls run in whole hours.
            seconds = 3600 * math.ceil(seconds / 3600)
        poll = await self.store.polls.create(
            guild_id=guild_id,
            channel_id=channel_id,
            creator_id=creator_id,
            question=question,
            options=options,
            mode=mode,
            closes_at=time.time() + seconds,
            episode_id=episode.id if episode else None,
        )
        try:
            message = await self._send(to, poll, episode, show, seconds)
        except BaseException:
            await self.store.polls.discard(poll.id)
            raise
        await self.store.polls.set_message(poll.id, message.channel.id, message.id)
        self.deadlines.wake()
        return poll

    async def post_episode_poll(
        self, channel: discord.abc.Messageable, show: Show, episode: Episode
    ) -> Poll | None:
        """Post the episode's first preset poll into a channel or thread (live, default length).

        A discussion thread opens with one poll; `/poll episode` posts them all.
        """
        presets = await self.store.catalog.preset_polls(episode.id)
        if not presets:
            return None
        first = presets[0]
        seconds = parse_duration(None)
        return await self._post(
            channel, first.question, first.options, Mode.LIVE, seconds, episode, show
        )

    async def _send(
        self,
        to: discord.Interaction | discord.abc.Messageable,
        poll: Poll,
        episode: Episode | None,
        show: Show | None,
        seconds: int,
    ) -> discord.Message:
        if poll.mode is Mode.NATIVE:
            native = discord.Poll(
                question=poll.question, duration=datetime.timedelta(seconds=seconds)
            )
            for option in poll.options:
                native.add_answer(text=option)
            kwargs: dict = {"poll": native}
        else:
            tally = await self.store.polls.tally(poll.id)
            assert tally is not None
            kwargs = {"embed": poll_embed(tally, episode, show), "view": vote_view(poll)}
        if not isinstance(to, discord.Interaction):
            return await to.send(**kwargs)
        if to.response.is_done():
            return await to.followup.send(wait=True, **kwargs)
        response = await to.response.send_message(**kwargs)
        if isinstance(response.resource, discord.InteractionMessage):
            return response.resource
        return await to.original_response()

    async def _draw(
        self, poll_id: int
    ) -> tuple[int, int, int, discord.Embed, discord.ui.View] | None:
        tally = await self.store.polls.tally(poll_id)
        if tally is None or tally.poll.message_id is None or tally.poll.mode is Mode.NATIVE:
            return None
        episode = (
            await self.store.catalog.episode_by_id(tally.poll.episode_id)
            if tally.poll.episode_id
            else None
        )
        show = await self.store.catalog.show_by_id(episode.show_id) if episode else None
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
        self, interaction: discord.Interaction, poll_id: int, position: int
    ) -> None:
        """A vote button was clicked: commit the vote, then acknowledge it to the member alone."""
        poll = self._definitions.get(poll_id) or await self.store.polls.get(poll_id)
        if poll is None or position >= len(poll.options):
            await interaction.response.send_message("This poll no longer exists.", ephemeral=True)
            return
        self._definitions[poll_id] = poll
        outcome = await self.store.polls.vote(poll_id, interaction.user.id, position)
        await interaction.response.send_message(vote_reply(outcome, poll, position), ephemeral=True)
        if outcome in COUNTED:
            self.tally.touch(poll_id)

    @commands.Cog.listener()
    async def on_raw_poll_vote_add(self, payload: discord.RawPollVoteActionEvent) -> None:
        # Discord numbers native poll answers from 1.
        await self.store.polls.set_native_vote(
            payload.message_id, payload.user_id, payload.answer_id - 1
        )

    @commands.Cog.listener()
    async def on_raw_poll_vote_remove(self, payload: discord.RawPollVoteActionEvent) -> None:
        await self.store.polls.set_native_vote(payload.message_id, payload.user_id, None)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        native = payload.message.poll
        if native is None or not native.is_finalised():
            return
        poll = await self.store.polls.by_message(payload.message_id)
        if poll is not None and poll.mode is Mode.NATIVE:
            await self.store.polls.close(
                poll.id, tuple(answer.vote_count for answer in native.answers)
            )

    # --- closing ------------------------------------------------------------------------

    async def close_poll(self, poll: Poll) -> bool:
        """Close now: freeze the counts and show the results; False if it was closed already."""
        if poll.mode is Mode.NATIVE:
            return await self.store.polls.close(poll.id, await self._end_native(poll))
        closed = await self.store.polls.close(poll.id)
        self._definitions.pop(poll.id, None)
        await self.tally.refresh(poll.id)
        return closed

    async def _end_native(self, poll: Poll) -> tuple[int, ...] | None:
        assert poll.message_id is not None
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

    async def _close_due(self, now: float) -> None:
        for poll_id in await self.store.polls.due(now):
            poll = await self.store.polls.get(poll_id)
            if poll is not None:
                await self.close_poll(poll)

    async def _catch_up(self) -> None:
        await self.bot.wait_until_ready()
        # Messages that fell behind their votes (a crash between a vote and its edit).
        for poll_id in await self.store.polls.behind():
            self.tally.touch(poll_id)

    # --- commands -----------------------------------------------------------------------

    @app_commands.command(name="create")
    @app_commands.describe(
        question="What to ask (up to 300 characters)",
        options="2 to 10 answers separated by ; (e.g. Yes; No; Not sure)",
        duration="How long it stays open: 30m, 2h, 1d (default 1d, at most 7d)",
        mode="live: counts as votes come in; blind: hidden until it closes; native: a Discord poll",
        show="Attach the poll to an episode of this show",
        episode="The episode (e.g. S4E6)",
    )
    @app_commands.autocomplete(show=show_autocomplete, episode=episode_autocomplete)
    async def create(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, 300],
        options: app_commands.Range[str, 3, 1000],
        duration: str | None = None,
        mode: ModeName = "live",
        show: str | None = None,
        episode: str | None = None,
    ) -> None:
        """Ask the server a question: one vote per member."""
        await check_organiser(self.store, interaction)
        choices = parse_options(options)
        seconds = parse_duration(duration)
        found_show = found_episode = None
        if show is not None or episode is not None:
            if show is None or episode is None:
                raise UserError("To attach a poll to an episode, give both `show` and `episode`.")
            found_show = await resolve_show(self.store, show)
            found_episode = await resolve_episode(self.store, found_show, None, episode)
        await self._post(
            interaction,
            " ".join(question.split()),
            choices,
            Mode(mode),
            seconds,
            found_episode,
            found_show,
        )

    @app_commands.command(name="episode")
    @app_commands.describe(
        show="The show", episode="The episode (e.g. S4E6)", mode="live, blind or native"
    )
    @app_commands.autocomplete(show=show_autocomplete, episode=episode_autocomplete)
    async def episode(
        self, interaction: discord.Interaction, show: str, episode: str, mode: ModeName = "live"
    ) -> None:
        """Post an episode's discussion poll(s) from its data file."""
        await check_organiser(self.store, interaction)
        found_show = await resolve_show(self.store, show)
        found = await resolve_episode(self.store, found_show, None, episode)
        presets: list[PresetPoll] = await self.store.catalog.preset_polls(found.id)
        if not presets:
            raise UserError(
                f"{found.label} has no preset polls yet: use `/poll create` to ask your own."
            )
        for preset in presets:
            await self._post(
                interaction,
                preset.question,
                preset.options,
                Mode(mode),
                parse_duration(None),
                found,
                found_show,
            )

    @app_commands.command(name="close")
    @app_commands.describe(poll="The open poll to close (start typing its question)")
    async def close(self, interaction: discord.Interaction, poll: str) -> None:
        """Close a poll now and show its results (its creator, or members with Manage Messages)."""
        chosen = await self.store.polls.get(int(poll)) if poll.isdigit() else None
        if chosen is None or chosen.guild_id != interaction.guild_id:
            raise UserError("I can't find that poll in this server: pick one from the list.")
        allowed = (
            interaction.user.id == chosen.creator_id or interaction.permissions.manage_messages
        )
        if not allowed:
            raise UserError("Only the poll's creator or members with Manage Messages can close it.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        if not chosen.is_open or not await self.close_poll(chosen):
            await interaction.followup.send("That poll had already closed.", ephemeral=True)
            return
        await interaction.followup.send(
            f"Closed poll #{chosen.id}: the results are on its message.", ephemeral=True
        )

    @app_commands.command(name="results")
    @app_commands.describe(
        show="The show", season="Only this season", episode="Only this episode (e.g. S4E6)"
    )
    @app_commands.autocomplete(show=show_autocomplete, episode=episode_autocomplete)
    @app_commands.autocomplete(season=season_autocomplete)
    async def results(
        self,
        interaction: discord.Interaction,
        show: str,
        season: app_commands.Range[int, 0, 9999] | None = None,
        episode: str | None = None,
    ) -> None:
        """Closed polls of an episode or season, with a score table."""
        await send_results(self.store, interaction, show, season, episode)

    @close.autocomplete("poll")
    async def _poll_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        polls = await self.store.polls.open_in_guild(interaction.guild_id, current.strip())
        return [
            app_commands.Choice(name=one_line(f"#{p.id} · {p.question}", 100), value=str(p.id))
            for p in polls
        ]
