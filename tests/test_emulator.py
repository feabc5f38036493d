"""Proves the Discord emulator against the real discord.py client with a tiny bot."""

from __future__ import annotations

import asyncio
import datetime
import io
import json
import time
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import discord
import pytest
import pytest_asyncio
import yarl
from discord import app_commands
from discord.ext import commands

from harness.fakediscord import FakeDiscord, rules
from harness.fakediscord.session import MESSAGE_CONTENT

# The whole file proves the emulator, so `make unit` leaves it out with the other emulator tests.
# Its tests share one bot (the module-scoped `env`) and run in order: one xdist worker runs them
# all (`--dist loadgroup`), so the bot starts once.
pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.emulator,
    pytest.mark.xdist_group("test_emulator"),
]
TOKEN = "emulator-test-token"
SHOWS = ["for-all-mankind", "foundation", "severance", "slow-horses"]


class PingView(discord.ui.View):
    """Persistent: custom_ids must be set and the view must never time out."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Ping", custom_id="emu:ping", style=discord.ButtonStyle.primary)
    async def ping(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_message("pong", ephemeral=True)


@dataclass
class Seen:
    errors: list[Exception] = field(default_factory=list)


class Feedback(discord.ui.Modal, title="Feedback"):
    text: discord.ui.TextInput = discord.ui.TextInput(label="Thoughts", custom_id="fb:text")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Thanks: {self.text.value}", ephemeral=True)


class Picker(discord.ui.View):
    @discord.ui.select(
        custom_id="emu:pick",
        options=[discord.SelectOption(label=x, value=x) for x in ("apollo", "soyuz")],
    )
    async def pick(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.edit_message(content=f"picked {select.values[0]}", view=None)


class EmuBot(commands.Bot):
    def __init__(self, guild_id: int) -> None:
        super().__init__(
            command_prefix="!",
            intents=discord.Intents.default(),
            guild_ready_timeout=0.05,
            max_ratelimit_timeout=30.0,
        )
        self.guild_obj = discord.Object(guild_id)
        self.seen = Seen()

    async def setup_hook(self) -> None:
        self.add_view(PingView())
        add_commands(self)
        self.tree.copy_global_to(guild=self.guild_obj)
        await self.tree.sync(guild=self.guild_obj)


def add_commands(bot: EmuBot) -> None:
    tree = bot.tree

    @tree.command()
    async def hello(interaction: discord.Interaction) -> None:
        """Say hello."""
        await interaction.response.send_message(f"Hello, {interaction.user.name}!")

    @tree.command()
    @app_commands.describe(show="Which show", season="Season number")
    async def recap(interaction: discord.Interaction, show: str, season: int) -> None:
        """Recap a season after thinking about it."""
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.1)
        embed = discord.Embed(title=f"{show} S{season}", description="Previously...")
        await interaction.followup.send(embed=embed)

    @tree.command()
    async def episode(interaction: discord.Interaction, show: str) -> None:
        """Pick a show by autocomplete."""
        await interaction.response.send_message(show)

    @episode.autocomplete("show")
    async def episode_show(_: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=s, value=s) for s in SHOWS if current in s]

    @tree.command()
    async def slow(interaction: discord.Interaction) -> None:
        """Answers after Discord's 3 second window has closed."""
        await asyncio.sleep(3.2)
        try:
            await interaction.response.send_message("too late")
        except discord.HTTPException as exc:
            bot.seen.errors.append(exc)

    @tree.command()
    async def twice(interaction: discord.Interaction) -> None:
        """Two concurrent answers: Discord accepts only one."""
        results = await asyncio.gather(
            interaction.response.send_message("one"),
            interaction.response.send_message("two"),
            return_exceptions=True,
        )
        bot.seen.errors += [r for r in results if isinstance(r, Exception)]

    @tree.command()
    async def panel(interaction: discord.Interaction) -> None:
        """Post a persistent button."""
        await interaction.response.send_message("Press it", view=PingView())

    @tree.command()
    async def feedback(interaction: discord.Interaction) -> None:
        """Open a modal."""
        await interaction.response.send_modal(Feedback(custom_id="fb:modal"))

    @tree.command()
    async def pick(interaction: discord.Interaction) -> None:
        """Post a select menu."""
        await interaction.response.send_message("Pick one", view=Picker())

    @tree.command()
    async def huge(interaction: discord.Interaction) -> None:
        """An embed past Discord's 4096-character description limit."""
        embed = discord.Embed(description="x" * 5000)
        try:
            await interaction.response.send_message(embed=embed)
        except discord.HTTPException as exc:
            bot.seen.errors.append(exc)
            await interaction.response.send_message("fallback", ephemeral=True)


