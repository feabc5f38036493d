"""Members write episode content in Discord: editors, modals in parts, revisions, the content
log, imports that keep Discord edits, and modals submitted after a restart or a double click."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.app import Watchparty
from bot.catalog import exporter, importer
from bot.models import ContentField
from bot.settings import Settings
from tests.conftest import ROOT, BotRunner, Scene, acked_in_time, everyone_caught_up
from tests.test_content_store import catalog_rows
from tests.test_polls import eventually

SHOW = "for-all-mankind"
PARTS = ("part1", "part2", "part3", "part4", "part5")


@dataclass
class Room:
    world: Scene
    writer: Any  # has the editor role
    log: Any  # the content-log channel
    role_id: int


@pytest.fixture
async def room(runner: BotRunner, settings: Settings, world: Scene) -> Room:
    fd = world.fd
    writer = fd.add_member(world.guild, "writer", permissions=0)
    log = fd.add_channel(world.guild, "content-log")
    await runner.start(settings)
    role_id = writer.role_ids[0]
    ix = await fd.slash(world.mod, world.channel, "config editors", role=role_id)
    assert "Saved" in ix.reply.content, ix.text()
    ix = await fd.slash(world.mod, world.channel, "config content-log", channel=log.id)
    assert "Saved" in ix.reply.content, ix.text()
    return Room(world, writer, log, role_id)


async def open_editor(room: Room, field: str, who: Any = None) -> tuple[str, dict[str, str]]:
    """Open /episode edit; returns the modal's custom_id and each input's pre-filled text."""
    fd = room.world.fd
    ix = await fd.slash(
        who or room.writer,
        room.world.channel,
        "episode edit",
        show=SHOW,
        episode="S4E6",
        field=field,
    )
    assert ix.response_type == 9 and acked_in_time(ix), ix.text()
    assert ix.response is not None
    inputs = [row["components"][0] for row in ix.response["components"]]
    return ix.response["custom_id"], {i["custom_id"]: i.get("value") or "" for i in inputs}


async def submit(room: Room, custom_id: str, values: dict[str, str], who: Any = None) -> Any:
    return await room.world.fd.submit_modal(
        who or room.writer, room.world.channel, custom_id, values
    )


def log_lines(room: Room) -> list[str]:
    return [m.content for m in room.world.fd.messages(room.log)]


async def current(bot: Watchparty, field: ContentField) -> Any:
    show = await bot.store.catalog.find_show(SHOW)
    assert show is not None
    episode = await bot.store.catalog.episode(show.id, 4, 6)
    assert episode is not None
    return await bot.store.content.value(episode.id, field)


async def test_editor_writes_a_long_recap_in_parts_that_members_page_through(
    runner: BotRunner, room: Room
) -> None:
    fd, world = room.world.fd, room.world
    custom_id, prefill = await open_editor(room, "recap")
    assert set(prefill) == set(PARTS) and prefill["part1"]  # the data file's recap
    parts = {
        name: "\n\n".join(
            f"Part {n}, paragraph {p}. " + "Lunar dust settles. " * 14 for p in range(10)
        )
        for n, name in enumerate(PARTS[:3], 1)
    }
    assert sum(map(len, parts.values())) > 9000
    saved = await submit(room, custom_id, parts)
    assert saved.ephemeral and "Saved the recap of For All Mankind S4E6" in saved.reply.content
    assert runner.bot is not None
    expected = "\n\n".join(part.strip() for part in parts.values())
    assert await current(runner.bot, ContentField.RECAP) == expected
    assert await eventually(lambda: log_lines(room))
    [line] = log_lines(room)
    assert f"<@{room.writer.user.id}> edited the **recap**" in line and "Lunar" not in line

    await everyone_caught_up(world)
    ix = await fd.slash(world.alice, world.channel, "recap", show=SHOW, season=4, episode="6")
    message = ix.reply
    footer = message.embeds[0]["footer"]["text"]
    total = int(footer.rsplit(" ", 1)[1])
    assert not ix.ephemeral and total >= 3, footer
    seen = message.embeds[0]["description"]
    for _ in range(total - 1):
        next_id = next(b["custom_id"] for b in message.buttons() if b["label"] == "Next ▶")
        assert acked_in_time(await fd.click(world.bob, message, next_id))
        seen += fd.message(message.id).embeds[0]["description"]
    assert all(f"Part {n}, paragraph 9." in seen for n in (1, 2, 3))
    back = next(b["custom_id"] for b in message.buttons() if b["label"] == "◀ Previous")
    assert acked_in_time(await fd.click(world.bob, message, back))


async def test_member_without_the_editor_role_cannot_open_the_editor(room: Room) -> None:
    world = room.world
    ix = await world.fd.slash(
        world.bob, world.channel, "episode edit", show=SHOW, episode="S4E6", field="ending"
    )
    assert ix.response_type == 4 and ix.ephemeral
    assert f"only members with the <@&{room.role_id}> role and members with Manage Server" in (
        ix.reply.content
    )
    # A moderator (Manage Server) always may.
    await open_editor(room, "ending", who=world.mod)


async def test_history_lists_revisions_privately_and_revert_restores_one(
    runner: BotRunner, room: Room
) -> None:
    world, fd = room.world, room.world.fd
    assert runner.bot is not None
    original = await current(runner.bot, ContentField.ENDING)
    for text in ("First ending.", "Second ending."):
        custom_id, _ = await open_editor(room, "ending")
        await submit(room, custom_id, {"part1": text})
    ix = await fd.slash(
        world.alice, world.channel, "episode history", show=SHOW, episode="S4E6", field="ending"
    )
    assert ix.ephemeral
    fields = ix.reply.embeds[0]["fields"]
    assert [f["name"].split(" ")[0] for f in fields] == ["#3", "#2", "#1"]
    assert fields[0]["name"] == "#3 · live" and "||Second ending.||" in fields[0]["value"]
    assert "the data file" in fields[2]["value"]
    assert f"<@{room.writer.user.id}>" in fields[0]["value"]

    ix = await fd.slash(
        room.writer,
        world.channel,
        "episode revert",
        show=SHOW,
        episode="S4E6",
        field="ending",
        revision=1,
    )
    assert ix.ephemeral and "Saved the ending" in ix.reply.content and "#4" in ix.reply.content
    assert await current(runner.bot, ContentField.ENDING) == original
    assert await eventually(lambda: any("restored the **ending**" in t for t in log_lines(room)))
    ix = await fd.slash(
        world.bob,
        world.channel,
        "episode revert",
        show=SHOW,
        episode="S4E6",
        field="ending",
        revision=2,
    )
    assert ix.ephemeral and "only members with" in ix.reply.content


async def test_file_import_keeps_the_discord_edit_and_export_import_changes_nothing(
    runner: BotRunner, room: Room, tmp_path: Path
) -> None:
    custom_id, _ = await open_editor(room, "synopsis")
    await submit(room, custom_id, {"part1": "Written in Discord, spoiler-free."})
    bot = runner.bot
    assert bot is not None
    change = await importer.import_file(bot.store, ROOT / "data" / f"{SHOW}.toml", force=True)
    assert change is not None and change.kept == 1 and "kept 1 Discord edit" in str(change)
    assert await current(bot, ContentField.SYNOPSIS) == "Written in Discord, spoiler-free."

    before = await catalog_rows(bot.store, SHOW)
    [path] = await exporter.export_all(bot.store, tmp_path)
    change = await importer.import_file(bot.store, path, force=True)
    assert change is not None and (change.added, change.updated, change.retired) == (0, 0, 0)
    assert await catalog_rows(bot.store, SHOW) == before


async def test_hostile_modal_text_pings_nobody_and_breaks_no_spoiler(
    runner: BotRunner, room: Room
) -> None:
    world, fd = room.world, room.world.fd
    hostile = f"@everyone <@{world.alice.user.id}> <@&{room.role_id}> the twist || out `x` \\"
    custom_id, _ = await open_editor(room, "ending")
    saved = await submit(room, custom_id, {"part1": hostile, "part2": "\u202eevil"})
    assert "Saved" in saved.reply.content
    await everyone_caught_up(world)
    ix = await fd.slash(world.alice, world.channel, "ending", show=SHOW, season=4, episode="6")
    text = ix.reply.embeds[0]["description"]
    lines = [line for line in text.splitlines() if "twist" in line or "evil" in line]
    assert lines and all(line.startswith("||") and line.endswith("||") for line in lines)
    assert "\\|\\|" in text and "\u202e" not in text
    # The synopsis is checked against the episode's spoiler terms.
    terms = await current(runner.bot, ContentField.SPOILER_TERMS)  # type: ignore[arg-type]
    custom_id, _ = await open_editor(room, "synopsis")
    warned = await submit(room, custom_id, {"part1": f"Everyone talks about {terms[0]}."})
    assert "⚠️ The synopsis names" in warned.reply.content
    # fd's own check at the end: no request pinged anyone.


async def test_modal_submitted_after_a_restart_and_token_expiry_saves_once(
    runner: BotRunner, settings: Settings, room: Room
) -> None:
    fd = room.world.fd
    custom_id, _ = await open_editor(room, "ending")
    await runner.stop()
    fd.advance_token_clock(16 * 60)  # the /episode edit interaction's token has expired
    bot = await runner.start(settings)
    first = await submit(room, custom_id, {"part1": "Written before the restart."})
    assert acked_in_time(first) and "Saved" in first.reply.content, first.text()
    twice = await submit(room, custom_id, {"part1": "Written before the restart."})
    assert "Already saved" in twice.reply.content
    rows = await bot.store.fetchall("SELECT author_id FROM revisions WHERE field = 'ending'")
    assert [r[0] for r in rows] == [None, room.writer.user.id]


async def test_stale_modal_is_refused_and_gives_the_text_back(
    runner: BotRunner, room: Room
) -> None:
    world = room.world
    mine, _ = await open_editor(room, "polls")
    theirs, _ = await open_editor(room, "polls", who=world.mod)
    poll = "Who lands first?\nDanielle\nEd"
    assert "Saved" in (await submit(room, theirs, {"part1": poll}, who=world.mod)).reply.content
    late = await submit(room, mine, {"part1": "Mine?\nYes\nNo"})
    assert late.ephemeral and "nothing was saved" in late.reply.content
    assert late.reply.attachments and late.reply.attachments[0]["filename"] == "polls.txt"
    assert runner.bot is not None
    [saved] = await current(runner.bot, ContentField.POLLS)
    assert saved.question == "Who lands first?" and saved.options == ("Danielle", "Ed")
    bad = await open_editor(room, "polls")
    refused = await submit(room, bad[0], {"part1": "Only a question"})
    assert "Poll 1:" in refused.reply.content and refused.reply.attachments
