"""A second 20,000-episode catalog, shaped unlike bench/catalog_import.py's, so an import
figure is not tuned to one generator.

Where that one writes 100 shows of 200 episodes with casts per episode, this one writes 1,000
shows of 20 (two seasons of ten): ten times the files and the per-show work (credit names,
matching, transactions), show-wide casts of 60-150 with few guests per episode, long spoiler
term lists (15-50), recaps of 1,000-9,000 characters evenly spread (no short tail), some
episodes without a recap or ending yet, recap sources and air instants on some, specials on
some shows, and text in several scripts: accented Latin, Cyrillic, Greek and Japanese words
beside invented ones, names with diacritics. Seeded: the same seed writes the same files.
Used by `python -m bench.catalog_import --catalog wide`.
"""

from __future__ import annotations

import random
from pathlib import Path

from bot import limits
from bot.catalog.datafiles import term_problem
from bot.spoiler_terms import normal_term

SHOWS, SEASONS, EPISODES = 1000, 2, 10
SEED = 41

# Words of several scripts, mixed into every text (the tokenizer and the parser see more
# than ASCII); invented syllables give the rest.
FOREIGN = [
    "été",
    "côte",
    "naïve",
    "façade",
    "über",
    "straße",
    "mañana",
    "año",
    "ligação",
    "coração",
    "smörgåsbord",
    "fjörður",
    "ночь",
    "звезда",
    "берег",
    "дорога",
    "память",
    "город",
    "θάλασσα",
    "νύχτα",
    "φως",
    "δρόμος",
    "夜",
    "港",
    "星",
    "記憶",
    "電車",
    "灯台",
    "雪",
    "kaffeehaus",
    "déjà-vu",
    "crème",
    "brûlée",
]
SYLLABLES = "ka ri to mu se na lo vi de qua zel orn ith ash ul bre"
FIRST = [
    "Zoë",
    "Łukasz",
    "Ingrid",
    "Søren",
    "Anaïs",
    "Dmitri",
    "Yūko",
    "Chiara",
    "Mateus",
    "Aoife",
    "Björn",
    "Inès",
    "Kalani",
]
LAST = [
    "Ødegård",
    "Nakamura-Lind",
    "Müller",
    "Ó’Briain",
    "Kowalczyk",
    "Ferreira",
    "Hämäläinen",
    "Duarte",
]


def invented(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES.split()) for _ in range(rng.randint(1, 4)))


def words(rng: random.Random, count: int) -> list[str]:
    return [rng.choice(FOREIGN) if rng.random() < 0.2 else invented(rng) for _ in range(count)]


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {invented(rng).title()} {rng.choice(LAST)}"[: limits.ACTOR]


def text(rng: random.Random, low: int, high: int, most: int = limits.TEXT) -> str:
    """Evenly between `low` and `high` characters, in paragraphs, as a TOML multi-line string."""
    goal, size, out = rng.randint(low, high), 0, []
    while size < goal:
        sentence = " ".join(words(rng, rng.randint(4, 18))).capitalize() + "."
        out.append(sentence + ("\n\n" if rng.random() < 0.2 else " "))
        size += len(out[-1])
    return '"""\n' + "".join(out).strip()[:most] + '"""'


def terms(rng: random.Random, cast: list[str]) -> str:
    found: dict[str, None] = {}
    for _ in range(rng.randint(15, 50)):
        roll = rng.random()
        if roll < 0.3:
            term = rng.choice(cast).split()[-1]
        elif roll < 0.6:
            term = " ".join(words(rng, 2))
        else:
            term = invented(rng) + invented(rng) + "*"
        if not term_problem(normal_term(term)):
            found[term] = None
    return "[" + ", ".join(f'"{t}"' for t in found) + "]"


def credits(rng: random.Random, people: list[tuple[str, str]], header: str) -> str:
    return "".join(
        f'\n[[{header}]]\nactor = "{actor}"\n'
        + (f'character = "{character}"\n' if rng.random() < 0.8 else "")
        for actor, character in people
    )


def episode(rng: random.Random, show: int, season: int, number: int, cast: list[str]) -> str:
    guests = [(person(rng), person(rng)) for _ in range(rng.randint(0, 4))]
    written = rng.random() < 0.85  # the rest have no recap or ending yet
    body = [
        f"\n[[episodes]]\nseason = {season}\nnumber = {number}\n",
        f'title = "{" ".join(words(rng, rng.randint(1, 5))).title()[: limits.TITLE]}"\n',
        f"tvmaze_id = {500_000 + show * 100 + season * 20 + number}\n",
        f"synopsis = {text(rng, 200, 900, limits.SYNOPSIS)}\n",
    ]
    if written:
        body.append(f"recap = {text(rng, 1000, 9000)}\nending = {text(rng, 300, 1500)}\n")
    if rng.random() < 0.5:
        body.append(f"airs_at = 2025-{1 + number % 12:02d}-{1 + number:02d}T02:00:00Z\n")
    body.append(f"spoiler_terms = {terms(rng, cast)}\n")
    if written and rng.random() < 0.3:  # a table: after the entry's own keys
        body.append(
            '[episodes.recap_source]\nsite = "wikipedia"\n'
            f'article = "List of {invented(rng).title()} episodes"\n'
            f"revision = {rng.randint(1, 10**9)}\n"
        )
    body.append(credits(rng, guests, "episodes.cast"))
    return "".join(body)


def write_catalog(folder: Path, shows: int = SHOWS, seed: int = SEED) -> int:
    """Writes the data files; returns their total size in bytes."""
    rng = random.Random(seed)
    total = 0
    for s in range(shows):
        company = [(person(rng), person(rng)) for _ in range(rng.randint(60, 150))]
        parts = [
            f'[show]\nslug = "wide-{s}"\ntitle = "{" ".join(words(rng, 3)).title()} {s}"\n'
            f'genres = ["Drama", "Mystère"]\ntvmaze_id = {200_000 + s}\n',
            credits(rng, company, "cast"),
        ]
        cast = [actor for actor, _ in company]
        parts += [
            episode(rng, s, season, number, cast)
            for season in range(1, SEASONS + 1)
            for number in range(1, EPISODES + 1)
        ]
        for i in range(rng.choice([0, 0, 0, 1, 2])):
            parts.append(f'\n[[specials]]\ntitle = "{invented(rng).title()} special {i}"\n')
        path = folder / f"wide-{s}.toml"
        path.write_text("".join(parts), encoding="utf-8")
        total += path.stat().st_size
    return total