@dataclass
class Env:
    fd: FakeDiscord
    bot: EmuBot
    guild: Any
    chan: Any
    alice: Any


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def env() -> AsyncIterator[Env]:
    old_base, old_gateway = (
        discord.http.Route.BASE,
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY,
    )
    fd = FakeDiscord(token=TOKEN, bot_name="EmuBot")
    await fd.start()
    guild = fd.add_guild("Watchers")
    chan = fd.add_channel(guild, "episodes")
    fd.add_channel(guild, "talk", type=15, tags=["spoilers", "theories"])
    alice = fd.add_member(guild, "alice")
    discord.http.Route.BASE = fd.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fd.gateway_url)
    bot = EmuBot(guild.id)
    task = asyncio.create_task(bot.start(TOKEN))
    try:
        await fd.wait_for_bot_ready(timeout=10)
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        yield Env(fd, bot, guild, chan, alice)
    finally:
        await bot.close()
        await asyncio.wait_for(task, 10)
        await fd.close()
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


async def test_login_ready_and_guild_create(env: Env) -> None:
    fd, bot = env.fd, env.bot
    assert [r.route for r in fd.requests[:2]] == ["/users/@me", "/oauth2/applications/@me"]
    assert bot.user is not None and bot.user.id == fd.bot_id
    assert bot.application_id == fd.application_id
    guild = bot.get_guild(env.guild.id)
    assert guild is not None and guild.name == "Watchers"
    assert {c.name for c in guild.text_channels} == {"general", "episodes"}
    assert guild.me.guild_permissions.send_messages
    session = fd.gateway.live_sessions[-1]
    # discord.py asks for zlib-stream by default; this session really is compressed.
    assert session.compressor is not None
    assert not session.intents & MESSAGE_CONTENT


async def test_command_sync_is_counted(env: Env) -> None:
    names = {c["name"] for c in env.fd.commands(env.guild)}
    assert {"hello", "recap", "episode", "slow", "twice", "panel", "huge", "pick"} <= names
    assert env.fd.sync_count(env.guild) == 1
    assert env.fd.sync_count() == 0


async def test_slash_reply_and_deferred_followup(env: Env) -> None:
    fd = env.fd
    ix = await fd.slash(env.alice, env.chan, "hello")
    assert ix.response_type == 4 and ix.acked_after is not None and ix.acked_after < 3
    assert ix.original is not None and ix.original.content == "Hello, alice!"
    assert not ix.ephemeral

    ix = await fd.slash(env.alice, env.chan, "recap", show="for-all-mankind", season=4)
    assert ix.response_type == 5
    await ix.wait_for_messages(1)
    assert "for-all-mankind S4" in ix.text()
    assert ix.original is not None and ix.original.edit_count == 1

    with pytest.raises(LookupError):
        await fd.slash(env.alice, env.chan, "recap", show="x", season="four")
    with pytest.raises(LookupError):
        await fd.slash(env.alice, env.chan, "recap", show="x")


async def test_autocomplete_choices(env: Env) -> None:
    choices = await env.fd.autocomplete(env.alice, env.chan, "episode", focused="show", show="s")
    assert [c["value"] for c in choices] == ["severance", "slow-horses"]


async def test_persistent_button_click(env: Env) -> None:
    fd = env.fd
    ix = await fd.slash(env.alice, env.chan, "panel")
    assert ix.original is not None
    assert ix.original.custom_ids() == ["emu:ping"]
    click = await fd.click(env.alice, ix.original, "emu:ping")
    assert click.response_type == 4 and click.ephemeral
    assert click.original is not None and click.original.visible_to == env.alice.user.id


