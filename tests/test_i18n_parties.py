"""Languages of watch parties, air-time threads, the spoiler guard, follow news and reminders.

What a member alone reads comes in their Discord language; what the channel reads, in the
server's (its `guild_locale` in a command, its preferred locale for what a timer posts); a DM
in the member's language if a command that leads to DMs recorded it, else the server's."""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path
from typing import Any

from bot import limits
from bot.settings import Settings
from tests.conftest import BotRunner, Scene, acked_in_time
from tests.test_airing import air_at, announcements
from tests.test_airing import configure as follow_airing
from tests.test_airing import data_dir as data_dir  # the fixture
from tests.test_dst import next_change
from tests.test_follows import NEW_EPISODE
from tests.test_guard import SPOILER, dms, guard, party, reposts, with_intent
from tests.test_polls import eventually
from tests.test_watchparty import EPISODE, said

SHOW = "for-all-mankind"


def fits(text: str) -> bool:
    return 0 < len(text) <= limits.CONTENT


def attend_button(message: Any) -> dict[str, Any]:
    return next(b for b in message.buttons() if b["custom_id"].startswith("wp:attend:"))


async def test_a_french_organisers_party_runs_in_the_servers_german(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    # Before the bot starts: a timer's language comes from the server's GUILD_CREATE.
    world.guild.preferred_locale = "de"
    world.alice.user.locale = "fr"
    await runner.start(settings)
    ix = await fd.slash(
        world.alice, world.channel, "watchparty schedule", start="in 2s", length="2s", **EPISODE
    )
    assert acked_in_time(ix)
    await ix.wait_for_messages()
    # The organiser's answer is French; the event, the announcement and its button German.
    assert ix.ephemeral and "Soirée de visionnage n°1 planifiée pour le" in ix.text()
    assert "Annoncée : " in ix.text() and fits(ix.text())
    [event] = fd.scheduled_events(world.guild)
    assert event.name == "Watchparty: For All Mankind S4E6 · Leningrad"
    assert "Der Diskussions-Thread öffnet, wenn die Watchparty endet." in event.data["description"]
    [announced] = said(world, "Watchparty")
    assert announced.embeds[0]["title"] == "🍿 Watchparty"
    assert "Der Diskussions-Thread mit Spoilern öffnet" in announced.embeds[0]["description"]
    assert announced.embeds[0]["footer"]["text"] == "Watchparty Nr. 1"
    assert attend_button(announced)["label"] == "Ich schaue mit"
    # The timeline's posts: the start reminder, the thread and the end, all German.
    assert await eventually(lambda: said(world, "beginnt jetzt"), within=6)
    [reminder] = said(world, "beginnt jetzt")
    assert reminder.content.startswith("🍿 Die Watchparty zu For All Mankind **S4E6 · Leningrad**")
    assert attend_button(reminder)["label"] == "Ich schaue mit" and fits(reminder.content)
    assert await eventually(lambda: said(world, "ist vorbei"), within=8)
    [over] = said(world, "ist vorbei")
    assert "Spoiler bis S4E6 sind in <#" in over.content and fits(over.content)
    [thread] = fd.threads(world.guild)
    assert thread.name == "For All Mankind S4E6 · Leningrad — Spoiler bis S4E6"
    assert len(thread.name) <= limits.THREAD_NAME


async def test_party_commands_answer_each_member_in_their_language(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    world.guild.preferred_locale = "fr"
    await runner.start(settings)
    world.alice.user.locale, world.bob.user.locale, world.mod.user.locale = "de", "fr", "de"
    empty = await fd.slash(world.alice, world.channel, "watchparty list")
    assert empty.reply.content.startswith("Es sind keine Watchpartys geplant.")
    unread = await fd.slash(
        world.alice, world.channel, "watchparty schedule", start="yesterday", **EPISODE
    )
    assert unread.ephemeral and unread.reply.content.startswith("Ich kann „yesterday“ nicht als")
    assert "gelten in der Zeitzone dieses Servers (UTC)" in unread.reply.content
    assert "oder einem Discord-Zeitstempel" in unread.reply.content
    passed = await fd.slash(
        world.bob, world.channel, "watchparty schedule", start="2000-01-01 20:00", **EPISODE
    )
    assert passed.reply.content.endswith("est déjà passé : choisissez un moment à venir.")
    long = await fd.slash(
        world.bob, world.channel, "watchparty schedule", start="in 2h", length="ages", **EPISODE
    )
    assert long.reply.content.startswith("`length` attend une durée comme `45m`")
    made = await fd.slash(
        world.alice, world.channel, "watchparty schedule", start="in 2h", length="1h", **EPISODE
    )
    await made.wait_for_messages()
    assert "Watchparty Nr. 1 geplant für" in made.text()
    [announced] = said(world, "Soirée de visionnage")
    assert announced.embeds[0]["title"] == "🍿 Soirée de visionnage"  # the server's French
    # Too early to count: said in Bob's French, naming the button as the server labels it.
    early = await fd.click(world.bob, announced, attend_button(announced)["custom_id"])
    assert acked_in_time(early) and early.ephemeral
    assert early.text().startswith("La soirée commence <t:")
    assert "cliquez sur **Je regarde** une fois qu'elle aura commencé." in early.text()
    # The party's date in the list of choices: German's day and month ("05. Dez. 20:00").
    choices = await fd.autocomplete(
        world.mod, world.channel, "watchparty cancel", focused="party", party=""
    )
    assert re.fullmatch(r"#1 · For All Mankind S4E6 · \d\d\. \S+ \d\d:\d\d UTC", choices[0]["name"])
    denied = await fd.slash(world.bob, world.channel, "watchparty cancel", party="1")
    assert denied.reply.content.startswith("Seuls l'organisateur de la soirée ou un modérateur")
    done = await fd.slash(world.mod, world.channel, "watchparty cancel", party="1")
    await done.wait_for_messages()
    assert "Watchparty Nr. 1 abgesagt." in done.text()
    struck = fd.message(announced.id)
    assert struck.embeds[0]["title"] == "Soirée de visionnage annulée"
    again = await fd.slash(world.mod, world.channel, "watchparty cancel", party="1")
    assert again.reply.content == "Diese Watchparty ist schon vorbei oder abgesagt."


async def test_a_time_zone_error_and_a_clock_change_in_french(bot: Any, world: Scene) -> None:
    world.alice.user.locale = "fr"
    bad = await world.fd.slash(world.alice, world.channel, "timezone set", zone="Mars/Olympus")
    assert bad.ephemeral and bad.reply.content.startswith("« Mars/Olympus » n'est pas un fuseau")
    day = next_change(forward=True)
    ix = await world.fd.slash(
        world.alice,
        world.channel,
        "watchparty schedule",
        start=f"{day.isoformat()} 02:30 Europe/Paris",
        **EPISODE,
    )
    await ix.wait_for_messages()
    assert (
        f"🕒 02:30 n'existe pas le {day.day} mars dans le fuseau Europe/Paris (les horloges "
        "avancent) ; heure retenue : 03:30." in ix.text()
    ), ix.text()
    world.alice.user.locale = "de"
    back = next_change(forward=False)
    ix = await world.fd.slash(
        world.alice,
        world.channel,
        "watchparty schedule",
        start=f"{back.isoformat()} 02:30 Europe/Paris",
        **EPISODE,
    )
    await ix.wait_for_messages()
    assert f"02:30 gibt es am {back.day}. Oktober in Europe/Paris zweimal" in ix.text()


async def test_the_guard_reposts_in_the_servers_language_and_dms_in_the_authors(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    world.guild.preferred_locale = "de"
    bot = await runner.start(with_intent(settings))
    await party(bot, world)
    await guard(world, world.channel)
    first = await fd.user_message(world.alice, world.channel, SPOILER)
    assert await eventually(lambda: fd.message(first.id).deleted)
    [repost] = reposts(world, world.channel)
    label = "🔇 Verborgen: Spoiler zu For All Mankind S4E6 · Leningrad"
    assert repost.content.splitlines()[0] == label
    # Alice never told the bot her language: her DM is in the server's German.
    assert await eventually(lambda: "Goldilocks" in dms(world, world.alice))
    assert dms(world, world.alice).startswith("🔇 Ich habe deine Nachricht in ")
    # Following a show (news may come by DM) records her French: the next DM is French.
    world.alice.user.locale = "fr"
    await fd.slash(world.alice, world.channel, "follow show", show=SHOW)
    second = await fd.user_message(world.alice, world.channel, SPOILER)
    assert await eventually(lambda: fd.message(second.id).deleted)
    assert await eventually(lambda: "J'ai masqué votre message" in dms(world, world.alice))
    assert "« goldilocks », un spoiler de **For All Mankind S4E6 · Leningrad**" in dms(
        world, world.alice
    )
    shown = await fd.slash(world.alice, world.channel, "privacy show")
    assert "• langue de vos MP: fr" in shown.reply.content
    # /privacy delete forgets it with the rest.
    asked = await fd.slash(world.alice, world.channel, "privacy delete")
    await fd.click(world.alice, asked.reply, asked.reply.buttons()[0]["custom_id"])
    assert await bot.store.members.locale(world.alice.id) is None


async def test_an_airing_thread_opens_in_the_servers_language(
    runner: BotRunner, settings: Settings, world: Scene, data_dir: Path
) -> None:
    world.guild.preferred_locale = "fr"
    air_at(data_dir, time.time() + 10)
    await runner.start(dataclasses.replace(settings, data_dir=data_dir))
    await follow_airing(world)
    assert await eventually(lambda: announcements(world), within=25)
    [post] = announcements(world)
    assert post.content.startswith("📺 **For All Mankind S4E6 · Leningrad** est diffusé en ce")
    assert "Discussion (spoilers jusqu'à S4E6) : <#" in post.content and fits(post.content)
    [thread] = world.fd.threads(world.guild)
    assert thread.name == "For All Mankind S4E6 · Leningrad — spoilers jusqu'à S4E6"


async def test_new_episode_dms_come_in_each_followers_language(
    runner: BotRunner, settings: Settings, world: Scene, data_dir: Path
) -> None:
    fd = world.fd
    own = dataclasses.replace(settings, data_dir=data_dir)
    await runner.start(own)
    world.alice.user.locale, world.bob.user.locale = "fr", "de"
    for member in (world.alice, world.bob):
        await fd.slash(member, world.channel, "follow show", show=SHOW)
    await runner.stop()
    path = data_dir / "for-all-mankind.toml"
    path.write_text(path.read_text(encoding="utf-8") + NEW_EPISODE, encoding="utf-8")
    await runner.start(own)
    assert await eventually(lambda: fd.dms(world.alice) and fd.dms(world.bob))
    [french] = [m.content for m in fd.dms(world.alice)]
    assert french.startswith("📺 1 nouvel épisode de **For All Mankind** est arrivé")
    assert "-# Vous suivez cette série sur Watchers." in french and fits(french)
    [german] = [m.content for m in fd.dms(world.bob)]
    assert german.startswith("📺 1 neue Folge von **For All Mankind** ist im Katalog:")
    assert "-# Du folgst dieser Serie auf Watchers." in german and fits(german)


async def test_a_start_dm_in_the_members_language(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    world.guild.preferred_locale = "de"
    await runner.start(settings)
    world.alice.user.locale = "fr"
    on = await fd.slash(world.alice, world.channel, "reminders dm", setting="on")
    assert on.reply.content.startswith("Je vous enverrai un MP")
    ix = await fd.slash(
        world.mod, world.channel, "watchparty schedule", start="in 3s", length="1h", **EPISODE
    )
    await ix.wait_for_messages()
    event = fd.scheduled_events(world.guild)[0]
    for member in (world.alice, world.bob):
        await fd.mark_interested(event, member)
    assert await eventually(lambda: fd.dms(world.alice) and fd.dms(world.bob), within=10)
    [french] = [m.content for m in fd.dms(world.alice)]
    assert french.startswith("🍿 La soirée de visionnage de For All Mankind **S4E6 · Leningrad**")
    assert "sur Watchers commence maintenant" in french and fits(french)
    # Bob never said: the server's German.
    [german] = [m.content for m in fd.dms(world.bob)]
    assert "auf Watchers beginnt jetzt" in german and "„Interessiert“" in german


async def test_the_progress_undo_in_the_members_language(
    runner: BotRunner, settings: Settings, world: Scene
) -> None:
    fd = world.fd
    await runner.start(settings)
    world.alice.user.locale = "fr"
    await fd.slash(world.alice, world.channel, "progress follow-parties", setting="on")
    ix = await fd.slash(
        world.mod, world.channel, "watchparty schedule", start="in 2s", length="3s", **EPISODE
    )
    await ix.wait_for_messages()
    assert await eventually(lambda: said(world, "is starting now"), within=6)
    [reminder] = said(world, "is starting now")
    assert attend_button(reminder)["label"] == "I'm watching"  # the server's English
    joined = await fd.click(world.alice, reminder, attend_button(reminder)["custom_id"])
    assert joined.text().startswith("Vous regardez avec nous : bon visionnage !")
    again = await fd.click(world.alice, reminder, attend_button(reminder)["custom_id"])
    assert again.text() == "Vous êtes déjà compté parmi les spectateurs de cette soirée."
    assert await eventually(lambda: fd.dms(world.alice), within=10)
    [note] = fd.dms(world.alice)
    [undo] = note.buttons()
    assert undo["label"] == "Annuler"  # her language, recorded by her click
    undone = await fd.click(world.alice, note, undo["custom_id"])
    assert acked_in_time(undone)
    assert undone.text() == (
        "Annulé : vous n'avez plus de progression indiquée pour For All Mankind, comme avant."
    )
    world.alice.user.locale = "de"
    twice = await fd.click(world.alice, note, undo["custom_id"])
    assert twice.text().startswith("Schon rückgängig gemacht: Dein Fortschritt für")
