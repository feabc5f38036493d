"""TVmaze's data is CC BY-SA: every page that shows it credits TVmaze with a link, within
Discord's limits; a hand-written show carries no credit."""

from __future__ import annotations

import dataclasses

from bot import limits
from bot.models import Credit, Episode, Party, Show
from bot.render import parties
from bot.render.episodes import cast_page

FROM_TVMAZE = Show(slug="orbital-relay", title="Orbital Relay", id=1, tvmaze_id=4401)
BY_HAND = dataclasses.replace(FROM_TVMAZE, tvmaze_id=None)
LINK = "https://www.tvmaze.com/shows/4401"
PARTY = Party(1, 9, 2, 3, 4, 1_800_000_000.0, 1_800_003_600.0, None, None, None, None, None)


def episode(synopsis: str) -> Episode:
    return Episode(season=1, number=1, title="First Light", synopsis=synopsis, recap="", ending="")


def test_cast_pages_credit_tvmaze_with_a_link_on_every_page() -> None:
    # The longest names the format allows, enough for several pages.
    credits = [Credit(f"{i:02d}" + "a" * 98, "c" * limits.ACTOR) for i in range(45)]
    pages = [cast_page(FROM_TVMAZE, credits, "All episodes", n) for n in (1, 2, 3)]
    for page in pages:
        text = page.embed.description or ""
        assert text.endswith(f"Show data: [TVmaze]({LINK}) (CC BY-SA)")
        assert len(text) <= limits.EMBED_DESCRIPTION
    assert "TVmaze" not in (cast_page(BY_HAND, credits, "All", 1).embed.description or "")


def test_a_watch_party_announcement_credits_tvmaze_with_a_link() -> None:
    embed = parties.announcement(
        FROM_TVMAZE, episode("The crew arrives."), PARTY, "<#3>", "https://discord.com/events/9/1"
    )
    assert f"Show data: [TVmaze]({LINK}) (CC BY-SA)" in (embed.description or "")
    plain = parties.announcement(BY_HAND, episode("The crew arrives."), PARTY, "<#3>", None)
    assert "TVmaze" not in (plain.description or "")


def test_an_event_description_credits_tvmaze_within_1000_characters() -> None:
    longest = " ".join(["word"] * 400)  # a synopsis at the format's 1,000 characters and over
    where = "#" + "w" * 120
    text = parties.event_description(FROM_TVMAZE, episode(longest), where)
    assert len(text) <= limits.EVENT_DESCRIPTION
    assert text.endswith(f"Show data: TVmaze (CC BY-SA), {LINK}")
    assert text.startswith("word word") and "Where: #www" in text
    assert "TVmaze" not in parties.event_description(BY_HAND, episode(longest), where)
    assert parties.event_description(FROM_TVMAZE, episode(""), "#general").startswith("Where:")