async def test_modal_and_select(env: Env) -> None:
    fd = env.fd
    opened = await fd.slash(env.alice, env.chan, "feedback")
    assert opened.response_type == 9
    submitted = await fd.submit_modal(env.alice, env.chan, "fb:modal", {"fb:text": "great"})
    assert submitted.original is not None and submitted.original.content == "Thanks: great"
    assert submitted.ephemeral

    menu = await fd.slash(env.alice, env.chan, "pick")
    assert menu.original is not None
    chosen = await fd.select(env.alice, menu.original, "emu:pick", ["soyuz"])
    assert chosen.response_type == 7
    assert menu.original.content == "picked soyuz" and menu.original.components == []


async def test_late_and_double_acknowledgement(env: Env) -> None:
    fd, bot = env.fd, env.bot
    bot.seen.errors.clear()
    ix = await fd.slash(env.alice, env.chan, "slow")
    assert ix.response_type is None and ix.callback_errors == [(404, 10062)]
    assert fd.violations_of("late_ack")

    ix = await fd.slash(env.alice, env.chan, "twice")
    await asyncio.sleep(0.2)
    assert ix.response_type == 4 and (400, 40060) in ix.callback_errors
    codes = {getattr(e, "code", None) for e in bot.seen.errors}
    assert {10062, 40060} <= codes


async def test_limits_reject_oversized_embed(env: Env) -> None:
    fd, bot = env.fd, env.bot
    bot.seen.errors.clear()
    before = len(fd.violations)
    ix = await fd.slash(env.alice, env.chan, "huge")
    assert (400, 50035) in ix.callback_errors
    await ix.wait_for(lambda i: i.response_type == 4)
    assert ix.ephemeral
    assert [getattr(e, "code", None) for e in bot.seen.errors] == [50035]
    kinds = {v.kind for v in fd.violations[before:]}
    # The spec knows the 4096 cap too, so whichever check runs first reports it.
    assert kinds & {"limits", "openapi"}


async def test_wrong_type_rejected(env: Env) -> None:
    fd = env.fd
    route = discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=env.chan.id)
    before = len(fd.violations)
    with pytest.raises(discord.HTTPException) as info:
        await env.bot.http.request(route, json={"content": 5})
    assert info.value.status == 400 and info.value.code == 50035
    kinds = [v.kind for v in fd.violations[before:]]
    if fd.openapi_skip_reason:
        print(fd.openapi_skip_reason)
        assert kinds == ["limits"]
    else:
        assert kinds == ["openapi"]
        assert "content" in fd.violations[-1].detail["errors"][0]


async def test_ping_violation_recorded(env: Env) -> None:
    fd = env.fd
    channel = env.bot.get_channel(env.chan.id)
    assert isinstance(channel, discord.TextChannel)
    before = len(fd.violations_of("ping"))
    await channel.send("quiet @everyone", allowed_mentions=discord.AllowedMentions.none())
    assert len(fd.violations_of("ping")) == before
    await channel.send("loud @everyone")
    pings = fd.violations_of("ping")[before:]
    assert len(pings) == 1 and pings[0].detail["mentions"] == ["@everyone"]


async def test_listed_role_pings_only_that_role_and_only_if_mentionable(env: Env) -> None:
    """Discord's rule: allowed_mentions decides, and a role must be mentionable (or the sender
    allowed to mention @everyone). Listing a role is the sender's choice, not a violation."""
    fd = env.fd
    loud, quiet = fd.add_role(env.guild, "loud"), fd.add_role(env.guild, "quiet", mentionable=False)
    channel = env.bot.get_channel(env.chan.id)
    assert isinstance(channel, discord.TextChannel)
    before = len(fd.violations)
    only_loud = discord.AllowedMentions(
        everyone=False, users=False, roles=[discord.Object(loud.id), discord.Object(quiet.id)]
    )
    text = f"<@&{loud.id}> <@&{quiet.id}> <@{env.alice.id}> @everyone"
    sent = await channel.send(text, allowed_mentions=only_loud)
    assert len(fd.violations) == before
    assert [ids for m, ids in fd.pinged() if m.id == sent.id] == [[loud.id]]


