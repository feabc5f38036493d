"""The data-file reader's fast ways give what its plain ways give: the place of an error deep
in a list, spoiler terms checked a list at a time, credit names grouped in C, and the entry
digest that stores already hold. Pure code, no store."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import random
import re
import string
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from bench import parse_cpu as bench_parse
from bench.catalog_import import write_catalog
from bot import limits
from bot.catalog import datachecks, parsers
from bot.catalog.datachecks import Problem
from bot.catalog.datafiles import DataFileError, parse
from bot.catalog.dataformat import STOP_WORDS, TABLES, term_problem
from bot.models import (
    Credit,
    Episode,
    EpisodeFile,
    Link,
    PresetPoll,
    RecapSource,
    Show,
    ShowFile,
)
from bot.spoiler_terms import normal_term
from bot.store.edits import _values, entry_digest
from bot.store.import_prepare import _nocase, prepare

TERMS = TABLES["episode"]["spoiler_terms"]


def show_file(episodes: int, show_cast: str = "") -> str:
    """A show whose episodes each have four cast lines and a few spoiler terms."""
    parts = [f'[show]\nslug = "deep"\ntitle = "Deep"\n{show_cast}']
    for n in range(1, episodes + 1):
        parts.append(
            f'\n[[episodes]]\nseason = 1\nnumber = {n}\ntitle = "Part {n}"\n'
            'spoiler_terms = ["Ada Marsh", "signal*", "Ó’Briain", "lunar orbit"]\n'
        )
        for c in range(4):
            parts.append(f'[[episodes.cast]]\nactor = "Actor {c}"\ncharacter = "Role {c}"\n')
    return "".join(parts)


@pytest.mark.parametrize(
    ("old", "new", "where", "problem"),
    [
        ('actor = "Actor 2"', 'actor = "   "', "cast[2].actor", "is missing or empty"),
        ('actor = "Actor 2"', "actor = 7", "cast[2].actor", "is missing or empty"),
        ('actor = "Actor 2"', 'name = "Actor 2"', "cast[2].name", "is not a known key"),
        (
            'character = "Role 2"',
            f'character = "{"x" * (limits.ACTOR + 1)}"',
            "cast[2].character",
            f"is {limits.ACTOR + 1} characters long",
        ),
        ('"lunar orbit"', '"the"', "spoiler_terms[3]", "“the” is only common words"),
        ('"signal*"', '"sig*"', "spoiler_terms[1]", "“sig*” needs at least 4 letters"),
        ('"Ó’Briain"', '"O_B"', "spoiler_terms[2]", "“O_B” is too short"),
    ],
)
def test_an_error_deep_in_a_list_names_its_place(
    old: str, new: str, where: str, problem: str
) -> None:
    text = show_file(6)
    # Only the fourth episode (episodes[3]) is broken; the line is its third cast line when
    # the change is in the cast.
    at = [m.start() for m in re.finditer(r"\[\[episodes\]\]", text)][3]
    end = text.index("[[episodes]]", at + 1)
    chunk = text[at:end]
    if "cast" in where:
        lines = chunk.split("[[episodes.cast]]")
        lines[3] = lines[3].replace(old, new)
        chunk = "[[episodes.cast]]".join(lines)
    else:
        chunk = chunk.replace(old, new)
    with pytest.raises(DataFileError) as caught:
        parse((text[:at] + chunk + text[end:]).encode(), "deep.toml")
    assert caught.value.where == f"episodes[3].{where}"
    assert caught.value.problem.startswith(problem)


def test_an_error_in_the_show_wide_cast_names_its_line() -> None:
    cast = "".join(f'\n[[cast]]\nactor = "Lead {i}"\n' for i in range(5))
    broken = cast.replace('actor = "Lead 4"', 'actor = ""')
    assert parse(show_file(1, cast).encode()).cast[4] == Credit("Lead 4")
    with pytest.raises(DataFileError) as caught:
        parse(show_file(1, broken).encode(), "deep.toml")
    assert str(caught.value) == "deep.toml: cast[4].actor: is missing or empty (expected text)"


def test_cast_lines_are_kept_stripped_with_their_missing_characters() -> None:
    text = show_file(1).replace('character = "Role 1"\n', "").replace('"Actor 3"', '"  Actor 3 "')
    cast = parse(text.encode()).episodes[0].cast
    assert cast == (
        Credit("Actor 0", "Role 0"),
        Credit("Actor 1", None),
        Credit("Actor 2", "Role 2"),
        Credit("Actor 3", "Role 3"),
    )


def original_term_problem(term: str) -> str | None:
    """term_problem as it was written before its fast paths: the oracle they must agree with."""
    stem = term.removesuffix("*")
    if "*" in stem:
        return "star"
    if sum(c.isalnum() for c in stem) < limits.TERM_MIN:
        return "short"
    if all(word.strip("'") in STOP_WORDS for word in re.findall(r"[\w']+", stem)):
        return "common"
    if term.endswith("*"):
        last = "" if stem != stem.rstrip() else stem.split()[-1]
        if sum(c.isalnum() for c in last) < limits.STEM_MIN:
            return "stem"
    return None


# What terms are made of, the awkward included: stop words, accents, other scripts, digits,
# the underscore (a \w but not a letter), hyphens, both apostrophes, stars, odd spacing, NUL.
PIECES = [
    "the", "of", "it's", "ed", "to", "a", "signal", "Ólafur", "звезда", "夜", "7", "42b",
    "x", "ab", "abc", "abcd", "_", "-", "'", "’", "*", " ", "  ", "\t", "\x00", "É", "ß",
    "İ", "Σ", "o'", "-lind", "²",
]  # fmt: skip


def random_term(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 5)))


def test_term_problem_agrees_with_its_original_on_awkward_terms() -> None:
    rng = random.Random(7)
    for _ in range(20_000):
        term = normal_term(random_term(rng))
        assert (term_problem(term) is None) == (original_term_problem(term) is None), term


def test_a_list_of_terms_is_checked_as_term_by_term() -> None:
    """The list-at-a-time check either says "plainly fine" with the very terms the one-by-one
    check gives, or leaves the list to it; so terms() answers exactly as before."""
    rng = random.Random(11)
    plain = 0
    for _ in range(20_000):
        value = [random_term(rng) for _ in range(rng.choice([1, 1, 2, 3, 6]))]
        if not all(t.strip() for t in value):
            continue
        try:
            one_by_one: tuple[str, ...] | Problem = tuple(sorted(set(datachecks._each_term(value))))
        except Problem as problem:
            one_by_one = problem
        fast = datachecks._plain_terms(value)
        if fast is not None:
            plain += 1
            assert isinstance(one_by_one, tuple), value
            assert fast == [normal_term(t) for t in value]
        try:
            answer: tuple[str, ...] | Problem = datachecks.terms(value, TERMS)
        except Problem as problem:
            answer = problem
        if isinstance(one_by_one, Problem):
            assert isinstance(answer, Problem)
            assert (answer.text, answer.item) == (one_by_one.text, one_by_one.item)
        else:
            assert answer == one_by_one
    assert plain > 1000  # the fast way was taken often enough to be tested


def test_plainly_fine_terms_include_names_stems_and_phrases() -> None:
    value = ["Nakamura-Lind", "Ó’Briain", "lunar   orbit", "unmask*", "déjà-vu", "Ed  Baldwin"]
    assert datachecks._plain_terms(value) == [
        "nakamura-lind",
        "ó'briain",
        "lunar orbit",
        "unmask*",
        "déjà-vu",
        "ed baldwin",
    ]
    # Common words joined by a hyphen are still only common words.
    assert datachecks._plain_terms(["the-end", "to-the"]) is None
    # A term that holds a NUL would make two pieces: the one-by-one check takes the list.
    assert datachecks._plain_terms(["lunar\x00orbit", "unmask*"]) is None


def credits_file(names: list[tuple[str, str | None]]) -> ShowFile:
    cast = tuple(Credit(actor, character) for actor, character in names)
    episode = Episode(season=1, number=1, title="One", synopsis="", recap="", ending="")
    return ShowFile(
        show=Show(slug="names", title="Names"),
        cast=cast[:2],
        episodes=(EpisodeFile(episode=episode, cast=cast[2:]),),
    )


def test_credit_names_are_grouped_by_ascii_case_only() -> None:
    """catalog_names compares names as SQLite's NOCASE does: ASCII letters in any case are one
    name; other letters are not folded, so "Émile Roux" and "émile roux" stay two names while
    "ÉMILE ROUX" and "Émile roux" are one (only their ASCII letters differ)."""
    data = credits_file(
        [
            ("Ada Marsh", "Émile Roux"),
            ("ada marsh", "émile roux"),
            ("ÉMILE ROUX", None),
            ("Émile roux", "ADA MARSH"),
            ("Zoë Quinn", "zoë quinn"),
        ]
    )
    assert prepare(data).names == (
        ("ADA MARSH", 3),
        ("Zoë Quinn", 2),
        ("ÉMILE ROUX", 3),
        ("émile roux", 1),
    )


def test_the_first_of_equal_spellings_is_the_one_kept() -> None:
    """A pickle of the parsed file and what follows from it (sent back from a parsing process)
    shares a name's string with its first credit, as it always did."""
    data = parse(show_file(3).encode())
    names = dict(prepare(data).names)
    first = data.episodes[0].cast[0].actor
    kept = next(name for name in names if name == first)
    assert kept is first and names[first] == 3


