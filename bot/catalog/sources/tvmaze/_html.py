"""TVmaze's HTML summaries as plain text (see convert.py for why plain, not escaped)."""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCKS = {"p", "div", "blockquote", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"}
_HIDDEN = {"script", "style"}


class _PlainText(HTMLParser):
    def __init__(self) -> None:
        # convert_charrefs runs html.unescape over the text: &amp; &quot; &#8217; &nbsp; ...
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[str]] = [[""]]
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.paragraphs.append([""])
        elif tag == "br":
            self.paragraphs[-1].append("")
        elif tag in _HIDDEN:
            self.hidden += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.paragraphs[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.paragraphs.append([""])
        elif tag in _HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.paragraphs[-1][-1] += data


def html_to_text(html: str | None) -> str:
    """A TVmaze summary as plain text: paragraphs split by a blank line, tags dropped."""
    if not html:
        return ""
    parser = _PlainText()
    parser.feed(html.replace("\r", ""))
    parser.close()
    paragraphs = []
    for lines in parser.paragraphs:
        # Source newlines are only whitespace in HTML; <br> alone breaks a line.
        kept = [" ".join(line.split()) for line in lines]
        text = "\n".join(line for line in kept if line)
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)
