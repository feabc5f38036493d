"""Reading times members type: spans ("1h30m") and moments ("friday 8pm", "in 2h", a timestamp).

Every pattern is ASCII-only (re.ASCII): "²³" passes str.isdigit() but int() refuses it, and a
member should get a sentence for it, not a traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from discord import app_commands

from bot import limits
from bot.errors import UserError
from bot.i18n import N_, _, current
from bot.render.text import escape, one_line

_SPAN = re.compile(r"([0-9]+)([a-z]*)", re.ASCII)
_UNITS = {
    86400: ("d", "day", "days"),
    3600: ("h", "hr", "hrs", "hour", "hours"),
    60: ("", "m", "min", "mins", "minute", "minutes"),
    1: ("s", "sec", "secs", "second", "seconds"),
}
_UNIT_SECONDS = {word: seconds for seconds, words in _UNITS.items() for word in words}
# Discord's own timestamps run to ±8.64e12 seconds: 13 digits covers them all.
_TIMESTAMP = re.compile(r"<t:(-?[0-9]{1,13})(?::[tTdDfFR])?>", re.ASCII)
# "20:30", "8.30pm", "8:30 pm", "20h30", "8 p.m.", "8", "noon", "midnight". A bare "20h" is
# refused on purpose: "2h" would otherwise mean 02:00 to someone who meant "in 2h".
_CLOCK = r"(?P<clock>noon|midnight|(?P<h>[0-9]{1,2})(?:[:.h](?P<m>[0-9]{2}))?\s*(?:(?P<half>[ap])\.?m\.?)?)"
_DAY = r"(?P<day>today|tonight|tomorrow|tmrw|(?P<next>next\s+)?(?P<weekday>[a-z]{3,9}))"
_DAY_THEN_CLOCK = re.compile(rf"(?:{_DAY}\s+)?(?:at\s+)?{_CLOCK}", re.ASCII)
_CLOCK_THEN_DAY = re.compile(rf"{_CLOCK}\s+(?:on\s+)?{_DAY}", re.ASCII)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FURTHEST = dt.timedelta(days=limits.START_DAYS_AHEAD)
# What members type stays English ("friday 8pm"): the parser reads English words only.
_EXAMPLES = N_(
    "Try `tomorrow 20:00`, `friday 8pm`, `in 2h`, `20:30 Europe/Paris` or a Discord timestamp."
)


def parse_span(text: str) -> int | None:
    """Seconds in "90m", "2h", "1h30m", "3d", "45s" or a bare number of minutes; None if unreadable."""
    cleaned = text.strip().lower().replace(" ", "")
    total, end = 0, 0
    for match in _SPAN.finditer(cleaned):
        unit = _UNIT_SECONDS.get(match.group(2))
        if match.start() != end or unit is None or len(match.group(1)) > limits.SPAN_DIGITS:
            return None
        total += int(match.group(1)) * unit
        end = match.end()
    return total if end == len(cleaned) and total > 0 else None


def parse_start(
    text: str, zone: ZoneInfo, now: dt.datetime, zone_label: str | None = None
) -> dt.datetime:
    """The future moment (aware, UTC, at most a year ahead) that `text` names; `read_start`
    also says when a daylight-saving change moved or chose the wall time."""
    return read_start(text, zone, now, zone_label).moment


@dataclass(frozen=True)
class StartTime:
    moment: dt.datetime  # aware, UTC
    # A sentence when the wall time typed does not exist that day (clocks go forward) or
    # happens twice (clocks go back), saying which moment was taken; else None.
    note: str | None = None


def read_start(
    text: str, zone: ZoneInfo, now: dt.datetime, zone_label: str | None = None
) -> StartTime:
    """The future moment (aware, UTC, at most a year ahead) that `text` names.

    Reads "in 2h", "20:30", "8.30pm", "20h30", "noon", "midnight" (the end of the day named),
    a day before or after the time ("tomorrow 20:00", "tonight 8" = 20:00, "fri 8pm", "8pm
    friday", "next friday 8pm" = a week after "friday 8pm"), ISO "2026-12-01 20:00", and a
    Discord timestamp. A trailing IANA zone ("20:30 Europe/Paris", "8pm utc", any case)
    overrides `zone`, the caller's default; `zone_label` names that default in the error
    ("your time zone (Europe/Paris)"). Anything else raises a UserError saying what works.
    """
    words = text.split()
    zone, words = _trailing_zone(words, zone)
    rest = " ".join(words)
    moment = _read(rest, zone, now) if len(rest) <= limits.START_TEXT else None
    if moment is None:
        label = zone_label or zone.key
        raise UserError(
            _(
                "I can't read “{text}” as a time. {examples} Times without a zone are read in "
                "{zone}."
            ).format(text=escape(one_line(text.strip(), 40)), examples=_(_EXAMPLES), zone=label)
        )
    note = dst_note(moment)
    moment = moment.astimezone(dt.UTC)
    if moment <= now:
        raise UserError(
            _("{when} has already passed: pick a time ahead.").format(
                when=f"<t:{int(moment.timestamp())}:F>"
            )
        )
    if moment - now > FURTHEST:
        raise _too_far()
    return StartTime(moment, note)


def dst_note(wall: dt.datetime) -> str | None:
    """What a daylight-saving change did to a wall time typed in a zone, or None.

    Python reads a wall time with fold=0: one skipped by the change (02:30 on the night clocks
    go forward) takes the offset from before it, so lands an hour later on the clock (03:30);
    one the change repeats (clocks go back) means its first pass. Both are right, and both
    are surprises: the member is told which moment they got.
    """
    zone = wall.tzinfo
    if not isinstance(zone, ZoneInfo):
        return None  # a timestamp, "in 2h", or an explicit offset: no wall time to misread
    typed = f"{wall:%H:%M}"
    # Translators: a Babel date pattern for a day and its month ("28 March"), see
    # https://babel.pocoo.org/en/latest/dates.html#date-fields
    day = _local(wall.replace(tzinfo=None), _("d MMMM"))
    actual = wall.astimezone(dt.UTC).astimezone(zone)
    if actual.replace(tzinfo=None) != wall.replace(tzinfo=None):
        return _(
            "{time} does not exist on {day} in {zone} (clocks go forward); scheduled for {actual}."
        ).format(time=typed, day=day, zone=zone.key, actual=f"{actual:%H:%M}")
    second = wall.replace(fold=1)
    if second.utcoffset() != wall.utcoffset():
        return _(
            "{time} happens twice on {day} in {zone} (clocks go back); scheduled for the first, "
            "{time} {first} (UTC{first_offset}), not {time} {second} (UTC{second_offset})."
        ).format(
            time=typed,
            day=day,
            zone=zone.key,
            first=f"{wall:%Z}",
            first_offset=_offset(wall),
            second=f"{second:%Z}",
            second_offset=_offset(second),
        )
    return None


def _local(moment: dt.datetime, pattern: str) -> str:
    """`moment` (naive: shown as it is) with a Babel pattern, in the current language's words."""
    return format_datetime(moment, pattern, locale=current() or "en")


def day_and_time(moment: dt.datetime) -> str:
    """ "05 Dec 20:00" in the current language, for a short list of times."""
    # Translators: a Babel pattern for a day, a short month and a time ("05 Dec 20:00"), see
    # https://babel.pocoo.org/en/latest/dates.html#date-fields
    return _local(moment.replace(tzinfo=None), _("dd MMM HH:mm"))


def _offset(moment: dt.datetime) -> str:
    offset = moment.utcoffset() or dt.timedelta()
    sign = "-" if offset < dt.timedelta() else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")


def _read(text: str, zone: ZoneInfo, now: dt.datetime) -> dt.datetime | None:
    """The moment in `text` (any time, past ones too), or None if it isn't a time. A wall
    time comes back in its zone, so read_start can tell what a DST change did to it."""
    lowered = text.lower()
    if match := _TIMESTAMP.fullmatch(text):
        return _from_timestamp(int(match.group(1)), now)
    if lowered.startswith("in ") and (seconds := parse_span(lowered[3:])) is not None:
        if seconds > FURTHEST.total_seconds():
            raise _too_far()  # before timedelta(), which overflows past 999,999,999 days
        return now + dt.timedelta(seconds=seconds)
    if match := _DAY_THEN_CLOCK.fullmatch(lowered) or _CLOCK_THEN_DAY.fullmatch(lowered):
        return _day_and_clock(match, zone, now)
    return _from_iso(text, zone, now)


@functools.cache
def _zone_names() -> dict[str, str]:
    # Zone keys are file names, case-sensitive on most systems; members type "europe/paris".
    skipped = {"localtime", "Factory"}
    return {name.casefold(): name for name in zoneinfo.available_timezones() - skipped}


@functools.cache
def time_zones() -> tuple[str, ...]:
    """Every IANA zone name, sorted: what /config timezone and /timezone set accept."""
    return tuple(sorted(zoneinfo.available_timezones()))


def known_zone(text: str) -> str:
    """The zone name `text` spells (any case), or a UserError saying to pick one."""
    name = text if text in time_zones() else _zone_names().get(text.strip().casefold())
    if name is None:
        raise UserError(
            _("“{text}” is not a time zone I know: pick one from the list.").format(
                text=escape(one_line(text, 40))
            )
        )
    return name


def zone_choices(current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete for a time-zone option: the zones containing what was typed."""
    wanted = current.strip().lower().replace(" ", "_")
    found = [z for z in time_zones() if wanted in z.lower()][: limits.AUTOCOMPLETE_CHOICES]
    return [app_commands.Choice(name=z, value=z) for z in found]


def _trailing_zone(words: list[str], zone: ZoneInfo) -> tuple[ZoneInfo, list[str]]:
    if len(words) > 1 and (name := _zone_names().get(words[-1].casefold())):
        return ZoneInfo(name), words[:-1]
    return zone, words


def _from_timestamp(seconds: int, now: dt.datetime) -> dt.datetime:
    if seconds - now.timestamp() > FURTHEST.total_seconds():
        raise _too_far()  # before fromtimestamp(), which fails past the year 9999
    try:
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (OverflowError, OSError, ValueError):
        raise _long_ago() from None


def _from_iso(text: str, zone: ZoneInfo, now: dt.datetime) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    # Returned as the wall time in its zone: read_start converts it and notes a DST change.
    wall = parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
    try:
        wall.astimezone(dt.UTC)
    except OverflowError:  # year 9999 in New York is year 10000 in UTC
        raise _too_far() if parsed.year > now.year else _long_ago() from None
    return wall


def _day_and_clock(match: re.Match[str], zone: ZoneInfo, now: dt.datetime) -> dt.datetime | None:
    clock = _clock(match, tonight=match.group("day") == "tonight")
    if clock is None:
        return None
    time, end_of_day = clock
    today = now.astimezone(zone).date()

    def on(day: dt.date) -> dt.datetime:
        # The wall time in `zone` (fold=0; see dst_note); compared with `now` by the instant.
        return dt.datetime.combine(day + dt.timedelta(days=end_of_day), time, zone)

    day = match.group("day")
    if day is None:
        return on(today) if on(today) > now else on(today + dt.timedelta(days=1))
    if day in ("today", "tonight"):
        return on(today)
    if day in ("tomorrow", "tmrw"):
        return on(today + dt.timedelta(days=1))
    weekday = _weekday(match.group("weekday"))
    if weekday is None:
        return None
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and on(today) <= now:
        ahead = 7  # "friday" on a Friday evening, after the time: next week's
    if match.group("next"):
        ahead += 7
    return on(today + dt.timedelta(days=ahead))


def _clock(match: re.Match[str], *, tonight: bool) -> tuple[dt.time, bool] | None:
    """The wall time and whether it is the end of the day ("midnight"), or None if invalid."""
    if match.group("clock") == "noon":
        return dt.time(12), False
    if match.group("clock") == "midnight":
        return dt.time(0), True
    hour, minute, half = int(match.group("h")), int(match.group("m") or 0), match.group("half")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    elif tonight and 1 <= hour < 12:
        hour += 12  # "tonight 8" is 20:00
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute), False


def _weekday(word: str) -> int | None:
    """Monday is 0; "fri", "thurs" and "wednesday" all count (three letters tell them apart)."""
    for number, name in enumerate(_WEEKDAYS):
        if name.startswith(word):
            return number
    return None


def _too_far() -> UserError:
    return UserError(_("That is more than a year away: pick something sooner."))


def _long_ago() -> UserError:
    # Too far back for Discord to show as a <t:…> timestamp.
    return UserError(_("That time has already passed: pick a time ahead."))
