"""The seed article lends the project facts, never prose (see ../shared/seed/README.md)."""

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed" / "leningrad-recap.txt"
RUN = 8  # this many consecutive words shared with the article count as copying
WORD = re.compile(r"[a-z0-9']+")
TOPS = ("docs", "tests", "README.md")
SKIP_SUFFIXES = {".db", ".sqlite", ".sqlite3", ".db-wal", ".db-shm"}

# Billing order from the article's cast line. Numbered so that this list is not itself a
# verbatim run of that line.
EXPECTED_CAST = [
    "Joel Kinnaman",  # 1
    "Michael Dorman",  # 2
    "Sarah Jones",  # 3
    "Shantel VanSanten",  # 4
    "Jodi Balfour",  # 5
    "Wrenn Schmidt",  # 6
    "Sonya Walger",  # 7
    "Krys Marshall",  # 8
    "Cynthy Wu",  # 9
    "Casey W. Johnson",  # 10
    "Coral Peña",  # 11
    "Edi Gathegi",  # 12
    "Toby Kebbell",  # 13
    "Tyner Rushing",  # 14
    "Svetlana Efremova",  # 15
    "Daniel Stern",  # 16
]


def words(text: str) -> list[str]:
    # The article uses curly apostrophes (U+2019); straighten them so contractions compare.
    return WORD.findall(text.lower().replace("\u2019", "'").replace("\u2018", "'"))


def runs(text: str) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + RUN]) for i in range(len(w) - RUN + 1)}


def project_texts() -> dict[str, str]:
    """Every file under data/, plus the text files git knows of (tracked or new) in TOPS."""
    paths = {p for p in (ROOT / "data").rglob("*") if p.is_file()}
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *TOPS],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        paths |= {ROOT / name for name in listed.split("\0") if name}
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: take everything
        paths |= {p for top in TOPS for p in [ROOT / top, *(ROOT / top).rglob("*")]}
    texts = {}
    for path in sorted(paths):
        if path.suffix in SKIP_SUFFIXES or not path.is_file():
            continue
        try:
            texts[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary files carry no prose
    return texts


def test_no_eight_word_run_copied_from_the_seed_article() -> None:
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}; nothing to compare against")
    seed_runs = runs(SEED.read_text(encoding="utf-8"))
    copied = [
        f"{name}: {' '.join(run)}"
        for name, text in project_texts().items()
        for run in sorted(runs(text) & seed_runs)
    ]
    assert not copied, "runs of 8 words copied from the seed article:\n" + "\n".join(copied)


def test_leningrad_episode_data() -> None:
    with (ROOT / "data" / "for-all-mankind.toml").open("rb") as f:
        show = tomllib.load(f)
    assert show["show"]["slug"] == "for-all-mankind"
    [episode] = [e for e in show["episodes"] if (e["season"], e["number"]) == (4, 6)]
    assert episode["title"] == "Leningrad"
    assert [member["actor"] for member in episode["cast"]] == EXPECTED_CAST
    assert "Is Ed sympathetic to the workers?" in [p["question"] for p in episode["polls"]]
    for field in ("synopsis", "recap", "ending"):
        assert episode[field].strip(), f"{field} is empty"
