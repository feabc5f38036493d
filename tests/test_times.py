"""Reading the times members type: `parse_start` (moments) and `parse_span` (lengths)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import UserError
from cogs.utils.times import FURTHEST, parse_span, parse_start

PARIS = ZoneInfo("Europe/Paris")
# Wednesday 25 November 2026, 19:00 in Paris (UTC+1 in winter).
NOW = dt.datetime(2026, 11, 25, 18, 0, tzinfo=dt.UTC)


def utc(day: int, hour: int, minute: int = 0, month: int = 11, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # What already worked.
        ("in 2h", NOW + dt.timedelta(hours=2)),
        ("in 1h30m", NOW + dt.timedelta(minutes=90)),
        ("in 2 hours", NOW + dt.timedelta(hours=2)),
        ("20:30", utc(25, 19, 30)),
        ("8pm", utc(25, 19)),
        ("18:30", utc(26, 17, 30)),  # already past today: tomorrow
        ("2026-12-01 20:00", utc(1, 19, month=12)),
        ("2026-12-01T20:00+00:00", utc(1, 20, month=12)),
        ("<t:1796400000:F>", dt.datetime.fromtimestamp(1796400000, dt.UTC)),
        ("<t:1796400000>", dt.datetime.fromtimestamp(1796400000, dt.UTC)),
        # Clock forms.
        ("8.30pm", utc(25, 19, 30)),
        ("8:30 pm", utc(25, 19, 30)),
        ("8 p.m.", utc(25, 19)),
        ("20h30", utc(25, 19, 30)),
        ("12am", utc(25, 23)),
        ("noon", utc(26, 11)),
        ("midnight", utc(25, 23)),  # the end of today, 00:00 in Paris
        # Days.
        ("today 9pm", utc(25, 20)),
        ("tonight 8", utc(25, 19)),  # tonight reads a bare hour as pm
        ("tonight 9:30", utc(25, 20, 30)),
        ("tomorrow 20:00", utc(26, 19)),
        ("tomorrow at 8am", utc(26, 7)),
        ("8pm tomorrow", utc(26, 19)),
        ("tomorrow noon", utc(26, 11)),
        ("friday 8pm", utc(27, 19)),
        ("fri 20:30", utc(27, 19, 30)),
        ("Friday at 8pm", utc(27, 19)),
        ("thurs 9pm", utc(26, 20)),
        ("8pm on saturday", utc(28, 19)),
        ("friday midnight", utc(27, 23)),  # the end of Friday
        ("next friday 8pm", utc(4, 19, month=12)),
        ("wed 19:30", utc(25, 18, 30)),  # today is Wednesday and 19:30 is still ahead
        ("wednesday 18:30", utc(2, 17, 30, month=12)),  # already past: next week's
        ("next wed 19:30", utc(2, 18, 30, month=12)),
        ("mon 20:00", utc(30, 19)),
        # Zones at the end override the default, in any case.
        ("20:30 Europe/Paris", utc(25, 19, 30)),
        ("20:30 europe/london", utc(25, 20, 30)),
        ("20:30 UTC", utc(25, 20, 30)),
        ("8pm utc", utc(25, 20)),
        ("tomorrow 8pm America/New_York", utc(27, 1)),  # Thursday 20:00 in New York
        ("in 2h Asia/Tokyo", NOW + dt.timedelta(hours=2)),
        ("2026-12-01 20:00 Asia/Tokyo", utc(1, 11, month=12)),
        # "Today" is the day in the zone named: it is already Thursday in Tokyo.
        ("today 9am Asia/Tokyo", utc(26, 0)),
    ],
)
def test_start_times(text: str, expected: dt.datetime) -> None:
    moment = parse_start(text, PARIS, NOW)
    assert moment == expected
    assert moment.tzinfo == dt.UTC


def test_the_default_zone_comes_from_the_caller() -> None:
    assert parse_start("tomorrow 20:00", ZoneInfo("America/Los_Angeles"), NOW) == utc(27, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Paris skips 02:00-03:00 on 28 March 2027: 02:30 reads as 03:30 summer time.
        ("2027-03-28 02:30", utc(28, 1, 30, month=3, year=2027)),
        ("sun 2:30", utc(28, 1, 30, month=3, year=2027)),
        # The evening after the change is summer time (UTC+2), not the morning's UTC+1.
        ("sun 8pm", utc(28, 18, month=3, year=2027)),
        # Paris repeats 02:00-03:00 on 31 October 2027: 02:30 means its first pass (UTC+2).
        ("2027-10-31 02:30", utc(31, 0, 30, month=10, year=2027)),
    ],
)
def test_daylight_saving_changes(text: str, expected: dt.datetime) -> None:
    saturday_evening = dt.datetime(2027, 3, 27, 20, 0, tzinfo=dt.UTC)
    assert parse_start(text, PARIS, saturday_evening) == expected


@pytest.mark.parametrize(
    "text",
    [
        "soon",
        "",
        "friday",  # a day needs a time
        "2h",  # in 2h or 02:00? Refused rather than guessed.
        "20h",
        "in forever",
        "25:00",
        "13pm",
        "0am",
        "20:60",
        "someday 8pm",
        "20:30 Mars/Olympus",
        "Europe/Paris",
        "next 8pm",
        "tomorrow tomorrow 8pm",
    ],
)
def test_unreadable_times_say_what_works(text: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_start(text, PARIS, NOW)
    message = str(refused.value)
    assert "`tomorrow 20:00`, `friday 8pm`, `in 2h`, `20:30 Europe/Paris`" in message
    assert message.endswith("Times without a zone are read in Europe/Paris.")


def test_the_caller_can_name_the_default_zone() -> None:
    with pytest.raises(UserError, match=r"read in your time zone \(Europe/Paris\)\.$"):
        parse_start("soon", PARIS, NOW, zone_label="your time zone (Europe/Paris)")


@pytest.mark.parametrize(
    "text", ["today 9am", "tonight 6", "2026-11-01 20:00", "<t:1700000000:F>", "2020-01-01 10:00"]
)
def test_past_times_are_refused(text: str) -> None:
    with pytest.raises(UserError, match="passed"):
        parse_start(text, PARIS, NOW)


def test_a_past_time_is_shown_back_as_a_discord_timestamp() -> None:
    nine_this_morning = int(utc(25, 8).timestamp())
    with pytest.raises(UserError) as refused:
        parse_start("today 9am", PARIS, NOW)
    assert str(refused.value) == f"<t:{nine_this_morning}:F> has already passed: pick a time ahead."


@pytest.mark.parametrize("text", ["in 400d", "2027-12-01 20:00", "<t:1900000000:F>", "in 9000h"])
def test_more_than_a_year_ahead_is_refused(text: str) -> None:
    with pytest.raises(UserError, match="more than a year away"):
        parse_start(text, PARIS, NOW)


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("<t:9999999999999:F>", "more than a year away"),
        ("<t:-9999999999999:F>", "already passed"),
        ("<t:99999999999999999999:F>", "can't read"),
        ("9" * 30 + ":00", "can't read"),
        ("9" * 30 + "pm", "can't read"),
        ("²³:00", "can't read"),  # "²".isdigit() is True, int("²") raises
        ("٢٠:٣٠", "can't read"),  # Arabic-Indic digits: int() reads them, we don't
        ("in ²³m", "can't read"),
        ("in " + "9" * 40 + "h", "can't read"),
        ("in " + "9" * 5000 + "m", "can't read"),  # int() refuses over 4,300 digits
        ("in 99999999999h", "more than a year away"),  # timedelta() overflows on this
        ("9999-12-31 23:59 America/New_York", "more than a year away"),  # year 10000 in UTC
        ("0001-01-01 00:00 Asia/Tokyo", "already passed"),  # year 0 in UTC
        ("tomorrow 8pm " * 50, "can't read"),
    ],
)
def test_overflowing_numbers_get_a_sentence(text: str, sentence: str) -> None:
    with pytest.raises(UserError, match=sentence):
        parse_start(text, PARIS, NOW)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90m", 5400), ("1h30m", 5400), ("2 h", 7200), ("3d", 259200), ("45s", 45), ("30", 1800)],
)
def test_spans(text: str, seconds: int) -> None:
    assert parse_span(text) == seconds


@pytest.mark.parametrize(
    "text", ["", "0m", "h", "2x", "1h-30m", "²³m", "٣m", "9" * 40 + "h", "9" * 5000]
)
def test_unreadable_spans(text: str) -> None:
    assert parse_span(text) is None


_PIECES = [
    "in", "at", "on", "next", "today", "tonight", "tomorrow", "fri", "friday", "thurs", "wed",
    "noon", "midnight", "8", "8pm", "8.30pm", "20:30", "20h30", "12am", "p.m.", "2h", "1h30m",
    "400d", "2026-12-01", "20:00", "2027-03-28T02:30", "9999-12-31", "Europe/Paris", "utc",
    "America/New_York", "<t:1796400000:F>", "<t:9999999999999:F>", "<t:-9999999999999>",
    "²³", "٣", "9" * 30, "-1", " ", ":", "\u00a0",
]  # fmt: skip
_TEXTS = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(_PIECES), max_size=5).map(" ".join),
    st.lists(st.one_of(st.sampled_from(_PIECES), st.integers().map(str)), max_size=4).map("".join),
)
_ZONES = st.sampled_from([PARIS, ZoneInfo("UTC"), ZoneInfo("Pacific/Kiritimati")])


@settings(derandomize=True, max_examples=300, deadline=None)
@given(text=_TEXTS, zone=_ZONES)
def test_any_text_is_a_future_time_or_a_sentence(text: str, zone: ZoneInfo) -> None:
    try:
        moment = parse_start(text, zone, NOW)
    except UserError:
        return
    assert moment.tzinfo == dt.UTC
    assert NOW < moment <= NOW + FURTHEST
