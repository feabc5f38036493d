"""Shows in TVmaze's documented JSON shapes. The shows and every word about them are invented.

Each builder returns fresh dictionaries, so a test may change them freely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

IMAGES = "https://static.tvmaze.invalid/uploads/images"


@dataclass
class FakeShow:
    """One show as the fake serves it; seasons are derived from the episodes."""

    show: dict[str, Any]
    episodes: list[dict[str, Any]] = field(default_factory=list)
    cast: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> int:
        return int(self.show["id"])

    def seasons(self) -> list[dict[str, Any]]:
        numbers = sorted({e["season"] for e in self.episodes if e["type"] == "regular"})
        return [season(self.id * 1000 + n, n, self.episodes) for n in numbers]


def show(
    show_id: int,
    name: str,
    *,
    summary: str | None = None,
    imdb: str | None = None,
    network: str | None = "Skyline One",
    web_channel: str | None = None,
    status: str = "Running",
    genres: tuple[str, ...] = ("Drama",),
    premiered: str | None = "2021-03-04",
    runtime: int | None = 50,
) -> dict[str, Any]:
    slug = name.lower().replace(" ", "-")
    return {
        "id": show_id,
        "url": f"https://www.tvmaze.com/shows/{show_id}/{slug}",
        "name": name,
        "type": "Scripted",
        "language": "English",
        "genres": list(genres),
        "status": status,
        "runtime": runtime,
        "averageRuntime": runtime,
        "premiered": premiered,
        "ended": None if status == "Running" else "2024-01-01",
        "officialSite": f"https://example.org/{slug}",
        "schedule": {"time": "21:00", "days": ["Thursday"]},
        "rating": {"average": 7.9},
        "weight": 88,
        "network": _channel(1, network, country=True) if network else None,
        "webChannel": _channel(2, web_channel, country=False) if web_channel else None,
        "dvdCountry": None,
        "externals": {"tvrage": None, "thetvdb": show_id + 300000, "imdb": imdb},
        "image": _image("posters", show_id),
        "summary": summary,
        "updated": 1717171717,
        "_links": {"self": {"href": f"https://api.tvmaze.com/shows/{show_id}"}},
    }


def episode(
    episode_id: int,
    season: int,
    number: int | None,
    name: str,
    *,
    summary: str | None = None,
    airdate: str = "2021-03-04",
    airtime: str = "21:00",
    runtime: int | None = 50,
    kind: str | None = "regular",
    image: bool = True,
) -> dict[str, Any]:
    """An episode; TVmaze writes an unknown airdate or airtime as "", and a special's number as null."""
    return {
        "id": episode_id,
        "url": f"https://www.tvmaze.com/episodes/{episode_id}",
        "name": name,
        "season": season,
        "number": number,
        "type": kind,
        "airdate": airdate,
        "airtime": airtime,
        "airstamp": f"{airdate}T01:00:00+00:00" if airdate else None,
        "runtime": runtime,
        "rating": {"average": None},
        "image": _image("episodes", episode_id) if image else None,
        "summary": summary,
        "_links": {"self": {"href": f"https://api.tvmaze.com/episodes/{episode_id}"}},
    }


def season(season_id: int, number: int, episodes: list[dict[str, Any]]) -> dict[str, Any]:
    dates = sorted(e["airdate"] for e in episodes if e["season"] == number and e["airdate"])
    return {
        "id": season_id,
        "url": f"https://www.tvmaze.com/seasons/{season_id}",
        "number": number,
        "name": "",
        "episodeOrder": sum(1 for e in episodes if e["season"] == number and e["number"]),
        "premiereDate": dates[0] if dates else None,
        "endDate": dates[-1] if dates else None,
        "network": None,
        "webChannel": None,
        "image": None,
        "summary": None,
        "_links": {"self": {"href": f"https://api.tvmaze.com/seasons/{season_id}"}},
    }


def credit(person_id: int, actor: str, character: str | None) -> dict[str, Any]:
    return {
        "person": {
            "id": person_id,
            "url": f"https://www.tvmaze.com/people/{person_id}",
            "name": actor,
            "country": None,
            "birthday": None,
            "deathday": None,
            "gender": None,
            "image": _image("people", person_id),
            "updated": 1717171717,
            "_links": {"self": {"href": f"https://api.tvmaze.com/people/{person_id}"}},
        },
        "character": {
            "id": person_id + 500000,
            "url": f"https://www.tvmaze.com/characters/{person_id + 500000}",
            "name": character,
            "image": None,
            "_links": {},
        },
        "self": character is None,
        "voice": False,
    }


