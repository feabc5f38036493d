"""Plain data the store returns and the renderers take. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Credit:
    actor: str
    character: str | None = None


@dataclass(frozen=True)
class PresetPoll:
    question: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class Show:
    slug: str
    title: str
    genres: tuple[str, ...] = ()
    runtime_min: int | None = None
    runtime_max: int | None = None
    links: tuple[Link, ...] = ()
    id: int = 0
    tvmaze_id: int | None = None
    imdb_id: str | None = None
    network: str | None = None
    official_site: str | None = None
    image: str | None = None
    status: str | None = None

    @property
    def runtime(self) -> str | None:
        """ "46–82 min", "60 min", or None when unknown."""
        if self.runtime_min is None:
            return None
        if self.runtime_max is None or self.runtime_max == self.runtime_min:
            return f"{self.runtime_min} min"
        return f"{self.runtime_min}–{self.runtime_max} min"


@dataclass(frozen=True)
class Episode:
    season: int
    number: int
    title: str
    synopsis: str
    # Empty while not written yet: a file may list an episode before its recap exists.
    recap: str
    ending: str
    runtime_minutes: int | None = None
    air_date: str | None = None
    links: tuple[Link, ...] = ()
    id: int = 0
    show_id: int = 0
    tvmaze_id: int | None = None
    air_time: str | None = None  # "HH:MM", 24 h, in the network's time zone
    image: str | None = None

    @property
    def code(self) -> str:
        """The short code members use: "S4E6"."""
        return f"S{self.season}E{self.number}"

    @property
    def label(self) -> str:
        """ "S4E6 · Leningrad"."""
        return f"{self.code} · {self.title}"


@dataclass(frozen=True)
class EpisodeFile:
    """An episode as a data file describes it, with what hangs off it."""

    episode: Episode
    cast: tuple[Credit, ...] = ()
    polls: tuple[PresetPoll, ...] = ()
    spoiler_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Special:
    """An episode outside the season numbering (a documentary, a reunion)."""

    title: str
    tvmaze_id: int | None = None
    air_date: str | None = None
    air_time: str | None = None
    runtime_minutes: int | None = None
    synopsis: str | None = None
    image: str | None = None


@dataclass(frozen=True)
class ShowFile:
    """One parsed data file: a show, its show-wide cast, and its episodes."""

    show: Show
    cast: tuple[Credit, ...] = ()
    episodes: tuple[EpisodeFile, ...] = field(default_factory=tuple)
    specials: tuple[Special, ...] = ()
