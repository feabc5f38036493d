"""Languages: the catalogues are complete and well-formed, commands carry valid translated
names, and members with a French or German client are answered in their language."""

from __future__ import annotations

import re
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot import i18n
from bot.i18n_build import command_strings, extract, po_path
from bot.settings import Settings
from harness.fakediscord.rules import _name_ok, check_command_list
from tests.conftest import BotRunner, Scene, acked_in_time

SHOW = "for-all-mankind"
# What must survive translation untouched: format fields, %-style ones, markdown and mentions.
PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%[sd]")
MARKUP = ("**", "`", "||", "<@&", "<t:", "](", "\n")


def catalogue(lang: str) -> Catalog:
    with po_path(lang).open("rb") as file:
        return read_po(file, locale=lang)


def forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [""])


@pytest.mark.parametrize("lang", i18n.SHIPPED)
def test_every_string_has_a_translation_with_the_same_placeholders(lang: str) -> None:
    translated = catalogue(lang)
    missing = [m.id for m in translated if m.id and not all(forms(m.string))]
    assert missing == []
    assert not [m.id for m in translated if m.id and m.fuzzy]
    for message in translated:
        if not message.id:
            continue
        source = forms(message.id)[-1]
        for text in forms(message.string):
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), text
            for token in MARKUP:
                assert text.count(token) == source.count(token), (token, text)


@pytest.mark.parametrize("lang", i18n.SHIPPED)
def test_the_catalogues_hold_every_string_in_the_code(lang: str) -> None:
    """A new reply or command needs `make messages` and a translation before it ships."""
    in_code = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in extract() if m.id}
    shipped = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalogue(lang)}
    assert in_code - shipped == set()


@pytest.mark.parametrize("lang", i18n.SHIPPED)
def test_translated_names_follow_discords_naming_rule(lang: str) -> None:
    for context, text in command_strings():
        found = i18n.catalogue(lang)
        if context is None:
            assert 1 <= len(found.gettext(text)) <= 100, text
            continue
        name = found.pgettext(context, text)
        assert _name_ok(name), name


def localized(node: dict[str, Any], lang: str) -> str:
    return str((node.get("name_localizations") or {}).get(lang, node["name"]))


async def test_synced_commands_carry_valid_french_and_german_names(bot, world: Scene) -> None:
    synced = world.fd.commands()
    assert synced and check_command_list(synced, global_scope=True) == []
    by_name = {c["name"]: c for c in synced}
    assert localized(by_name["help"], "fr") == "aide"
    assert localized(by_name["poll"], "de") == "umfrage"
    create = next(o for o in by_name["poll"]["options"] if o["name"] == "create")
    assert create["description_localizations"]["fr"].startswith("Poser une question")
    question = next(o for o in create["options"] if o["name"] == "question")
    assert localized(question, "de") == "frage"
    # Every command, subcommand and option has a name and description in both languages.
    pending: list[dict[str, Any]] = list(synced)
    while pending:
        node = pending.pop()
        pending.extend(node.get("options") or [])
        if "description" in node:
            for lang in i18n.SHIPPED:
                # Where the translation is the English word itself, Discord shows the default.
                found = i18n.catalogue(lang)
                name = node["name"]
                contexts = [i18n.OPTION_CONTEXT, *map(i18n.name_context, ["", *i18n.OWN_CONTEXT])]
                names = {found.pgettext(c, name) for c in contexts}
                assert localized(node, lang) in names, name
                shown = (node.get("description_localizations") or {}).get(lang)
                assert (shown or node["description"]) == found.gettext(node["description"])


def speaks(world: Scene, lang: str) -> None:
    world.alice.user.locale = lang
    world.bob.user.locale = lang


async def test_help_and_progress_answer_in_the_members_language(bot, world: Scene) -> None:
    fd = world.fd
    speaks(world, "fr")
    ix = await fd.slash(world.alice, world.channel, "help")
    assert acked_in_time(ix) and ix.ephemeral
    assert ix.reply.content.startswith("Les options série et épisode")
    await ix.wait_for(
        lambda i: any(e.get("title") == "❔ Aide" for m in i.messages for e in m.embeds), timeout=5
    )
    text = "\n".join(str(e.get("description")) for m in ix.messages for e in m.embeds)
    assert "**/sondage créer**: Poser une question au serveur" in text
    ix = await fd.slash(world.alice, world.channel, "progress set", show=SHOW, episode="S4E6")
    assert ix.reply.content.startswith("C'est noté : vous avez regardé")
    speaks(world, "de")
    ix = await fd.slash(world.alice, world.channel, "progress show")
    assert acked_in_time(ix) and ix.ephemeral
    assert ": bis **S4E6**" in ix.reply.content and "Bei anderen Serien" in ix.reply.content
    # The member's own language, whatever the server's: Bob still reads English.
    world.bob.user.locale = "en-US"
    ix = await fd.slash(world.bob, world.channel, "progress show")
    assert ix.reply.content.startswith("You haven't set your progress")


async def test_a_user_error_comes_back_in_german(bot, world: Scene) -> None:
    speaks(world, "de")
    ix = await world.fd.slash(
        world.alice, world.channel, "poll create", question="Wer?", options="Nur eine"
    )
    assert acked_in_time(ix) and ix.ephemeral
    assert ix.reply.content.startswith("Eine Umfrage braucht 2 bis 10 Optionen")


