"""The choosing-together renderers hold Discord's limits and keep member text inert."""

from __future__ import annotations

from bot import i18n, limits
from bot.models import Episode, Mode, Poll, Show, Suggestion, Tally
from bot.render import pages
from bot.render import together as render

HOSTILE = "||@everyone <@&1> **`" * 20


def suggestion(n: int) -> Suggestion:
    return Suggestion(
        id=n,
        guild_id=1,
        show_key=f"tvmaze:{n}",
        title=(HOSTILE + str(n))[: limits.TITLE_MAX],
        suggested_by=10**17 + n,
        suggested_at=1_700_000_000.0,
        note=HOSTILE[: limits.SUGGESTION_NOTE],
    )


def tally(counts: tuple[int, ...]) -> Tally:
    poll = Poll(1, 1, 1, 1, 1, "What next?", Mode.LIVE, None, 0.0, 1.0, 1.0, 0, 0, ("a", "b"))
    return Tally(poll, counts)


def test_a_full_suggestion_list_is_paged_within_limits_and_leaves_nothing_out() -> None:
    embeds = render.suggestion_pages([suggestion(n) for n in range(limits.SUGGESTIONS)])
    assert len(embeds) > 1
    lines = []
    for number, embed in enumerate(embeds, 1):
        description = embed.description or ""
        assert limits.embed_total(embed) <= limits.EMBED_TOTAL
        assert embed.footer.text and embed.footer.text.endswith(f"Page {number} of {len(embeds)}")
        assert "@everyone" not in description.replace("\\@everyone", "")
        assert "||" not in description.replace("\\|\\|", "")
        lines += description.splitlines()
    assert len(lines) == limits.SUGGESTIONS


def test_the_suggestion_list_in_french_and_german() -> None:
    listed = [suggestion(1)]
    with i18n.using("fr"):
        (embed,) = render.suggestion_pages(listed)
        assert embed.title == "Propositions" and "proposition de <@" in (embed.description or "")
        (empty,) = render.suggestion_pages([])
        assert (empty.description or "").startswith("Aucune proposition pour l'instant")
    with i18n.using("de"):
        (embed,) = render.suggestion_pages(listed)
        assert embed.title == "Vorschläge" and "noch nicht im Katalog" in (embed.description or "")


def test_the_winner_is_the_most_voted_and_a_tie_goes_to_the_first_listed() -> None:
    assert render.winner_index(tally((2, 3))) == 1
    assert render.winner_index(tally((3, 3))) == 0
    assert render.winner_index(tally((0, 0))) is None


def test_the_vote_reply_names_every_show_left_out_within_one_message() -> None:
    text = render.vote_opened(7, [suggestion(n) for n in range(30)])
    assert len(text) <= limits.CONTENT and "poll #7" in text


def test_a_catchup_page_is_within_limits_and_never_holds_an_ending() -> None:
    show = Show("s", "Show")
    episodes = [
        Episode(1, n, f"Title {n}", "syn", recap="word " * 5000, ending="ENDINGWORD")
        for n in range(1, 30)
    ]
    pages = render.catchup_pages(show, "S1E30", episodes)
    assert len(pages) > 1
    for page in pages:
        assert limits.embed_total(page) <= limits.EMBED_TOTAL
        assert "ENDINGWORD" not in (page.description or "")
    assert "Title 29" in (pages[0].description or "")  # newest first


def test_pages_hold_whole_blocks_in_order_each_under_the_budget() -> None:
    blocks = [f"block {n} " + "x" * 500 for n in range(30)]
    packed = pages.pack(blocks, head="HEAD")
    assert len(packed) > 1
    assert all(p.startswith("HEAD\n\n") and len(p) <= limits.PAGE_BUDGET for p in packed)
    assert [b for p in packed for b in p.split("\n\n")[1:]] == blocks
    assert pages.pack([], head="HEAD") == ["HEAD"]
    with i18n.using("de"):
        assert pages.footer("Nur für dich", 2, 3) == "Nur für dich · Seite 2 von 3"
        assert pages.footer("Nur für dich", 1, 1) == "Nur für dich"