async def test_rate_limit_429_then_discordpy_recovers(env: Env) -> None:
    fd = env.fd
    channel = env.bot.get_channel(env.chan.id)
    assert isinstance(channel, discord.TextChannel)
    msg = await channel.send("count 0")
    # Hidden limit: without headers discord.py can only learn of it from a 429.
    fd.ratelimiter.advertise = False
    before = fd.rate_limited
    try:
        started = time.monotonic()
        for i in range(1, 7):
            msg = await msg.edit(content=f"count {i}")
    finally:
        fd.ratelimiter.advertise = True
    assert fd.rate_limited - before == 1
    assert time.monotonic() - started > 3
    stored = fd.message(msg.id)
    assert stored.content == "count 6" and stored.edit_count == 6
    assert len(stored.history) == 6 and fd.edits_per_message[msg.id] == 6


async def test_advertised_limits_let_discordpy_pace_itself(env: Env) -> None:
    fd = env.fd
    fd.ratelimiter.set_rule("PATCH", "/channels/{channel_id}/messages/{message_id}", 5, 1.0)
    fd.ratelimiter.reset()
    channel = env.bot.get_channel(env.chan.id)
    assert isinstance(channel, discord.TextChannel)
    msg = await channel.send("pace 0")
    before = fd.rate_limited
    for i in range(1, 8):
        msg = await msg.edit(content=f"pace {i}")
    assert fd.rate_limited == before
    assert fd.message(msg.id).content == "pace 7"


async def test_forum_threads_webhooks_polls_events(env: Env) -> None:
    fd, bot = env.fd, env.bot
    guild = bot.get_guild(env.guild.id)
    assert guild is not None
    forum = discord.utils.get(guild.forums, name="talk")
    assert forum is not None
    tag = forum.available_tags[0]
    post = await forum.create_thread(name="S4E6 Leningrad", content="Discuss", applied_tags=[tag])
    stored = fd.channel(post.thread.id)
    assert stored.parent_id == forum.id and stored.applied_tags == [tag.id]
    assert fd.messages(stored)[0].content == "Discuss"
    await post.thread.edit(locked=True, archived=True)
    assert stored.locked and stored.archived

    channel = guild.get_channel(env.chan.id)
    assert isinstance(channel, discord.TextChannel)
    hook = await channel.create_webhook(name="Recaps")
    sent = await hook.send("via hook", username="Narrator", wait=True)
    assert fd.message(sent.id).webhook_id == hook.id

    poll = discord.Poll(question="Best episode?", duration=datetime.timedelta(hours=1))
    poll.add_answer(text="Leningrad")
    poll.add_answer(text="Perestroika")
    poll_msg = await channel.send(poll=poll)
    await fd.native_vote(env.alice, poll_msg.id, 1)
    voters = [u async for u in poll_msg.poll.answers[0].voters()]  # type: ignore[union-attr]
    assert [u.id for u in voters] == [env.alice.id]
    await poll_msg.end_poll()
    assert fd.message(poll_msg.id).poll["results"]["is_finalized"]  # type: ignore[index]

    start = discord.utils.utcnow() + datetime.timedelta(days=1)
    event = await guild.create_scheduled_event(
        name="Watch party",
        start_time=start,
        end_time=start + datetime.timedelta(hours=2),
        entity_type=discord.EntityType.external,
        location="The couch",
        privacy_level=discord.PrivacyLevel.guild_only,
    )
    assert [e.name for e in fd.scheduled_events(env.guild)] == ["Watch party"]
    await event.delete()
    assert fd.scheduled_events(env.guild) == []

    with_file = await channel.send("notes", file=discord.File(io.BytesIO(b"abc"), "notes.txt"))
    assert fd.message(with_file.id).attachments[0]["filename"] == "notes.txt"
    assert with_file.attachments[0].size == 3

    dm = await bot.create_dm(discord.Object(env.alice.id))
    await dm.send("psst")
    assert fd.messages(dm.id)[-1].content == "psst"


