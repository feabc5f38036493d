"""Write or refresh data/<slug>.toml from a TVmaze catalog without undoing what people wrote.

Who owns what: TVmaze owns the facts it supplies (titles, dates, runtimes, synopses, images,
the show-wide cast); people own everything else (recap, ending, spoiler_terms, polls, links,
per-episode cast) and this module never touches those. To tell a human edit from a stale
TVmaze value, each show, episode and special keeps `upstream = { field = "<digest>" }`: the
sha256[:8] of the value TVmaze last wrote there. A field whose value still has that digest
(or is absent) follows TVmaze; one that doesn't was edited by a person and is kept, and
reported. An episode TVmaze dropped leaves the file unless people wrote for it (_episodes.py).

tomlkit edits the document in place, so comments and layout that people gave a file survive.
The new text is checked by the strict reader (bot/catalog/datafiles.py) before it replaces the file:
a file the bot would refuse at its next start is never written.
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

import tomlkit

from .... import limits
from ... import datafiles
from ._episodes import sync_episodes, sync_specials
from ._fit import clip
from ._upstream import WriteReport, sync_field, sync_fields
from .convert import TITLE_MAX, Catalog

HEADER = (
    "Show data for Watchparty; see data/README.md. Imported from TVmaze (www.tvmaze.com),\n"
    "whose data is CC BY-SA. Fields listed in `upstream` follow TVmaze until a person edits\n"
    "them; recap, ending, spoiler_terms, polls and links are people's alone."
)


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[: limits.SLUG_MAX].strip("-") or "show"


def write(catalog: Catalog, data_dir: Path, keep: frozenset[int] = frozenset()) -> WriteReport:
    """Write data/<slug>.toml for this show, or refresh the file that already holds it.

    `keep`: TVmaze ids of episodes with text written in Discord, kept even if TVmaze drops
    them. Raises DataFileError, leaving the file as it was, if the result would not check.
    """
    path, doc = _open(catalog, data_dir)
    report = WriteReport(path=path, created=doc is None, conflicts=list(catalog.conflicts))
    if doc is not None:
        report.previous = path.read_bytes()
    if doc is None:
        doc = tomlkit.document()
        for line in HEADER.splitlines():
            doc.add(tomlkit.comment(line))
        doc.add(tomlkit.nl())
        doc["show"] = tomlkit.table()
        doc["show"]["slug"] = path.stem
    _sync_show(doc, catalog, report)
    sync_episodes(doc, catalog, report, keep)
    sync_specials(doc, catalog, report)
    replace_file(path, tomlkit.dumps(doc), check=True)
    return report


def restore(report: WriteReport) -> None:
    """Undo a write whose file the store refused: the old file back, or the new one gone."""
    if report.previous is None:
        report.path.unlink(missing_ok=True)
    else:
        replace_file(report.path, report.previous.decode("utf-8"))


def _sync_show(doc: Any, catalog: Catalog, report: WriteReport) -> None:
    show, table = catalog.show, doc["show"]
    table["tvmaze_id"] = show.tvmaze_id
    runtimes = [e.runtime for e in catalog.episodes.values() if e.runtime] or (
        [show.runtime] if show.runtime else []
    )
    runtime = None
    if runtimes:
        runtime = tomlkit.inline_table()
        runtime.update({"min": min(runtimes), "max": max(runtimes)})
    cast = tomlkit.aot()
    for credit in show.cast:
        row = tomlkit.table()
        row["actor"] = clip(credit.actor, limits.ACTOR)
        if credit.character:
            row["character"] = clip(credit.character, limits.ACTOR)
        cast.append(row)
    values = {
        "title": clip(show.name, TITLE_MAX),
        "genres": list(show.genres) or None,
        "runtime": runtime,
        "imdb_id": show.imdb_id,
        "network": show.network,
        "official_site": show.official_site,
        "image": show.image,
        "status": show.status,
    }
    changed = sync_fields(table, values, "show", report)
    # The show-wide cast is a top-level array of tables; its mark sits with the show's.
    marks = {str(k): str(v) for k, v in table["upstream"].items()}
    if sync_field(doc, marks, "cast", cast if show.cast else None, "show", report):
        changed.append("cast")
    table["upstream"].clear()
    table["upstream"].update(marks)
    if changed and not report.created:
        report.updated.append(f"show: {', '.join(changed)}")


def _open(catalog: Catalog, data_dir: Path) -> tuple[Path, Any]:
    """The file that holds this show (by tvmaze_id, else by slug) and its document, if any."""
    taken: dict[str, int | None] = {}
    for path in sorted(data_dir.glob("*.toml")):
        try:
            show = tomllib.loads(path.read_text("utf-8")).get("show", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue  # a broken file is `bot check`'s business, not ours
        if show.get("tvmaze_id") == catalog.show.tvmaze_id:
            return path, tomlkit.parse(path.read_text("utf-8"))
        taken[path.stem] = show.get("tvmaze_id")
        # A file's slug may differ from its name; a new file must not claim it either.
        if isinstance(show.get("slug"), str):
            taken.setdefault(show["slug"], -1)
    slug = slugify(catalog.show.name)
    if slug in taken and taken[slug] is None:
        # A hand-written file for a show of the same name: from now on it follows TVmaze.
        path = data_dir / f"{slug}.toml"
        return path, tomlkit.parse(path.read_text("utf-8"))
    premiered = catalog.show.premiered
    for candidate in (slug, f"{slug}-{premiered.year}" if premiered else "", f"{slug}-tvmaze"):
        if candidate and candidate not in taken:
            return data_dir / f"{candidate}.toml", None
    return data_dir / f"{slug}-{catalog.show.tvmaze_id}.toml", None


def replace_file(path: Path, text: str, *, check: bool = False) -> None:
    """Write `text` to `path` atomically: readers see the old file or the new, never half.

    With `check`, the written temporary file must pass the strict reader first; if it does
    not, DataFileError (naming `path`) is raised and `path` is left as it was."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if check:
            datafiles.parse(Path(temp).read_bytes(), path)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


__all__ = ["WriteReport", "replace_file", "restore", "slugify", "write"]
