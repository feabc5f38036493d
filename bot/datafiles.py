"""Show data files (TOML) under data/: parsing and validation, no database.

A file is checked whole before anything is written, so a malformed file changes nothing, and
every error names the file and the field ("episodes[0].polls[1].options: ...").
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .models import Credit, Episode, EpisodeFile, Link, PresetPoll, Show, ShowFile

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Native polls allow 300 characters per question and 55 per answer; preset polls can be posted
# either way, so they are held to the stricter limits. Buttons hold at most 80 characters.
POLL_QUESTION_MAX = 300
POLL_OPTION_MAX = 55
POLL_OPTIONS = (2, 10)
# Autocomplete choice names are at most 100 characters; "S12E345 · " leaves room for 85.
TITLE_MAX = 85
TEXT_MAX = 20_000


class DataFileError(Exception):
    """A data file is malformed; the message names the file and the field."""

    def __init__(self, path: Path | str, where: str, problem: str) -> None:
        self.path, self.where, self.problem = str(path), where, problem
        super().__init__(
            f"{Path(path).name}: {where}: {problem}" if where else f"{path}: {problem}"
        )


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def load(path: Path) -> ShowFile:
    """Parse and check one data file; raises DataFileError."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataFileError(path, "", f"cannot be read ({exc.strerror})") from exc
    return parse(raw, path)


def parse(raw: bytes, path: Path | str = "<data>") -> ShowFile:
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DataFileError(path, "", "is not UTF-8 text") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(path, "", f"is not valid TOML ({exc})") from exc
    return _Reader(path).show_file(doc)