async def test_message_content_intent_and_permissions(env: Env) -> None:
    fd, bot = env.fd, env.bot
    seen = asyncio.ensure_future(
        bot.wait_for("message", check=lambda m: m.author.id == env.alice.id)
    )
    await fd.user_message(env.alice, env.chan, "no intent, no content")
    assert (await asyncio.wait_for(seen, 5)).content == ""
    seen = asyncio.ensure_future(
        bot.wait_for("message", check=lambda m: m.author.id == env.alice.id)
    )
    await fd.user_message(env.alice, env.chan, f"<@{fd.bot_id}> mentions keep content")
    assert (await asyncio.wait_for(seen, 5)).content.endswith("mentions keep content")

    channel = bot.get_channel(env.chan.id)
    assert isinstance(channel, discord.TextChannel)
    fd.set_bot_permissions(env.guild, discord.Permissions(view_channel=True))
    try:
        with pytest.raises(discord.Forbidden) as info:
            await channel.send("muted")
        assert info.value.code == 50013
    finally:
        fd.world.bot_permissions.clear()


async def test_interaction_token_expires(env: Env) -> None:
    fd = env.fd
    ix = await fd.slash(env.alice, env.chan, "hello")
    url = f"{fd.api_base}/webhooks/{fd.application_id}/{ix.token}?wait=true"
    async with aiohttp.ClientSession() as http:
        async with http.post(url, json={"content": "still here"}) as resp:
            assert resp.status == 200
        fd.advance_token_clock(15 * 60 + 1)
        async with http.post(url, json={"content": "too late"}) as resp:
            assert resp.status == 401 and (await resp.json())["code"] == 50027
    assert [m.content for m in ix.followups] == ["still here"]


async def test_resume_after_disconnect(env: Env) -> None:
    fd = env.fd
    resumes = fd.gateway.resume_count
    await fd.disconnect_bot()
    await fd.wait_for_bot_resumed(timeout=5)
    assert fd.gateway.resume_count == resumes + 1
    ix = await fd.slash(env.alice, env.chan, "hello")
    assert ix.original is not None and ix.original.content == "Hello, alice!"


async def test_raw_gateway_compression_and_identify() -> None:
    async with FakeDiscord(token=TOKEN) as fd:
        fd.add_guild("Raw")
        async with aiohttp.ClientSession() as http:
            url = f"{fd.gateway_url}?v=10&encoding=json&compress=zlib-stream"
            async with http.ws_connect(url) as ws:
                inflate = zlib.decompressobj()
                frame = await ws.receive_bytes()
                assert frame.endswith(b"\x00\x00\xff\xff")
                assert json.loads(inflate.decompress(frame))["op"] == 10
                await ws.send_json({"op": 2, "d": {"token": TOKEN, "intents": 513}})
                events = []
                for _ in range(2):
                    events.append(json.loads(inflate.decompress(await ws.receive_bytes())))
                assert [e["t"] for e in events] == ["READY", "GUILD_CREATE"]
                assert [e["s"] for e in events] == [1, 2]
            async with http.ws_connect(f"{fd.gateway_url}?v=10&encoding=json") as ws:
                assert json.loads(await ws.receive_str())["op"] == 10
            headers = {"Authorization": "Bot wrong"}
            async with http.get(f"{fd.api_base}/users/@me", headers=headers) as resp:
                assert resp.status == 401
                assert (await resp.json())["code"] == 0


async def test_no_unexpected_violations(env: Env) -> None:
    """Everything discord.py sent on its own conformed; only the provoked cases were caught."""
    fd = env.fd
    assert not fd.violations_of("openapi_unknown_route"), fd.violations_of("openapi_unknown_route")
    provoked = {"late_ack", "limits", "openapi", "ping"}
    assert {v.kind for v in fd.violations} <= provoked, fd.violations
    assert len(fd.violations_of("openapi")) <= 2, fd.violations_of("openapi")


async def test_restarted_bot_identifies_afresh() -> None:
    old_base, old_gateway = (
        discord.http.Route.BASE,
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY,
    )
    async with FakeDiscord(token=TOKEN) as fd:
        guild = fd.add_guild("Restarts")
        discord.http.Route.BASE = fd.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fd.gateway_url)
        try:
            for run in (1, 2):
                bot = EmuBot(guild.id)
                task = asyncio.create_task(bot.start(TOKEN))
                await fd.wait_for_bot_ready(timeout=10)
                await asyncio.wait_for(bot.wait_until_ready(), 10)
                assert bot.get_guild(guild.id) is not None
                assert fd.gateway.identify_count == run and len(fd.gateway.live_sessions) == 1
                await bot.close()
                await asyncio.wait_for(task, 10)
        finally:
            discord.http.Route.BASE = old_base
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


