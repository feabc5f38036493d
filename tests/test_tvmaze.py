"""The TVmaze client against the loopback fake, the HTML converter, and the data-file writer."""

from __future__ import annotations

import asyncio
import itertools
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.catalog.sources.tvmaze import (
    RateLimit,
    TvmazeBusy,
    TvmazeClient,
    TvmazeError,
    TvmazeNotFound,
    TvmazeOffline,
    TvmazeTimeout,
)
from bot.catalog.sources.tvmaze.convert import html_to_text
from harness.faketvmaze import FakeTvmaze, episode, long_haul, orbital_relay

ORBITAL = 4401


class FakeClock:
    """Time that moves only when someone sleeps: the rate limit's real numbers, instantly."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as http:
        yield http


@pytest.fixture
async def fake() -> AsyncIterator[FakeTvmaze]:
    async with FakeTvmaze([orbital_relay(), long_haul()]) as server:
        yield server


@pytest.fixture
def client(session: aiohttp.ClientSession, fake: FakeTvmaze) -> TvmazeClient:
    return TvmazeClient(session, base_url=fake.base_url)


def fake_clock_client(
    session: aiohttp.ClientSession, fake: FakeTvmaze, clock: FakeClock
) -> TvmazeClient:
    fake.clock = clock
    limit = RateLimit(clock=clock, sleep=clock.sleep)  # TVmaze's documented 20 per 10 s
    return TvmazeClient(session, base_url=fake.base_url, rate_limit=limit)


# -- finding a show --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Orbital Relay",
        "orbital relay",
        "4401",
        "tt9900101",
        "https://www.imdb.com/title/tt9900101/",
        "https://www.tvmaze.com/shows/4401/orbital-relay",
    ],
)
async def test_resolve_by_name_id_imdb_id_or_address(client: TvmazeClient, text: str) -> None:
    show = await client.resolve(text)
    assert (show.tvmaze_id, show.name, show.imdb_id) == (ORBITAL, "Orbital Relay", "tt9900101")
    assert [s.number for s in show.seasons] == [1, 2]
    assert show.cast[0].actor == "Maren Okafor"
    assert show.cast[0].character == "Ines Varga"


async def test_search_lists_matches_and_an_empty_search_is_no_error(client: TvmazeClient) -> None:
    hits = await client.search("relay")
    assert [(h.tvmaze_id, h.name, h.network) for h in hits] == [
        (ORBITAL, "Orbital Relay", "Skyline One")
    ]
    assert await client.search("no such programme") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Nothing Like It", "TVmaze has no show called “Nothing Like It”."),
        ("99999", "TVmaze has no show with id 99999."),
        ("tt0000001", "TVmaze has no show with IMDb id tt0000001."),
    ],
)
async def test_unknown_show_is_a_plain_not_found(
    client: TvmazeClient, text: str, message: str
) -> None:
    with pytest.raises(TvmazeNotFound) as caught:
        await client.resolve(text)
    assert str(caught.value) == message


async def test_scripted_404_is_not_found(client: TvmazeClient, fake: FakeTvmaze) -> None:
    fake.script(f"/shows/{ORBITAL}/episodes", status=404)
    with pytest.raises(TvmazeNotFound, match="no show with id 4401"):
        await client.episodes(ORBITAL)


async def test_quoted_digits_are_a_name_not_an_id(client: TvmazeClient, fake: FakeTvmaze) -> None:
    with pytest.raises(TvmazeNotFound, match="no show called “1883”"):
        await client.resolve('"1883"')
    assert fake.requests[-1].path == "/singlesearch/shows"


# -- being a good API citizen ----------------------------------------------------------------


async def test_429_waits_as_retry_after_says_then_succeeds(
    session: aiohttp.ClientSession, fake: FakeTvmaze
) -> None:
    clock = FakeClock()
    client = fake_clock_client(session, fake, clock)
    fake.script(f"/shows/{ORBITAL}", status=429, retry_after=3, times=2)

    show = await client.show(ORBITAL)

    assert show.name == "Orbital Relay"
    sent = fake.requests_to(f"/shows/{ORBITAL}")
    assert [r.status for r in sent] == [429, 429, 200]
    assert [r.at for r in sent] == [0.0, 3.0, 6.0]


async def test_429_that_does_not_stop_gives_a_busy_sentence(
    session: aiohttp.ClientSession, fake: FakeTvmaze
) -> None:
    client = fake_clock_client(session, fake, FakeClock())
    fake.script(f"/shows/{ORBITAL}", status=429, retry_after=1, times=10)
    with pytest.raises(TvmazeBusy, match="TVmaze is busy") as caught:
        await client.show(ORBITAL)
    assert "\n" not in str(caught.value)
    assert len(fake.requests_to(f"/shows/{ORBITAL}")) == 3  # the first try and two retries


async def test_rate_limit_keeps_to_20_calls_in_any_10_seconds(
    session: aiohttp.ClientSession, fake: FakeTvmaze
) -> None:
    clock = FakeClock()
    client = fake_clock_client(session, fake, clock)
    for _ in range(45):
        await client.search("relay")
    stamps = [r.at for r in fake.requests]
    assert len(stamps) == 45
    # Any 21 consecutive requests span at least 10 s: no 10 s window holds more than 20.
    assert all(stamps[i + 20] - stamps[i] >= 10.0 for i in range(len(stamps) - 20))
    assert stamps[19] == 0.0  # the first 20 went at once: the limit is a window, not a drip
    assert stamps[-1] == 20.0


async def test_rate_limit_holds_for_concurrent_callers(
    session: aiohttp.ClientSession, fake: FakeTvmaze
) -> None:
    # A real clock and a small window; 30 ms of slack for loopback scheduling jitter.
    limit = RateLimit(calls=4, period=0.4)
    client = TvmazeClient(session, base_url=fake.base_url, rate_limit=limit)
    await asyncio.gather(*(client.search("relay") for _ in range(10)))
    stamps = sorted(r.at for r in fake.requests)
    assert len(stamps) == 10
    assert all(stamps[i + 4] - stamps[i] >= 0.37 for i in range(len(stamps) - 4))


@pytest.mark.parametrize(
    ("fault", "times"),
    # aiohttp itself resends a request once at once when its connection drops: a reset is
    # met twice per try of ours.
    [({"status": 503}, 3), ({"status": 500}, 3), ({"reset": True}, 6)],
)
async def test_a_5xx_or_a_reset_connection_is_retried_with_growing_jittered_waits(
    session: aiohttp.ClientSession, fake: FakeTvmaze, fault: dict[str, Any], times: int
) -> None:
    clock = FakeClock()
    client = fake_clock_client(session, fake, clock)
    fake.script(f"/shows/{ORBITAL}", times=times, **fault)

    show = await client.show(ORBITAL)

    assert show.name == "Orbital Relay"
    tries = sorted({r.at for r in fake.requests_to(f"/shows/{ORBITAL}")})
    assert len(tries) == 4
    # 0.5 s, then 1 s, then 2 s, each cut by up to half at random.
    waits = [b - a for a, b in itertools.pairwise(tries)]
    for wait, full in zip(waits, [0.5, 1.0, 2.0], strict=True):
        assert full / 2 <= wait <= full


async def test_retries_stop_after_three_and_say_so_in_one_sentence(
    session: aiohttp.ClientSession, fake: FakeTvmaze
) -> None:
    client = fake_clock_client(session, fake, FakeClock())
    fake.script(f"/shows/{ORBITAL}", status=502, times=10)
    with pytest.raises(TvmazeError, match=r"^TVmaze answered with an error \(HTTP 502\)"):
        await client.show(ORBITAL)
    assert len(fake.requests_to(f"/shows/{ORBITAL}")) == 4  # the first try and three retries
    fake.faults.clear()
    fake.script(f"/shows/{ORBITAL}", reset=True, times=10)
    with pytest.raises(TvmazeOffline, match=r"dropped the connection; try again later\.$"):
        await client.show(ORBITAL)


async def test_retries_stop_when_their_time_budget_is_spent(
    session: aiohttp.ClientSession, fake: FakeTvmaze
) -> None:
    clock = FakeClock()
    client = fake_clock_client(session, fake, clock)
    client.retry_budget = 0.7  # room for the first wait (at most 0.5 s), never the second
    fake.script(f"/shows/{ORBITAL}", status=503, times=10)
    with pytest.raises(TvmazeError, match="HTTP 503"):
        await client.show(ORBITAL)
    assert len(fake.requests_to(f"/shows/{ORBITAL}")) == 2
    assert clock.now <= 0.5


async def test_a_404_is_not_retried(client: TvmazeClient, fake: FakeTvmaze) -> None:
    with pytest.raises(TvmazeNotFound):
        await client.show(999)
    assert len(fake.requests_to("/shows/999")) == 1


# -- failures --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"id": 4401, "name": "Orbi', "TVmaze sent an answer that isn't valid JSON"),
        (b"[1, 2, 3]", "TVmaze sent an answer in an unexpected shape (show is not an object)."),
        (b'{"name": "no id"}', "TVmaze sent an answer in an unexpected shape (show has no id)."),
    ],
)
async def test_malformed_answer_is_a_one_line_error(
    client: TvmazeClient, fake: FakeTvmaze, body: bytes, message: str
) -> None:
    fake.script(f"/shows/{ORBITAL}", body=body)
    with pytest.raises(TvmazeError) as caught:
        await client.show(ORBITAL)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


async def test_slow_answer_times_out(session: aiohttp.ClientSession, fake: FakeTvmaze) -> None:
    client = TvmazeClient(session, base_url=fake.base_url, timeout=0.2)
    fake.script(f"/shows/{ORBITAL}", delay=2.0)
    with pytest.raises(TvmazeTimeout) as caught:
        await client.show(ORBITAL)
    assert str(caught.value) == (
        f"TVmaze (127.0.0.1:{fake.port}) didn't answer within 0.2 s; try again later."
    )


async def test_unreachable_tvmaze_is_a_one_line_offline_error(
    session: aiohttp.ClientSession,
) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago and has no listener
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = TvmazeClient(session, base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(TvmazeOffline) as caught:
        await client.resolve("Orbital Relay")
    assert str(caught.value) == f"Can't reach TVmaze (127.0.0.1:{port}): check the network."


# -- converting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One.</p><p>Two.</p>", "One.\n\nTwo."),
        ("<p><b>Bold</b> and <strong>strong</strong>, <i>i</i> and <em>em</em>.</p>",
         "Bold and strong, i and em."),
        ("<p>Line one<br>line two<br/>line three</p>", "Line one\nline two\nline three"),
        ("<p>Tom &amp; Jerry&#39;s &quot;plan&quot;&nbsp;&mdash; &lt;b&gt;</p>",
         "Tom & Jerry's \"plan\" — <b>"),
        ('<p>A <a href="https://x.invalid">link</a><span> and</span> more</p>',
         "A link and more"),
        ("<p>Spread\n   over\n\tlines</p>", "Spread over lines"),
        ("<script>alert(1)</script><p>Safe</p>", "Safe"),
        ("No tags at all", "No tags at all"),
        ("<p></p><p> </p>", ""),
        (None, ""),
        # Left as plain text: the renderer escapes it, once.
        ("<p>@everyone ||spoiler|| **loud** `code`</p>", "@everyone ||spoiler|| **loud** `code`"),
    ],
)  # fmt: skip
def test_html_summaries_become_plain_text(html: str | None, text: str) -> None:
    assert html_to_text(html) == text


async def test_specials_stay_out_of_the_numbering(client: TvmazeClient) -> None:
    catalog = await client.catalog(ORBITAL)
    assert list(catalog.episodes) == [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2)]
    assert [(s.tvmaze_id, s.number, s.title) for s in catalog.specials] == [
        (440190, None, "Inside the Relay")
    ]
    tba = catalog.episodes[(2, 2)]
    assert (tba.air_date, tba.air_time, tba.runtime, tba.image, tba.synopsis) == (
        None, None, None, None, ""
    )  # fmt: skip
    assert catalog.episodes[(1, 3)].synopsis == (
        "A signal answers on a frequency nobody uses — and it knows the crew’s names. "
        "@everyone *stays* calm."
    )


async def test_a_second_episode_claiming_a_number_takes_the_next_free_one_and_is_reported(
    client: TvmazeClient, fake: FakeTvmaze
) -> None:
    fake.add_episode(ORBITAL, episode(440109, 1, 2, "Dead Air (Extended)"))
    catalog = await client.catalog(ORBITAL)
    assert catalog.episodes[(1, 2)].title == "Dead Air"
    assert catalog.episodes[(1, 4)].title == "Dead Air (Extended)"  # S1 ends at E3 upstream
    assert [s.title for s in catalog.specials] == ["Inside the Relay"]
    assert catalog.conflicts == (
        "TVmaze numbers both “Dead Air” and “Dead Air (Extended)” S1E2: "
        "“Dead Air (Extended)” is S1E4 here until TVmaze fixes it",
    )


async def test_an_episode_of_null_type_is_a_regular_one(
    client: TvmazeClient, fake: FakeTvmaze
) -> None:
    fake.add_episode(ORBITAL, episode(440204, 2, 3, "Null Shift", kind=None))
    catalog = await client.catalog(ORBITAL)
    assert catalog.episodes[(2, 3)].title == "Null Shift"


async def test_a_show_with_30_seasons_and_60_cast(client: TvmazeClient) -> None:
    catalog = await client.catalog(4402)
    assert [s.number for s in catalog.show.seasons] == list(range(1, 31))
    assert len(catalog.episodes) == 60 and list(catalog.episodes)[-1] == (30, 2)
    assert [c.actor for c in catalog.show.cast] == [f"Driver {i:02d}" for i in range(60)]
    assert catalog.show.network == "Roadside Stream"  # a web channel, not a network
