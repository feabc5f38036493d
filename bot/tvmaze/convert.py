"""TVmaze's JSON turned into typed values, and its HTML summaries into plain text. Pure.

Escaping happens in one place only: the renderer. This module emits *plain text* (paragraphs
split by a blank line, <br> as a line break, bold and italics dropped to their words), and
every renderer already passes data-file text through `bot.render.text.escape`, so markdown,
spoiler bars and mentions in upstream text stay literal. Escaping here as well would show
people doubled backslashes, and would put Discord syntax into files that humans edit.

A malformed answer raises TvmazeError with a one-line message; fields TVmaze documents as
nullable (airdate, runtime, image, summary...) come through as None, never as an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from typing import Any

from .. import limits
from ..models import episode_code
from .errors import TvmazeError

# The data format's limits (bot/datafiles.py): titles are autocomplete choices, and a synopsis
# is the spoiler-free opening of a recap page.
TITLE_MAX, SYNOPSIS_MAX = limits.TITLE_MAX, limits.SYNOPSIS
# TVmaze episode types: "regular", "significant_special", "insignificant_special".
REGULAR = "regular"


@dataclass(frozen=True)
class ShowHit:
    """One search result."""

    tvmaze_id: int
    name: str
    score: float
    premiered: dt.date | None
    network: str | None


@dataclass(frozen=True)
class Season:
    tvmaze_id: int
    number: int
    episode_order: int | None
    premiere_date: dt.date | None
    end_date: dt.date | None


@dataclass(frozen=True)
class CastCredit:
    actor: str
    character: str | None


@dataclass(frozen=True)
class TvShow:
    tvmaze_id: int
    name: str
    genres: tuple[str, ...] = ()
    status: str | None = None
    premiered: dt.date | None = None
    network: str | None = None
    official_site: str | None = None
    image: str | None = None
    imdb_id: str | None = None
    summary: str = ""
    runtime: int | None = None
    # Filled only when the answer embedded them (show(id) asks for both).
    seasons: tuple[Season, ...] = ()
    cast: tuple[CastCredit, ...] = ()


@dataclass(frozen=True)
class TvEpisode:
    """A regular episode (season and number set) or a special (number None)."""

    tvmaze_id: int
    season: int | None
    number: int | None
    title: str
    air_date: dt.date | None = None
    air_time: str | None = None
    runtime: int | None = None
    image: str | None = None
    synopsis: str = ""

    @property
    def code(self) -> str:
        if self.season is None or self.number is None:
            return f"special “{self.title}”"
        return episode_code(self.season, self.number)


@dataclass(frozen=True)
class Catalog:
    """Everything the data file needs about one show."""

    show: TvShow
    # Regular episodes by (season, number), in that order.
    episodes: dict[tuple[int, int], TvEpisode] = field(default_factory=dict)
    # Specials, and anything else that has no place in the S/E numbering, in airing order.
    specials: tuple[TvEpisode, ...] = ()


# -- HTML ------------------------------------------------------------------------------------

_BLOCKS = {"p", "div", "blockquote", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"}
_HIDDEN = {"script", "style"}


class _PlainText(HTMLParser):
    def __init__(self) -> None:
        # convert_charrefs runs html.unescape over the text: &amp; &quot; &#8217; &nbsp; ...
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[str]] = [[""]]
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.paragraphs.append([""])
        elif tag == "br":
            self.paragraphs[-1].append("")
        elif tag in _HIDDEN:
            self.hidden += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.paragraphs[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.paragraphs.append([""])
        elif tag in _HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.paragraphs[-1][-1] += data


def html_to_text(html: str | None) -> str:
    """A TVmaze summary as plain text: paragraphs split by a blank line, tags dropped."""
    if not html:
        return ""
    parser = _PlainText()
    parser.feed(html.replace("\r", ""))
    parser.close()
    paragraphs = []
    for lines in parser.paragraphs:
        # Source newlines are only whitespace in HTML; <br> alone breaks a line.
        kept = [" ".join(line.split()) for line in lines]
        text = "\n".join(line for line in kept if line)
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def clip(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" \n,;:-") + "…"


# -- JSON ------------------------------------------------------------------------------------


def _shape(what: str) -> TvmazeError:
    return TvmazeError(f"TVmaze sent an answer in an unexpected shape ({what}).")


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _shape(f"{what} is not an object")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise _shape(f"{what} is not a list")
    return value


def _id(obj: dict[str, Any], what: str) -> int:
    value = obj.get("id")
    if not isinstance(value, int) or isinstance(value, bool):
        raise _shape(f"{what} has no id")
    return value


def _text(obj: dict[str, Any] | None, key: str) -> str | None:
    value = obj.get(key) if obj else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def _whole(obj: dict[str, Any], key: str) -> int | None:
    value = obj.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _date(obj: dict[str, Any], key: str) -> dt.date | None:
    # TVmaze writes an unknown date as null or as "".
    try:
        return dt.date.fromisoformat(obj.get(key) or "")
    except (TypeError, ValueError):
        return None


def _image(obj: dict[str, Any]) -> str | None:
    image = obj.get("image")
    # "medium" is the size Discord shows in an embed; "original" can be several megabytes.
    return (_text(image, "medium") or _text(image, "original")) if isinstance(image, dict) else None


def _channel(obj: dict[str, Any]) -> str | None:
    # Broadcast shows have a network; streaming originals a webChannel instead.
    for key in ("network", "webChannel"):
        value = obj.get(key)
        if isinstance(value, dict) and _text(value, "name"):
            return _text(value, "name")
    return None


def show_hit(item: Any) -> ShowHit:
    item = _object(item, "search result")
    show = _object(item.get("show"), "search result's show")
    score = item.get("score")
    return ShowHit(
        tvmaze_id=_id(show, "search result's show"),
        name=_text(show, "name") or "(untitled)",
        score=float(score) if isinstance(score, int | float) else 0.0,
        premiered=_date(show, "premiered"),
        network=_channel(show),
    )


def search_results(value: Any) -> list[ShowHit]:
    return [show_hit(item) for item in _list(value, "search results")]


def show(value: Any) -> TvShow:
    obj = _object(value, "show")
    genres = obj.get("genres")
    externals = obj.get("externals") if isinstance(obj.get("externals"), dict) else None
    embedded: dict[str, Any] = obj.get("_embedded") or {}
    if not isinstance(embedded, dict):
        raise _shape("show's _embedded is not an object")
    return TvShow(
        tvmaze_id=_id(obj, "show"),
        name=_text(obj, "name") or "(untitled)",
        genres=tuple(g.strip() for g in genres if isinstance(g, str) and g.strip())
        if isinstance(genres, list)
        else (),
        status=_text(obj, "status"),
        premiered=_date(obj, "premiered"),
        network=_channel(obj),
        official_site=_text(obj, "officialSite"),
        image=_image(obj),
        imdb_id=_text(externals, "imdb"),
        summary=html_to_text(_text(obj, "summary")),
        runtime=_whole(obj, "averageRuntime") or _whole(obj, "runtime"),
        seasons=seasons(embedded.get("seasons", [])),
        cast=cast(embedded.get("cast", [])),
    )


def seasons(value: Any) -> tuple[Season, ...]:
    out = []
    for item in _list(value, "seasons"):
        item = _object(item, "season")
        number = _whole(item, "number")
        if number is None:
            raise _shape("a season has no number")
        out.append(
            Season(
                tvmaze_id=_id(item, "season"),
                number=number,
                episode_order=_whole(item, "episodeOrder"),
                premiere_date=_date(item, "premiereDate"),
                end_date=_date(item, "endDate"),
            )
        )
    return tuple(out)


def cast(value: Any) -> tuple[CastCredit, ...]:
    """Credits in TVmaze's order, which is its billing order."""
    out = []
    for item in _list(value, "cast"):
        item = _object(item, "cast member")
        person = item.get("person") if isinstance(item.get("person"), dict) else None
        actor = _text(person, "name")
        if actor is None:
            raise _shape("a cast member has no name")
        character = item.get("character") if isinstance(item.get("character"), dict) else None
        out.append(CastCredit(actor=actor, character=_text(character, "name")))
    return tuple(out)


