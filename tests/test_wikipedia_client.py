"""The Wikipedia client against the fake MediaWiki API: batching, one at a time, faults."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from bot.catalog.sources.wikipedia import WikipediaClient, WikipediaError
from harness.fakewikipedia import FakePage, FakeWikipedia, generated_show


async def test_sixty_titles_take_two_calls_and_never_two_at_once() -> None:
    pages = [FakePage(f"Invented page {i}", f"Text {i}.", 100 + i) for i in range(60)]
    async with FakeWikipedia(pages, latency=0.02) as fake, aiohttp.ClientSession() as session:
        client = WikipediaClient(session, contact="tests@example.org", base_url=fake.api_url)
        titles = [p.title for p in pages]
        # Two callers at once still send one request at a time.
        first, second = await asyncio.gather(client.pages(titles), client.pages(titles[:3]))
    assert sorted(len(r["titles"].split("|")) for r in fake.requests) == [3, 10, 50]
    assert fake.most_in_flight == 1
    assert (
        first["Invented page 59"].revision == 159 and first["Invented page 59"].text == "Text 59."
    )
    assert second["Invented page 2"].revision == 102


async def test_missing_titles_and_lower_case_titles() -> None:
    async with (
        FakeWikipedia(generated_show("Beacon Watch", 1, 2)) as fake,
        aiohttp.ClientSession() as session,
    ):
        client = WikipediaClient(session, contact="tests@example.org", base_url=fake.api_url)
        found = await client.pages(["beacon Watch season 1", "Nothing here"])
    assert found["beacon Watch season 1"].title == "Beacon Watch season 1"
    assert found["beacon Watch season 1"].revision == 20_001
    assert found["Nothing here"].missing


@pytest.mark.parametrize(
    ("script", "line"),
    [
        ({"status": 500}, "Wikipedia answered with HTTP 500: try again later."),
        (
            {"status": 429, "retry_after": 0, "times": 4},
            "Wikipedia is busy and kept asking us to wait: try again in a few minutes.",
        ),
        ({"body": "<html>oops"}, "Wikipedia's answer was not JSON: try again later."),
        ({"body": "[1, 2]"}, "Wikipedia's answer was not what its API sends: try again later."),
        (
            {"maxlag": True, "retry_after": 0, "times": 4},
            "Wikipedia is busy and kept asking us to wait: try again in a few minutes.",
        ),
    ],
)
async def test_faults_are_one_sentence(script: dict[str, object], line: str) -> None:
    async with FakeWikipedia([]) as fake, aiohttp.ClientSession() as session:
        client = WikipediaClient(session, contact="tests@example.org", base_url=fake.api_url)
        fake.script(**script)  # type: ignore[arg-type]
        with pytest.raises(WikipediaError) as caught:
            await client.pages(["Anything"])
    assert str(caught.value) == line


async def test_retry_after_is_honoured() -> None:
    async with FakeWikipedia([]) as fake, aiohttp.ClientSession() as session:
        client = WikipediaClient(session, contact="tests@example.org", base_url=fake.api_url)
        fake.script(status=503, retry_after=0.3)
        started = asyncio.get_running_loop().time()
        found = await client.pages(["Anything"])
        waited = asyncio.get_running_loop().time() - started
    assert found["Anything"].missing and len(fake.requests) == 2
    assert waited >= 0.3


async def test_a_slow_wikipedia_times_out_in_one_sentence() -> None:
    async with FakeWikipedia([], latency=1.0) as fake, aiohttp.ClientSession() as session:
        client = WikipediaClient(
            session, contact="tests@example.org", base_url=fake.api_url, timeout=0.1
        )
        with pytest.raises(WikipediaError) as caught:
            await client.search("anything")
    assert str(caught.value) == "Wikipedia did not answer in time: try again later."


async def test_an_unreachable_wikipedia_is_one_sentence() -> None:
    async with aiohttp.ClientSession() as session:
        client = WikipediaClient(
            session, contact="tests@example.org", base_url="http://127.0.0.1:9/w/api.php"
        )
        with pytest.raises(WikipediaError) as caught:
            await client.search("anything")
    assert str(caught.value).startswith("Can't reach Wikipedia (")


async def test_without_retry_after_the_wait_doubles() -> None:
    async with FakeWikipedia([]) as fake, aiohttp.ClientSession() as session:
        client = WikipediaClient(
            session, contact="tests@example.org", base_url=fake.api_url, backoff=0.1
        )
        fake.script(status=429, times=2)
        started = asyncio.get_running_loop().time()
        await client.pages(["Anything"])
        waited = asyncio.get_running_loop().time() - started
    assert len(fake.requests) == 3 and waited >= 0.1 + 0.2
