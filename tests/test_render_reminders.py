"""Reminder and new-episode texts: hostile titles stay inert, batches fit one message."""

from __future__ import annotations

from bot import limits
from bot.models import Episode, NewEpisodes, Party, Show
from bot.render import follows, parties
from harness.fakediscord import rules

HOSTILE = Show(slug="x", title="<@&42> @everyone <@7> ||Margo lives||", id=1)
ROLE = 555


def episode(number: int, title: str = "Pilot") -> Episode:
    return Episode(season=1, number=number, title=title, synopsis="", recap="", ending="")


PARTY = Party(1, 9, 2, 3, 4, 1_800_000_000.0, 1_800_003_600.0, None, None, None, None, None)


def role_only(content: str) -> list[str]:
    """Who the text pings as the bot sends reminders: only the listed role allowed."""
    body = {"content": content, "allowed_mentions": {"parse": [], "roles": [str(ROLE)]}}
    return rules.pings(body)


def no_mentions(content: str) -> list[str]:
    """As the bot sends everything else (AllowedMentions.none())."""
    return rules.pings({"content": content, "allowed_mentions": {"parse": []}})


def test_reminders_ping_the_role_and_nothing_a_title_says() -> None:
    texts = [
        parties.with_ping(parties.early_reminder(HOSTILE, episode(1), PARTY, "<#3>"), ROLE),
        parties.with_ping(parties.reminder(HOSTILE, episode(1), PARTY, "<#3>", 0.0), ROLE),
    ]
    for text in texts:
        assert role_only(text) == [f"<@&{ROLE}>"]
        assert "||Margo" not in text  # the spoiler bars are escaped too
    assert texts[0].startswith(f"<@&{ROLE}> 🍿 Starting <t:1800000000:R>")
    assert parties.with_ping("hi", None) == "hi"


def test_a_reminder_dm_pings_nobody() -> None:
    text = parties.reminder_dm(HOSTILE, episode(1), PARTY, "@everyone's server", "https://x")
    assert no_mentions(text) == [] and "\\@everyone" in text


def test_a_long_batch_of_new_episodes_is_summed_up_in_one_message() -> None:
    batch = NewEpisodes(HOSTILE, tuple(episode(n, "A" * 90) for n in range(1, 40)))
    text = follows.new_episodes(batch) + "\n" + follows.follow_footer("S" * 200)
    assert len(text) <= limits.CONTENT
    assert "39 new episodes" in text and "… and 29 more." in text
    assert no_mentions(text) == [] and "\\@everyone" in text
    one = follows.new_episodes(NewEpisodes(HOSTILE, (episode(3, "Relay"),)))
    assert "A new episode of" in one and "S1E3 · Relay" in one
