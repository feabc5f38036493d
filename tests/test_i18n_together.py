"""Languages for choosing together and the poll extras: /suggest, the winner, /watched,
/catchup, /poll results and the shared page buttons answer a French or German member in their
language, and what the channel reads comes in the server's."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from bot import i18n, limits
from bot.app import Watchparty
from bot.models import Episode, Party, Show, WatchedTogether
from bot.render import together as render
from bot.settings import Settings
from cogs.utils.text import WHATS
from tests.conftest import ROOT, BotRunner, Scene, acked_in_time, watched
from tests.test_polls import eventually, eventually_rows, vote_ids

SHOW = "for-all-mankind"


def speaks(member: Any, lang: str) -> None:
    member.user.locale = lang


def within_limits(message: Any) -> None:
    assert len(message.content or "") <= limits.CONTENT
    for embed in message.embeds:
        total = sum(len(str(embed.get(k) or "")) for k in ("title", "description"))
        total += len(str((embed.get("footer") or {}).get("text") or ""))
        assert total <= limits.EMBED_TOTAL, embed
        assert len(str(embed.get("title") or "")) <= limits.EMBED_TITLE


async def suggest_rows(bot: Watchparty, world: Scene, count: int, note: str = "") -> None:
    """`count` suggestions of TVmaze shows straight into the store (the list is what is read)."""
    for n in range(count):
        await bot.store.together.suggest(
            guild_id=world.guild.id,
            show_key=f"tvmaze:{9100 + n}",
            title=f"Lighthouse Keepers {n:02d}",
            user_id=world.bob.id,
            show_id=None,
            tvmaze_id=9100 + n,
            note=note or None,
            most=limits.SUGGESTIONS,
        )


async def test_suggest_add_remove_and_refusals_in_the_members_language(
    bot: Watchparty, world: Scene
) -> None:
    fd = world.fd
    speaks(world.alice, "fr")
    added = await fd.slash(world.alice, world.channel, "suggest add", show=SHOW)
    await added.wait_for(lambda i: not i.thinking, timeout=10)
    assert added.ephemeral and added.text().startswith("Proposition ajoutée : **For All Mankind**.")
    again = await fd.slash(world.alice, world.channel, "suggest add", show=SHOW)
    await again.wait_for(lambda i: not i.thinking, timeout=10)
    assert "est déjà sur la liste (proposition de <@" in again.text(), again.text()
    blank = await fd.slash(world.alice, world.channel, "suggest add", show="\u200b")
    assert blank.ephemeral and blank.text().startswith("Le champ « série » est vide")
    few = await fd.slash(world.mod, world.channel, "suggest vote")
    assert few.ephemeral and few.text().startswith("A vote needs at least two")  # English mod
    speaks(world.mod, "fr")
    few = await fd.slash(world.mod, world.channel, "suggest vote")
    assert few.text().startswith("Un vote demande au moins deux propositions")

    speaks(world.bob, "de")
    refused = await fd.slash(
        world.bob, world.channel, "suggest remove", suggestion="For All Mankind"
    )
    assert refused.ephemeral and refused.text().startswith("Du kannst deine eigenen Vorschläge")
    speaks(world.alice, "de")
    gone = await fd.slash(
        world.alice, world.channel, "suggest remove", suggestion="For All Mankind"
    )
    assert acked_in_time(gone) and gone.ephemeral
    assert gone.text() == "Vorschlag zurückgezogen: **For All Mankind**."
    blank = await fd.slash(
        world.alice, world.channel, "poll create", question="\u200b", options="a;b"
    )
    assert blank.text().startswith("Das Feld „Frage“ ist leer")


async def test_a_long_suggestion_list_pages_in_the_members_language(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    """A private list is drawn, and redrawn on every page click, in the reader's language,
    whatever the server's."""
    fd = world.fd
    world.guild.preferred_locale = "de"
    bot = await runner.start(settings)
    await suggest_rows(bot, world, 16, note="Worth it " * 22)
    speaks(world.alice, "fr")
    listing = await fd.slash(world.alice, world.channel, "suggest list")
    assert acked_in_time(listing) and listing.ephemeral
    first = listing.reply.embeds[0]
    assert first["title"] == "Propositions" and "proposition de <@" in first["description"]
    assert "pas encore dans le catalogue" in first["description"]
    assert first["footer"]["text"].startswith("/suggest vote les soumet au vote")
    assert first["footer"]["text"].endswith("Page 1 sur 2"), first["footer"]
    within_limits(listing.reply)
    back, forward = listing.reply.buttons()
    assert (back["label"], forward["label"]) == ("◀ Précédent", "Suivant ▶")
    turned = await fd.click(world.alice, listing.reply, forward["custom_id"])
    assert acked_in_time(turned)
    second = fd.message(listing.reply.id).embeds[0]
    assert second["footer"]["text"].endswith("Page 2 sur 2"), second["footer"]
    assert "Lighthouse Keepers 15" in second["description"]
    assert "proposition de <@" in second["description"]  # still French, not the server's German


