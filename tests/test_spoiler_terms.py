"""Spoiler terms with word forms: a final `*` catches every longer form of the last word."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog.datafiles import load
from bot.render.guard import explanation_pages
from bot.spoiler_terms import find_term

SEED = Path(__file__).resolve().parents[1] / "data" / "for-all-mankind.toml"


@pytest.fixture(scope="module")
def terms() -> tuple[str, ...]:
    return load(SEED).episodes[0].spoiler_terms


@pytest.mark.parametrize(
    ("message", "term"),
    [
        ("Margo unmasked herself", "unmask*"),
        ("they reconciled", "reconcil*"),
        ("Ed locked Ilya out", "ilya out"),
        ("So the big UNMASKING finally happened", "unmask*"),
        ("a reconciliation, at last", "reconcil*"),
    ],
)
def test_shipped_terms_catch_word_forms(terms: tuple[str, ...], message: str, term: str) -> None:
    assert find_term(message, terms) == term


@pytest.mark.parametrize(
    "message", ["Everyone wore a mask", "I got locked in", "Ilya outdid himself", "see you later"]
)
def test_shipped_terms_leave_ordinary_talk(terms: tuple[str, ...], message: str) -> None:
    assert find_term(message, terms) is None


def test_a_star_is_a_prefix_of_the_last_word_only() -> None:
    assert find_term("unmask", ("unmask*",)) == "unmask*"
    assert find_term("mask", ("unmask*",)) is None
    assert find_term("an unmasking", ("unmask",)) is None  # plain terms stay whole words
    assert find_term("the lunar orbiter", ("lunar orbit*",)) == "lunar orbit*"
    assert find_term("the lunar-orbit", ("lunar orbit*",)) is None
    assert find_term("lunarorbit", ("lunar orbit*",)) is None


def test_the_author_is_told_the_stem_not_the_star() -> None:
    parsed = load(SEED)
    episode = parsed.episodes[0].episode
    (page,) = explanation_pages("Margo unmasked herself", "unmask*", parsed.show, episode, 48, "#x")
    assert "it mentions “unmask…”, a spoiler for **For All Mankind S4E6 · Leningrad**" in page
