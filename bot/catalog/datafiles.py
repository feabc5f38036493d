"""Show data files (TOML) under data/: parsing and validation, no database.

A file is checked whole before anything is written, so a malformed file changes nothing, and
every error names the file and the field ("episodes[0].polls[1].options: ..."). The keys each
table accepts live in bot/catalog/dataformat.py, which also publishes them as data/schema.json.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import rtoml

from .. import limits
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
from ..spoiler_terms import normal_term
from .dataformat import (
    CODE,
    DATE,
    TABLES,
    TIME,
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
        if key not in doc and not spec.required:
            return None
        return _CHECKS[spec.kind](self, doc.get(key), spec, f"{where}{key}")

    def check_text(self, value: Any, spec: Key, at: str) -> str:
        if not isinstance(value, str) or not (value := value.strip()):
            raise self.fail(at, "is missing or empty (expected text)")
        if len(value) > spec.limit:
            raise self.fail(at, f"is {len(value)} characters long (at most {spec.limit})")
        if spec.pattern and not spec.pattern.match(value):
            raise self.fail(at, spec.shape)
        return value

    def check_url(self, value: Any, spec: Key, at: str) -> str:
        url = self.check_text(value, spec, at)
        parsed = urlparse(url)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc:
            raise self.fail(at, "must be an http(s) address")
        return url

    def check_whole(self, value: Any, spec: Key, at: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < spec.low:
            raise self.fail(at, f"must be a whole number, at least {spec.low}")
        return value

    def check_date(self, value: Any, spec: Key, at: str) -> str:
        # TOML dates arrive as dates (the parser refuses impossible ones); quoted ones as text.
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()
        if not isinstance(value, str) or not DATE.match(value):
            raise self.fail(at, "must be a date like 2023-12-15")
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise self.fail(at, f"{value} is not a real date") from None

    def check_time(self, value: Any, spec: Key, at: str) -> str:
        if not isinstance(value, str) or not TIME.match(value):
            raise self.fail(at, 'must be a time of day like "21:00" (24 h)')
        return value

    def check_instant(self, value: Any, spec: Key, at: str) -> float:
        # An offset date-time arrives as an aware datetime; quoted, as text. Without an offset
        # the moment is ambiguous (which zone?), so it is refused rather than guessed.
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value)
            except ValueError:
                value = None
        if not isinstance(value, dt.datetime) or value.utcoffset() is None:
            raise self.fail(at, "must be a date-time with its offset like 2026-01-05T02:00:00Z")
        return value.timestamp()

    def check_names(self, value: Any, spec: Key, at: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(at, "must be a list of names")
        return tuple(v.strip() for v in value)

    def check_digests(self, value: Any, spec: Key, at: str) -> dict[str, str]:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self.fail(at, 'must be a table of text values, like { episode = "..." }')
        return value

    def check_table(self, value: Any, spec: Key, at: str) -> dict[str, Any]:
        if value is None:
            raise self.fail(at, "is missing (expected a table)")
        if not isinstance(value, dict):
            raise self.fail(at, f"must be a table ([{_header(at)}])")
        self.keys(value, spec.table, f"{at}.")
        return value

    def check_tables(self, value: Any, spec: Key, at: str) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(at, f"must be a list of tables ([[{_header(at)}]])")
        if spec.most is not None and len(value) > spec.most:
            raise self.fail(at, f"has {len(value)} entries (at most {spec.most})")
        for i, item in enumerate(value):
            self.keys(item, spec.table, f"{at}[{i}].")
        return value

    def check_terms(self, value: Any, spec: Key, at: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
            raise self.fail(at, "must be a list of words or phrases")
        terms: set[str] = set()
        for i, term in enumerate(value):
            normal = normal_term(term)
            problem = term_problem(normal)
            if problem:
                raise self.fail(f"{at}[{i}]", f"“{term.strip()}” {problem}")
            terms.add(normal)  # spellings that normalise alike are one term
        return tuple(sorted(terms))

    def check_options(self, value: Any, spec: Key, at: str) -> tuple[str, ...]:
        low, high = limits.POLL_OPTIONS
        if not isinstance(value, list) or not low <= len(value) <= high:
            raise self.fail(at, f"must list {low} to {high} options")
        cleaned: list[str] = []
        for i, option in enumerate(value):
            if not isinstance(option, str) or not option.strip():
                raise self.fail(f"{at}[{i}]", "is empty")
            if len(option.strip()) > spec.limit:
                raise self.fail(f"{at}[{i}]", f"is longer than {spec.limit} characters")
            if option.strip().casefold() in (c.casefold() for c in cleaned):
                raise self.fail(f"{at}[{i}]", "repeats an earlier option")
            cleaned.append(option.strip())
        return tuple(cleaned)

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
        out = []
        for i, item in enumerate(self.get(doc, table, "cast", where) or []):
            at = f"{where}cast[{i}]."
            out.append(
                Credit(
                    actor=self.get(item, "credit", "actor", at),
                    character=self.get(item, "credit", "character", at),
                )
            )
        return tuple(out)

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


# Each kind of key's check, looked up once rather than by name on every key of every entry.
_CHECKS: dict[str, Callable[[_Reader, Any, Key, str], Any]] = {
    name.removeprefix("check_"): check
    for name, check in vars(_Reader).items()
    if name.startswith("check_")
}
