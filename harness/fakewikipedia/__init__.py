"""A loopback fake of English Wikipedia's MediaWiki Action API, with invented articles."""

from .fixtures import FakePage, generated_show, standard_pages
from .server import FakeWikipedia

__all__ = ["FakePage", "FakeWikipedia", "generated_show", "standard_pages"]