def _channel(channel_id: int, name: str, *, country: bool) -> dict[str, Any]:
    place = {"name": "Canada", "code": "CA", "timezone": "America/Toronto"}
    return {
        "id": channel_id,
        "name": name,
        "country": place if country else None,
        "officialSite": None,
    }


def _image(kind: str, number: int) -> dict[str, str]:
    return {
        "medium": f"{IMAGES}/{kind}/medium/{number}.jpg",
        "original": f"{IMAGES}/{kind}/original/{number}.jpg",
    }


# -- the shows -------------------------------------------------------------------------------

ORBITAL_RELAY_ID = 4401
ORBITAL_RELAY_IMDB = "tt9900101"


def orbital_relay() -> FakeShow:
    """A small show with every awkward case: markup, entities, a special, a TBA episode."""
    e = episode
    return FakeShow(
        show=show(
            ORBITAL_RELAY_ID,
            "Orbital Relay",
            imdb=ORBITAL_RELAY_IMDB,
            genres=("Drama", "Science-Fiction"),
            summary=(
                "<p><b>Orbital Relay</b> follows the six-person crew of a signal station "
                "parked between Earth&nbsp;&amp; Mars, where every message home takes "
                "<i>twenty minutes</i> each way.</p><p>Nobody chose the posting twice.</p>"
            ),
        ),
        episodes=[
            e(
                440101,
                1,
                1,
                "First Light",
                airdate="2021-03-04",
                summary="<p>Commander Ines Varga arrives on the relay to find the last "
                "crew&#39;s logbook missing three weeks of entries.</p>",
            ),
            e(
                440102,
                1,
                2,
                "Dead Air",
                airdate="2021-03-11",
                summary="<p>A solar storm cuts the link with Earth.<br>Tomas counts the "
                "hours; Ines counts the oxygen.</p>",
            ),
            e(
                440103,
                1,
                3,
                "Handshake",
                airdate="2021-03-18",
                summary="<p>A signal answers on a frequency nobody uses &mdash; "
                "and it knows the crew&rsquo;s names. <em>@everyone</em> *stays* calm.</p>",
            ),
            e(
                440190,
                1,
                None,
                "Inside the Relay",
                kind="significant_special",
                airdate="2021-03-20",
                runtime=22,
                summary="<p>The cast walks through the station set.</p>",
            ),
            e(
                440201,
                2,
                1,
                "Second Shift",
                airdate="2022-04-07",
                summary="<p>A new crew, an old problem &lt;classified&gt;.</p>",
            ),
            e(440202, 2, 2, "TBA", airdate="", airtime="", runtime=None, image=False),
        ],
        cast=[
            credit(9001, "Maren Okafor", "Ines Varga"),
            credit(9002, "Dev Castellano", "Tomas Reyes"),
            credit(9003, "Lior Brandt", "Yusuf Adeyemi"),
            credit(9004, "Saoirse Lindqvist", "Pell"),
        ],
    )


LONG_HAUL_ID = 4402


def long_haul(seasons: int = 30, per_season: int = 2, cast_size: int = 60) -> FakeShow:
    """A long-running show: more than 25 seasons and a cast list longer than any page."""
    episodes = [
        episode(
            4402_0000 + s * 100 + n,
            s,
            n,
            f"Mile {s * 100 + n}",
            airdate=f"{1990 + s}-09-{n + 10:02d}",
            summary=f"<p>Stop {n} of year {s} on the road.</p>",
        )
        for s in range(1, seasons + 1)
        for n in range(1, per_season + 1)
    ]
    return FakeShow(
        show=show(
            LONG_HAUL_ID,
            "The Long Haul Almanac",
            imdb="tt9900202",
            network=None,
            web_channel="Roadside Stream",
            status="Ended",
            genres=("Documentary",),
            premiered="1991-09-11",
            summary="<p>A trucker's year, every year, for thirty years.</p>",
        ),
        episodes=episodes,
        cast=[credit(9100 + i, f"Driver {i:02d}", f"Co-driver {i:02d}") for i in range(cast_size)],
    )
