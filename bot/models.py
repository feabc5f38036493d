"""Every model and enum of the bot: the plain data the store returns and the renderers take.

No I/O here, and nothing above the standard library: every other layer may import this one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


def episode_code(season: int, number: int | str) -> str:
    """The short code members use for an episode: "S4E6". The one place it is spelled.

    `number` may be what a member typed, when suggesting the closest real episode."""
    return f"S{season}E{number}"


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
class RecapSource:
    """Where a recap's text came from, for its credit: Wikipedia's article at a revision."""

    site: str  # "wikipedia"
    article: str
    revision: int


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
    # Set when the recap is text taken from elsewhere (Wikipedia), which must be credited.
    recap_source: RecapSource | None = None
    airs_at: float | None = None  # Unix seconds: the moment it first airs (TVmaze's airstamp)

    @property
    def code(self) -> str:
        """The short code members use: "S4E6"."""
        return episode_code(self.season, self.number)

    @property
    def label(self) -> str:
        """ "S4E6 · Leningrad"."""
        return f"{self.code} · {self.title}"


@dataclass(frozen=True)
class EpisodeRef:
    """An episode as a choice names it: no text, so a big show's list stays small."""

    id: int
    show_id: int
    season: int
    number: int
    title: str

    @property
    def code(self) -> str:
        return episode_code(self.season, self.number)

    @property
    def label(self) -> str:
        return f"{self.code} · {self.title}"


@dataclass(frozen=True)
class EpisodeFile:
    """An episode as a data file describes it, with what hangs off it."""

    episode: Episode
    cast: tuple[Credit, ...] = ()
    polls: tuple[PresetPoll, ...] = ()
    spoiler_terms: tuple[str, ...] = ()
    # `was = "S1E3"`: the (season, number) this episode had before a hand renumbering. Not
    # content, so not part of the entry's digest (bot/store/edits.py).
    was: tuple[int, int] | None = field(default=None, metadata={"digest": False})


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
class CatalogChange:
    """What importing one data file did to its show's episodes."""

    added: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0
    kept: int = 0  # fields edited in Discord that the file says otherwise: the edit stays
    # Episodes that kept their identity under a new season or number: "S1E3 → S1E4 “Title”".
    renumbered: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = (
            f"{self.added} added, {self.updated} updated, {self.retired} retired,"
            f" {self.unchanged} unchanged"
        )
        if self.kept:
            text += f", kept {self.kept} Discord edit{'' if self.kept == 1 else 's'}"
        if self.renumbered:
            text += f"; {len(self.renumbered)} renumbered: " + ", ".join(self.renumbered)
        return text


@dataclass(frozen=True)
class ShowDependents:
    """What members made that refers to a show: why it cannot simply be deleted."""

    polls: int = 0
    parties: int = 0
    threads: int = 0
    progress: int = 0

    def __bool__(self) -> bool:
        return any((self.polls, self.parties, self.threads, self.progress))

    def __str__(self) -> str:
        parts = (
            (self.polls, "poll", "polls"),
            (self.parties, "watch party", "watch parties"),
            (self.threads, "discussion thread", "discussion threads"),
            (self.progress, "member's progress", "members' progress"),
        )
        return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in parts if n)


@dataclass(frozen=True)
class ShowFile:
    """One parsed data file: a show, its show-wide cast, and its episodes."""

    show: Show
    cast: tuple[Credit, ...] = ()
    episodes: tuple[EpisodeFile, ...] = field(default_factory=tuple)
    specials: tuple[Special, ...] = ()


# --- watch progress -----------------------------------------------------------------------


@dataclass(frozen=True)
class Watched:
    """How far a member has watched a show: up to and including this episode.

    Progress is stored as the episode's id, so it follows the episode when an import
    renumbers it; `season` and `number` are where that episode sits in the catalog now (a
    retired episode keeps its last place)."""

    episode_id: int
    season: int
    number: int

    @property
    def code(self) -> str:
        return episode_code(self.season, self.number)

    def covers(self, episode: Episode) -> bool:
        """True when the member has seen `episode`: it is this one, or ordered before it.

        Another episode at this one's very place (one that took a retired episode's number)
        was never watched: the strict comparison keeps it unwatched."""
        if episode.id == self.episode_id:
            return True
        return (episode.season, episode.number) < (self.season, self.number)


