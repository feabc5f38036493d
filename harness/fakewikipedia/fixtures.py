"""Invented wiki articles in the shapes English Wikipedia's episode lists take.

Every show, title and sentence here is the project's own invention. Each awkward case the
Wikipedia source must survive has a page: a list with two-part rows, segments and specials
(`Lighthouse Keepers`), a list split into season articles (`Night Ferry`), a redirect, a
disambiguation page, and generated shows of any size for the benchmarks.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FakePage:
    title: str
    text: str
    revision: int
    redirect_to: str | None = None
    disambiguation: bool = False


def episode_row(
    overall: int,
    number: str,
    title: str,
    date: tuple[int, int, int] | None,
    summary: str,
) -> str:
    aired = f"{{{{Start date|{date[0]}|{date[1]}|{date[2]}}}}}" if date else "TBA"
    return (
        "{{Episode list\n"
        f" | EpisodeNumber   = {overall}\n"
        f" | EpisodeNumber2  = {number}\n"
        f' | Title           = "{title}"\n'
        " | DirectedBy      = Invented Director\n"
        f" | OriginalAirDate = {aired}\n"
        f" | ShortSummary    = {summary}\n"
        " | LineColor       = 1F4E79\n"
        "}}\n"
    )


def table(rows: list[str]) -> str:
    return "{{Episode table |background=#1F4E79 |overall=5 |season=5 |title=24 |airdate=14\n" + (
        " |episodes =\n" + "".join(rows) + "}}\n"
    )


# Summaries with the markup a real list carries: links, nested templates, refs, comments,
# bold and italics, and text that must stay text in Discord (`||`, `@everyone`, `*`).
KEEPERS_S1 = [
    episode_row(
        1,
        "1",
        "First Light",
        (2021, 3, 4),
        "Wren arrives on [[Skerry Isle (fictional)|Skerry Isle]] to take over the lamp from "
        "'''Old Tam''', who has kept it for {{convert|40|years}} and will not say why he is "
        "leaving.<ref>{{cite web|title=Invented Source|url=https://example.org/a}}</ref> "
        "<!-- editors: keep this short --> The supply boat does not come back.",
    ),
    episode_row(
        2,
        "2",
        "Fog Signal",
        (2021, 3, 11),
        "A fog rolls in for {{nowrap|three days}}. Wren finds Tam's log, written in "
        "''another hand'', and a note that reads {{\"|keep the horn going}}. "
        "A stranger on the radio says {{!}}{{!}}the lamp was never lit{{!}}{{!}} and asks for @everyone "
        'by name.<ref name="log" /> Wren answers *anyway*.',
    ),
    episode_row(
        3,
        "3",
        "The Tender",
        (2021, 3, 18),
        "The tender [[Marigold (boat)|''Marigold'']] brings a relief keeper, Ansel, "
        "who knew Tam {{snd}} and knew the lamp before it was electric."
        "<ref>{{cite news |title={{lang|en|Nested}} source |date=2021}}</ref>\n\n"
        "That night the light fails for eleven minutes. [[File:Lamp.jpg|thumb|A lamp]]",
    ),
]

KEEPERS_S2 = [
    episode_row(
        4,
        "1",
        "Low Water",
        (2022, 5, 2),
        "A spring tide uncovers the old causeway, and Wren walks to the mainland for the "
        "first time in a year. [https://example.org/tides Tide tables] say she has four hours.",
    ),
    # Segments of one episode, as animated shows list them.
    episode_row(5, "2a", "Gull Count", (2022, 5, 9), "Ansel counts gulls for a census."),
    episode_row(
        5, "2b", "Salt Lines", (2022, 5, 9), "Wren repaints the salt lines on the gallery."
    ),
    # A two-part story in one row, both parts shown the same night: two episodes, one summary.
    episode_row(
        6,
        "3–4",
        "The Long Watch",
        (2022, 5, 16),
        "Through one long night a ship drifts closer to the reef while the radio stays dead, and "
        "Wren and Ansel take turns on the gallery.",
    ),
]

KEEPERS_SPECIALS = [
    episode_row(
        0,
        "—",
        "Keepers' Christmas",
        (2021, 12, 24),
        "A special: the keepers swap presents by lamplight.",
    ),
]

KEEPERS_LIST = (
    "{{Short description|None}}\n"
    "'''''Lighthouse Keepers''''' is an invented television drama.<ref>Invented.</ref>\n"
    "== Series overview ==\n{{Series overview|color1=#1F4E79}}\n"
    "== Episodes ==\n=== Season 1 (2021) ===\n"
    + table(KEEPERS_S1)
    + "=== Season 2 (2022) ===\n"
    + table(KEEPERS_S2)
    + "=== Specials ===\n"
    + table(KEEPERS_SPECIALS)
    + "== References ==\n{{Reflist}}\n"
)


def night_ferry_season(season: int, titles: list[str], year: int) -> str:
    rows = [
        episode_row(
            (season - 1) * 10 + i + 1,
            str(i + 1),
            title,
            (year, 9, 1 + 7 * i),
            f"On crossing {i + 1} of season {season}, the ferry {title.lower()}.",
        )
        for i, title in enumerate(titles)
    ]
    return (
        f"The '''{_ordinal(season)} season''' of ''[[Night Ferry]]'' is invented.\n"
        "== Episodes ==\n" + table(rows) + "== References ==\n{{Reflist}}\n"
    )


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(n, f"{n}th")


NIGHT_FERRY_LIST = (
    "'''''Night Ferry''''' is an invented series.\n"
    "== Episodes ==\n"
    "=== Season 1 (2019) ===\n{{Main|Night Ferry season 1}}\n{{:Night Ferry season 1}}\n"
    "=== Season 2 (2020) ===\n{{Main|Night Ferry season 2}}\n{{:Night Ferry season 2}}\n"
)

CROSSING_DISAMBIGUATION = (
    "'''Crossing''' may refer to:\n* [[Crossing (invented drama)]]\n"
    "* [[Crossing (invented game show)]]\n{{Disambiguation}}\n"
)


def standard_pages() -> list[FakePage]:
    """The awkward cases, each a page of its own."""
    return [
        FakePage("List of Lighthouse Keepers episodes", KEEPERS_LIST, 9001),
        FakePage(
            "List of The Lighthouse Keepers episodes",
            "#REDIRECT [[List of Lighthouse Keepers episodes]]",
            9002,
            redirect_to="List of Lighthouse Keepers episodes",
        ),
        FakePage("List of Night Ferry episodes", NIGHT_FERRY_LIST, 9100),
        FakePage(
            "Night Ferry season 1",
            night_ferry_season(1, ["Leaves Late", "Turns Back", "Runs Aground"], 2019),
            9101,
        ),
        FakePage(
            "Night Ferry season 2",
            night_ferry_season(2, ["Takes On Water", "Reaches Port"], 2020),
            9102,
        ),
        FakePage("List of Crossing episodes", CROSSING_DISAMBIGUATION, 9200, disambiguation=True),
    ]


def generated_show(name: str, seasons: int, per_season: int) -> list[FakePage]:
    """A show whose list page transcludes one article per season, for the benchmarks."""
    pages = []
    listing = f"'''''{name}''''' is generated.\n== Episodes ==\n"
    for season in range(1, seasons + 1):
        title = f"{name} season {season}"
        listing += f"=== Season {season} ===\n{{{{:{title}}}}}\n"
        rows = [
            episode_row(
                (season - 1) * per_season + i,
                str(i),
                f"Chapter {season}-{i}",
                (2000 + season, 1 + i % 12, 1 + i % 27),
                generated_summary(season * 1000 + i),
            )
            for i in range(1, per_season + 1)
        ]
        pages.append(FakePage(title, "== Episodes ==\n" + table(rows), 20_000 + season))
    pages.append(FakePage(f"List of {name} episodes", listing, 20_000))
    return pages


def generated_summary(seed: int) -> str:
    """About 600 characters of wikitext with the usual markup, different for each seed."""
    return (
        f"In part {seed}, [[Invented Character {seed % 7}|the keeper]] and '''Ansel''' follow "
        f'a signal across {{{{convert|{seed % 90 + 10}|km}}}} of open water.<ref name="n{seed}">'
        "{{cite web |title=Invented |url=https://example.org/}}</ref> <!-- hidden note --> "
        f"''The lamp'' burns for {{{{nowrap|{seed % 12 + 1} hours}}}} while the crew argues about "
        "the log, the radio and the tide. [[Skerry Isle]] appears again, now with a new jetty, "
        "and an old friend returns with news from the mainland that changes the winter plans. "
        f"By the end, the signal is traced to a buoy numbered {seed}, and nobody believes it."
    )
