"""Wikipedia's summaries written into data/<slug>.toml as recaps, never over people's.

The rule is the TVmaze writer's (bot/catalog/sources/tvmaze/datafile.py): `upstream.recap`
holds the digest of the recap this source last wrote. A recap with that digest is Wikipedia's and follows later
revisions; a recap without it (absent mark, or text changed since) is a person's and is never
touched, and any `recap_source` beside it goes, since the credit would no longer be true.
Each recap written records `recap_source = { site, article, revision }` for the credit.

The new text is checked with the strict reader before it replaces the file, atomically.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit

from ....i18n import _
from ....limits import TEXT
from ....models import episode_code
from ... import datafiles
from ..tvmaze._upstream import digest, text_item
from ..tvmaze.datafile import replace_file
from .client import WikipediaError
from .match import Match, Target

SITE = "wikipedia"


@dataclass
class WriteReport:
    path: Path
    written: list[str] = field(default_factory=list)  # new recaps
    updated: list[str] = field(default_factory=list)  # Wikipedia's own, revised
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # a person wrote the recap


def find_file(data_dir: Path, slug: str) -> Path:
    """The data file of the show with this slug; raises WikipediaError when there is none."""
    candidates = [data_dir / f"{slug}.toml", *sorted(data_dir.glob("*.toml"))]
    for path in candidates:
        try:
            show = tomllib.loads(path.read_text("utf-8")).get("show", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if show.get("slug") == slug:
            return path
    raise WikipediaError(
        _("No data file in {folder} has the slug “{slug}”.").format(folder=data_dir, slug=slug)
    )


def open_file(path: Path) -> tuple[Any, str, list[Target]]:
    """The file as a tomlkit document, the show's title, and its episodes to match against."""
    doc = tomlkit.parse(path.read_text("utf-8"))
    targets = []
    for table in doc.get("episodes", []):
        aired = table.get("air_date")
        if isinstance(aired, str):
            aired = dt.date.fromisoformat(aired)
        targets.append(
            Target(
                int(table["season"]),
                int(table["number"]),
                str(table["title"]),
                aired if isinstance(aired, dt.date) else None,
            )
        )
    return doc, str(doc["show"]["title"]), targets


def chosen_article(doc: Any) -> str | None:
    """The article an operator named for this show (`wikipedia` in [show]), if any."""
    article = doc["show"].get("wikipedia")
    return str(article) if article else None


def record_article(path: Path, article: str | None) -> bool:
    """Name (or, with None, forget) the show's article in its file; True when it changed."""
    doc = tomlkit.parse(path.read_text("utf-8"))
    if chosen_article(doc) == article:
        return False
    if article is None:
        del doc["show"]["wikipedia"]
    else:
        doc["show"]["wikipedia"] = article
    text = tomlkit.dumps(doc)
    datafiles.parse(text.encode(), path)  # raises DataFileError; the file stays as it was
    replace_file(path, text)
    return True


def write(path: Path, doc: Any, matches: list[Match]) -> WriteReport:
    """Put each match's summary in its episode's recap where Wikipedia may; then save."""
    report = WriteReport(path)
    tables = {(int(t["season"]), int(t["number"])): t for t in doc.get("episodes", [])}
    changed = False
    for item in matches:
        key = (item.target.season, item.target.number)
        changed |= _put(tables[key], item, episode_code(*key), report)
    if changed:
        text = tomlkit.dumps(doc)
        datafiles.parse(text.encode(), path)  # raises DataFileError; the file stays as it was
        replace_file(path, text)
    return report


def _put(table: Any, item: Match, code: str, report: WriteReport) -> bool:
    """Write one recap if Wikipedia owns it; True when the document changed."""
    marks = {str(k): str(v) for k, v in table.get("upstream", {}).items()}
    new = text_item(item.summary[:TEXT].strip(), block=True)
    if "recap" in table:
        current = digest(table["recap"])
        # No mark but a source: an export to a new folder, which keeps the credit, not marks.
        ours = marks.get("recap", current if "recap_source" in table else None) == current
        if not ours:
            report.kept.append(code)
            if "recap_source" not in table:
                return False
            del table["recap_source"]
            return True
        if current == digest(new) and "recap_source" in table:
            report.unchanged += 1
            return False
        report.updated.append(f"{code} (revision {item.revision})")
    else:
        report.written.append(code)
    table["recap"] = new
    source = tomlkit.inline_table()
    source.update({"site": SITE, "article": item.article, "revision": item.revision})
    table["recap_source"] = source
    marks["recap"] = digest(new)
    upstream = tomlkit.inline_table()
    upstream.update(marks)
    table["upstream"] = upstream
    return True