class _Reader:
    def __init__(self, path: Path | str) -> None:
        self.path = path

    def fail(self, where: str, problem: str) -> DataFileError:
        return DataFileError(self.path, where, problem)

    def table(self, doc: dict[str, Any], key: str, where: str) -> dict[str, Any]:
        value = doc.get(key)
        if not isinstance(value, dict):
            raise self.fail(f"{where}{key}", "is missing (expected a table)")
        return value

    def tables(self, doc: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
        value = doc.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(f"{where}{key}", f"must be a list of tables ([[{key}]])")
        return value

    def text(self, doc: dict[str, Any], key: str, where: str, *, limit: int = TEXT_MAX) -> str:
        value = doc.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{where}{key}", "is missing or empty (expected text)")
        value = value.strip()
        if len(value) > limit:
            raise self.fail(f"{where}{key}", f"is {len(value)} characters long (at most {limit})")
        return value

    def optional_text(self, doc: dict[str, Any], key: str, where: str, limit: int) -> str | None:
        return self.text(doc, key, where, limit=limit) if key in doc else None

    def whole(self, doc: dict[str, Any], key: str, where: str, *, low: int) -> int:
        value = doc.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            raise self.fail(f"{where}{key}", f"must be a whole number, at least {low}")
        return value

    def optional_whole(self, doc: dict[str, Any], key: str, where: str, *, low: int) -> int | None:
        return self.whole(doc, key, where, low=low) if key in doc else None

    def show_file(self, doc: dict[str, Any]) -> ShowFile:
        show = self.show(self.table(doc, "show", ""))
        cast = self.cast(doc, "")
        episodes = [
            self.episode(e, f"episodes[{i}].")
            for i, e in enumerate(self.tables(doc, "episodes", ""))
        ]
        seen: set[tuple[int, int]] = set()
        for i, item in enumerate(episodes):
            key = (item.episode.season, item.episode.number)
            if key in seen:
                raise self.fail(f"episodes[{i}]", f"{item.episode.code} appears twice")
            seen.add(key)
        return ShowFile(show=show, cast=cast, episodes=tuple(episodes))

    def show(self, doc: dict[str, Any]) -> Show:
        slug = self.text(doc, "slug", "show.", limit=60)
        if not SLUG.match(slug):
            raise self.fail("show.slug", "must be lowercase letters, digits and single dashes")
        genres = doc.get("genres", [])
        if not isinstance(genres, list) or not all(
            isinstance(g, str) and g.strip() for g in genres
        ):
            raise self.fail("show.genres", "must be a list of names")
        runtime = doc.get("runtime", {})
        if not isinstance(runtime, dict):
            raise self.fail("show.runtime", "must be a table like { min = 46, max = 82 }")
        low = self.optional_whole(runtime, "min", "show.runtime.", low=1)
        high = self.optional_whole(runtime, "max", "show.runtime.", low=1)
        if low is not None and high is not None and high < low:
            raise self.fail("show.runtime.max", "is smaller than min")
        return Show(
            slug=slug,
            title=self.text(doc, "title", "show.", limit=TITLE_MAX),
            genres=tuple(g.strip() for g in genres),
            runtime_min=low,
            runtime_max=high,
            links=self.links(doc, "show."),
        )

    def links(self, doc: dict[str, Any], where: str) -> tuple[Link, ...]:
        out = []
        for i, item in enumerate(self.tables(doc, "links", where)):
            at = f"{where}links[{i}]."
            url = self.text(item, "url", at, limit=512)
            parsed = urlparse(url)
            if parsed.scheme not in {"http", "https"} or not parsed.netloc:
                raise self.fail(f"{at}url", "must be an http(s) address")
            # A link button's label holds at most 80 characters.
            out.append(Link(label=self.text(item, "label", at, limit=80), url=url))
        if len(out) > 5:
            raise self.fail(f"{where}links", "has more than 5 links (one row of buttons)")
        return tuple(out)

    def cast(self, doc: dict[str, Any], where: str) -> tuple[Credit, ...]:
        out = []
        for i, item in enumerate(self.tables(doc, "cast", where)):
            at = f"{where}cast[{i}]."
            out.append(
                Credit(
                    actor=self.text(item, "actor", at, limit=100),
                    character=self.optional_text(item, "character", at, 100),
                )
            )
        return tuple(out)

    def episode(self, doc: dict[str, Any], where: str) -> EpisodeFile:
        episode = Episode(
            season=self.whole(doc, "season", where, low=0),
            number=self.whole(doc, "number", where, low=0),
            title=self.text(doc, "title", where, limit=TITLE_MAX),
            synopsis=self.text(doc, "synopsis", where, limit=1000),
            recap=self.text(doc, "recap", where),
            ending=self.text(doc, "ending", where),
            runtime_minutes=self.optional_whole(doc, "runtime", where, low=1),
            air_date=self.air_date(doc, where),
            links=self.links(doc, where),
        )
        terms = doc.get("spoiler_terms", [])
        if not isinstance(terms, list) or not all(isinstance(t, str) and t.strip() for t in terms):
            raise self.fail(f"{where}spoiler_terms", "must be a list of words or phrases")
        polls = [
            self.poll(p, f"{where}polls[{i}].")
            for i, p in enumerate(self.tables(doc, "polls", where))
        ]
        return EpisodeFile(
            episode=episode,
            cast=self.cast(doc, where),
            polls=tuple(polls),
            spoiler_terms=tuple(sorted({t.strip().lower() for t in terms})),
        )

    def air_date(self, doc: dict[str, Any], where: str) -> str | None:
        if "air_date" not in doc:
            return None
        value = doc["air_date"]
        text = value.isoformat() if hasattr(value, "isoformat") else value
        if not isinstance(text, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise self.fail(f"{where}air_date", "must be a date like 2023-12-15")
        return text

    def poll(self, doc: dict[str, Any], where: str) -> PresetPoll:
        question = self.text(doc, "question", where, limit=POLL_QUESTION_MAX)
        options = doc.get("options")
        low, high = POLL_OPTIONS
        if not isinstance(options, list) or not low <= len(options) <= high:
            raise self.fail(f"{where}options", f"must list {low} to {high} options")
        cleaned: list[str] = []
        for i, option in enumerate(options):
            if not isinstance(option, str) or not option.strip():
                raise self.fail(f"{where}options[{i}]", "is empty")
            if len(option.strip()) > POLL_OPTION_MAX:
                raise self.fail(
                    f"{where}options[{i}]", f"is longer than {POLL_OPTION_MAX} characters"
                )
            if option.strip().casefold() in (c.casefold() for c in cleaned):
                raise self.fail(f"{where}options[{i}]", "repeats an earlier option")
            cleaned.append(option.strip())
        return PresetPoll(question=question, options=tuple(cleaned))