async def test_the_vote_and_its_winner_in_the_servers_language(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    world.guild.preferred_locale = "fr"  # before start: the bot learns it from GUILD_CREATE
    bot = await runner.start(settings)
    catalog = await bot.store.catalog.find_show(SHOW)
    assert catalog is not None
    await bot.store.together.suggest(
        guild_id=world.guild.id,
        show_key=f"show:{catalog.id}",
        title=catalog.title,
        user_id=world.alice.id,
        show_id=catalog.id,
        tvmaze_id=None,
        note=None,
        most=limits.SUGGESTIONS,
    )
    await suggest_rows(bot, world, 1)
    speaks(world.mod, "de")
    ix = await fd.slash(world.mod, world.channel, "suggest vote", duration="1h")
    assert acked_in_time(ix) and not ix.ephemeral
    poll = ix.reply.embeds[0]
    assert poll["title"] == "Sondage"
    assert poll["description"].startswith("**Que regarde\\-t\\-on ensuite ?**")
    await ix.wait_for(lambda i: len(i.messages) >= 2)
    assert ix.followups[0].content.startswith("Die Abstimmung läuft (Umfrage Nr. ")
    ids = vote_ids(ix.reply)
    await fd.click(world.alice, ix.reply, ids[0])
    await fd.click(world.bob, ix.reply, ids[0])
    poll_id = ids[0].split(":")[2]
    # A German moderator closes it; the announcement follows in the server's French.
    closing = await fd.slash(world.mod, world.channel, "poll close", poll=poll_id)
    await closing.wait_for_messages()

    def announced() -> list[Any]:
        return [
            m
            for m in fd.messages(world.channel)
            if m.embeds and m.embeds[0].get("title") == "🏆 Nous avons un gagnant"
        ]

    assert await eventually(announced, within=10)
    (winner,) = announced()
    within_limits(winner)
    description = winner.embeds[0]["description"]
    assert "Le serveur a choisi **For All Mankind** avec 2 votes sur 2." in description
    assert "**Planifier une soirée de visionnage** ci-dessous" in description
    (button,) = winner.buttons()
    assert button["label"] == "Planifier une soirée de visionnage"
    # The winner leaves the list just after its announcement: then the button has a winner.
    assert await eventually_rows(bot, "SELECT count(*) FROM suggestions", 1) == 1
    # The form is the clicking organiser's: in German.
    opened = await fd.click(world.mod, winner, button["custom_id"])
    assert opened.response_type == 9 and opened.response is not None, opened.text()
    assert opened.response["title"] == "Watchparty · For All Mankind"
    labels = [
        item.get("label") or row.get("label")
        for row in opened.response["components"]
        for item in [*(row.get("components") or []), row.get("component") or {}]
        if item.get("custom_id")
    ]
    assert labels == ["Folge", "Beginn", "Dauer (optional)"], labels
    speaks(world.mod, "fr")
    refused = await fd.submit_modal(
        world.mod,
        world.channel,
        str(opened.response["custom_id"]),
        {"episode": "S4E6", "start": "\u200b", "length": ""},
    )
    assert refused.ephemeral and refused.text().startswith("Indiquez quand la soirée commence")


async def test_watched_and_catchup_in_the_members_language(bot: Watchparty, world: Scene) -> None:
    fd = world.fd
    speaks(world.alice, "fr")
    empty = await fd.slash(world.alice, world.channel, "watched")
    assert acked_in_time(empty) and empty.ephemeral
    embed = empty.reply.embeds[0]
    assert embed["title"] == "Vu ensemble"
    assert embed["description"].startswith("Aucune soirée de visionnage n'est encore allée")
    # The button as the parties' posts label it, in the server's language (English here).
    assert embed["footer"]["text"] == (
        "Participer : cliquer sur I'm watching dans l'annonce ou le rappel d'une soirée"
    )
    unset = await fd.slash(world.alice, world.channel, "catchup", show=SHOW)
    assert unset.ephemeral and unset.text().startswith("Je ne sais pas encore où vous en êtes")

    speaks(world.alice, "en-US")
    await watched(world, world.alice)
    speaks(world.alice, "de")
    caught = await fd.slash(world.alice, world.channel, "catchup", show=SHOW)
    assert acked_in_time(caught) and caught.ephemeral
    page = caught.reply.embeds[0]
    assert page["title"] == "For All Mankind: Was bisher geschah…"
    # S4E6 is the last episode the catalog knows: nothing named comes after it.
    assert page["description"].startswith(
        "Vor **dem Ende dessen, was ich kenne**, neueste zuerst: nur Folgen"
    )
    assert page["footer"]["text"].startswith("Nur für dich · laut deinem /progress")
    within_limits(caught.reply)
    gone = await fd.slash(world.alice, world.channel, "catchup", show=SHOW, episode="S4E6")
    assert gone.text().startswith("Du hast vor dieser Folge nichts gesehen")


async def test_poll_results_in_the_servers_language_and_the_gate_in_the_members(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    world.guild.preferred_locale = "de"
    await runner.start(settings)
    created = await fd.slash(
        world.mod,
        world.channel,
        "poll create",
        question="Rate Leningrad",
        options="3; 4; 5",
        show=SHOW,
        episode="S4E6",
    )
    ids = vote_ids(created.reply)
    await fd.click(world.alice, created.reply, ids[1])
    await fd.click(world.bob, created.reply, ids[2])
    closing = await fd.slash(world.mod, world.channel, "poll close", poll=ids[0].split(":")[2])
    await closing.wait_for_messages()

    speaks(world.alice, "fr")
    gated = await fd.slash(world.alice, world.channel, "poll results", show=SHOW, season=4)
    assert acked_in_time(gated) and gated.ephemeral
    assert gated.text().startswith("⚠️ Ce contenu (résultat de sondage) couvre")
    shown = await fd.click(world.alice, gated.reply, gated.reply.buttons()[0]["custom_id"])
    # Revealed to the French member alone: in French.
    assert shown.ephemeral and shown.reply.embeds[0]["title"].endswith("résultats des sondages")

    speaks(world.alice, "en-US")
    await watched(world, world.alice)
    speaks(world.alice, "fr")
    results = await fd.slash(world.alice, world.channel, "poll results", show=SHOW, season=4)
    assert acked_in_time(results) and not results.ephemeral
    embed = results.reply.embeds[0]
    within_limits(results.reply)
    assert embed["title"] == "For All Mankind · Staffel 4 · Umfrageergebnisse"
    assert embed["description"].startswith("__Punktetabelle__\n**S4E6 · Leningrad** · 1 Umfrage")
    assert "durchschnittliche Bewertung **4,5**" in embed["description"]
    everything = await fd.slash(world.alice, world.channel, "poll results", show=SHOW)
    assert "· Alle Staffeln ·" in everything.reply.embeds[0]["title"]
    none = await fd.slash(world.alice, world.channel, "poll results", show=SHOW, season=1)
    assert none.ephemeral and none.text().startswith("Aucun sondage clos pour l'instant pour")

    # An episode's preset polls: data text under the server's German; a vote taken back is
    # answered in the member's language.
    speaks(world.mod, "fr")
    posted = await fd.slash(world.mod, world.channel, "poll episode", show=SHOW, episode="S4E6")
    await posted.wait_for_messages()
    assert posted.reply.embeds[0]["title"] == "Umfrage · S4E6 · Leningrad"
    option = vote_ids(posted.reply)[0]
    speaks(world.bob, "de")
    await fd.click(world.bob, posted.reply, option)
    again = await fd.click(world.bob, posted.reply, option)
    assert acked_in_time(again) and again.ephemeral
    assert again.text().startswith("Deine Stimme für **"), again.text()


def test_the_winner_and_watched_lines_use_each_languages_plurals() -> None:
    show = Show("harbour", "Harbour Lights", id=1)
    episode = Episode(1, 1, "Lamp Oil", "", "", "", id=1, show_id=1)
    party = Party(1, 1, 1, 1, 1, 0.0, 60.0, None, None, None, 60.0, None)
    one = WatchedTogether(party, show, episode, 1)
    nobody = WatchedTogether(party, show, episode, 0)
    with i18n.using("fr"):
        assert render.watched_line(one, "Je regarde").endswith("· 1 a participé")
        assert render.watched_line(nobody, "Je regarde").endswith(
            "personne n'a cliqué sur Je regarde"
        )
    with i18n.using("de"):
        assert render.watched_line(one, "Ich schaue mit").endswith("· 1 hat teilgenommen")


def test_every_text_options_name_is_marked_for_translation() -> None:
    """TextOption("…") names what is empty in a translated sentence: each name is in WHATS."""
    named = set()
    for path in [*(ROOT / "cogs").rglob("*.py"), *(ROOT / "bot").rglob("*.py")]:
        for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "TextOption"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                named.add(node.args[0].value)
    assert named and named <= set(WHATS), named - set(WHATS)
