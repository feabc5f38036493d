"""Wikipedia's episode lists as plain data: the `{{Episode list}}` rows of an article.

mwparserfromhell parses the wikitext: its tokenizer is written in C (20,000 summaries turn
into plain text in a few seconds, see docs/benchmarks.md), it keeps nested templates, refs and
comments as nodes of their own, and pywikibot's users keep it well maintained.

Plain text here means text Discord would show as it is written: links become their words,
templates, refs, comments and tags go, bold and italics lose their quotes. The renderers still
escape it, like every other text, since `*`, `|` or `@everyone` in a summary are just letters.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import mwparserfromhell
from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

# Tags whose content is not prose a reader sees in the summary.
_HIDDEN_TAGS = frozenset(
    {"ref", "references", "math", "gallery", "score", "timeline", "syntaxhighlight"}
)
# Templates whose last positional value is the text itself ({{nowrap|...}}, {{lang|fr|...}}).
_TEXT_TEMPLATES = frozenset(
    {"nowrap", "lang", "small", "em", "smallcaps", "nobr", "noitalic", "abbr"}
)
# Templates that stand for one character or dash.
_SYMBOLS = {
    "'": "'",
    "!": "|",
    "snd": " – ",
    "spaced ndash": " – ",
    "ndash": "–",
    "mdash": "—",
    "nbsp": " ",
}
# Markup that must never reach Discord even from broken wikitext (an unclosed `[[`, say).
_RESIDUE = re.compile(r"\[\[|\]\]|\{\{|\}\}|\{\||\|\}|'{2,}|<!--|-->|</?\w[^<>\n]{0,200}>")
# Removed before parsing: comments, refs (they never nest), bold and italic quotes. Each is
# markup we drop anyway, and mwparserfromhell builds its nodes in Python, so fewer nodes is
# faster: this halves the time for a summary full of citations (docs/benchmarks.md).
_DROPPED = re.compile(r"<!--.*?-->|<ref\b[^>]*/>|<ref\b[^>]*>.*?</ref\s*>|'{2,}", re.S | re.I)
# A plain link ([[Target]] or [[Target|words]]) becomes its words; file and category links
# (whose captions may hold links of their own) are left to the parser, which drops them.
_SIMPLE_LINK = re.compile(
    r"\[\[(?!\s*:?\s*(?:file|image|category)\s*:)(?:[^\[\]{}|]*\|)?([^\[\]{}|]*)\]\]", re.I
)
_SEASON = re.compile(r"\b(?:season|series)\s+(\d{1,3})\b", re.IGNORECASE)
_NUMBER = re.compile(r"^\s*(\d{1,4})\s*([a-z])?\s*(?:[–—/-]|&|and)?\s*(\d{1,4})?\s*([a-z])?\s*$")
_DATE_FORMATS = ("%B %d, %Y", "%d %B %Y", "%Y-%m-%d", "%b %d, %Y", "%d %b %Y")


@dataclass(frozen=True)
class ParsedEntry:
    """One row of an episode list. `numbers` holds two for a two-part row ("5–6")."""

    season: int | None
    numbers: tuple[int, ...]
    title: str
    air_date: dt.date | None
    summary: str
    label: str  # the number as the list writes it ("2a", "Special"), for reports
    part: str = ""  # "a", "b" for segments of one episode

    @property
    def special(self) -> bool:
        return self.season is None or not self.numbers


def _parse(wikitext: str) -> Wikicode:
    return mwparserfromhell.parse(_SIMPLE_LINK.sub(r"\1", _DROPPED.sub("", wikitext)))


def _name(template: Template) -> str:
    return str(template.name).strip().replace("_", " ").lower()


def _param(template: Template, *names: str) -> Wikicode | None:
    for name in names:
        if template.has(name) and str(template.get(name).value).strip():
            return template.get(name).value
    return None


def _template_text(template: Template) -> str:
    name = _name(template)
    if name in _SYMBOLS:
        return _SYMBOLS[name]
    values = [_plain(p.value).strip() for p in template.params if not p.showkey]
    if name == '"':  # {{"|...}}: a quotation, shown in quotation marks
        return f"“{values[0]}”" if values else ""
    if name in {"convert", "cvt"}:  # {{convert|40|km}}: the value as written, unconverted
        return " ".join(values[:2])
    if name in _TEXT_TEMPLATES:
        return values[-1] if values else ""
    return ""


def _node_text(node: Node) -> str:
    if isinstance(node, Text):
        return str(node.value)
    if isinstance(node, Wikilink):
        target = str(node.title).strip()
        if re.match(r"^:?(file|image|category)\s*:", target, re.IGNORECASE):
            return ""
        return _plain(node.text) if node.text is not None else _plain(node.title).lstrip(":")
    if isinstance(node, ExternalLink):
        return _plain(node.title) if node.title is not None else ""
    if isinstance(node, Template):
        return _template_text(node)
    if isinstance(node, HTMLEntity):
        return str(node.normalize())
    if isinstance(node, Tag):
        tag = str(node.tag).strip().lower()
        if tag == "br":
            return "\n"
        if tag in _HIDDEN_TAGS or node.contents is None:
            return ""
        return _plain(node.contents)
    if isinstance(node, Heading):
        return _plain(node.title)
    if isinstance(node, Comment | Argument):
        return ""
    return ""


def _plain(code: Wikicode) -> str:
    return "".join(_node_text(node) for node in code.nodes)


def plain_text(wikitext: str | Wikicode) -> str:
    """Wikitext as plain prose: paragraphs kept, everything else folded to single spaces."""
    code = _parse(wikitext) if isinstance(wikitext, str) else wikitext
    text, before = _plain(code), ""
    while text != before:  # removing "[[" from "][[]" leaves "]]": repeat until none is left
        before, text = text, _RESIDUE.sub("", text)
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


def _air_date(code: Wikicode | None) -> dt.date | None:
    if code is None:
        return None
    for template in code.filter_templates(recursive=False):
        if _name(template) in {"start date", "start date and age", "dts", "film date"}:
            parts = [str(p.value).strip() for p in template.params if not p.showkey][:3]
            try:
                return dt.date(*(int(p) for p in parts)) if len(parts) == 3 else None
            except ValueError:
                return None
    text = plain_text(code)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _numbers(label: str) -> tuple[tuple[int, ...], str]:
    """ "4" -> (4,); "5–6" -> (5, 6); "2a" -> (2,) part "a"; "Special" -> ()."""
    found = _NUMBER.match(label)
    if not found:
        return (), ""
    first, part, second, _ = found.groups()
    if second and int(second) == int(first) + 1:
        return (int(first), int(second)), ""
    return (int(first),), part or ""


def _entry(template: Template, season: int | None) -> ParsedEntry:
    number = _param(template, "EpisodeNumber2")
    label = plain_text(number) if number is not None else ""
    numbers, part = _numbers(label)
    title = _param(template, "Title")
    summary = _param(template, "ShortSummary")
    return ParsedEntry(
        season=season if numbers else None,
        numbers=numbers,
        title=plain_text(title).strip('"“”') if title is not None else "",
        air_date=_air_date(_param(template, "OriginalAirDate")),
        summary=plain_text(summary) if summary is not None else "",
        label=label or "unnumbered",
        part=part,
    )


def _is_episode_list(template: Template) -> bool:
    name = _name(template)
    return name == "episode list" or name.startswith("episode list/")


def parse_list(wikitext: str, season: int | None = None) -> list[ParsedEntry]:
    """Every `{{Episode list}}` row, its season from the heading above it ("Season 2",
    "Series 2"), else `season` (a season article's own number); under "Specials", none."""
    entries: list[ParsedEntry] = []
    current = season
    for node in _parse(wikitext).nodes:
        if isinstance(node, Heading):
            heading = plain_text(node.title)
            found = _SEASON.search(heading)
            if found:
                current = int(found.group(1))
            elif "special" in heading.lower():
                current = None
            continue
        if not isinstance(node, Template):
            continue
        rows = [node] if _is_episode_list(node) else []
        rows += [t for p in node.params for t in p.value.filter_templates() if _is_episode_list(t)]
        entries.extend(_entry(row, current) for row in rows)
    return entries


def season_articles(wikitext: str) -> list[str]:
    """Articles a list transcludes (`{{:Show season 1}}`) or sends to for a season's
    episodes (`{{Main|Show season 1}}`), in order, each once."""
    titles: list[str] = []
    for template in _parse(wikitext).filter_templates(recursive=True):
        name = str(template.name).strip()
        if name.startswith(":"):
            candidates = [name[1:].strip()]
        elif _name(template) in {"main", "main article", "further"}:
            candidates = [str(p.value).strip() for p in template.params if not p.showkey]
        else:
            continue
        for title in candidates:
            if _SEASON.search(title) and title not in titles:
                titles.append(title)
    return titles


def season_of(title: str) -> int | None:
    found = _SEASON.search(title)
    return int(found.group(1)) if found else None


def is_disambiguation(wikitext: str) -> bool:
    """A fallback for when pageprops are missing: the usual disambiguation templates."""
    names = {_name(t) for t in _parse(wikitext).filter_templates(recursive=False)}
    return bool(names & {"disambiguation", "disambig", "dab", "tv disambiguation"})