# An entry with every kind of field, texts that need escaping, and a tab (which the digest's
# fast way leaves to json's encoder). Its digest is pinned: stores hold digests like it, and
# a changed digest would rewrite every episode on the next import.
ENTRY = EpisodeFile(
    episode=Episode(
        season=2,
        number=7,
        title='The "Long" Night',
        synopsis="Cosmonauts wait.\n\nA signal — faint — returns.",
        recap='Ólafur says "hold", then \\ waits.\nNight falls on Звезда-7.\n\n終わり',
        ending="It ends\twith a tab.",
        runtime_minutes=58,
        air_date="2024-03-01",
        links=(Link("Recap", "https://example.org/recap"),),
        tvmaze_id=4107,
        air_time="21:00",
        image=None,
        recap_source=RecapSource("wikipedia", "List of Night Watch episodes", 1234567),
        airs_at=1709340000.0,
    ),
    cast=(Credit("Ada Marsh", "Captain Vey"), Credit("Émile Roux")),
    polls=(PresetPoll("Who blinked first?", ("Ada", "Émile")),),
    spoiler_terms=("signal*", "zvezda"),
    was=(2, 6),
)


def test_the_entry_digest_is_the_one_stores_hold() -> None:
    assert entry_digest(ENTRY) == "b74af7f58a76d52edee1f473ee4ce863"