def episode(value: Any) -> TvEpisode:
    obj = _object(value, "episode")
    regular = obj.get("type", REGULAR) == REGULAR and _whole(obj, "number") is not None
    return TvEpisode(
        tvmaze_id=_id(obj, "episode"),
        season=_whole(obj, "season"),
        number=_whole(obj, "number") if regular else None,
        title=_text(obj, "name") or "TBA",
        air_date=_date(obj, "airdate"),
        air_time=_text(obj, "airtime"),
        runtime=_whole(obj, "runtime"),
        image=_image(obj),
        synopsis=html_to_text(_text(obj, "summary")),
    )


def episodes(value: Any) -> list[TvEpisode]:
    """/shows/{id}/episodes?specials=1 as episodes, in TVmaze's (airing) order."""
    return [episode(item) for item in _list(value, "episodes")]


def catalog(info: TvShow, episodes: Iterable[TvEpisode]) -> Catalog:
    """A show and its episodes, the specials kept out of the S/E numbering."""
    regular: dict[tuple[int, int], TvEpisode] = {}
    specials: list[TvEpisode] = []
    for ep in episodes:
        if ep.season is None or ep.number is None:
            specials.append(replace(ep, number=None))
        elif (ep.season, ep.number) in regular:
            # A second episode claiming a taken S/E number is kept, but out of the numbering.
            specials.append(replace(ep, number=None))
        else:
            regular[(ep.season, ep.number)] = ep
    return Catalog(show=info, episodes=dict(sorted(regular.items())), specials=tuple(specials))