async def test_public_messages_use_the_servers_language(bot, world: Scene) -> None:
    """A French member's poll and recap go to the channel in the server's German."""
    fd = world.fd
    world.guild.preferred_locale = "de"
    speaks(world, "fr")
    ix = await fd.slash(
        world.alice, world.channel, "poll create", question="Ed?", options="Oui; Non"
    )
    assert acked_in_time(ix) and not ix.ephemeral
    embed = ix.reply.embeds[0]
    assert embed["title"] == "Umfrage"
    assert "Klicke auf eine Option" in embed["description"]
    assert embed["footer"]["text"].endswith("eine Stimme pro Mitglied")
    vote = next(b["custom_id"] for b in ix.reply.buttons() if b["custom_id"].startswith("wp:vote"))
    click = await fd.click(world.alice, ix.reply, vote)
    assert acked_in_time(click) and click.ephemeral
    assert click.reply.content.startswith("Votre vote : **Oui**")


async def test_recap_is_public_in_the_servers_language_and_its_gate_private(
    bot, world: Scene
) -> None:
    fd = world.fd
    world.guild.preferred_locale = "fr"
    speaks(world, "de")
    ix = await fd.slash(world.alice, world.channel, "recap", show=SHOW, season=4, episode="6")
    assert acked_in_time(ix) and ix.ephemeral
    assert ix.reply.content.startswith("⚠️ Dieser Inhalt (Zusammenfassung) betrifft")
    ix = await fd.slash(world.alice, world.channel, "progress set", show=SHOW, episode="S4E6")
    assert ix.reply.content.startswith("Alles klar")
    ix = await fd.slash(world.alice, world.channel, "recap", show=SHOW, season=4, episode="6")
    assert acked_in_time(ix) and not ix.ephemeral
    assert ix.reply.embeds[0]["title"].endswith("— Résumé")


async def test_discuss_and_timezone_answer_in_the_right_language(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    # Before the bot starts: its server language comes with GUILD_CREATE.
    world.guild.preferred_locale = "de"
    await runner.start(settings)
    speaks(world, "fr")
    ix = await fd.slash(world.alice, world.channel, "timezone show")
    assert acked_in_time(ix) and ix.ephemeral
    assert ix.reply.content.startswith("Vous n'avez pas de fuseau horaire à vous")
    await fd.slash(world.alice, world.channel, "progress set", show=SHOW, episode="S4E6")
    ix = await fd.slash(world.alice, world.channel, "discuss", show=SHOW, episode="S4E6")
    await ix.wait_for_messages()
    # The pointer and the thread are public: the server's German, not the member's French.
    assert not ix.ephemeral and ix.text().startswith("💬 Diskussion zu")
    posts = fd.messages(fd.threads(world.guild)[0])
    assert posts[0].content.startswith("**Spoiler bis S4E6 sind hier erlaubt.**")
    assert any(e.get("title") == "Umfrage · S4E6 · Leningrad" for m in posts for e in m.embeds)


async def test_follow_answers_in_french(bot, world: Scene) -> None:
    speaks(world, "fr")
    ix = await world.fd.slash(world.alice, world.channel, "follow list")
    assert ix.reply.content == "Vous ne suivez encore aucune série. Essayez `/follow show`."
    ix = await world.fd.slash(world.alice, world.channel, "follow show", show=SHOW)
    assert acked_in_time(ix) and ix.reply.content.startswith("Vous suivez **For All Mankind**")


async def test_privacy_answers_in_german(bot, world: Scene) -> None:
    fd = world.fd
    speaks(world, "de")
    await fd.slash(world.alice, world.channel, "progress set", show=SHOW, episode="S4E6")
    ix = await fd.slash(world.alice, world.channel, "privacy show")
    assert acked_in_time(ix) and ix.ephemeral
    assert "• Fortschrittsstände: 1 (1 hier)" in ix.reply.content
    asked = await fd.slash(world.alice, world.channel, "privacy delete")
    assert asked.reply.content.startswith("Deinen Fortschritt, deine Stimmen")
    confirm, keep = asked.reply.buttons()
    assert (confirm["label"], keep["label"]) == ("Alles löschen", "Behalten")
    done = await fd.click(world.alice, asked.reply, confirm["custom_id"])
    assert acked_in_time(done) and done.text().startswith("Gelöscht: 1 Eintrag über dich ist weg.")


async def test_search_public_line_in_the_servers_language(bot, world: Scene) -> None:
    world.guild.preferred_locale = "de"
    speaks(world, "fr")
    ix = await world.fd.slash(world.alice, world.channel, "search", text="Leningrad")
    assert acked_in_time(ix) and not ix.ephemeral
    assert ix.reply.content.startswith("🔎 **1 Folge** mit „Leningrad“")
    refused = await world.fd.slash(world.alice, world.channel, "search", text="!!")
    assert refused.ephemeral and refused.reply.content.startswith("Tapez un mot à chercher")


async def test_reminder_setting_answers_in_german(bot, world: Scene) -> None:
    speaks(world, "de")
    ix = await world.fd.slash(world.alice, world.channel, "reminders dm", setting="off")
    assert acked_in_time(ix) and ix.ephemeral
    assert ix.reply.content.startswith("Ich schicke dir keine Direktnachrichten mehr")


async def test_follow_show_is_named_as_following_not_showing(bot, world: Scene) -> None:
    """/follow show adds a show, /progress show displays: one English word, two names."""
    by_name = {c["name"]: c for c in world.fd.commands()}
    follow = next(o for o in by_name["follow"]["options"] if o["name"] == "show")
    progress = next(o for o in by_name["progress"]["options"] if o["name"] == "show")
    assert (localized(follow, "fr"), localized(progress, "fr")) == ("ajouter", "afficher")
    assert (localized(follow, "de"), localized(progress, "de")) == ("hinzufügen", "anzeigen")
