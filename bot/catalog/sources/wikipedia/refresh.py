"""One show's recaps brought up to date from Wikipedia: find, read, match, write, report.

`python -m bot wikipedia SLUG` calls `refresh` and prints its lines, one fact a line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .client import WikipediaClient
from .discover import find_list, read_rows
from .match import match
from .writer import find_file, open_file, write


@dataclass
class Outcome:
    path: Path
    lines: list[str] = field(default_factory=list)
    changed: bool = False


async def refresh(
    client: WikipediaClient, data_dir: Path, slug: str, article: str | None = None
) -> Outcome:
    """Raises WikipediaError (and DataFileError) with one line; the file is then unchanged."""
    path = find_file(data_dir, slug)
    doc, title, targets = open_file(path)
    page = await find_list(client, title, article)
    found = await read_rows(client, page)
    report = match(found.rows, targets)
    written = write(path, doc, report.matched)
    out = Outcome(path, changed=bool(written.written or written.updated or written.kept))
    lines = out.lines
    lines.append(f"article: {page.title} (revision {page.revision})")
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
