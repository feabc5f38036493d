"""Which stored episode each entry of a data file is: the identity rule of an import.

Polls, parties, threads, progress and the follows' announced set refer to episode ids, so an
entry must find the row it was, also under a new season or number. Evidence is taken most
certain first: the TVmaze id; a declared `was = "S1E3"`; the same season and number; and
last the title, for an episode a person moved by hand (it leaves its place as an entry with
its title arrives). Pure: the import reads the rows and writes the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from ..models import CatalogChange, EpisodeFile, episode_code
from .edits import entry_digest


@dataclass(frozen=True)
class Row:
    """What an import needs to know of an episode already stored."""

    id: int
    season: int
    number: int
    tvmaze_id: int | None
    digest: str | None
    retired_at: float | None
    title: str = ""


class AmbiguousRenumber(Exception):
    """A file's new entries and the episodes it drops share a title more than once, so which
    one was renumbered is unclear; `where` names the entry, `problem` says what to add."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where, self.problem = where, problem


@dataclass
class Plan:
    """What one import does to a show's episodes."""

    # (entry, episode id, its digest) for entries that are new or whose row must be rewritten.
    added: list[tuple[EpisodeFile, str]] = field(default_factory=list)
    updated: list[tuple[EpisodeFile, Row, str]] = field(default_factory=list)
    unchanged: int = 0
    retired: list[Row] = field(default_factory=list)
    # Every entry matched to a stored episode (changed or not): where Discord edits may live.
    matched: list[tuple[EpisodeFile, int]] = field(default_factory=list)
    renumbered: list[str] = field(default_factory=list)

    def change(self, kept: int = 0) -> CatalogChange:
        return CatalogChange(
            len(self.added),
            len(self.updated),
            len(self.retired),
            self.unchanged,
            kept,
            tuple(self.renumbered),
        )


def _title_key(title: str) -> str:
    """Titles compared as people read them: any case, any run of spaces."""
    return " ".join(title.split()).casefold()


def _slot(item: EpisodeFile) -> tuple[int, int]:
    return (item.episode.season, item.episode.number)


def row_slot(row: Row) -> tuple[int, int]:
    return (row.season, row.number)


def _compatible(item: EpisodeFile, row: Row) -> bool:
    """An entry may take a row unless both carry TVmaze ids (then only the same id matches)."""
    return item.episode.tvmaze_id is None or row.tvmaze_id is None


T = TypeVar("T")


def _by_title(items: Iterable[T], title: Callable[[T], str]) -> dict[str, list[T]]:
    out: dict[str, list[T]] = {}
    for item in items:
        out.setdefault(_title_key(title(item)), []).append(item)
    return out


