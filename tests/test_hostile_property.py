"""Property-based hostile input: generated text in every string option of every command.

For each example, through the emulator: an answer within Discord's 3 s, no ping, no request
Discord would refuse, spoiler tags that still pair up, and, when the input is refused, a store
that did not change. Reproducible: hypothesis runs derandomized with a bounded number of
examples (profile "watchparty" in tests/conftest.py).

The bot runs in a thread of its own with its own event loop, so that hypothesis, which drives
plain functions, can send it one interaction per example.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import discord
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.settings import Settings
from harness.fakediscord import FakeDiscord, Interaction, Member
from harness.faketvmaze import FakeTvmaze, orbital_relay
from tests.conftest import ROOT, BotRunner, Scene, acked_in_time

T = TypeVar("T")
# One bot (the module-scoped `live`) serves every example: one xdist worker runs the file
# (`--dist loadgroup`), so the bot starts once.
pytestmark = pytest.mark.xdist_group("test_hostile_property")

# What members paste: markup, mentions, spoiler bars, direction and zero-width controls,
# odd digits, and half an emoji (a lone surrogate).
FRAGMENTS = [
    "||",
    "@everyone",
    "@here",
    "<@1>",
    "<@&1>",
    "**",
    "`",
    "```",
    "\\",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\ud83d",
    "²³",
    "9" * 30,
    "<t:9999999999999:F>",
    "S4E6",
    "#1",
    " ",
    "\n",
]
HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(st.characters(exclude_categories=()), min_size=1, max_size=6),
    ),
    min_size=1,
    max_size=8,
).map("".join)

# Valid values for the options a command requires besides the one under test.
BASE: dict[str, Any] = {
    "show": "for-all-mankind",
    "season": 4,
    "episode": "S4E6",
    "question": "Ready?",
    "options": "Yes; No",
    "start": "in 2h",
    "zone": "Europe/Paris",
    "poll": "1",
    "party": "1",
    "field": "synopsis",
    "revision": 1,
    "text": "Leningrad",
}
# Replies that say the command did what it was asked; anything else private is a refusal.
SUCCESS = ("Got it", "Saved", "Scheduled", "Cancelled", "Closed", "Cleared", "✅", "⏳", "💬")
TABLES = ("polls", "votes", "watch_parties", "progress", "guild_settings", "discussion_threads")
_BARS = re.compile(r"(?<!\\)\|\|")


class LiveBot:
    """The emulator, a fake TVmaze and the real bot, on an event loop in another thread."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def start(self) -> None:
        self.fd = await FakeDiscord().start()
        self.tvmaze = await FakeTvmaze([orbital_relay()]).__aenter__()
        guild = self.fd.add_guild("Hostile")
        self.channel = self.fd.add_channel(guild, "episodes")
        self.member = self.fd.add_member(guild, "eve")
        self.mod = self.fd.add_member(guild, "mod", permissions=discord.Permissions.all().value)
        self.scene = Scene(self.fd, guild, self.channel, self.member, self.member, self.mod)
        settings = Settings(
            token=self.fd.token,
            database=self.tmp / "watchparty.db",
            data_dir=ROOT / "data",
            api_base=self.fd.api_base,
            tvmaze_api_base=self.tvmaze.base_url,
            tvmaze_refresh_hours=0,
        )
        self.runner = BotRunner(self.fd)
        await self.runner.start(settings)

    async def stop(self) -> None:
        await self.runner.stop()
        await self.tvmaze.__aexit__(None, None, None)
        await self.fd.close()

    async def counts(self) -> tuple[int, ...]:
        assert self.runner.bot is not None
        store = self.runner.bot.store
        # The table names are this module's own literals.
        rows = [await store.fetchone(f"SELECT count(*) FROM {t}") for t in TABLES]
        return tuple(int(r[0]) if r else 0 for r in rows)

    async def send(
        self, who: Member, command: str, values: dict[str, Any]
    ) -> tuple[Interaction, bool]:
        """One slash command; also whether the store changed."""
        before = await self.counts()
        ix = await self.fd.slash(who, self.channel, command, timeout=10, **values)
        if ix.thinking or any("⏳" in m.content for m in ix.messages):
            await ix.wait_for(lambda i: not i.thinking and "⏳" not in i.text(), timeout=10)
        return ix, before != await self.counts()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBot]:
    bot = LiveBot(tmp_path_factory.mktemp("hostile"))
    bot.thread.start()
    bot.run(bot.start())
    try:
        yield bot
    finally:
        bot.run(bot.stop())
        bot.loop.call_soon_threadsafe(bot.loop.stop)
        bot.thread.join(10)
    assert bot.fd.violations == [], bot.fd.violations


def string_options(fd: FakeDiscord) -> list[tuple[str, dict[str, Any], list[dict[str, Any]]]]:
    """(command path, the option, the sibling options) for every string option."""
    found = []

    def walk(path: str, options: list[dict[str, Any]]) -> None:
        for option in options:
            if option["type"] in (1, 2):
                walk(f"{path} {option['name']}", option.get("options") or [])
            elif option["type"] == 3 and not option.get("choices"):
                # An option with choices only ever carries one of them.
                found.append((path, option, options))

    for command in fd.commands():
        walk(command["name"], command.get("options") or [])
    return found


def spoiler_tags_pair_up(ix: Interaction) -> bool:
    for message in ix.messages:
        texts = [message.content or ""]
        for embed in message.embeds:
            texts.append(embed.get("description") or "")
            texts.extend(f.get("value") or "" for f in embed.get("fields") or [])
        if any(len(_BARS.findall(line)) % 2 for text in texts for line in text.splitlines()):
            return False
    return True


def test_every_string_option_is_covered(live: LiveBot) -> None:
    names = {f"/{path} {option['name']}" for path, option, _ in string_options(live.fd)}
    assert {"/poll create question", "/recap show", "/watchparty schedule start"} <= names
    assert len(names) >= 20


@given(data=st.data())
def test_hostile_text_in_any_string_option(live: LiveBot, data: st.DataObject) -> None:
    path, option, siblings = data.draw(st.sampled_from(string_options(live.fd)), label="option")
    text = data.draw(HOSTILE, label="text")[: option.get("max_length", 200)]
    # A channel option (type 7, e.g. /config airing's) takes the scene's channel.
    values = {
        o["name"]: live.channel.id if o["type"] == 7 else BASE[o["name"]]
        for o in siblings
        if o.get("required")
    }
    values[option["name"]] = text
    who = live.mod if data.draw(st.booleans(), label="moderator") else live.member
    if option.get("autocomplete"):
        choices = live.run(
            live.fd.autocomplete(who, live.channel, path, focused=option["name"], **values)
        )
        assert isinstance(choices, list) and len(choices) <= 25
    ix, changed = live.run(live.send(who, path, values))
    assert acked_in_time(ix), (path, text, ix.callback_errors)
    assert "Something went wrong" not in ix.text(), (path, text, ix.text())
    assert spoiler_tags_pair_up(ix), (path, text, ix.text())
    assert live.fd.violations == [], live.fd.violations
    refused = ix.ephemeral and not ix.reply.content.startswith(SUCCESS)
    assert not (refused and changed), (path, text, ix.reply.content)
