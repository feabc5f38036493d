"""The recap page's credit for Wikipedia's text: on every page, escaped, within limits."""

from __future__ import annotations

from bot import limits
from bot.models import MATCH_END, MATCH_START, DeepMatch, Episode, RecapSource, Show
from bot.render.credits import recap_credit
from bot.render.episodes import recap_page, recap_pages
from bot.render.search import deep_card

SHOW = Show(slug="night-ferry", title="Night Ferry")


def episode(recap: str, source: RecapSource | None) -> Episode:
    return Episode(
        season=1,
        number=2,
        title="Turns Back",
        synopsis="The ferry turns back.",
        recap=recap,
        ending="",
        recap_source=source,
    )


def test_every_page_of_a_long_recap_credits_the_revision_within_limits() -> None:
    # The longest title the format allows, made of characters that escaping doubles.
    source = RecapSource("wikipedia", "_[*]|" * (limits.ARTICLE // 5), 123456789)
    recap = "\n\n".join(f"Crossing {i}: the ferry turns back, again. " * 40 for i in range(12))
    item = episode(recap, source)
    total = len(recap_pages(item))
    assert total > 1
    for number in range(1, total + 1):
        embed = recap_page(SHOW, item, number).embed  # check_embed raises past any limit
        credit = [f for f in embed.fields if f.name == "Recap from Wikipedia"]
        assert len(credit) == 1 and credit[0].value is not None
        assert "(https://en.wikipedia.org/w/index.php?oldid=123456789)" in credit[0].value
        assert "CC BY-SA 4.0" in credit[0].value
        assert len(credit[0].value) <= limits.FIELD_VALUE
        assert len(embed) <= limits.EMBED_TOTAL


def test_article_title_cannot_break_the_link() -> None:
    credit = recap_credit(RecapSource("wikipedia", "List of [X](http://evil) episodes", 7))
    assert credit is not None
    assert credit[1].startswith("List of \\[X\\]\\(http\\://evil\\) episodes ([revision 7](")


def test_peoples_recaps_are_escaped_and_not_credited() -> None:
    # Every recap is text, whoever wrote it (bot/render/episodes.py): a person's too.
    page = recap_page(SHOW, episode("**Bold** by a person.", None), 1).embed
    assert page.description is not None
    assert page.description.endswith("\\*\\*Bold\\*\\* by a person.")
    assert all(f.name != "Recap from Wikipedia" for f in page.fields)
    borrowed = recap_page(
        SHOW, episode("**Not bold** from Wikipedia.", RecapSource("wikipedia", "A", 1)), 1
    )
    assert borrowed.embed.description is not None
    assert borrowed.embed.description.endswith("\\*\\*Not bold\\*\\* from Wikipedia.")


def test_a_search_passage_from_wikipedia_carries_the_credit() -> None:
    source = RecapSource("wikipedia", "List of Night Ferry episodes", 9100)
    match = DeepMatch(
        episode("The ferry turns back.", source),
        recap=f"the ferry {MATCH_START}turns{MATCH_END} back",
        ending="",
    )
    embed = deep_card(SHOW, match)
    assert [f.name for f in embed.fields] == ["Recap", "Recap from Wikipedia"]
    assert "oldid=9100" in str(embed.fields[1].value)
