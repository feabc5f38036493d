"""Recaps from English Wikipedia's episode lists (issue 16): client, parser, matcher, writer.

Wikipedia's text is CC BY-SA 4.0: every recap taken from it keeps its article and revision
(`recap_source` in the data file, three columns in the store) so the credit can follow it.
"""

from .client import WikipediaClient, WikipediaError
from .parse import ParsedEntry, parse_list, plain_text

__all__ = ["ParsedEntry", "WikipediaClient", "WikipediaError", "parse_list", "plain_text"]
