"""[[episodes]] and [[specials]] of a data file brought up to date with a TVmaze catalog.

An episode is matched by tvmaze_id, else by (season, number) when the file's episode has no
tvmaze_id or one TVmaze no longer lists (TVmaze re-created it). A matched episode takes
TVmaze's numbering, so a renumbered episode keeps its recap, unless a file episode TVmaze
no longer lists holds that number: people's entries are never moved or deleted.

An episode TVmaze no longer lists leaves the file (the import then retires it: the store
keeps its row for the polls, threads and progress that refer to it), unless people wrote
for it: a recap, ending, spoiler terms, polls, links or cast in the file, or a recap or
ending written in Discord (`keep`, by TVmaze id). Those stay, and are reported.
"""

from __future__ import annotations

from typing import Any

import tomlkit

from ....models import episode_code
from ._fit import clip
from ._upstream import WriteReport, sync_fields
from .convert import SYNOPSIS_MAX, TITLE_MAX, Catalog, TvEpisode

Key = tuple[int, int]

# What people own in an [[episodes]] table: an entry holding any of these is theirs to remove.
PEOPLES_FIELDS = ("recap", "ending", "spoiler_terms", "polls", "links", "cast")


def sync_episodes(
    doc: Any, catalog: Catalog, report: WriteReport, keep: frozenset[int] = frozenset()
) -> None:
    if not catalog.episodes and "episodes" not in doc:
        return
    if "episodes" not in doc:
        doc["episodes"] = tomlkit.aot()
    aot = doc["episodes"]
    matched = _match(list(aot), catalog)
    claimed = {id(t) for t in matched.values()}
    _retire(aot, claimed, keep, report)
    unmatched = [t for t in aot if id(t) not in claimed]
    stay = _blocked_moves(matched, catalog, {_key(t) for t in unmatched})
    taken = {_key(t) for t in unmatched} | {_key(matched[i]) for i in stay}
    for key, ep in catalog.episodes.items():
        table = matched.get(ep.tvmaze_id)
        if table is not None:
            _update(table, ep, ep.tvmaze_id in stay, report)
        elif key in taken:
            report.kept_human_edits.append(
                f"{ep.code}: not added; this file already numbers another episode {ep.code}"
            )
        else:
            _insert(aot, _new(ep, report))
            report.added.append(f"{ep.code} · {ep.title}")
    for table in unmatched:
        report.gone_upstream.append(_label(table))


def _retire(aot: Any, claimed: set[int], keep: frozenset[int], report: WriteReport) -> None:
    """Take out the entries TVmaze no longer lists that nobody wrote for."""
    for index in reversed(range(len(aot))):
        table = aot[index]
        tvmaze_id = table.get("tvmaze_id")
        if id(table) in claimed or not isinstance(tvmaze_id, int):
            continue  # listed upstream, or written by hand (never listed)
        if tvmaze_id in keep or any(key in table for key in PEOPLES_FIELDS):
            continue
        report.retired.insert(0, _label(table))
        del aot[index]


def sync_specials(doc: Any, catalog: Catalog, report: WriteReport) -> None:
    if not catalog.specials and "specials" not in doc:
        return
    if "specials" not in doc:
        doc["specials"] = tomlkit.aot()
    aot = doc["specials"]
    by_id = {t.get("tvmaze_id"): t for t in aot}
    # An episode people wrote for that TVmaze now calls a special stays an episode: one
    # TVmaze id may not be in both lists.
    held = {t.get("tvmaze_id") for t in doc.get("episodes", [])}
    for special in catalog.specials:
        if special.tvmaze_id in held:
            report.kept_human_edits.append(
                f"special “{special.title}”: stays an episode here (people wrote for it)"
            )
            continue
        values = _values(special)
        # not part of a special's format
        del values["air_time"], values["airs_at"], values["image"]
        where = f"special {special.tvmaze_id} “{special.title}”"
        table = by_id.pop(special.tvmaze_id, None)
        if table is None:
            table = tomlkit.table()
            table.trivia.indent = "\n"
            table["tvmaze_id"] = special.tvmaze_id
            sync_fields(table, values, where, report)
            aot.append(table)
            report.added.append(where)
        elif changed := sync_fields(table, values, where, report):
            report.updated.append(f"{where}: {', '.join(changed)}")
    for table in by_id.values():
        label = f"special {table.get('tvmaze_id')} “{table.get('title')}”"
        if isinstance(table.get("tvmaze_id"), int):
            # Specials hold only TVmaze's fields: nothing of people's is lost.
            aot.remove(table)
            report.retired.append(label)
        else:
            report.gone_upstream.append(label)