class _Matcher:
    """Pairs the file's entries with stored rows, most certain evidence first."""

    def __init__(self, rows: list[Row], entries: tuple[EpisodeFile, ...]) -> None:
        self.rows, self.entries = rows, entries
        self.matched: dict[int, Row] = {}
        self.used: set[int] = set()

    def take(self, i: int, row: Row) -> None:
        self.matched[i] = row
        self.used.add(row.id)

    def free(self) -> list[tuple[int, EpisodeFile]]:
        return [(i, e) for i, e in enumerate(self.entries) if i not in self.matched]

    def by_tvmaze(self) -> None:
        known = {r.tvmaze_id: r for r in self.rows if r.tvmaze_id is not None}
        for i, item in self.free():
            row = known.get(item.episode.tvmaze_id) if item.episode.tvmaze_id else None
            if row is not None:
                self.take(i, row)

    def by_declaration(self) -> None:
        """`was = "S1E3"`: the current episode at S1E3 is this entry's. Once imported, the
        key is stale (no current episode there, or the file lists one there under its own
        title) and changes nothing, so it may stay in the file."""
        current = {(r.season, r.number): r for r in self.rows if r.retired_at is None}
        titles = {_slot(e): _title_key(e.episode.title) for e in self.entries}
        for i, item in self.free():
            was = item.was
            row = current.get(was) if was is not None else None
            if row is None or row.id in self.used or not _compatible(item, row):
                continue
            if was != _slot(item) and titles.get(row_slot(row)) == _title_key(row.title):
                continue
            self.take(i, row)

    def by_moved_title(self) -> None:
        """A title the file moved takes its episode along: the row's own place now holds
        another title (or nothing), and exactly one entry and one current row carry its
        title. Without this an inserted episode would take over its successor's row."""
        here = {_slot(e): _title_key(e.episode.title) for e in self.entries}
        current = [r for r in self.rows if r.retired_at is None and r.id not in self.used]
        rows = _by_title(current, lambda r: r.title)
        free = _by_title(self.free(), lambda pair: pair[1].episode.title)
        for key, [row] in ((k, v) for k, v in rows.items() if len(v) == 1):
            if here.get(row_slot(row)) == key or len(free.get(key, [])) != 1:
                continue
            [(i, item)] = free[key]
            if _slot(item) != row_slot(row) and _compatible(item, row):
                self.take(i, row)

    def by_slot(self) -> None:
        # By slot: a current row before a retired one, the latest retired before older ones.
        slots: dict[tuple[int, int], Row] = {}
        for r in sorted(self.rows, key=lambda r: (r.retired_at is None, r.retired_at or 0.0)):
            slots[(r.season, r.number)] = r
        for i, item in self.free():
            row = slots.get(_slot(item))
            # An entry with a TVmaze id may take over a row without one (a hand-written file
            # refreshed from TVmaze), never a row that belongs to another TVmaze episode.
            if row is not None and row.id not in self.used and _compatible(item, row):
                self.take(i, row)

    def by_title(self) -> None:
        """What is left: an episode leaving its place while entries with its title arrive.
        More than one of either is refused: which one moved is the file's to say."""
        leaving = _by_title(
            (r for r in self.rows if r.retired_at is None and r.id not in self.used),
            lambda r: r.title,
        )
        for key, entries in _by_title(self.free(), lambda p: p[1].episode.title).items():
            rows = [r for r in leaving.get(key, []) if any(_compatible(e, r) for _, e in entries)]
            if len(entries) == 1 and len(rows) == 1:
                if _compatible(entries[0][1], rows[0]):
                    self.take(entries[0][0], rows[0])
            elif rows:
                _refuse(entries, rows)


def _refuse(entries: list[tuple[int, EpisodeFile]], rows: list[Row]) -> None:
    i, item = entries[0]
    rows = sorted(rows, key=row_slot)
    new = ", ".join(e.episode.code for _, e in entries)
    old = ", ".join(episode_code(r.season, r.number) for r in rows)
    was = episode_code(rows[0].season, rows[0].number)
    raise AmbiguousRenumber(
        f"episodes[{i}]",
        f"“{item.episode.title}” is the title of {new} here and of {old} before, so I cannot"
        f' tell which episode was renumbered: add `was = "{was}"` to the entry that was {was}',
    )


def plan(
    rows: list[Row], entries: tuple[EpisodeFile, ...], digests: tuple[str, ...] | None = None
) -> Plan:
    """Match the file's entries to stored rows, and sort them into what changes. `digests`
    are the entries' `entry_digest`s when already worked out (in a parsing process).

    Raises AmbiguousRenumber when a hand renumbering cannot be told apart."""
    match = _Matcher(rows, entries)
    match.by_tvmaze()
    match.by_declaration()
    match.by_moved_title()
    match.by_slot()
    match.by_title()
    out = Plan()
    for i, item in enumerate(entries):
        digest = entry_digest(item) if digests is None else digests[i]
        row = match.matched.get(i)
        if row is None:
            out.added.append((item, digest))
            continue
        out.matched.append((item, row.id))
        if row.digest == digest and row.retired_at is None:
            out.unchanged += 1
        else:
            out.updated.append((item, row, digest))
        if row.retired_at is None and (row.season, row.number) != _slot(item):
            before = episode_code(row.season, row.number)
            out.renumbered.append(f"{before} → {item.episode.code} “{item.episode.title}”")
    out.retired = [r for r in rows if r.id not in match.used and r.retired_at is None]
    return out
