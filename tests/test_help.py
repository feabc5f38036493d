"""/help and /about as members and moderators see them."""

from __future__ import annotations

from bot import __version__
from bot.settings import Settings
from harness.fakediscord import Member
from tests.conftest import BotRunner, Scene, acked_in_time


async def help_text(world: Scene, member: Member) -> str:
    ix = await world.fd.slash(member, world.channel, "help")
    assert acked_in_time(ix) and ix.ephemeral
    # /help's own heading comes last; a long list arrives in follow-ups after the first answer.
    await ix.wait_for(
        lambda i: any(e.get("title") == "❔ Help" for m in i.messages for e in m.embeds), timeout=5
    )
    return "\n".join(
        f"{e.get('title')}\n{e.get('description')}" for m in ix.messages for e in m.embeds
    )


async def test_help_lists_only_what_a_member_may_use(bot, world: Scene) -> None:
    text = await help_text(world, world.alice)
    for usable in ("/recap", "/progress set", "/poll create", "/discuss", "/watchparty schedule"):
        assert f"**{usable}**" in text
    assert "/config" not in text and "/catalog" not in text


async def test_help_gives_moderators_the_settings_too(bot, world: Scene) -> None:
    text = await help_text(world, world.mod)
    assert "**/config show**" in text and "**/catalog add**" in text


async def test_every_command_has_a_description_and_an_example(bot, world: Scene) -> None:
    """A new command without an example shows in /help as its bare name: don't let it."""
    text = await help_text(world, world.mod)
    listed = [line for line in text.splitlines() if line.startswith("**/")]
    examples = [line for line in text.splitlines() if line.startswith("↳ `/")]
    assert len(listed) == len(examples) >= 25
    for line, example in zip(listed, examples, strict=True):
        assert example.startswith(f"↳ `{line.split('**')[1]}")


async def test_about_says_what_this_bot_is(bot, world: Scene) -> None:
    ix = await world.fd.slash(world.alice, world.channel, "about")
    assert acked_in_time(ix) and ix.ephemeral
    embed = ix.reply.embeds[0]
    assert embed["title"] == f"Watchparty {__version__}"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Catalog"] == "1 show · 1 episode"
    assert "TVmaze" in fields["Links"] and "oauth2/authorize" in fields["Links"]


async def test_help_lists_editing_only_to_editors(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    """/episode edit and revert refuse members who are not editors: /help does not offer them."""
    fd = world.fd
    writer = fd.add_member(world.guild, "writer", permissions=0)
    await runner.start(settings)
    for member in (world.alice, writer):
        text = await help_text(world, member)
        assert "**/episode history**" in text
        assert "**/episode edit**" not in text and "**/episode revert**" not in text
    ix = await fd.slash(world.mod, world.channel, "config editors", role=writer.role_ids[0])
    assert "Saved" in ix.reply.content, ix.text()
    text = await help_text(world, writer)
    assert "**/episode edit**" in text and "**/episode revert**" in text
    assert "**/episode edit**" not in await help_text(world, world.alice)
    assert "**/episode revert**" in await help_text(world, world.mod)  # Manage Server always may


async def test_help_lists_polls_and_parties_only_to_organisers(bot, world: Scene) -> None:
    fd = world.fd
    assert "**/poll create**" in await help_text(world, world.alice)
    ix = await fd.slash(world.mod, world.channel, "config organisers", who="moderators")
    assert acked_in_time(ix), ix.text()
    text = await help_text(world, world.alice)
    for refused in ("/poll create", "/poll episode", "/watchparty schedule"):
        assert f"**{refused}**" not in text
    assert "**/poll results**" in text and "**/recap**" in text
    assert "**/watchparty schedule**" in await help_text(world, world.mod)
