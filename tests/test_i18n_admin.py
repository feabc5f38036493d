"""Languages for the server's team: /catalog, /config, /episode edit|history|revert, the
content log, the credits and /help, each answered in French and German (the member's language
for private replies, the server's for what the channel reads)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from bot import i18n, limits
from bot.models import ContentField, Episode, RecapSource, Show
from bot.render import parties
from bot.render.credits import recap_credit
from cogs.authoring._modals import input_labels, input_placeholder
from harness.fakediscord import Interaction
from tests.conftest import BotRunner, Scene, acked_in_time, watched
from tests.test_authoring import Room, open_editor, room, submit  # noqa: F401 (fixture)
from tests.test_catalog_tvmaze import ORBITAL, catalog_bot, data_dir, tvmaze  # noqa: F401 (fixtures)
from tests.test_polls import eventually
from tests.test_wikipedia_recap import keepers_from_wikipedia

SHOW = "for-all-mankind"


async def finished(ix: Interaction) -> str:
    """A deferred /catalog reply once its progress lines are over."""
    await ix.wait_for(lambda i: not i.thinking and "⏳" not in i.reply.content, timeout=15)
    assert acked_in_time(ix) and ix.ephemeral
    assert len(ix.reply.content) <= 2000
    return ix.reply.content


async def test_catalog_add_list_and_refusals_in_french_and_german(
    catalog_bot: BotRunner,  # noqa: F811 (the fixture)
    world: Scene,
) -> None:
    fd, mod = world.fd, world.mod
    mod.user.locale = "fr"
    reply = await finished(await fd.slash(mod, world.channel, "catalog add", show=str(ORBITAL)))
    assert reply.startswith("✅ **Orbital Relay** : 5 épisodes (6 nouveaux)."), reply
    assert "Fichier de données : orbital\\-relay.toml" in reply
    assert "Données de la série : TVmaze (CC BY-SA)" in reply
    assert reply.splitlines()[-1].startswith("Les résumés de Wikipédia sont désactivés")
    refused = await fd.slash(mod, world.channel, "catalog refresh", show=SHOW)
    assert refused.ephemeral and "a été écrite à la main" in refused.reply.content

    mod.user.locale = "de"
    listing = await fd.slash(mod, world.channel, "catalog list")
    assert acked_in_time(listing) and listing.ephemeral
    embed = listing.reply.embeds[0]
    assert embed["title"] == "Katalog"
    assert "· 5 Folgen · Datei orbital\\-relay.toml" in embed["description"]
    assert "· 1 Folge · Datei" in embed["description"]
    assert embed["footer"]["text"] == "2 Serien · Seriendaten von TVmaze stehen unter CC BY-SA"
    missing = await fd.slash(mod, world.channel, "catalog add", show="A show nobody ever made")
    assert (await finished(missing)) == "TVmaze hat keine Serie namens „A show nobody ever made“."
    unknown = await fd.slash(mod, world.channel, "catalog refresh", show="Nowhere Show")
    assert unknown.reply.content.startswith("Ich kenne keine Serie namens „Nowhere Show“.")

    world.alice.user.locale = "fr"
    member = await fd.slash(world.alice, world.channel, "catalog list")
    assert member.ephemeral and member.reply.content == (
        "Il vous faut la permission Gérer le serveur pour modifier les réglages de Watchparty."
    )


def _button(ix: Interaction, prefix: str) -> dict[str, Any]:
    return next(b for b in ix.reply.buttons() if b["custom_id"].startswith(prefix))


async def test_catalog_remove_asks_and_answers_in_the_members_language(
    catalog_bot: BotRunner,  # noqa: F811 (the fixture)
    world: Scene,
) -> None:
    fd, mod = world.fd, world.mod
    await finished(await fd.slash(mod, world.channel, "catalog add", show=str(ORBITAL)))
    mod.user.locale = "de"
    ask = await fd.slash(mod, world.channel, "catalog remove", show="orbital-relay")
    assert acked_in_time(ask) and ask.ephemeral
    assert ask.reply.content.startswith("**Orbital Relay** (5 Folgen) aus dem Katalog entfernen?")
    assert "also wird sie gelöscht" in ask.reply.content
    labels = [b["label"] for b in ask.reply.buttons()]
    assert labels == ["Entfernen", "Behalten"]
    keep = await fd.click(mod, ask.reply, _button(ask, "wp:catalog:keep:")["custom_id"])
    assert acked_in_time(keep) and keep.text() == "Nichts wurde entfernt."

    mod.user.locale = "fr"
    ask = await fd.slash(mod, world.channel, "catalog remove", show="orbital-relay")
    assert ask.reply.content.startswith("Retirer **Orbital Relay** (5 épisodes) du catalogue ?")
    assert [b["label"] for b in ask.reply.buttons()] == ["La retirer", "Garder"]
    done = await fd.click(mod, ask.reply, _button(ask, "wp:catalog:rm:")["custom_id"])
    assert acked_in_time(done)
    assert done.text() == (
        "**Orbital Relay** : supprimée ; son fichier de données est désormais "
        "removed/orbital\\-relay.toml."
    )


async def test_config_answers_in_french_and_german(bot: Any, world: Scene) -> None:
    fd, mod = world.fd, world.mod
    mod.user.locale = "fr"
    shown = await fd.slash(mod, world.channel, "config show")
    assert acked_in_time(shown) and shown.ephemeral
    embed = shown.reply.embeds[0]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert embed["title"] == "Réglages de Watchparty"
    assert fields["Membres sans progression"] == "prévenus avant les spoilers"
    assert fields["Fils ouverts à la diffusion"] == "aucun"
    refused = await fd.slash(mod, world.channel, "config reminders")
    assert refused.ephemeral and refused.reply.content.startswith("Indiquez un `role` à mentionner")

    mod.user.locale = "de"
    saved = await fd.slash(mod, world.channel, "config guard-window", hours=48)
    assert acked_in_time(saved) and saved.reply.content == "Gespeichert."
    fields = {f["name"]: f["value"] for f in saved.reply.embeds[0]["fields"]}
    assert fields["Schutzdauer"] == "48 h ab Beginn einer Watchparty"
    airing = await fd.slash(
        mod, world.channel, "config airing", show=SHOW, channel=world.channel.id
    )
    fields = {f["name"]: f["value"] for f in airing.reply.embeds[0]["fields"]}
    assert fields["Threads zur Ausstrahlung geöffnet"] == (
        f"• For All Mankind in <#{world.channel.id}>"
    )
    stop = await fd.slash(mod, world.channel, "config airing-stop", show=SHOW)
    assert stop.reply.content == "Gespeichert."
    again = await fd.slash(mod, world.channel, "config airing-stop", show=SHOW)
    assert again.reply.content == (
        "Dieser Server öffnet für For All Mankind keine Threads zur Ausstrahlung."
    )

    world.alice.user.locale = "de"
    member = await fd.slash(world.alice, world.channel, "config show")
    assert member.ephemeral and member.reply.content.startswith(
        "Du brauchst die Berechtigung „Server verwalten“"
    )


async def test_editing_in_french_and_the_content_log_in_the_servers_german(
    room: Room,  # noqa: F811 (the fixture)
) -> None:
    world, fd = room.world, room.world.fd
    world.guild.preferred_locale = "de"
    room.writer.user.locale = "fr"
    ix = await fd.slash(
        room.writer, world.channel, "episode edit", show=SHOW, episode="S4E6", field="recap"
    )
    assert ix.response_type == 9 and acked_in_time(ix) and ix.response is not None
    assert ix.response["title"] == "Résumé · S4E6 · Leningrad"
    inputs = [row["components"][0] for row in ix.response["components"]]
    assert [i["label"] for i in inputs][:2] == ["Partie 1 sur 5", "Partie 2 sur 5"]
    assert inputs[0]["placeholder"].startswith("Les parties sont jointes par une ligne vide")
    saved = await submit(room, ix.response["custom_id"], {"part1": "Un nouveau résumé."})
    assert saved.ephemeral and saved.reply.content.startswith(
        "Enregistré : le résumé de For All Mankind S4E6 · Leningrad, révision n°"
    )
    assert await eventually(lambda: [m.content for m in fd.messages(room.log)])
    [line] = [m.content for m in fd.messages(room.log)]
    assert line.startswith(f"📝 <@{room.writer.user.id}> hat die **Zusammenfassung** von ")
    assert line.endswith("bearbeitet (Fassung Nr. " + line.rsplit("Nr. ", 1)[1])

    custom_id, _ = await open_editor(room, "polls")
    refused = await submit(room, custom_id, {"part1": "Une question seule"})
    assert refused.reply.content.startswith(
        "Sondage 1 : mettez la question sur la première ligne, puis de 2 à 10 options"
    )
    assert "Votre texte est joint : rien n'est perdu." in refused.reply.content


async def test_history_revert_and_refusals_in_german(
    room: Room,  # noqa: F811 (the fixture)
) -> None:
    world, fd = room.world, room.world.fd
    room.writer.user.locale = "de"
    history = await fd.slash(
        room.writer, world.channel, "episode history", show=SHOW, episode="S4E6", field="ending"
    )
    assert acked_in_time(history) and history.ephemeral
    embed = history.reply.embeds[0]
    assert embed["title"] == "For All Mankind S4E6 · Leningrad — Ende"
    assert embed["description"] == "Nie in Discord bearbeitet: Der Text stammt aus der Datendatei."
    assert embed["footer"]["text"].startswith("Stell eine mit /episode revert wieder her")
    revert = await fd.slash(
        room.writer,
        world.channel,
        "episode revert",
        show=SHOW,
        episode="S4E6",
        field="ending",
        revision=999,
    )
    assert revert.reply.content == (
        "Fassung Nr. 999 gehört nicht zum Verlauf (das Ende von For All Mankind S4E6 · "
        "Leningrad): `/episode history` listet die Fassungen auf."
    )
    wrong = await fd.slash(
        room.writer, world.channel, "episode history", show=SHOW, episode="S9E9", field="recap"
    )
    assert wrong.reply.content.startswith("Ich finde die Folge „S9E9“ nicht in Staffel 9 von")
    world.alice.user.locale = "de"
    member = await fd.slash(
        world.alice, world.channel, "episode edit", show=SHOW, episode="S4E6", field="recap"
    )
    assert member.ephemeral and member.reply.content.startswith(
        "Auf diesem Server können nur Mitglieder mit der Rolle"
    )


async def help_text(world: Scene, member: Any, heading: str) -> str:
    ix = await world.fd.slash(member, world.channel, "help")
    assert acked_in_time(ix) and ix.ephemeral
    await ix.wait_for(
        lambda i: any(e.get("title") == heading for m in i.messages for e in m.embeds), timeout=5
    )
    return "\n".join(str(e.get("description")) for m in ix.messages for e in m.embeds)


async def test_help_names_commands_as_the_members_discord_does(bot: Any, world: Scene) -> None:
    world.mod.user.locale = "de"
    text = await help_text(world, world.mod, "❔ Hilfe")
    assert "**/katalog hinzufügen**: Eine Serie mit allen Folgen" in text
    assert "↳ `/katalog hinzufügen serie:For All Mankind`" in text
    assert (
        "↳ `/umfrage erstellen frage:Steht Ed auf der Seite der Arbeiter? "
        "optionen:Ja; Nein; Ein bisschen von beidem dauer:2h modus:verdeckt`"
    ) in text
    assert "↳ `/einstellungen fortschritt-standard mitglieder:auf dem Laufenden`" in text
    assert "/catalog" not in text and "/poll " not in text

    world.mod.user.locale = "fr"
    text = await help_text(world, world.mod, "❔ Aide")
    assert "**/sondage créer**: Poser une question au serveur" in text
    assert "↳ `/config rappels rôle:@Spectateurs avant:15m`" in text
    assert "↳ `/suivre ajouter série:For All Mankind`" in text
    assert "↳ `/épisode modifier série:For All Mankind épisode:S4E6 champ:résumé`" in text
    # Every example word is translated where it is used (none is left over from an old example).
    for english in ("#episode-talk", "@Writers", "@Hosts", "Short seasons", "#general"):
        assert english not in text


async def test_wikipedia_credit_in_the_servers_language(
    runner: BotRunner, settings: Any, world: Scene, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    await keepers_from_wikipedia(folder)
    world.guild.preferred_locale = "fr"
    await runner.start(dataclasses.replace(settings, data_dir=folder))
    await watched(world, world.alice, "lighthouse-keepers", "S1E2")
    world.alice.user.locale = "de"
    ix = await world.fd.slash(
        world.alice, world.channel, "recap", show="lighthouse-keepers", season=1, episode="S1E2"
    )
    assert acked_in_time(ix) and not ix.ephemeral, ix.text()
    fields = {f["name"]: f["value"] for f in ix.reply.embeds[0]["fields"]}
    assert fields["Résumé tiré de Wikipédia"].startswith(
        "List of Lighthouse Keepers episodes ([révision 9001]("
    )
    assert fields["Résumé tiré de Wikipédia"].endswith(
        "[CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)"
    )


@pytest.mark.parametrize("lang", i18n.SHIPPED)
def test_the_editors_labels_and_placeholders_fit_discord_in_every_language(lang: str) -> None:
    """Discord refuses a modal whose labels pass 45 characters or placeholders 100; the code
    would cut a long translation mid-word rather than be refused, so none may be long."""
    with i18n.using(lang):
        for field in ContentField:
            assert all(len(label) <= limits.INPUT_LABEL for label in input_labels(field))
            assert len(input_placeholder(field)) <= limits.INPUT_PLACEHOLDER, field


def test_credits_translate_their_sentence_never_the_names_or_the_licence() -> None:
    show = Show(slug="orbital-relay", title="Orbital Relay", id=1, tvmaze_id=4401)
    first = Episode(
        season=1, number=1, title="First Light", synopsis="Set-up.", recap="", ending=""
    )
    with i18n.using("de"):
        text = parties.event_description(show, first, "#general")
    assert text.endswith("Seriendaten: TVmaze (CC BY-SA), https://www.tvmaze.com/shows/4401")
    with i18n.using("fr"):
        credit = recap_credit(RecapSource("wikipedia", "List of X episodes", 7))
    assert credit is not None and credit[0] == "Résumé tiré de Wikipédia"
    assert credit[1].startswith("List of X episodes ([révision 7](")
    assert credit[1].endswith("[CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)")
