"""`python -m bot preview` and `check`: the real renderers, fed from a data file, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import ROOT

SEED = ROOT / "data" / "for-all-mankind.toml"

# Twenty credits of the longest names the format allows: 20 x (100 + 100 + markup) is over
# the 4,096 characters of an embed description. The cast pager now splits them by size, so
# the page Discord would have refused becomes two it accepts.
CROWDED = """
[show]
slug = "crowded"
title = "Crowded"

[[episodes]]
season = 1
number = 1
title = "Pilot"
synopsis = "Everyone arrives."
recap = "They all stay."
ending = "Nobody leaves."
{cast}
"""


def crowded(tmp_path: Path) -> Path:
    cast = "".join(
        f'\n[[episodes.cast]]\nactor = "{chr(65 + i) * 100}"\ncharacter = "{"c" * 100}"\n'
        for i in range(20)
    )
    path = tmp_path / "crowded.toml"
    path.write_text(CROWDED.format(cast=cast))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_recap_preview_of_the_shipped_episode(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = run(capsys, "preview", "recap", "for-all-mankind", "S4E6")
    assert code == 0
    assert (
        lines[0]
        == "for-all-mankind.toml: For All Mankind · S4E6 · Leningrad: /recap, as members see it"
    )
    assert "author: For All Mankind" in lines
    assert "title: S4E6 · Leningrad — Recap" in lines
    assert "field Runtime: 46–82 min" in lines
    heads = [line for line in lines if line.startswith("── page ")]
    assert heads and all("of 6,000 characters" in head for head in heads)
    assert any("Eli Hobson for NASA" in line for line in lines)
    assert lines[-1].startswith("footer: For All Mankind · S4E6")


def test_ending_preview_shows_the_spoiler_tags(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = run(capsys, "preview", "ending", str(SEED), "Leningrad")
    assert code == 0
    start = lines.index("description:")
    body = [line.strip() for line in lines[start + 2 :] if line.startswith("  ") and line.strip()]
    assert lines[start + 1].strip().startswith("⚠️ **Spoilers: how S4E6")
    assert body and all(line.startswith("||") and line.endswith("||") for line in body)
    assert "footer: For All Mankind · S4E6 · spoilers" in lines


def test_card_and_cast_previews(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = run(capsys, "preview", "card", "For All Mankind", "4x06")
    assert code == 0 and "title: S4E6 · Leningrad" in lines
    assert not any("Aleida" in line for line in lines)  # the card is spoiler-free
    code, lines, _ = run(capsys, "preview", "cast", "for-all-mankind", "S4E6")
    assert code == 0 and "footer: S4E6 · Leningrad · 16 credited" in lines
    assert lines[lines.index("description:") + 1].startswith("  1. **")


def test_an_unknown_episode_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = run(capsys, "preview", "recap", "for-all-mankind", "S9E9")
    assert code == 1 and lines == []
    assert err == "error: For All Mankind has no episode “S9E9” (it has: S4E6)\n"


def test_the_longest_cast_is_paged_to_fit_and_passes_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = crowded(tmp_path)
    code, lines, err = run(capsys, "check", str(SEED), str(path))
    assert code == 0, err
    assert "ok: for-all-mankind.toml: For All Mankind, 1 episode(s)" in lines
    code, lines, _ = run(capsys, "preview", "cast", str(path), "S1E1")
    assert code == 0
    heads = [line for line in lines if line.startswith("── page ")]
    assert len(heads) >= 2 and not any("NOT SENDABLE" in head for head in heads)
    code, lines, _ = run(capsys, "preview", "recap", str(path), "S1E1")
    assert code == 0 and "title: S1E1 · Pilot — Recap" in lines
