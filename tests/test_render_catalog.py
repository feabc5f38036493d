"""What /catalog add and refresh answer: counts, then the episodes an admin may act on,
within one message."""

from __future__ import annotations

from pathlib import Path

from bot import limits
from bot.catalog.sources.tvmaze.datafile import WriteReport
from bot.render.catalog import RECAPS_BUDGET, recaps_text, synced_text


def test_nothing_changed_says_so() -> None:
    report = WriteReport(path=Path("orbital-relay.toml"), created=False)
    text = synced_text(report, "Orbital Relay", 5)
    assert text == (
        "✅ **Orbital Relay**: 5 episodes (nothing changed). Data file: orbital\\-relay.toml. "
        "Show data: TVmaze (CC BY-SA)."
    )


def test_hundreds_of_retired_episodes_fit_one_message_and_say_how_many_are_left_out() -> None:
    report = WriteReport(path=Path("long-haul.toml"), created=False)
    report.retired = [
        f"S{s}E{n} · Mile {s * 100 + n} " + "x" * 60 for s in range(1, 31) for n in (1, 2)
    ]
    report.gone_upstream = ["S31E1 · *Kept* ||because|| people wrote for it"]
    text = synced_text(report, "The Long Haul Almanac", 60)
    assert len(text) <= limits.CONTENT
    assert "60 retired (no longer on TVmaze); 1 no longer on TVmaze (kept)" in text
    assert "Retired, no longer on TVmaze: S1E1 · Mile 101" in text
    assert text.endswith("more (the bot's log lists them all).")
    shown = text.count("\nRetired, no longer on TVmaze: ")
    left = int(text.rsplit("… and ", 1)[1].split(" ", 1)[0])
    assert shown + left == 61  # every line is shown or counted


def test_names_are_escaped() -> None:
    report = WriteReport(path=Path("x.toml"), created=False)
    report.gone_upstream = ["S1E1 · *Kept* ||spoiler|| @everyone"]
    text = synced_text(report, "X", 1)
    assert "\\*Kept\\* \\|\\|spoiler\\|\\|" in text


def test_a_long_list_of_mismatches_is_cut_and_says_how_many_are_left_out() -> None:
    mismatched = [f"S{n}E1: title differs: “Episode {n}” ≠ “Chapter {n}”" for n in range(1, 200)]
    text = recaps_text("List of Night Ferry episodes", 9100, 38, mismatched)
    assert text.startswith(
        "📖 Recaps from Wikipedia (List of Night Ferry episodes, revision 9100): "
        "38 filled, 199 mismatched"
    )
    assert len(text) <= RECAPS_BUDGET < limits.CONTENT
    assert "Mismatched: S1E1\\: title differs" in text  # escaped: no link, no emoji code
    shown = text.count("\nMismatched: ")
    assert text.endswith(f"… and {199 - shown} more (the bot's log lists them all).")
