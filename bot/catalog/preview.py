"""`python -m bot preview`: what members would see, read from a data file, offline.

The pages come from the bot's own renderers (bot/render/episodes.py), fed straight from a
parsed data file, so an author can look before importing, with no token and no network.
`python -m bot check` runs every episode through the same renderers (`problems`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import discord

from .. import limits
from ..models import Credit, EpisodeFile, ShowFile
from ..render import episodes as render
from . import datafiles
from .datafiles import DataFileError

KINDS = ("recap", "cast", "ending", "card")
_CODE = re.compile(r"^\s*s?(\d{1,4})\s*[ex]\s*(\d{1,5})\s*$", re.I)


class PreviewError(Exception):
    """What the author asked for is not there; the message says what is."""


@dataclass(frozen=True)
class Rendered:
    """One page as a command would send it, or the renderer's refusal."""

    number: int
    total: int
    embed: discord.Embed | None
    problem: str | None = None


def cast_of(data: ShowFile, item: EpisodeFile) -> list[Credit]:
    """The credits /cast lists for one episode, as the store merges them: each actor once,
    show-wide credits first, each group in billing order."""
    merged: dict[str, tuple[int, int, str | None]] = {}
    for group, credits in ((0, data.cast), (1, item.cast)):
        for billing, c in enumerate(credits):
            old = merged.get(c.actor)
            if old is None:
                merged[c.actor] = (group, billing, c.character)
            else:
                character = max((x for x in (old[2], c.character) if x), default=None)
                merged[c.actor] = (min(old[0], group), min(old[1], billing), character)
    ordered = sorted(merged.items(), key=lambda kv: (kv[1][0], kv[1][1], kv[0]))
    return [Credit(actor, character) for actor, (_, _, character) in ordered]


def pages(data: ShowFile, item: EpisodeFile, kind: str) -> Iterator[Rendered]:
    """Every page of `kind` for one episode, through the real renderers."""
    show, episode = data.show, item.episode
    draw: Callable[[int], render.Page]
    if kind == "card":
        draw = lambda _: render.Page(render.safe_card(show, episode), 1, 1)  # noqa: E731
    elif kind == "recap":
        draw = lambda n: render.recap_page(show, episode, n)  # noqa: E731
    elif kind == "ending":
        draw = lambda n: render.ending_page(show, episode, n)  # noqa: E731
    else:
        credits, scope = cast_of(data, item), render.cast_scope(episode.season, episode)
        draw = lambda n: render.cast_page(show, credits, scope, n)  # noqa: E731
    number, total = 1, 1
    while number <= total:
        try:
            page = draw(number)
        except ValueError as error:  # limits.check_embed: Discord would refuse this page
            yield Rendered(number, total, None, str(error))
            total = max(total, _page_count(data, item, kind))
        else:
            total = page.total
            yield Rendered(number, total, page.embed)
        number += 1


def _page_count(data: ShowFile, item: EpisodeFile, kind: str) -> int:
    """How many pages there are when a page cannot be drawn to say so itself."""
    if kind == "recap":
        return max(1, len(render.recap_pages(item.episode)))
    if kind == "ending":
        return max(1, len(render.ending_pages(item.episode)))
    if kind == "cast":
        return len(render.cast_pages(cast_of(data, item)))
    return 1


def problems(data: ShowFile) -> Iterator[str]:
    """Every page of every episode that Discord would refuse, one line each."""
    for item in data.episodes:
        for kind in KINDS:
            for page in pages(data, item, kind):
                if page.problem:
                    yield f"{item.episode.label}: {kind} page {page.number}: {page.problem}"


def describe(page: Rendered) -> list[str]:
    """A page as text: each part of the embed on its own, spoiler tags as they are sent."""
    head = f"── page {page.number} of {page.total}"
    embed = page.embed
    if embed is None:
        return [f"{head} ── NOT SENDABLE: {page.problem}"]
    lines = [f"{head} ({limits.embed_total(embed):,} of {limits.EMBED_TOTAL:,} characters) ──"]
    if embed.author.name:
        lines.append(f"author: {embed.author.name}")
    lines.append(f"title: {embed.title}")
    lines += ["description:", *(f"  {line}" for line in (embed.description or "").splitlines())]
    lines += [f"field {f.name}: {f.value}" for f in embed.fields]
    if embed.footer.text:
        lines.append(f"footer: {embed.footer.text}")
    return lines


def find(show: str, data_dir: Path) -> tuple[Path, ShowFile]:
    """The data file named by a path, a slug or a title; raises PreviewError, DataFileError."""
    path = Path(show)
    if path.suffix == ".toml" and path.is_file():
        return path, datafiles.load(path)
    candidate = data_dir / f"{show}.toml"
    if candidate.is_file():
        return candidate, datafiles.load(candidate)
    for path in sorted(data_dir.glob("*.toml")):
        try:
            parsed = datafiles.load(path)
        except DataFileError:
            continue
        if show.casefold() in (parsed.show.slug, parsed.show.title.casefold()):
            return path, parsed
    raise PreviewError(f"no data file in {data_dir} for a show called “{show}”")


def episode_of(data: ShowFile, wanted: str) -> EpisodeFile:
    """The episode named by a code ("S4E6", "4x06") or a title."""
    match = _CODE.match(wanted)
    for item in data.episodes:
        e = item.episode
        if match and (e.season, e.number) == (int(match[1]), int(match[2])):
            return item
        if not match and e.title.casefold() == wanted.strip().casefold():
            return item
    known = ", ".join(item.episode.code for item in data.episodes[:10]) or "none"
    raise PreviewError(f"{data.show.title} has no episode “{wanted}” (it has: {known})")


def preview(kind: str, show: str, episode: str, data_dir: Path) -> tuple[list[str], bool]:
    """The printed preview, and whether every page would be sent."""
    path, data = find(show, data_dir)
    item = episode_of(data, episode)
    rendered = list(pages(data, item, kind))
    lines = [f"{path.name}: {data.show.title} · {item.episode.label}: /{kind}, as members see it"]
    for page in rendered:
        lines += ["", *describe(page)]
    return lines, all(page.problem is None for page in rendered)
