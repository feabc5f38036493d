"""Text members write in Discord reaches every reader as text: shown literally, escaped exactly
as a data file's text is, so it neither renders markup, breaks a spoiler tag, nor pings."""

from __future__ import annotations

import re

from bot.models import ContentField
from tests.conftest import BotRunner, everyone_caught_up
from tests.test_authoring import SHOW, Room, current, open_editor, room, submit

__all__ = ["room"]  # the fixture, imported to be found by pytest

# Every markdown character Discord acts on; escaped, each is preceded by a backslash.
ACTIVE = set("\\*_~|`>#-[]()<@:")


def discord_reads(text: str) -> tuple[str, set[str]]:
    """`text` as Discord's markdown shows it: the escapes undone, and the active characters
    left unescaped (which would render as markup or a mention)."""
    shown, live = [], set()
    for token in re.findall(r"\\.|.", text, flags=re.S):
        if token.startswith("\\") and len(token) == 2:
            shown.append(token[1])
        else:
            shown.append(token)
            if token in ACTIVE:
                live.add(token)
    return "".join(shown), live


async def test_a_members_recap_shows_literally_and_pings_nobody(
    runner: BotRunner, room: Room
) -> None:
    world, fd = room.world, room.world.fd
    hostile = (
        f"The vote || is not hidden || @everyone <@{world.alice.user.id}> "
        f"<@&{room.role_id}> **bold** _it_ ~~gone~~\n\n"
        "```\nfenced: the rest of the page\n```\n\n"
        "> quoted\n# heading\n- list\n[link](https://example.com) ends with \\"
    )
    custom_id, _ = await open_editor(room, "recap")
    saved = await submit(room, custom_id, {"part1": hostile})
    assert saved.ephemeral and "Saved the recap" in saved.reply.content, saved.text()
    assert runner.bot is not None
    assert await current(runner.bot, ContentField.RECAP) == hostile.strip()

    await everyone_caught_up(world)
    ix = await fd.slash(world.bob, world.channel, "recap", show=SHOW, season=4, episode="6")
    assert not ix.ephemeral, ix.text()
    description = ix.reply.embeds[0]["description"]
    # The first page opens with the synopsis in italics; the recap follows it.
    _synopsis, _, recap = description.partition("\n\n")
    shown, live = discord_reads(recap)
    assert live == set(), f"unescaped markup {live!r} in {recap!r}"
    assert shown == hostile.strip()
    assert ix.reply.content == "" or "@everyone" not in ix.reply.content
    # fd's own check at the end: no request pinged anyone.
