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
from typing import Any

from .... import limits
from ....i18n import _
from ....models import episode_code
from . import _fit
from ._html import html_to_text
from .errors import TvmazeError

# The data format's limits (bot/catalog/datafiles.py): titles are autocomplete choices, and a
# synopsis is the spoiler-free opening of a recap page.
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
    airs_at: dt.datetime | None = None  # in UTC

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
    # TVmaze numbering two episodes alike, one sentence each (see catalog()).
    conflicts: tuple[str, ...] = ()


# -- JSON ------------------------------------------------------------------------------------


def shape_error(what: str) -> TvmazeError:
    """An answer we cannot read; `what` is a technical detail for the operator, in English."""
    return TvmazeError(
        _("TVmaze sent an answer in an unexpected shape ({what}).").format(what=what)
    )


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise shape_error(f"{what} is not an object")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise shape_error(f"{what} is not a list")
    return value


def _id(obj: dict[str, Any], what: str) -> int:
    value = obj.get("id")
    if not isinstance(value, int) or isinstance(value, bool):
        raise shape_error(f"{what} has no id")
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


def _instant(obj: dict[str, Any], key: str) -> dt.datetime | None:
    # airstamp is ISO 8601 with its offset ("2013-06-24T22:00:00+00:00"); null when TVmaze has
    # no air time. UTC, so the file holds one spelling whatever the network's zone.
    try:
        stamp = dt.datetime.fromisoformat(obj.get(key) or "")
    except (TypeError, ValueError):
        return None
    return stamp.astimezone(dt.UTC) if stamp.utcoffset() is not None else None


def _image(obj: dict[str, Any]) -> str | None:
    image = obj.get("image")
    # "medium" is the size Discord shows in an embed; "original" can be several megabytes.
    if not isinstance(image, dict):
        return None
    return _fit.url(_text(image, "medium")) or _fit.url(_text(image, "original"))


def _channel(obj: dict[str, Any]) -> str | None:
    # Broadcast shows have a network; streaming originals a webChannel instead.
    for key in ("network", "webChannel"):
        value = obj.get(key)
        if isinstance(value, dict) and _text(value, "name"):
            return _fit.text(_text(value, "name"), limits.NETWORK)
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
        raise shape_error("show's _embedded is not an object")
    return TvShow(
        tvmaze_id=_id(obj, "show"),
        name=_text(obj, "name") or "(untitled)",
        genres=tuple(g.strip() for g in genres if isinstance(g, str) and g.strip())
        if isinstance(genres, list)
        else (),
        status=_fit.text(_text(obj, "status"), limits.STATUS),
        premiered=_date(obj, "premiered"),
        network=_channel(obj),
        official_site=_fit.url(_text(obj, "officialSite")),
        image=_image(obj),
        imdb_id=_fit.imdb(_text(externals, "imdb")),
        summary=html_to_text(_text(obj, "summary")),
        runtime=_fit.positive(_whole(obj, "averageRuntime") or _whole(obj, "runtime")),
        seasons=seasons(embedded.get("seasons", [])),
        cast=cast(embedded.get("cast", [])),
    )


def seasons(value: Any) -> tuple[Season, ...]:
    out = []
    for item in _list(value, "seasons"):
        item = _object(item, "season")
        number = _whole(item, "number")
        if number is None:
            raise shape_error("a season has no number")
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
            raise shape_error("a cast member has no name")
        character = item.get("character") if isinstance(item.get("character"), dict) else None
        out.append(CastCredit(actor=actor, character=_text(character, "name")))
    return tuple(out)


def episode(value: Any) -> TvEpisode:
    obj = _object(value, "episode")
    # A missing or null type is TVmaze's default, a regular episode; so is a number below 0
    # (the data format numbers from 0) not a place in the numbering.
    season, number = _whole(obj, "season"), _whole(obj, "number")
    regular = obj.get("type") in (None, REGULAR) and number is not None and number >= 0
    return TvEpisode(
        tvmaze_id=_id(obj, "episode"),
        season=season if season is not None and season >= 0 else None,
        number=number if regular else None,
        title=_text(obj, "name") or "TBA",
        air_date=_date(obj, "airdate"),
        air_time=_fit.time_of_day(_text(obj, "airtime")),
        airs_at=_instant(obj, "airstamp"),
        runtime=_fit.positive(_whole(obj, "runtime")),
        image=_image(obj),
        synopsis=html_to_text(_text(obj, "summary")),
    )


def episodes(value: Any) -> list[TvEpisode]:
    """/shows/{id}/episodes?specials=1 as episodes, in TVmaze's (airing) order."""
    return [episode(item) for item in _list(value, "episodes")]


def catalog(info: TvShow, episodes: Iterable[TvEpisode]) -> Catalog:
    """A show and its episodes, the specials kept out of the S/E numbering.

    Two episodes TVmaze numbers alike both stay reachable: the first (in airing order) keeps
    the number, the next takes the season's next free number, and the conflict is reported.
    Nothing is stored about the move, so once TVmaze fixes its numbering the next refresh
    follows it (the episode is matched by its TVmaze id).
    """
    regular: dict[tuple[int, int], TvEpisode] = {}
    specials: list[TvEpisode] = []
    clashing: list[TvEpisode] = []
    for ep in episodes:
        if ep.season is None or ep.number is None:
            specials.append(replace(ep, number=None))
        elif (ep.season, ep.number) in regular:
            clashing.append(ep)
        else:
            regular[(ep.season, ep.number)] = ep
    conflicts = []
    for ep in clashing:
        assert ep.season is not None and ep.number is not None  # only numbered ones clash
        first = regular[(ep.season, ep.number)]
        free = max(n for s, n in regular if s == ep.season) + 1
        regular[(ep.season, free)] = replace(ep, number=free)
        conflicts.append(
            f"TVmaze numbers both “{first.title}” and “{ep.title}” {ep.code}: "
            f"“{ep.title}” is {episode_code(ep.season, free)} here until TVmaze fixes it"
        )
    return Catalog(
        show=info,
        episodes=dict(sorted(regular.items())),
        specials=tuple(specials),
        conflicts=tuple(conflicts),
    )