def _cmd(**extra: Any) -> dict[str, Any]:
    return {"name": "recap", "description": "Recap", **extra}


def _row(*components: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(components)}


BUTTON = {"type": 2, "style": 1, "label": "Go", "custom_id": "go"}


@pytest.mark.parametrize(
    ("check", "body", "fragment"),
    [
        (rules.check_command, _cmd(name="Recap"), "naming rule"),
        (rules.check_command, _cmd(description=""), "description"),
        (
            rules.check_command,
            _cmd(
                options=[
                    {"type": 3, "name": "a", "description": "a"},
                    {"type": 3, "name": "b", "description": "b", "required": True},
                ]
            ),
            "required option after an optional one",
        ),
        (
            rules.check_command,
            _cmd(
                description="d" * 100,
                options=[
                    {
                        "type": 3,
                        "name": f"o{i}",
                        "description": "x" * 100,
                        "choices": [{"name": "c" * 100, "value": "v" * 100} for _ in range(25)],
                    }
                    for i in range(2)
                ],
            ),
            "max 4000",
        ),
        (rules.check_message, {"components": [_row(BUTTON, BUTTON)]}, "duplicate custom_id"),
        (rules.check_message, {"components": [_row({**BUTTON, "style": 5})]}, "need a url"),
        (rules.check_message, {"components": [_row(BUTTON)] * 6}, "at most 5"),
        (
            rules.check_message,
            {"poll": {"question": {"text": "q"}, "answers": [], "duration": 0}},
            "1..10",
        ),
        (
            rules.check_message,
            {"allowed_mentions": {"parse": ["users"], "users": ["1"]}},
            "mutually exclusive",
        ),
        (
            rules.check_message,
            {"embeds": [{"title": "t" * 256, "description": "d" * 4096}] * 2},
            "6000",
        ),
    ],
)
async def test_discord_limits(check: Any, body: Any, fragment: str) -> None:
    problems = check(body)
    assert any(fragment in p for p in problems), problems


async def test_limits_accept_valid_shapes() -> None:
    assert rules.check_command(_cmd(name="ep-ненужный_1")) == []
    assert rules.check_message({"content": "x" * 2000, "components": [_row(BUTTON)]}) == []
    assert rules.pings({"content": "<@1> hi", "allowed_mentions": {"parse": []}}) == []
    assert rules.pings({"content": "<@&2> @here"}) == ["<@&2>", "@here"]


async def test_openapi_validation_is_on_or_says_why_not() -> None:
    """CI has Discord's spec beside the repo; elsewhere this skips with the reason."""
    from harness.fakediscord.openapi import OpenAPI

    reason = OpenAPI(None).skip_reason
    if reason:
        pytest.skip(f"OpenAPI request validation is off: {reason}")
    assert OpenAPI(None).skip_reason is None


async def test_a_large_body_checked_before_is_judged_the_same_again() -> None:
    """The spec check remembers large bodies (every test's bot syncs the same commands): a
    second emulator, and a second sync of the same body, still reports the same errors."""
    from harness.fakediscord.openapi import OpenAPI

    first, second = OpenAPI(None), OpenAPI(None)
    if first.skip_reason:
        pytest.skip(f"OpenAPI request validation is off: {first.skip_reason}")
    template = first.match("PUT", "/applications/1/commands")
    assert template is not None
    good = [{"name": f"c{n}", "description": "d" * 90, "type": 1} for n in range(60)]
    bad = [*good[:-1], {"name": 5, "description": "d" * 90, "type": 1}]
    assert len(json.dumps(bad)) > 4000
    for spec in (first, second, first):
        assert spec.validate("PUT", template, good) == []
        errors = spec.validate("PUT", template, bad)
        assert len(errors) == 1 and errors[0].startswith("59.name: 5 is not of type"), errors
