"""Finding a show's episode list on Wikipedia, and the season articles it sends readers to."""

from __future__ import annotations

from dataclasses import dataclass, field

from ....i18n import _
from .client import Page, WikipediaClient, WikipediaError
from .match import Sourced
from .parse import is_disambiguation, parse_list, season_articles, season_of


@dataclass
class Found:
    """The list article read, the season articles it led to, and every row they hold."""

    article: Page
    seasons: list[Page] = field(default_factory=list)
    rows: list[Sourced] = field(default_factory=list)


async def find_list(client: WikipediaClient, show_title: str, article: str | None) -> Page:
    """The article named, else "List of <show> episodes", else the best search hit."""
    if article:
        return _usable(await _one(client, article), named=True)
    guess = f"List of {show_title} episodes"
    page = await _one(client, guess)
    if page.missing:
        hits = await client.search(f'"{show_title}" episodes')
        wanted = [h for h in hits if h.casefold().startswith("list of")]
        if not wanted:
            raise WikipediaError(
                # Translators: keep "--article TITLE" as it is: in Discord it becomes a command.
                _(
                    "Wikipedia has no “{article}” and no search hit like it: name the article "
                    "with --article TITLE."
                ).format(article=guess)
            )
        page = await _one(client, wanted[0])
    return _usable(page, named=False)


async def _one(client: WikipediaClient, title: str) -> Page:
    return (await client.pages([title]))[title]


def _usable(page: Page, *, named: bool) -> Page:
    if page.missing and named:
        raise WikipediaError(
            _("Wikipedia has no article “{article}”: check the title.").format(article=page.title)
        )
    if page.missing:
        raise WikipediaError(
            # Translators: keep "--article TITLE" as it is: in Discord it becomes a command.
            _(
                "Wikipedia has no article “{article}”: name the article with --article TITLE."
            ).format(article=page.title)
        )
    if page.disambiguation or is_disambiguation(page.text):
        raise WikipediaError(
            # Translators: keep "--article TITLE" as it is: in Discord it becomes a command.
            _(
                "“{article}” is a disambiguation page on Wikipedia: name the show's episode "
                "list with --article TITLE."
            ).format(article=page.title)
        )
    return page


async def read_rows(client: WikipediaClient, page: Page) -> Found:
    """Every episode row of the list and of the season articles it transcludes or names;
    the season articles are fetched 50 titles a call. A season article's row wins over the
    list's row for the same episode (the list often carries only titles and dates)."""
    found = Found(page)
    by_slot: dict[tuple[int | None, tuple[int, ...], str], Sourced] = {}
    order: list[tuple[int | None, tuple[int, ...], str]] = []

    def add(rows: list[Sourced]) -> None:
        for row in rows:
            e = row.entry
            key = (e.season, e.numbers, e.part if e.numbers else e.title)
            if key not in by_slot:
                order.append(key)
            elif not row.entry.summary and by_slot[key].entry.summary:
                continue
            by_slot[key] = row

    add([Sourced(e, page.title, page.revision) for e in parse_list(page.text)])
    titles = season_articles(page.text)
    if titles:
        fetched = await client.pages(titles)
        for title in titles:
            season = fetched[title]
            if season.missing or season.disambiguation:
                continue
            found.seasons.append(season)
            rows = parse_list(season.text, season_of(season.title) or season_of(title))
            add([Sourced(e, season.title, season.revision) for e in rows])
    found.rows = [by_slot[key] for key in order]
    return found
