"""/poll: create, post an episode's preset polls, close, and read results."""

from __future__ import annotations

import logging
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import limits
from bot.app import Watchparty
from bot.errors import UserError
from bot.i18n import _
from bot.models import Mode, PresetPoll
from bot.render.text import one_line

from ..utils.catalog import EpisodeArg, SeasonArg, ShowArg
from ..utils.permissions import ORGANISERS, check_organiser
from ..utils.text import TextOption, clean, parse_ref
from ._results import draw_results, send_results
from .parsing import parse_duration, parse_options, parse_question
from .service import PollKeeper

log = logging.getLogger(__name__)

ModeName = Literal["live", "blind", "native"]
Question = app_commands.Transform[str, TextOption("question", max_length=limits.POLL_QUESTION_MAX)]
Options = app_commands.Transform[str, TextOption("list of options", max_length=1000)]
Duration = app_commands.Transform[str, TextOption("duration", max_length=40)]
PollRef = app_commands.Transform[str, TextOption("poll", max_length=limits.CHOICE_NAME)]


class Polls(
    commands.GroupCog, group_name="poll", group_description="Episode polls: one vote per member"
):
    def __init__(self, bot: Watchparty) -> None:
        self.bot = bot
        self.store = bot.store
        self.keeper = PollKeeper(bot)

    async def cog_load(self) -> None:
        self.bot.polls = self.keeper
        self.bot.pagers["results"] = draw_results
        self.keeper.start()

    async def cog_unload(self) -> None:
        self.bot.polls = None
        self.bot.pagers.pop("results", None)
        await self.keeper.stop()

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
            final = tuple(answer.vote_count for answer in native.answers)
            if await self.store.polls.close(poll.id, final):
                self.bot.dispatch("poll_closed", poll.id)

    # --- commands -----------------------------------------------------------------------

    @app_commands.command(
        name="create",
        extras={
            "example": "/poll create question:Is Ed sympathetic to the workers? options:Yes; No; A bit of both duration:2h mode:blind",
            "audience": ORGANISERS,
        },
    )
    @app_commands.describe(
        question="What to ask (up to 300 characters)",
        options="2 to 10 answers separated by ; (e.g. Yes; No; Not sure)",
        duration="How long it stays open: 30m, 2h, 1d (default 1d, at most 7d)",
        mode="live: counts as votes come in; blind: hidden until it closes; native: a Discord poll",
        show="Attach the poll to an episode of this show",
        episode="The episode (e.g. S4E6)",
        voters="Only members with this role may vote (a native poll cannot enforce it: anyone can vote)",
    )
    async def create(
        self,
        interaction: discord.Interaction[Watchparty],
        question: Question,
        options: Options,
        duration: Duration | None = None,
        mode: ModeName = "live",
        show: ShowArg | None = None,
        episode: EpisodeArg | None = None,
        voters: discord.Role | None = None,
    ) -> None:
        """Ask the server a question: one vote per member."""
        await check_organiser(self.store, interaction)
        text = parse_question(question)
        choices = parse_options(options)
        seconds = parse_duration(duration)
        if (show is None) != (episode is None):
            raise UserError(_("To attach a poll to an episode, give both `show` and `episode`."))
        await self.keeper.post(
            interaction,
            text,
            choices,
            Mode(mode),
            seconds,
            episode,
            show,
            voters_role_id=voters.id if voters else None,
        )

    @app_commands.command(
        name="episode",
        extras={
            "example": "/poll episode show:For All Mankind episode:S4E6",
            "audience": ORGANISERS,
        },
    )
    @app_commands.describe(
        show="The show", episode="The episode (e.g. S4E6)", mode="live, blind or native"
    )
    async def episode(
        self,
        interaction: discord.Interaction[Watchparty],
        show: ShowArg,
        episode: EpisodeArg,
        mode: ModeName = "live",
    ) -> None:
        """Post an episode's discussion poll(s) from its data file."""
        await check_organiser(self.store, interaction)
        found = episode
        presets: list[PresetPoll] = await self.store.catalog.preset_polls(found.id)
        if not presets:
            raise UserError(
                _("{episode} has no preset polls yet: use `/poll create` to ask your own.").format(
                    episode=found.label
                )
            )
        for preset in presets:
            await self.keeper.post(
                interaction,
                preset.question,
                preset.options,
                Mode(mode),
                parse_duration(None),
                found,
                show,
            )

    @app_commands.command(name="close", extras={"example": "/poll close poll:#3"})
    @app_commands.describe(poll="The open poll to close (start typing its question)")
    async def close(self, interaction: discord.Interaction[Watchparty], poll: PollRef) -> None:
        """Close a poll now and show its results (its creator, or members with Manage Messages)."""
        number = parse_ref(poll)
        chosen = await self.store.polls.get(number) if number is not None else None
        if chosen is None or chosen.guild_id != interaction.guild_id:
            raise UserError(_("I can't find that poll in this server: pick one from the list."))
        allowed = (
            interaction.user.id == chosen.creator_id or interaction.permissions.manage_messages
        )
        if not allowed:
            raise UserError(
                _("Only the poll's creator or members with Manage Messages can close it.")
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        if not chosen.is_open or not await self.keeper.close_poll(chosen):
            await interaction.followup.send(_("That poll had already closed."), ephemeral=True)
            return
        await interaction.followup.send(
            _("Closed poll #{id}: the results are on its message.").format(id=chosen.id),
            ephemeral=True,
        )

    @app_commands.command(
        name="results", extras={"example": "/poll results show:For All Mankind season:4"}
    )
    @app_commands.describe(
        show="The show", season="Only this season", episode="Only this episode (e.g. S4E6)"
    )
    async def results(
        self,
        interaction: discord.Interaction[Watchparty],
        show: ShowArg,
        season: SeasonArg | None = None,
        episode: EpisodeArg | None = None,
    ) -> None:
        """Closed polls of an episode or season, with a score table."""
        await send_results(interaction, show, season, episode)

    @close.autocomplete("poll")
    async def _poll_autocomplete(
        self, interaction: discord.Interaction[Watchparty], current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        polls = await self.store.polls.open_in_guild(interaction.guild_id, clean(current).strip())
        return [
            app_commands.Choice(
                name=one_line(f"#{p.id} · {p.question}", limits.CHOICE_NAME), value=str(p.id)
            )
            for p in polls
        ]
