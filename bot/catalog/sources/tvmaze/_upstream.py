"""The `upstream` marks: which TVmaze-owned fields still hold what TVmaze last wrote.

A mark is sha256[:8] of the value as TOML holds it. A field whose value still has its mark
(or is absent) follows TVmaze; one that doesn't was edited by a person and is kept.
"""

from __future__ import annotations

import hashlib
import json
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import String, StringType, Trivia


@dataclass
class WriteReport:
    """What a write changed, for the CLI to print. Each entry names an episode and fields."""

    path: Path
    created: bool
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept_human_edits: list[str] = field(default_factory=list)
    # No longer on TVmaze: left the file (the store retires them) / kept, as people wrote for them.
    retired: list[str] = field(default_factory=list)
    gone_upstream: list[str] = field(default_factory=list)
    # TVmaze numbering two episodes alike (convert.catalog says how both stay reachable).
    conflicts: list[str] = field(default_factory=list)
    # The file as it was before this write (None: it is new), to put back if the import fails.
    previous: bytes | None = field(default=None, repr=False)

    def sections(self) -> list[tuple[str, list[str]]]:
        return [
            ("Added", self.added),
            ("Updated from TVmaze", self.updated),
            ("Kept people's edits", self.kept_human_edits),
            ("No longer on TVmaze, retired", self.retired),
            ("No longer on TVmaze, kept (people wrote for it)", self.gone_upstream),
            ("Numbered twice on TVmaze", self.conflicts),
        ]

    def summary(self) -> str:
        verb = "Wrote" if self.created else "Refreshed"
        lines = [f"{verb} {self.path.name}."]
        for title, items in self.sections():
            if items:
                lines.append(f"{title} ({len(items)}):")
                lines.extend(f"  {item}" for item in items)
        if len(lines) == 1:
            lines.append("Nothing changed.")
        return "\n".join(lines)


def digest(value: Any) -> str:
    """A short fingerprint of a value as TOML holds it (dates by their ISO text)."""
    plain = value.unwrap() if hasattr(value, "unwrap") else value
    text = json.dumps(plain, default=str, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def text_item(value: str, *, block: bool = False) -> Any:
    """A string as TOML; prose (`block`) or multi-line text as a wrapped \"\"\" block."""
    if not block and "\n" not in value:
        return tomlkit.string(value)
    lines = []
    for line in value.split("\n"):
        # A line-ending backslash joins the next line without the newline, so long lines
        # wrap in the file and not in the value; only plain single-spaced text is wrapped.
        chunks = [line]
        if " ".join(line.split()) == line:
            chunks = textwrap.wrap(line, 88, break_long_words=False, break_on_hyphens=False)
        lines.append(" \\\n".join(_escape(chunk) for chunk in chunks or [""]))
    return String(StringType.MLB, value, "\n" + "\n".join(lines), Trivia())


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", lambda m: f"\\u{ord(m[0]):04x}", text)


def sync_field(
    table: Any, marks: dict[str, str], key: str, new: Any, where: str, report: WriteReport
) -> bool:
    """Bring one TVmaze-owned field up to date unless a person edited it; True if changed."""
    if isinstance(new, str):
        new = text_item(new, block=key == "synopsis")
    if key not in table:
        if new is None:
            marks.pop(key, None)
            return False
        table[key] = new
        marks[key] = digest(new)
        return True
    current = digest(table[key])
    if new is not None and current == digest(new):
        marks[key] = current
        return False
    if marks.get(key) != current:
        report.kept_human_edits.append(f"{where}: {key}")
        return False
    if new is None:
        del table[key]
        marks.pop(key, None)
    else:
        table[key] = new
        marks[key] = digest(new)
    return True


def sync_fields(table: Any, values: dict[str, Any], where: str, report: WriteReport) -> list[str]:
    """sync_field over `values`, then the new marks stored; the names of changed fields."""
    existing = table.get("upstream")
    marks = {str(k): str(v) for k, v in existing.items()} if isinstance(existing, dict) else {}
    changed = [k for k, v in values.items() if sync_field(table, marks, k, v, where, report)]
    inline = tomlkit.inline_table()
    inline.update(marks)
    table["upstream"] = inline
    return changed
