"""The catalog written back as data files (`python -m bot export`), Discord edits included.

The file is written afresh from the store, in the documented format, so importing it gives
the store it came from (tests/test_export.py proves the round trip). What the store does not
hold is taken from the file being replaced: the TVmaze `upstream` marks, so a later TVmaze
refresh still tells its own values from people's. Comments in a hand-written file are not kept.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import AoT, Table

from ..models import Credit, Episode, EpisodeFile, Link, ShowFile, Special
from ..store import Store
from .datafiles import upstream_mark
from .sources.tvmaze.datafile import replace_file

HEADER = (
    "Show data for Watchparty; see data/README.md. Written by `python -m bot export` from the\n"
    "bot's database, edits made in Discord included."
)


def _text(value: str) -> Any:
    """Long text as a multi-line string, so a recap reads as paragraphs in the file."""
    return tomlkit.string(value, multiline=True) if "\n" in value else value


def _put(table: Any, values: dict[str, Any]) -> None:
    """Set each value that is present; the format leaves absent keys out."""
    for key, value in values.items():
        if value is not None and value != "" and value != () and value != []:
            table[key] = value


def _links(links: tuple[Link, ...]) -> AoT:
    out = tomlkit.aot()
    for link in links:
        row = tomlkit.table()
        _put(row, {"label": link.label, "url": link.url})
        out.append(row)
    return out


def _cast(credits: tuple[Credit, ...]) -> AoT:
    out = tomlkit.aot()
    for credit in credits:
        row = tomlkit.table()
        _put(row, {"actor": credit.actor, "character": credit.character})
        out.append(row)
    return out


def _inline(marks: Any) -> Any:
    """An `upstream` table written inline, as the TVmaze writer does."""
    if not isinstance(marks, dict):
        return None
    table = tomlkit.inline_table()
    table.update(marks)
    return table


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _instant(seconds: float | None) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(seconds, dt.UTC) if seconds is not None else None


def _recap_source(e: Episode, upstream: dict[str, Any] | None) -> tuple[Any, Any]:
    """`recap_source` and the `upstream` marks with the recap's: the Wikipedia writer tells
    its own recap by that mark, in a folder that never saw the file being replaced too."""
    if e.recap_source is None:
        return None, upstream
    source = tomlkit.inline_table()
    s = e.recap_source
    source.update({"site": s.site, "article": s.article, "revision": s.revision})
    return source, {**(upstream or {}), "recap": upstream_mark(e.recap)}


def _episode(item: EpisodeFile, upstream: dict[str, Any] | None) -> Table:
    e, table = item.episode, tomlkit.table()
    recap_source, upstream = _recap_source(e, upstream)
    _put(
        table,
        {
            "season": e.season,
            "number": e.number,
            "title": e.title,
            "runtime": e.runtime_minutes,
            "air_date": _date(e.air_date),
            "air_time": e.air_time,
            "airs_at": _instant(e.airs_at),
            "tvmaze_id": e.tvmaze_id,
            "image": e.image,
            "synopsis": _text(e.synopsis),
            "recap": _text(e.recap),
            "recap_source": recap_source,
            "ending": _text(e.ending),
            "spoiler_terms": list(item.spoiler_terms),
            "upstream": _inline(upstream),
        },
    )
    for key, rows in (("cast", _cast(item.cast)), ("links", _links(e.links))):
        if rows:
            table[key] = rows
    polls = tomlkit.aot()
    for poll in item.polls:
        row = tomlkit.table()
        _put(row, {"question": poll.question, "options": list(poll.options)})
        polls.append(row)
    if polls:
        table["polls"] = polls
    return table


def _special(special: Special, upstream: dict[str, Any] | None) -> Table:
    table = tomlkit.table()
    _put(
        table,
        {
            "title": special.title,
            "tvmaze_id": special.tvmaze_id,
            "air_date": _date(special.air_date),
            "air_time": special.air_time,
            "runtime": special.runtime_minutes,
            "synopsis": special.synopsis,
            "image": special.image,
            "upstream": _inline(upstream),
        },
    )
    return table


class _Marks:
    """The `upstream` tables of the file being replaced, found again by TVmaze id or place."""

    def __init__(self, old: dict[str, Any]) -> None:
        self.show = old.get("show", {}).get("upstream")
        # The operator's choice of Wikipedia article lives in the file only: keep it.
        self.article = old.get("show", {}).get("wikipedia")
        self.episodes = {
            key: e["upstream"]
            for e in old.get("episodes", [])
            if "upstream" in e
            for key in (("tvmaze", e.get("tvmaze_id")), ("slot", e.get("season"), e.get("number")))
        }
        self.specials = {
            key: s["upstream"]
            for s in old.get("specials", [])
            if "upstream" in s
            for key in (("tvmaze", s.get("tvmaze_id")), ("title", s.get("title")))
        }

    def episode(self, item: EpisodeFile) -> dict[str, Any] | None:
        e = item.episode
        if e.tvmaze_id is not None:
            return self.episodes.get(("tvmaze", e.tvmaze_id))
        return self.episodes.get(("slot", e.season, e.number))

    def special(self, s: Special) -> dict[str, Any] | None:
        key = ("tvmaze", s.tvmaze_id) if s.tvmaze_id is not None else ("title", s.title)
        return self.specials.get(key)


def render(data: ShowFile, old: dict[str, Any] | None = None) -> str:
    """The data file of `data`, as TOML text; `old` is the parsed file it replaces, if any."""
    marks = _Marks(old or {})
    doc = tomlkit.document()
    for line in HEADER.splitlines():
        doc.add(tomlkit.comment(line))
    doc.add(tomlkit.nl())
    show, table = data.show, tomlkit.table()
    runtime = tomlkit.inline_table()
    _put(runtime, {"min": show.runtime_min, "max": show.runtime_max})
    _put(
        table,
        {
            "slug": show.slug,
            "title": show.title,
            "genres": list(show.genres),
            "runtime": runtime if runtime else None,
            "tvmaze_id": show.tvmaze_id,
            "imdb_id": show.imdb_id,
            "network": show.network,
            "official_site": show.official_site,
            "image": show.image,
            "status": show.status,
            "wikipedia": marks.article,
            "upstream": _inline(marks.show),
        },
    )
    if show.links:
        table["links"] = _links(show.links)
    doc["show"] = table
    for key, rows in (
        ("cast", _cast(data.cast)),
        ("episodes", _aot(_episode(e, marks.episode(e)) for e in data.episodes)),
        ("specials", _aot(_special(s, marks.special(s)) for s in data.specials)),
    ):
        if rows:
            doc[key] = rows
    return tomlkit.dumps(doc)


def _aot(tables: Any) -> AoT:
    out = tomlkit.aot()
    for table in tables:
        out.append(table)
    return out


def _old(path: Path) -> dict[str, Any] | None:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


async def export_show(store: Store, slug: str, folder: Path) -> Path | None:
    """Write one show's data file into `folder` (under the name it was imported from);
    None when no current show has this slug."""
    show = await store.catalog.find_show(slug)
    source = await store.catalog.show_source(slug)
    if show is None or show.slug != slug or source is None:
        return None
    data = await store.content.show_file(show)
    path = folder / source
    replace_file(path, render(data, _old(path)))
    return path


async def export_all(store: Store, folder: Path) -> list[Path]:
    """Every current show's data file, written into `folder`."""
    written = []
    for show, _, _ in await store.catalog.listing():
        path = await export_show(store, show.slug, folder)
        if path is not None:
            written.append(path)
    return written
