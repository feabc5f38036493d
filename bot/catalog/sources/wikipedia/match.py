"""Wikipedia's rows matched to the show's episodes: by season and number, then checked.

A row lands on the episode of its season and number only when the title agrees (after
folding case, accents, punctuation and "Part 1") and the air dates are at most a day apart
(time zones: a late-evening US première is the next day in Europe). Anything else is
reported with its reason and left alone: a wrong recap on the wrong episode is a spoiler.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from ....models import episode_code
from .parse import ParsedEntry

DATE_SLACK = dt.timedelta(days=1)


@dataclass(frozen=True)
class Target:
    """An episode of the show as the data file holds it."""

    season: int
    number: int
    title: str
    air_date: dt.date | None = None


@dataclass(frozen=True)
class Match:
    target: Target
    summary: str
    article: str
    revision: int


@dataclass
class MatchReport:
    matched: list[Match] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)  # "S1E2: title differs: ..."
    unmatched: list[str] = field(default_factory=list)  # rows with no episode to go to


@dataclass(frozen=True)
class Sourced:
    """A parsed row with the article and revision it was read from."""

    entry: ParsedEntry
    article: str
    revision: int


_PART = re.compile(r"\b(?:part|pt)\.?\s*(?:\d+|one|two|three|i{1,3})\b|\(\d\)", re.IGNORECASE)


def normal_title(title: str) -> str:
    """A title folded for comparison: "The Long Night (Part 2)" -> "thelongnight"."""
    folded = unicodedata.normalize("NFKD", _PART.sub("", title)).casefold()
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", folded)


def _titles_agree(ours: str, theirs: str) -> bool:
    a, b = normal_title(ours), normal_title(theirs)
    if not a or not b:
        return False
    # Two-part rows name both halves ("Arrival / Departure"), one half per episode.
    return a == b or a in b or b in a


def _merge_parts(rows: list[Sourced]) -> list[Sourced]:
    """Segments of one episode ("2a", "2b") become one row: titles and summaries joined."""
    out: list[Sourced] = []
    for row in rows:
        e = row.entry
        last = out[-1].entry if out else None
        if e.part and last is not None and last.part and last.numbers == e.numbers:
            joined = ParsedEntry(
                season=e.season,
                numbers=e.numbers,
                title=f"{last.title} / {e.title}",
                air_date=last.air_date or e.air_date,
                summary="\n\n".join(s for s in (last.summary, e.summary) if s),
                label=f"{last.label}/{e.label}",
                part=e.part,
            )
            out[-1] = Sourced(joined, row.article, row.revision)
        else:
            out.append(row)
    return out


def _check(row: Sourced, target: Target) -> str | None:
    """Why this row should not be this episode's recap, or None."""
    e = row.entry
    if not _titles_agree(target.title, e.title):
        return f"title differs: Wikipedia “{e.title}”, data file “{target.title}”"
    if e.air_date and target.air_date and abs(e.air_date - target.air_date) > DATE_SLACK:
        return (
            f"air date differs: Wikipedia {e.air_date.isoformat()}, "
            f"data file {target.air_date.isoformat()}"
        )
    if not e.summary:
        return "Wikipedia has no summary for it"
    return None


def match(rows: list[Sourced], targets: list[Target]) -> MatchReport:
    """Each row to its episode, or a line saying why not."""
    by_slot = {(t.season, t.number): t for t in targets}
    report = MatchReport()
    done: set[tuple[int, int]] = set()
    for row in _merge_parts(rows):
        e = row.entry
        if e.special or e.season is None:
            report.unmatched.append(f"special “{e.title}”: specials have no recap in the data file")
            continue
        for number in e.numbers:
            code = episode_code(e.season, number)
            target = by_slot.get((e.season, number))
            if target is None:
                report.unmatched.append(f"{code} “{e.title}”: not in the data file")
                continue
            if (e.season, number) in done:
                report.mismatched.append(f"{code}: listed twice on Wikipedia; kept the first")
                continue
            problem = _check(row, target)
            if problem:
                report.mismatched.append(f"{code}: {problem}")
                continue
            done.add((e.season, number))
            report.matched.append(Match(target, e.summary, row.article, row.revision))
    return report