@dataclass(frozen=True)
class ShowProgress:
    """One line of /progress show."""

    title: str
    watched: Watched


# --- server settings ----------------------------------------------------------------------


class UnsetProgress(StrEnum):
    """What members who never set their progress for a show are taken to have seen."""

    WARN = "warn"
    CAUGHT_UP = "caught_up"


class Organisers(StrEnum):
    """Who may create polls and watch parties."""

    EVERYONE = "everyone"
    MODERATORS = "moderators"
    ROLE = "role"


@dataclass(frozen=True)
class GuildSettings:
    guild_id: int
    discussion_channel_id: int | None = None
    announcement_channel_id: int | None = None
    time_zone: str = "UTC"
    unset_progress: UnsetProgress = UnsetProgress.WARN
    organisers: Organisers = Organisers.EVERYONE
    organiser_role_id: int | None = None
    guard_hours: int = 72
    guarded_channels: tuple[int, ...] = ()
    reminder_role_id: int | None = None  # pinged by watch-party announcements and reminders
    reminder_lead_minutes: int = 15  # the early reminder, this long before a start; 0: none
    follow_channel_id: int | None = None  # new-episode alerts here; None: by DM
    editor_role_id: int | None = None  # may write episode content; Manage Server always may
    content_log_channel_id: int | None = None  # where content edits are announced


# --- content written in Discord -----------------------------------------------------------


class ContentField(StrEnum):
    """The parts of an episode members may write in Discord (the value names it in commands)."""

    SYNOPSIS = "synopsis"
    RECAP = "recap"
    ENDING = "ending"
    SPOILER_TERMS = "spoiler-terms"
    POLLS = "polls"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")


# A field's value: text (synopsis, recap, ending), terms, or preset polls.
FieldValue = str | tuple[str, ...] | tuple[PresetPoll, ...]


@dataclass(frozen=True)
class Revision:
    """One saved version of a field; `author_id` None is the data file's text before the
    first edit in Discord."""

    id: int
    episode_id: int
    field: ContentField
    value: FieldValue
    author_id: int | None
    guild_id: int | None
    created_at: float
    reverted_from: int | None = None


class SaveOutcome(StrEnum):
    SAVED = "saved"
    UNCHANGED = "unchanged"  # the field already says that
    DUPLICATE = "duplicate"  # this very submission (or its twin) was saved before
    CONFLICT = "conflict"  # the field changed since the editor opened it


@dataclass(frozen=True)
class SaveResult:
    outcome: SaveOutcome
    revision: Revision | None = None  # the new one when saved, else the current one if any


# --- polls --------------------------------------------------------------------------------


class Mode(StrEnum):
    LIVE = "live"
    BLIND = "blind"
    NATIVE = "native"


class VoteOutcome(StrEnum):
    RECORDED = "recorded"
    CHANGED = "changed"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"
    # Clicked at or after the poll's deadline, though the closer has not marked it closed yet.
    LATE = "late"
    UNKNOWN = "unknown"

    @property
    def counted(self) -> bool:
        """The click changed the votes (so the poll's message needs an edit)."""
        return self in (VoteOutcome.RECORDED, VoteOutcome.CHANGED, VoteOutcome.WITHDRAWN)


@dataclass(frozen=True)
class Ballot:
    """One click as the store took it: its outcome and, when it counted, the member's vote
    before and after it (None: no vote) with each row's `voted_at`, so it can be undone
    exactly, and only while the row is still the one it wrote."""

    outcome: VoteOutcome
    poll_id: int
    user_id: int
    before: int | None = None
    before_at: float | None = None
    after: int | None = None
    at: float = 0.0


@dataclass(frozen=True)
class Poll:
    id: int
    guild_id: int
    channel_id: int
    message_id: int | None
    creator_id: int
    question: str
    mode: Mode
    episode_id: int | None
    created_at: float
    closes_at: float
    closed_at: float | None
    version: int
    shown: int
    options: tuple[str, ...]
    voters_role_id: int | None = None  # only members with this role may vote; None: everyone

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class Tally:
    poll: Poll
    counts: tuple[int, ...]  # votes per option, in option order

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class EpisodeScore:
    """An episode's closed polls in one server: a line of /poll results' score table."""

    episode: Episode
    tallies: tuple[Tally, ...]

    @property
    def votes(self) -> int:
        return sum(t.total for t in self.tallies)