def digest_by_definition(item: EpisodeFile) -> str:
    text = json.dumps(item, default=_values, ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


@pytest.mark.parametrize(
    "text",
    [
        "",
        'quotes " and \\ backslashes \\" \n\n and lines',
        "a\ttab",
        "a carriage\r\nreturn",
        "no-break\xa0space",
        "line\u2028separator",
        "\x7f delete",
        "\x00entry text\x00",
        '"\\u0000entry text\\u0000"',
        "emoji \U0001f600 and 夜",
    ],
)
@pytest.mark.parametrize("field", ["synopsis", "recap", "ending", "title"])
def test_the_entry_digest_is_the_json_texts_whatever_the_text(text: str, field: str) -> None:
    changed: dict[str, Any] = {field: text}
    item = replace(ENTRY, episode=replace(ENTRY.episode, **changed))
    assert entry_digest(item) == digest_by_definition(item)


@pytest.mark.parametrize(
    "address",
    [
        "https://example.org/a?b#c",
        "http://example.org",
        "https://",
        "https:///path",
        "https://?q",
        "HTTPS://example.org",
        "ftp://example.org",
        "https://exa\tmple.org",
        "https://\t/x",
        "https://\n",
        "https://exämple.org/",
        "https://example.org/ä",
        "https://[::1]/",
        "https://[::1/",
        "https://user:pw@example.org:8080/x",
        "https:example.org",
        "http//example.org",
    ],
)
def test_an_address_is_accepted_as_urlparse_accepts_it(address: str) -> None:
    spec = TABLES["link"]["url"]
    try:
        parsed = urlparse(address)
        expected: bool | type[Exception] = parsed.scheme in {"http", "https"} and bool(
            parsed.netloc
        )
    except ValueError:
        expected = False  # refused with a line, not a traceback ("https://[::1/")
    try:
        accepted = datachecks.url(address, spec) == address
    except Problem:
        accepted = False
    assert accepted == expected


def test_a_broken_bracketed_address_is_a_clear_error() -> None:
    broken = '[show]\nslug = "x"\ntitle = "X"\nofficial_site = "https://[::1/"\n'
    with pytest.raises(DataFileError, match=r"show\.official_site: must be an http\(s\) address"):
        parse(broken.encode(), "x.toml")


def test_the_parsing_benchmark_counts_every_episode(tmp_path: Path) -> None:
    write_catalog(tmp_path, shows=2, seasons=1, episodes=3)
    toml, parse_cpu, prepare_cpu, episodes = bench_parse.measure(tmp_path)
    assert episodes == 6
    assert min(toml, parse_cpu, prepare_cpu) >= 0


def test_nocase_folds_ascii_letters_only_whatever_else_a_name_holds() -> None:
    ascii_only = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
    rng = random.Random(3)
    letters = "aZÉéßİıΣσ夜ÅåKk\u212a\ud800 -"  # the Kelvin sign, a lone surrogate
    for _ in range(20_000):
        name = "".join(rng.choice(letters) for _ in range(rng.randint(1, 8)))
        assert _nocase(name) == name.translate(ascii_only), name


async def test_parsing_processes_collect_young_objects_less_often() -> None:
    async with parsers.pool_if_large(parsers.POOL_BYTES + 1) as pool:
        assert pool is not None
        threshold = await asyncio.get_running_loop().run_in_executor(pool, gc.get_threshold)
    assert threshold == parsers.WORKER_GC_THRESHOLD
    assert gc.get_threshold() != threshold  # the bot's own process keeps Python's default
