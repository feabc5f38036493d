"""Start times on the days clocks change: the organiser is told when the time they typed does
not exist (clocks go forward) or happens twice (clocks go back), and which moment they got."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import Watchparty
from cogs.utils.times import read_start
from tests.conftest import Scene, acked_in_time

PARIS = ZoneInfo("Europe/Paris")
EPISODE: dict[str, Any] = {"show": "for-all-mankind", "episode": "S4E6"}


def next_change(forward: bool) -> dt.date:
    """The next day Paris moves its clocks forward (or back), from today: always within the
    year a watch party may be scheduled ahead."""
    day = dt.datetime.now(PARIS).date() + dt.timedelta(days=1)
    for _ in range(366):
        before = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(12), PARIS).utcoffset()
        after = dt.datetime.combine(day, dt.time(12), PARIS).utcoffset()
        assert before is not None and after is not None
        if after != before and (after > before) == forward:
            return day
        day += dt.timedelta(days=1)
    raise AssertionError("Paris changed no clocks this year")


async def schedule(world: Scene, who: Any, start: str) -> Any:
    ix = await world.fd.slash(who, world.channel, "watchparty schedule", start=start, **EPISODE)
    assert acked_in_time(ix), ix.text()
    await ix.wait_for_messages()
    return ix


async def starts(bot: Watchparty) -> list[float]:
    rows = await bot.store.fetchall("SELECT starts_at FROM watch_parties ORDER BY id")
    return [float(row[0]) for row in rows]


def utc(day: dt.date, hour: int, minute: int) -> float:
    return dt.datetime.combine(day, dt.time(hour, minute), dt.UTC).timestamp()


async def test_a_start_the_clocks_skip_is_moved_and_said(bot: Watchparty, world: Scene) -> None:
    day = next_change(forward=True)
    ix = await schedule(world, world.mod, f"{day.isoformat()} 02:30 Europe/Paris")
    text = ix.text()
    assert ix.ephemeral and "Scheduled watch party #1" in text, text
    expected = (
        f"02:30 does not exist on {day.day} March in Europe/Paris (clocks go forward); "
        "scheduled for 03:30."
    )
    assert expected in text, text
    # 03:30 summer time (UTC+2) is 01:30 UTC.
    assert await starts(bot) == [utc(day, 1, 30)]


async def test_a_start_the_clocks_repeat_names_the_one_chosen(
    bot: Watchparty, world: Scene
) -> None:
    fd = world.fd
    ix = await fd.slash(world.alice, world.channel, "timezone set", zone="Europe/Paris")
    assert acked_in_time(ix), ix.text()
    day = next_change(forward=False)
    # Read in Alice's own time zone: no zone typed.
    ix = await schedule(world, world.alice, f"{day.isoformat()} 02:30")
    text = ix.text()
    assert "Scheduled watch party" in text, text
    assert (
        f"02:30 happens twice on {day.day} October in Europe/Paris (clocks go back); "
        "scheduled for the first, 02:30 CEST (UTC+2), not 02:30 CET (UTC+1)."
    ) in text, text
    assert await starts(bot) == [utc(day, 0, 30)]


async def test_an_ordinary_start_says_nothing_about_clocks(bot: Watchparty, world: Scene) -> None:
    day = next_change(forward=True)
    ix = await schedule(world, world.mod, f"{day.isoformat()} 20:30 Europe/Paris")
    text = ix.text()
    assert "Scheduled watch party" in text and "clocks" not in text, text
    assert await starts(bot) == [utc(day, 18, 30)]


def test_relative_and_offset_times_carry_no_note() -> None:
    now = dt.datetime(2027, 3, 27, 20, tzinfo=dt.UTC)
    assert read_start("in 6h", PARIS, now).note is None
    assert read_start("2027-03-28T02:30+01:00", PARIS, now).note is None
    assert read_start("sun 2:30", PARIS, now).note == (
        "02:30 does not exist on 28 March in Europe/Paris (clocks go forward); scheduled for 03:30."
    )
    assert read_start("sun 2:30", ZoneInfo("UTC"), now).note is None