# --- watch parties ------------------------------------------------------------------------


class PartyStep(StrEnum):
    """The steps of a watch party's timeline, each done once (the value names its column)."""

    EARLY = "early_reminded"  # the reminder some minutes before the start
    REMINDED = "reminded"
    ENDED = "ended"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Party:
    id: int
    guild_id: int
    episode_id: int
    channel_id: int
    creator_id: int
    starts_at: float
    ends_at: float
    event_id: int | None
    announcement_id: int | None
    reminded_at: float | None
    ended_at: float | None
    cancelled_at: float | None
    early_at: float | None = None  # when the early reminder is due; None: no early reminder
    early_reminded_at: float | None = None
    dms_done_at: float | None = None  # every interested member was sent the start DM


@dataclass(frozen=True)
class PartyPart:
    """What one part of a party's step did: 'sending' (asked Discord, answer not recorded),
    'done' (with the message or thread id it made, if any) or 'skipped' (with the reason)."""

    party_id: int
    part: str
    outcome: str
    sent_id: int | None
    reason: str | None
    at: float


@dataclass(frozen=True)
class NewEpisodes:
    """Episodes of one show that arrived in the catalog since its followers last heard."""

    show: Show
    episodes: tuple[Episode, ...]


# --- choosing together ----------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A show a member suggested the server watch; `show_id` is None until it is in the
    catalog (a show found on TVmaze is added when it wins)."""

    id: int
    guild_id: int
    show_key: str  # "tvmaze:82" or "show:3": one suggestion per show per server
    title: str
    suggested_by: int
    suggested_at: float
    show_id: int | None = None
    tvmaze_id: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class WatchedTogether:
    """A watch party that ran to its end: what the server watched, when, and how many took
    part."""

    party: Party
    show: Show
    episode: Episode
    attendance: int


@dataclass(frozen=True)
class ProgressMove:
    """Progress a watch party moved for a member who took part and opted in."""

    id: int
    party_id: int
    guild_id: int
    user_id: int
    show_id: int
    before: Watched | None  # None: the member had set no progress
    after: Watched
    undone_at: float | None = None


# --- search -------------------------------------------------------------------------------

# What the store puts around the matched words of a snippet; the renderer turns them into
# bold once the text around them is escaped. (Control characters: no data file writes them.)
MATCH_START = "\x02"
MATCH_END = "\x03"


@dataclass(frozen=True)
class Viewer:
    """Whose watch progress decides what a search may quote (see cogs/utils/spoilers.py)."""

    guild_id: int | None  # None in DMs, where a member can only spoil themselves
    user_id: int
    unset_is_behind: bool  # the server treats members without progress as not caught up


@dataclass(frozen=True)
class DeepMatch:
    """An episode found in its recap or ending, with the matching passages (between
    MATCH_START and MATCH_END), "" for a part that did not match."""

    episode: Episode
    recap: str = ""
    ending: str = ""


@dataclass(frozen=True)
class SearchResults:
    """What /search found. `safe` episodes match in title and synopsis alone (always fine to
    show); `deep` ones match only with their recap or ending, and are all within the viewer's
    progress; `unwatched` counts the deep matches past it, which are never quoted."""

    safe: tuple[Episode, ...] = ()
    safe_total: int = 0
    deep: tuple[DeepMatch, ...] = ()
    deep_total: int = 0
    unwatched: int = 0


@dataclass(frozen=True)
class Airing:
    """A show a server follows as a community: its episodes' threads open when they air."""

    guild_id: int
    show_id: int
    channel_id: int
    role_id: int | None
    since: float


@dataclass(frozen=True)
class AiringDue:
    """An episode whose air time has come in a server that follows its show."""

    airing: Airing
    episode_id: int
    airs_at: float


@dataclass(frozen=True)
class AiringRecord:
    """How far an episode's air-time announcement got in one server (see migration 0017)."""

    state: str  # claimed, sending, done, skipped
    late: bool
    thread_id: int | None
    at: float
