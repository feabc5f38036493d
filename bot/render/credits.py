"""Credits for text the project did not write: Wikipedia's recaps (CC BY-SA 4.0).

The licence asks for the source, a link to it and the licence wherever the text is shown; a
revision link (`oldid`) points at exactly the text used, even after the article changes.
"""

from __future__ import annotations

from .. import limits
from ..i18n import _
from ..models import RecapSource
from .text import escape, one_line

WIKIPEDIA_LICENCE = "[CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/)"
# Long enough for any real list's title; escaping may double it, still far under a field.
ARTICLE_SHOWN = 200


def revision_url(revision: int) -> str:
    return f"https://en.wikipedia.org/w/index.php?oldid={revision}"


def recap_credit(source: RecapSource | None) -> tuple[str, str] | None:
    """The embed field (name, value) crediting a recap's source; None for people's recaps."""
    if source is None or source.site != "wikipedia":
        return None
    # Escaped, so brackets or underscores in a title cannot break the link's markdown.
    article = escape(one_line(source.article, ARTICLE_SHOWN))
    link = _("[revision {revision}]({url})").format(
        revision=source.revision, url=revision_url(source.revision)
    )
    value = f"{article} ({link}) · {WIKIPEDIA_LICENCE}"
    return _("Recap from Wikipedia"), value[: limits.FIELD_VALUE]
