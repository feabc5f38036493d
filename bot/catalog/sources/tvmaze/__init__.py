"""TVmaze (https://www.tvmaze.com, data CC BY-SA) as the source of the show catalog.

`client` talks to the API, `convert` turns its answers into typed values and plain text, and
`datafile` writes or refreshes data/<slug>.toml from them without undoing what people wrote.
"""

from .client import RateLimit, TvmazeClient
from .convert import CastCredit, Catalog, Season, ShowHit, TvEpisode, TvShow
from .errors import TvmazeBusy, TvmazeError, TvmazeNotFound, TvmazeOffline, TvmazeTimeout

__all__ = [
    "CastCredit",
    "Catalog",
    "RateLimit",
    "Season",
    "ShowHit",
    "TvEpisode",
    "TvShow",
    "TvmazeBusy",
    "TvmazeClient",
    "TvmazeError",
    "TvmazeNotFound",
    "TvmazeOffline",
    "TvmazeTimeout",
]
