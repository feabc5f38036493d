"""Wikitext to plain text, episode-list parsing and matching (pure code, no network)."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given
from hypothesis import strategies as st

from bot.catalog.sources.wikipedia.match import Sourced, Target, match, normal_title
from bot.catalog.sources.wikipedia.parse import (
    ParsedEntry,
    is_disambiguation,
    parse_list,
    plain_text,
    season_articles,
)
from bot.render.text import escape
from harness.fakewikipedia.fixtures import (
    CROSSING_DISAMBIGUATION,
    KEEPERS_LIST,
    NIGHT_FERRY_LIST,
    generated_summary,
)

RESIDUE = re.compile(r"\[\[|\]\]|\{\{|\}\}|<ref|<!--|''|</?\w+>")


def test_links_templates_refs_and_comments_become_plain_text() -> None:
    text = plain_text(
        "[[Skerry Isle (fictional)|Skerry Isle]] and [[Ansel]] meet "
        "'''Old Tam'''<ref>{{cite web|title={{lang|en|Nested}}|url=https://example.org}}</ref>"
        "<!-- hidden --> for {{convert|40|years}} with ''[[Marigold (boat)|Marigold]]''"
        '<ref name="x" /> [https://example.org/tides tide tables] [[File:Lamp.jpg|thumb|A lamp]]'
        " {{Efn|a footnote}} &amp; {{nowrap|three days}}{{snd}}done."
    )
    assert text == (
        "Skerry Isle and Ansel meet Old Tam for 40 years with Marigold tide tables "
        "& three days – done."
    )


def test_paragraphs_survive_and_whitespace_folds() -> None:
    assert plain_text("One\n  line.\n\n\nTwo<br />lines.") == "One line.\n\nTwo lines."


def test_text_that_means_something_to_discord_stays_text_until_escaped() -> None:
    text = plain_text("says {{!}}{{!}}never lit{{!}}{{!}} to @everyone *twice* <@123>")
    assert text == "says ||never lit|| to @everyone *twice* <@123>"
    shown = escape(text)
    assert "\\|\\|never lit\\|\\|" in shown and "\\@everyone" in shown and "\\*twice\\*" in shown
    assert "\\<\\@123\\>" in shown


def test_broken_markup_leaves_no_residue() -> None:
    for wikitext in ("an [[unclosed link", "a {{broken template", "''open italics", "x}} y]]"):
        assert not RESIDUE.search(plain_text(wikitext)), wikitext


@given(st.text(alphabet="[]{}|'<>!-=ab \n", max_size=60))
def test_no_markup_residue_from_any_bracket_soup(wikitext: str) -> None:
    assert not RESIDUE.search(plain_text(wikitext))


def test_generated_summaries_come_out_clean() -> None:
    for seed in range(50):
        text = plain_text(generated_summary(seed))
        assert not RESIDUE.search(text) and "cite web" not in text and "hidden note" not in text
        assert f"buoy numbered {seed}" in text


def test_episode_list_rows_with_seasons_parts_and_specials() -> None:
    rows = parse_list(KEEPERS_LIST)
    assert [(r.season, r.numbers, r.part, r.title) for r in rows] == [
        (1, (1,), "", "First Light"),
        (1, (2,), "", "Fog Signal"),
        (1, (3,), "", "The Tender"),
        (2, (1,), "", "Low Water"),
        (2, (2,), "a", "Gull Count"),
        (2, (2,), "b", "Salt Lines"),
        (2, (3, 4), "", "The Long Watch"),
        (None, (), "", "Keepers' Christmas"),
    ]
    assert rows[0].air_date == dt.date(2021, 3, 4)
    assert rows[2].summary.endswith("That night the light fails for eleven minutes.")
    assert "\n\n" in rows[2].summary and rows[-1].special


def test_season_articles_and_disambiguation_are_recognised() -> None:
    assert season_articles(NIGHT_FERRY_LIST) == ["Night Ferry season 1", "Night Ferry season 2"]
    assert parse_list(NIGHT_FERRY_LIST) == []
    assert is_disambiguation(CROSSING_DISAMBIGUATION)
    assert not is_disambiguation(KEEPERS_LIST)


def test_plain_dates_and_missing_dates() -> None:
    row = (
        "{{Episode list |EpisodeNumber2=1 |Title=A |OriginalAirDate=March 4, 2021 "
        "|ShortSummary=x}}{{Episode list |EpisodeNumber2=2 |Title=B |OriginalAirDate=TBA}}"
    )
    first, second = parse_list(row, 3)
    assert (first.season, first.air_date) == (3, dt.date(2021, 3, 4))
    assert second.air_date is None and second.summary == ""


def sourced(entry: ParsedEntry) -> Sourced:
    return Sourced(entry, "List of Lighthouse Keepers episodes", 9001)


def test_matching_checks_title_and_air_date_and_says_why() -> None:
    rows = [sourced(r) for r in parse_list(KEEPERS_LIST)]
    targets = [
        Target(1, 1, "First Light", dt.date(2021, 3, 5)),  # a day later: time zones
        Target(1, 2, "Fog Signal", dt.date(2021, 3, 20)),  # nine days off
        Target(1, 3, "The Tender"),  # no date: only the title is checked
        Target(2, 1, "Low Tide", dt.date(2022, 5, 2)),
        Target(2, 2, "Gull Count"),
        Target(2, 3, "The Long Watch, Part One"),
        Target(2, 4, "The Long Watch, Part Two"),
    ]
    report = match(rows, targets)
    assert [(m.target.season, m.target.number) for m in report.matched] == [
        (1, 1),
        (1, 3),
        (2, 2),
        (2, 3),
        (2, 4),
    ]
    assert report.mismatched == [
        "S1E2: air date differs: Wikipedia 2021-03-11, data file 2021-03-20",
        "S2E1: title differs: Wikipedia “Low Water”, data file “Low Tide”",
    ]
    assert report.unmatched == [
        "special “Keepers' Christmas”: specials have no recap in the data file"
    ]
    segments = next(m for m in report.matched if m.target.number == 2)
    assert segments.summary.split("\n\n") == [
        "Ansel counts gulls for a census.",
        "Wren repaints the salt lines on the gallery.",
    ]


def test_rows_for_episodes_the_file_lacks_are_reported() -> None:
    rows = [sourced(r) for r in parse_list(KEEPERS_LIST)][:2]
    report = match(rows, [Target(1, 1, "First Light")])
    assert report.unmatched == ["S1E2 “Fog Signal”: not in the data file"]


def test_normal_titles() -> None:
    assert normal_title("The Long Watch (2)") == normal_title("the long watch")
    assert normal_title("Café Nights, Part 2") == normal_title("Cafe Nights")
    assert normal_title("Fog Signal") != normal_title("Fog Signals Again")
