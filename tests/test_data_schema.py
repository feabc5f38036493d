"""Every file shipped in data/ passes the strict reader and the published JSON Schema."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bot.catalog.datafiles import DataFileError, json_schema, load

DATA = Path(__file__).resolve().parents[1] / "data"
SHIPPED = sorted(DATA.glob("*.toml"))


def as_json(value: Any) -> Any:
    """A TOML document as an editor's schema check sees it: dates and times as text."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def test_data_folder_ships_files() -> None:
    assert SHIPPED


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_file_passes_the_strict_reader(path: Path) -> None:
    parsed = load(path)
    assert parsed.show.slug and parsed.episodes


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_file_matches_the_schema(path: Path) -> None:
    assert path.read_text(encoding="utf-8").startswith("#:schema ./schema.json\n")
    doc = as_json(tomllib.loads(path.read_text(encoding="utf-8")))
    jsonschema.Draft202012Validator(json_schema()).validate(doc)


def test_committed_schema_is_the_generated_one() -> None:
    written = (DATA / "schema.json").read_text(encoding="utf-8")
    assert written == json.dumps(json_schema(), indent=2) + "\n", (
        "data/schema.json is stale: regenerate it from bot.catalog.datafiles.json_schema()"
    )


def test_schema_is_valid_and_refuses_what_the_reader_refuses() -> None:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    good = {
        "show": {"slug": "night-shift", "title": "Night Shift", "tvmaze_id": 3},
        "episodes": [
            {
                "season": 1,
                "number": 1,
                "title": "Pilot",
                "synopsis": "A hospital at night.",
                "air_time": "21:30",
                "spoiler_terms": ["defibrillat*"],
            }
        ],
        "specials": [{"title": "Behind the Night", "upstream": {"episode": "0a0b"}}],
    }
    assert validator.is_valid(good)
    episode = good["episodes"][0]  # type: ignore[index]
    for bad in (
        {**good, "episode": []},
        {**good, "show": {**good["show"], "runtme": {"min": 3}}},  # type: ignore[dict-item]
        {**good, "episodes": [{**episode, "airdate": "2021-01-01"}]},
        {**good, "episodes": [{**episode, "air_time": "24:00"}]},
        {**good, "episodes": [{**episode, "spoiler_terms": ["un*mask"]}]},
        {**good, "specials": [{"title": "X", "season": 1}]},
    ):
        assert not validator.is_valid(bad)


def test_check_refuses_a_typo_in_a_shipped_file(tmp_path: Path) -> None:
    path = tmp_path / "typo.toml"
    text = SHIPPED[0].read_text(encoding="utf-8")
    path.write_text(text.replace("spoiler_terms = [", "spoiler_term = [", 1), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load(path)
    assert str(caught.value) == (
        "typo.toml: episodes[0].spoiler_term: is not a known key; did you mean `spoiler_terms`?"
    )
