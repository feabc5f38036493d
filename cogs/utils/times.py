"""Reading times members type: spans ("1h30m") and moments ("in 2h", "20:30", a Discord timestamp)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.render.text import escape, one_line

_SPAN = re.compile(r"(\d+)([a-z]*)")
_UNITS = {
    86400: ("d", "day", "days"),
    3600: ("h", "hr", "hrs", "hour", "hours"),
    60: ("", "m", "min", "mins", "minute", "minutes"),
    1: ("s", "sec", "secs", "second", "seconds"),
}
_UNIT_SECONDS = {word: seconds for seconds, words in _UNITS.items() for word in words}
_TIMESTAMP = re.compile(r"^<t:(-?\d{1,13})(?::[tTdDfFR])?>$")
_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")
FURTHEST = dt.timedelta(days=365)


def parse_span(text: str) -> int | None:
    """Seconds in "90m", "2h", "1h30m", "3d", "45s" or a bare number of minutes; None if unreadable."""
    cleaned = text.strip().lower().replace(" ", "")
    total, end = 0, 0
    for match in _SPAN.finditer(cleaned):
        unit = _UNIT_SECONDS.get(match.group(2))
        if match.start() != end or unit is None:
            return None
        total += int(match.group(1)) * unit
        end = match.end()
    return total if end == len(cleaned) and total > 0 else None


def parse_start(text: str, zone: ZoneInfo, now: dt.datetime) -> dt.datetime:
    """A future moment from "in 2h", "20:30", "8pm", "2026-12-01 20:00" (in `zone`) or a
    Discord timestamp like <t:1764619200:F>; raises a UserError saying what works."""
    raw = text.strip()
    lowered = raw.lower()
    moment: dt.datetime | None = None
    if match := _TIMESTAMP.match(raw):
        moment = dt.datetime.fromtimestamp(int(match.group(1)), dt.UTC)
    elif lowered.startswith("in ") and (seconds := parse_span(lowered[3:])) is not None:
        moment = now + dt.timedelta(seconds=seconds)
    elif match := _CLOCK.match(lowered):
        moment = _next_clock(match, zone, now)
    else:
        try:
            parsed = dt.datetime.fromisoformat(raw)
        except ValueError:
            parsed = None
        if parsed is not None:
            moment = parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
    if moment is None:
        raise UserError(
            f"I can't read “{escape(one_line(raw, 40))}” as a time. Try `in 2h`, `20:30`, "
            "`2026-12-01 20:00` (in this server's time zone) or a Discord timestamp."
        )
    if moment <= now:
        raise UserError(f"<t:{int(moment.timestamp())}:F> has already passed: pick a time ahead.")
    if moment - now > FURTHEST:
        raise UserError("That is more than a year away: pick something sooner.")
    return moment.astimezone(dt.UTC)


def _next_clock(match: re.Match[str], zone: ZoneInfo, now: dt.datetime) -> dt.datetime | None:
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    local = now.astimezone(zone)
    moment = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return moment if moment > local else moment + dt.timedelta(days=1)
