"""What can go wrong talking to TVmaze; every message is one sentence fit for a user."""

from __future__ import annotations


class TvmazeError(Exception):
    """TVmaze could not give us what we asked for; str() is a sentence for the user."""


class TvmazeNotFound(TvmazeError):
    """TVmaze answered 404: no such show, or no match for a search."""


class TvmazeOffline(TvmazeError):
    """TVmaze could not be reached at all (DNS, refused connection, no network)."""


class TvmazeDropped(TvmazeOffline):
    """TVmaze closed or reset the connection before its answer was complete."""


class TvmazeTimeout(TvmazeError):
    """TVmaze was reached but did not answer within the request timeout."""


class TvmazeBusy(TvmazeError):
    """TVmaze kept answering 429 (rate limited) after the retries we allow ourselves."""