def _match(tables: list[Any], catalog: Catalog) -> dict[int, Any]:
    """Upstream episode id -> the file's table for it."""
    by_id = {t["tvmaze_id"]: t for t in tables if isinstance(t.get("tvmaze_id"), int)}
    matched = {i: by_id[i] for i in (e.tvmaze_id for e in catalog.episodes.values()) if i in by_id}
    listed = {e.tvmaze_id for e in catalog.episodes.values()}
    listed |= {s.tvmaze_id for s in catalog.specials}
    claimed = {id(t) for t in matched.values()}
    by_key = {
        _key(t): t for t in tables if id(t) not in claimed and t.get("tvmaze_id") not in listed
    }
    for key, ep in catalog.episodes.items():
        if ep.tvmaze_id not in matched and key in by_key:
            matched[ep.tvmaze_id] = by_key.pop(key)
    return matched


def _blocked_moves(matched: dict[int, Any], catalog: Catalog, fixed: set[Key | None]) -> set[int]:
    """Ids of matched episodes that must keep their number: TVmaze's is held by a kept one."""
    targets = {e.tvmaze_id: key for key, e in catalog.episodes.items() if e.tvmaze_id in matched}
    stay: set[int] = set()
    while True:
        held = fixed | {_key(matched[i]) for i in stay}
        blocked = {
            i
            for i, target in targets.items()
            if i not in stay and target != _key(matched[i]) and target in held
        }
        if not blocked:
            return stay
        stay |= blocked


def _update(table: Any, ep: TvEpisode, stay: bool, report: WriteReport) -> None:
    old = _key(table)
    changes = []
    if stay:
        report.kept_human_edits.append(
            f"{_code(old)}: keeps its number; TVmaze now calls it {ep.code}, "
            "which another episode in this file already has"
        )
    elif old != (ep.season, ep.number):
        table["season"], table["number"] = ep.season, ep.number
        changes.append(f"renumbered from {_code(old)}")
    if "tvmaze_id" not in table:
        table["tvmaze_id"] = ep.tvmaze_id
    where = _code(_key(table))
    changes += sync_fields(table, _values(ep), where, report)
    if changes:
        report.updated.append(f"{where}: {', '.join(changes)}")


def _new(ep: TvEpisode, report: WriteReport) -> Any:
    table = tomlkit.table()
    table.trivia.indent = "\n"
    table["tvmaze_id"] = ep.tvmaze_id
    table["season"], table["number"] = ep.season, ep.number
    sync_fields(table, _values(ep), ep.code, report)
    return table


def _values(ep: TvEpisode) -> dict[str, Any]:
    """The fields TVmaze owns; None means TVmaze has nothing (the key stays absent)."""
    return {
        "title": clip(ep.title, TITLE_MAX),
        "air_date": ep.air_date,
        "air_time": ep.air_time,
        "airs_at": ep.airs_at,
        "runtime": ep.runtime,
        "image": ep.image,
        "synopsis": clip(ep.synopsis, SYNOPSIS_MAX) or None,
    }


def _insert(aot: Any, table: Any) -> None:
    """Insert before the first episode numbered after it, so the file stays in order."""
    key = _key(table)
    for index, other in enumerate(aot):
        other_key = _key(other)
        if key is not None and other_key is not None and other_key > key:
            aot.insert(index, table)
            return
    aot.append(table)


def _key(table: Any) -> Key | None:
    season, number = table.get("season"), table.get("number")
    if isinstance(season, int) and isinstance(number, int):
        return (int(season), int(number))
    return None


def _code(key: Key | None) -> str:
    return episode_code(*key) if key else "an unnumbered episode"


def _label(table: Any) -> str:
    title = table.get("title")
    return f"{_code(_key(table))} · {title}" if title else _code(_key(table))
