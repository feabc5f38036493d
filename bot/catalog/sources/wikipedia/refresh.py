"""One show's recaps brought up to date from Wikipedia: find, read, match, write, report.

`python -m bot wikipedia SLUG` calls `refresh` and prints its lines, one fact a line. The bot
calls `fetch` outside its catalog lock (Wikipedia may be slow) and `apply` under it, so the
file is matched and written as it stands then, not as it stood before the requests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .client import WikipediaClient
from .discover import Found, find_list, read_rows
from .match import match
from .writer import chosen_article, find_file, open_file, record_article, write


@dataclass
class Outcome:
    path: Path
    lines: list[str] = field(default_factory=list)
    changed: bool = False
    article: str = ""
    revision: int = 0
    filled: int = 0  # recaps written or revised
    mismatched: list[str] = field(default_factory=list)


async def fetch(
    client: WikipediaClient, data_dir: Path, slug: str, article: str | None = None
) -> Found:
    """Every row of the show's list: of `article`, else of the article the file names, else
    of the one the search finds. Raises WikipediaError (and DataFileError) with one line."""
    doc, title, _ = open_file(find_file(data_dir, slug))
    page = await find_list(client, title, article or chosen_article(doc))
    return await read_rows(client, page)


def apply(found: Found, data_dir: Path, slug: str, *, record: bool = False) -> Outcome:
    """Match the rows to the file as it is now and write the recaps Wikipedia may; with
    `record`, the file names the article read, for every later refresh."""
    path = find_file(data_dir, slug)
    recorded = record and record_article(path, found.article.title)
    doc, _, targets = open_file(path)
    report = match(found.rows, targets)
    written = write(path, doc, report.matched)
    page = found.article
    out = Outcome(
        path, changed=bool(recorded or written.written or written.updated or written.kept)
    )
    out.article, out.revision = page.title, page.revision
    out.filled = len(written.written) + len(written.updated)
    out.mismatched = list(report.mismatched)
    lines = out.lines
    lines.append(f"article: {page.title} (revision {page.revision})")
    if recorded:
        lines.append(f"recorded: later refreshes read {page.title}")
    lines.extend(f"article: {s.title} (revision {s.revision})" for s in found.seasons)
    lines.append(f"matched: {len(report.matched)} episode(s)")
    if written.written:
        lines.append(f"recaps written: {len(written.written)} ({', '.join(written.written)})")
    lines.extend(f"recap updated: {item}" for item in written.updated)
    if written.unchanged:
        lines.append(f"unchanged: {written.unchanged} recap(s) already Wikipedia's latest")
    lines.extend(f"skipped, a person wrote the recap: {code}" for code in written.kept)
    lines.extend(f"mismatch, not written: {line}" for line in report.mismatched)
    lines.extend(f"not matched: {line}" for line in report.unmatched)
    return out


async def refresh(
    client: WikipediaClient, data_dir: Path, slug: str, article: str | None = None
) -> Outcome:
    """Raises WikipediaError (and DataFileError) with one line; the file is then unchanged."""
    found = await fetch(client, data_dir, slug, article)
    return apply(found, data_dir, slug, record=article is not None)
