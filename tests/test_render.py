"""Rendering is pure: these check what a member would read, and Discord's limits."""

from __future__ import annotations

import random
import re

import pytest

from bot import limits
from bot.models import Credit, Episode, Show
from bot.render.episodes import cast_page, ending_page, recap_page, recap_pages, safe_card
from bot.render.text import Spoiler, escape, one_line, split_pages

SHOW = Show(
    slug="night-shift", title="Night Shift", genres=("Drama",), runtime_min=40, runtime_max=50, id=1
)
WORDS = [
    "orbit",
    "capture",
    "treaty",
    "union",
    "asteroid",
    "leningrad",
    "negotiation",
    "workers",
    "bonus",
    "still",
    "vodka",
]


def episode(recap: str = "Short.", ending: str = "It ends.") -> Episode:
    return Episode(
        season=1,
        number=2,
        title="Pilot",
        synopsis="Set-up.",
        recap=recap,
        ending=ending,
        id=7,
        show_id=1,
    )


def prose(words: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    sentences = []
    while words > 0:
        n = min(words, rng.randint(6, 20))
        sentences.append(" ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + ".")
        words -= n
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
    return "\n\n".join(paragraphs)


def tokens(line: str) -> list[str]:
    """A line as Discord's markdown reads it: escaped pairs ("\\x"), "||" tags, other chars."""
    return re.findall(r"\\.|\|\||.", line, flags=re.S)


def unspoiled(description: str) -> str:
    """What a member reads once every spoiler is revealed, escapes undone."""
    return "".join(t[-1] if t.startswith("\\") else t for t in tokens(description) if t != "||")


def test_long_recap_pages_keep_every_word_and_cut_none() -> None:
    text = prose(4000)
    pages = recap_pages(episode(recap=text))
    assert len(pages) > 3
    assert all(len(p) <= limits.PAGE_BUDGET for p in pages)
    assert " ".join(" ".join(pages).split()).endswith(" ".join(text.split()))
    for number in range(1, len(pages) + 1):
        page = recap_page(SHOW, episode(recap=text), number)
        assert limits.embed_total(page.embed) <= limits.EMBED_TOTAL
        assert page.embed.footer.text and f"Page {number} of {len(pages)}" in page.embed.footer.text


def test_one_paragraph_without_breaks_still_splits_between_words() -> None:
    text = " ".join(["supercalifragilistic"] * 1000)
    pages = split_pages(text, 500)
    assert all(len(p) <= 500 for p in pages)
    assert {w for p in pages for w in p.split()} == {"supercalifragilistic"}


def test_only_a_word_longer_than_a_page_is_cut() -> None:
    assert split_pages("a" * 1200, 500) == ["a" * 500, "a" * 500, "a" * 200]


@pytest.mark.parametrize(
    "hostile",
    [
        "The end || not hidden || @everyone <@123> <@&456> `code` ```block``` **bold** ||",
        "ends with a backslash \\",
        "|" * 300,
        "> quote\n# heading\n- list\n[link](https://example.com)",
    ],
)
def test_ending_spoiler_tags_hold_against_hostile_text(hostile: str) -> None:
    page = ending_page(SHOW, episode(ending=hostile), 1)
    description = page.embed.description or ""
    warning, _, hidden = description.partition("\n\n")
    assert "Spoilers" in warning and hostile not in warning
    for line in hidden.splitlines():
        # Every line is one spoiler: starts and ends with the only unescaped `||` on it.
        parts = tokens(line)
        assert parts[0] == parts[-1] == "||" and "||" not in parts[1:-1], line
        assert not {"`", "*", "_", "@", "<", "|", "\\"} & set(parts), line
    assert unspoiled(hidden).split() == hostile.split()
    for text in (page.embed.title, page.embed.footer.text, page.embed.author.name):
        assert text and "||" not in text and hostile.split()[0] not in text.split(" — ")[0]


def test_long_ending_pages_stay_spoiler_tagged_and_fit() -> None:
    text = prose(3000, seed=2) + " |" * 2000
    page_one = ending_page(SHOW, episode(ending=text), 1)
    assert page_one.total > 1
    for number in range(1, page_one.total + 1):
        page = ending_page(SHOW, episode(ending=text), number)
        assert len(page.embed.description or "") <= limits.EMBED_DESCRIPTION
        assert (page.embed.description or "").split("\n\n", 1)[1].startswith("||")


def test_escape_makes_mentions_and_markdown_inert() -> None:
    assert escape("@everyone") == "\\@everyone"
    assert escape("<@123>") == "\\<\\@123\\>"
    assert escape("||x||") == "\\|\\|x\\|\\|"
    assert escape("a\\") == "a\\\\"


def test_one_line_cuts_at_a_word() -> None:
    assert one_line("alpha beta   gamma\ndelta", 14) == "alpha beta…"
    assert one_line("short", 10) == "short"


def test_cast_pages_of_twenty() -> None:
    credits = [Credit(actor=f"Actor {i}", character="Role" if i % 2 else None) for i in range(45)]
    pages = [cast_page(SHOW, credits, "All episodes", n) for n in (1, 2, 3)]
    assert [p.total for p in pages] == [3, 3, 3]
    assert (pages[0].embed.description or "").splitlines()[1] == "2. **Actor 1** as Role"
    assert len((pages[2].embed.description or "").splitlines()) == 5


def test_spoiler_wraps_each_line() -> None:
    assert str(Spoiler("one\n\ntwo")) == "||one||\n\n||two||"


def test_an_episode_nobody_has_written_yet_renders_plain_notes() -> None:
    """A TVmaze import brings episodes before people write their recap and ending."""
    show = Show(slug="orbital-relay", title="Orbital Relay", tvmaze_id=4401)
    bare = Episode(season=2, number=2, title="TBA", synopsis="", recap="", ending="")
    recap = recap_page(show, bare, 1).embed
    assert recap.description == "_No recap has been written for this episode yet._"
    assert recap.footer.text is not None and "TVmaze (CC BY-SA)" in recap.footer.text
    ending = ending_page(show, bare, 1).embed
    assert ending.description == "_Nobody has explained how this episode ends yet._"
    card = safe_card(show, bare)
    assert card.description == "_No spoiler-free synopsis yet._"
    assert card.footer.text == "Show data: TVmaze (CC BY-SA)"


def test_a_hand_written_show_carries_no_tvmaze_credit() -> None:
    show = Show(slug="my-show", title="My Show")
    episode = Episode(season=1, number=1, title="Pilot", synopsis="Set-up.", recap="R", ending="E")
    assert "TVmaze" not in (recap_page(show, episode, 1).embed.footer.text or "")
    assert safe_card(show, episode).footer.text is None


def test_recap_text_is_escaped_whoever_wrote_it() -> None:
    hostile = "The vote || leaks || @everyone <@123>\n\n```\nfence\n```\n**bold**"
    [page] = recap_pages(episode(recap=hostile))
    recap = page.split("\n\n", 1)[1]
    assert not {"`", "*", "@", "<", "|", "||"} & set(tokens(recap))
    assert unspoiled(recap).split() == hostile.split()
