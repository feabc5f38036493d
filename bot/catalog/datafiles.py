"""Show data files (TOML) under data/: parsing and validation, no database.

A file is checked whole before anything is written, so a malformed file changes nothing, and
every error names the file and the field ("episodes[0].polls[1].options: ..."). The keys each
table accepts live in bot/catalog/dataformat.py, which also publishes them as data/schema.json.
"""

from __future__ import annotations

import hashlib
import json
import re
from itertools import chain, repeat
from pathlib import Path
from typing import Any

import rtoml

from ..models import (
    Credit,
    Episode,
    EpisodeFile,
    Link,
    PresetPoll,
    RecapSource,
    Show,
    ShowFile,
    Special,
)
from .datachecks import CHECKS, Problem, text
from .dataformat import (
    CODE,
    TABLES,
    Key,
    json_schema,
    suggestion,
    term_problem,
)

__all__ = [
    "DataFileError",
    "digest",
    "json_schema",
    "load",
    "parse",
    "term_problem",
]


class DataFileError(Exception):
    """A data file is malformed; the message names the file and the field."""

    def __init__(self, path: Path | str, where: str, problem: str) -> None:
        self.path, self.where, self.problem = str(path), where, problem
        super().__init__(
            f"{Path(path).name}: {where}: {problem}" if where else f"{path}: {problem}"
        )

    def __reduce__(self) -> tuple[type[DataFileError], tuple[str, str, str]]:
        # Raised in a parsing process (parsers.py) and sent back to the importer by pickle.
        return (type(self), (self.path, self.where, self.problem))


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def upstream_mark(value: Any) -> str:
    """The digest an importer keeps in `upstream` for a value it wrote: the same as
    bot/catalog/sources/tvmaze/_upstream.digest (sha256[:8] of the JSON text), for text values."""
    text = json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def load(path: Path) -> ShowFile:
    """Parse and check one data file; raises DataFileError."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataFileError(path, "", f"cannot be read ({exc.strerror})") from exc
    return parse(raw, path)


def parse(raw: bytes, path: Path | str = "<data>") -> ShowFile:
    try:
        doc = rtoml.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DataFileError(path, "", "is not UTF-8 text") from exc
    except rtoml.TomlParsingError as exc:
        raise DataFileError(path, "", f"is not valid TOML ({exc})") from exc
    return _Reader(path).show_file(doc)


def _header(where: str) -> str:
    """ "episodes[2].polls[0]." as a TOML header path: "episodes.polls"."""
    return re.sub(r"\[\d+\]", "", where).rstrip(".")


_KNOWN = {table: frozenset(keys) for table, keys in TABLES.items()}
# The cast's keys, both text: cast() checks them without `get`, as `get` would.
_ACTOR, _CHARACTER = TABLES["credit"]["actor"], TABLES["credit"]["character"]


class _Reader:
    def __init__(self, path: Path | str) -> None:
        self.path = path

    def fail(self, where: str, problem: str) -> DataFileError:
        return DataFileError(self.path, where, problem)

    def keys(self, doc: dict[str, Any], table: str, where: str) -> None:
        """Every key must be one the format knows: a typo is an error, never ignored."""
        known = TABLES[table]
        if doc.keys() <= known.keys():
            return  # a 20,000-episode import asks this ~600,000 times: one set comparison
        for key in doc:
            if key not in known:
                hint = suggestion(table, _header(where), key)
                raise self.fail(f"{where}{key}", f"is not a known key{hint}")

    def get(self, doc: dict[str, Any], table: str, key: str, where: str) -> Any:
        """`doc[key]` checked as TABLES describes it; None when an optional key is absent."""
        spec = TABLES[table][key]
        value = doc.get(key)  # TOML has no null: None is an absent key
        if value is None and not spec.required:
            return None
        if spec.table:
            return self.nested(value, spec, f"{where}{key}")
        try:
            return CHECKS[spec.kind](value, spec)
        except Problem as problem:
            # Only now is the place spelled out: reading a file asks for a million values.
            raise self.fail(problem.at(f"{where}{key}"), problem.text) from None

    def nested(self, value: Any, spec: Key, at: str) -> Any:
        """A table or a list of tables, with the keys of each checked."""
        if spec.kind == "table":
            if value is None:
                raise self.fail(at, "is missing (expected a table)")
            if not isinstance(value, dict):
                raise self.fail(at, f"must be a table ([{_header(at)}])")
            self.keys(value, spec.table, f"{at}.")
            return value
        # (Each item's type and keys in C, by map and chain: a file has ~500,000 cast lines.)
        if not isinstance(value, list) or not all(map(isinstance, value, repeat(dict))):
            raise self.fail(at, f"must be a list of tables ([[{_header(at)}]])")
        if spec.most is not None and len(value) > spec.most:
            raise self.fail(at, f"has {len(value)} entries (at most {spec.most})")
        if not _KNOWN[spec.table].issuperset(chain.from_iterable(value)):
            for i, item in enumerate(value):
                self.keys(item, spec.table, f"{at}[{i}].")
        return value

    def show_file(self, doc: dict[str, Any]) -> ShowFile:
        self.keys(doc, "document", "")
        show = self.show(self.get(doc, "document", "show", ""))
        cast = self.cast(doc, "document", "")
        episodes = [
            self.episode(e, f"episodes[{i}].")
            for i, e in enumerate(self.get(doc, "document", "episodes", "") or [])
        ]
        specials = [
            self.special(s, f"specials[{i}].")
            for i, s in enumerate(self.get(doc, "document", "specials", "") or [])
        ]
        seen: set[tuple[int, int]] = set()
        for i, item in enumerate(episodes):
            key = (item.episode.season, item.episode.number)
            if key in seen:
                raise self.fail(f"episodes[{i}]", f"{item.episode.code} appears twice")
            seen.add(key)
        self.distinct_tvmaze_ids(
            [(f"episodes[{i}]", e.episode.tvmaze_id) for i, e in enumerate(episodes)]
            + [(f"specials[{i}]", s.tvmaze_id) for i, s in enumerate(specials)]
        )
        return ShowFile(show=show, cast=cast, episodes=tuple(episodes), specials=tuple(specials))

    def distinct_tvmaze_ids(self, ids: list[tuple[str, int | None]]) -> None:
        # The importer matches upstream records by id; two entries with one id would
        # overwrite each other on the next import.
        first: dict[int, str] = {}
        for where, tvmaze_id in ids:
            if tvmaze_id is None:
                continue
            if tvmaze_id in first:
                raise self.fail(
                    f"{where}.tvmaze_id",
                    f"repeats TVmaze id {tvmaze_id}, already used by {first[tvmaze_id]}",
                )
            first[tvmaze_id] = f"{where}.tvmaze_id"

    def show(self, doc: dict[str, Any]) -> Show:
        def get(key: str) -> Any:
            return self.get(doc, "show", key, "show.")

        runtime = get("runtime") or {}
        low = self.get(runtime, "runtime", "min", "show.runtime.")
        high = self.get(runtime, "runtime", "max", "show.runtime.")
        if low is not None and high is not None and high < low:
            raise self.fail("show.runtime.max", "is smaller than min")
        get("upstream")
        get("wikipedia")  # checked here, read by the Wikipedia source (not kept in the store)
        return Show(
            slug=get("slug"),
            title=get("title"),
            genres=get("genres") or (),
            runtime_min=low,
            runtime_max=high,
            links=self.links(doc, "show", "show."),
            tvmaze_id=get("tvmaze_id"),
            imdb_id=get("imdb_id"),
            network=get("network"),
            official_site=get("official_site"),
            image=get("image"),
            status=get("status"),
        )

    def links(self, doc: dict[str, Any], table: str, where: str) -> tuple[Link, ...]:
        out = []
        for i, item in enumerate(self.get(doc, table, "links", where) or []):
            at = f"{where}links[{i}]."
            out.append(
                Link(
                    label=self.get(item, "link", "label", at),
                    url=self.get(item, "link", "url", at),
                )
            )
        return tuple(out)

    def cast(self, doc: dict[str, Any], table: str, where: str) -> tuple[Credit, ...]:
        """The cast lines: most of a large file's values (5-40 an episode), so read in one
        loop of the checks themselves rather than key by key through `get`."""
        items = self.get(doc, table, "cast", where) or []
        out = []
        try:
            for item in items:
                character = item.get("character")
                out.append(
                    Credit(
                        text(item.get("actor"), _ACTOR),  # required: None is refused
                        None if character is None else text(character, _CHARACTER),
                    )
                )
        except Problem:
            # The line that failed, read key by key: the same check fails, with its place.
            i = len(out)
            self.credit(items[i], f"{where}cast[{i}].")
            raise
        return tuple(out)

    def credit(self, item: dict[str, Any], where: str) -> Credit:
        return Credit(
            actor=self.get(item, "credit", "actor", where),
            character=self.get(item, "credit", "character", where),
        )

    def episode(self, doc: dict[str, Any], where: str) -> EpisodeFile:
        def get(key: str) -> Any:
            return self.get(doc, "episode", key, where)

        get("upstream")
        episode = Episode(
            season=get("season"),
            number=get("number"),
            title=get("title"),
            synopsis=get("synopsis") or "",
            recap=get("recap") or "",
            ending=get("ending") or "",
            runtime_minutes=get("runtime"),
            air_date=get("air_date"),
            links=self.links(doc, "episode", where),
            tvmaze_id=get("tvmaze_id"),
            air_time=get("air_time"),
            image=get("image"),
            recap_source=self.recap_source(doc, where),
            airs_at=get("airs_at"),
        )
        polls = [
            PresetPoll(
                question=self.get(p, "poll", "question", f"{where}polls[{i}]."),
                options=self.get(p, "poll", "options", f"{where}polls[{i}]."),
            )
            for i, p in enumerate(get("polls") or [])
        ]
        was = CODE.match(get("was") or "")
        return EpisodeFile(
            episode=episode,
            cast=self.cast(doc, "episode", where),
            polls=tuple(polls),
            spoiler_terms=get("spoiler_terms") or (),
            was=(int(was[1]), int(was[2])) if was else None,
        )

    def recap_source(self, doc: dict[str, Any], where: str) -> RecapSource | None:
        """The recap's source, unless a person rewrote the recap since the source wrote it
        (its `upstream` mark no longer matches): then the text, and the credit, are theirs."""
        raw = self.get(doc, "episode", "recap_source", where)
        if raw is None:
            return None
        at = f"{where}recap_source."
        source = RecapSource(
            site=self.get(raw, "recap_source", "site", at),
            article=self.get(raw, "recap_source", "article", at),
            revision=self.get(raw, "recap_source", "revision", at),
        )
        marks = doc.get("upstream")
        mark = marks.get("recap") if isinstance(marks, dict) else None
        if mark is not None and mark != upstream_mark(doc.get("recap")):
            return None
        return source

    def special(self, doc: dict[str, Any], where: str) -> Special:
        def get(key: str) -> Any:
            return self.get(doc, "special", key, where)

        get("upstream")
        return Special(
            title=get("title"),
            tvmaze_id=get("tvmaze_id"),
            air_date=get("air_date"),
            air_time=get("air_time"),
            runtime_minutes=get("runtime"),
            synopsis=get("synopsis"),
            image=get("image"),
        )
