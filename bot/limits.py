"""Every limit in one place: Discord's, and the data format's that follow from them.

Renderers hold Discord's limits by construction; `check_embed` is the last line of defence
that turns a renderer's mistake into a clear error instead of a refused request.
"""

from __future__ import annotations

import discord

# --- Discord: messages and embeds ---------------------------------------------------------
CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
EMBED_TOTAL = 6000

# --- Discord: components, commands, autocomplete ------------------------------------------
CUSTOM_ID = 100
BUTTON_LABEL = 80
BUTTONS_PER_ROW = 5
AUTOCOMPLETE_CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100  # a string choice's value, so also what an autocompleted option needs

# Discord takes an interaction's first answer only within 3 seconds of the interaction.
ANSWER_WINDOW = 3.0

# --- Discord: modals ----------------------------------------------------------------------
# A modal holds at most five inputs; its title and each input's label at most 45 characters,
# a text input at most 4,000 characters and its placeholder 100. (custom_id: CUSTOM_ID.)
MODAL_INPUTS = 5
MODAL_TITLE = 45
INPUT_LABEL = 45
INPUT_TEXT = 4000
INPUT_PLACEHOLDER = 100

# --- Discord: threads, forums, events, webhooks, polls ------------------------------------
THREAD_NAME = 100
TAG_NAME = 20
FORUM_TAGS = 20
EVENT_NAME = 100
EVENT_DESCRIPTION = 1000
EVENT_LOCATION = 100
WEBHOOK_NAME = 80
# Native polls allow 300 characters per question and 55 per answer, and 2 to 10 answers.
POLL_QUESTION = 300
POLL_ANSWER = 55
POLL_ANSWERS = (2, 10)

# --- Watchparty's own, derived from the above ---------------------------------------------
# What a page's description may use, leaving room for a heading line above it.
PAGE_BUDGET = EMBED_DESCRIPTION - 200
# The spoiler-free synopsis shows on cards and in event descriptions.
SYNOPSIS = 1000
# Autocomplete choice names are at most 100 characters; "S12E345 · " leaves room for 85.
TITLE = TITLE_MAX = 85
SLUG_MAX = 60
# Recaps and endings are paged, so this only stops absurd files.
TEXT = 20_000
# A recap or ending written in Discord comes in parts, one modal input each: five parts of
# 4,000 characters hold the data format's 20,000.
TEXT_PARTS = MODAL_INPUTS
# One preset poll per modal input, so the polls editor holds five.
EDITED_POLLS = MODAL_INPUTS
# /episode history lists this many revisions, newest first: one embed field each, with a
# preview short enough that 25 of them, escaped, stay under the 6,000 characters of an embed.
HISTORY = EMBED_FIELDS
# The preview of a revision in /episode history.
PREVIEW = 60
# One row of link buttons under a page.
LINKS = BUTTONS_PER_ROW
ACTOR = 100
URL_MAX = 512
NETWORK = 100
# "tt" and the digits of an IMDb title id.
IMDB_ID_MAX = 20
STATUS = 40
# The spoiler guard's label line stays short so its pages keep most of the 2,000 characters.
REPOST_LABEL = 300
# Spoiler terms: a term needs a few letters, and one ending in `*` matches every word that
# starts with what precedes it, so shorter stems ("man*") would catch ordinary talk.
TERM_MIN = 3
STEM_MIN = 4
# Preset polls can be posted as buttons or as native polls, so they hold the stricter limits.
POLL_QUESTION_MAX = POLL_QUESTION
POLL_OPTION_MAX = POLL_ANSWER
POLL_OPTIONS = POLL_ANSWERS
# The early watch-party reminder goes out at most a day ahead (in minutes; the schema checks it).
REMINDER_LEAD_MAX = 24 * 60
# A poll stays open from 5 seconds (less could close before anyone sees it) to 7 days.
POLL_SECONDS = (5, 7 * 24 * 3600)
# A watch party lasts from a second to 12 hours (the `length` option).
PARTY_SECONDS = (1, 12 * 3600)
# What /watchparty schedule's `start` takes: a time is a few words, longer is a typo or worse.
START_TEXT = 100
# A start time may be at most this many days ahead.
START_DAYS_AHEAD = 365
# Digits in one number of a span ("90m"): twelve is already ~30,000 years of seconds, and
# int() refuses strings over 4,300 digits anyway.
SPAN_DIGITS = 12
# Seconds between two DMs of one batch (reminders, new episodes): Discord's DM limits are
# unpublished and it flags bots that message many members in a burst.
DM_INTERVAL = 0.5


def embed_total(embed: discord.Embed) -> int:
    """The characters Discord counts towards the 6,000 total of an embed."""
    total = len(embed.title or "") + len(embed.description or "")
    total += len(embed.footer.text or "") + len(embed.author.name or "")
    return total + sum(len(f.name or "") + len(f.value or "") for f in embed.fields)


def check_embed(embed: discord.Embed) -> discord.Embed:
    """Return `embed`, or raise if it breaks a limit: a bug in a renderer, never user input."""
    problems = [
        name
        for name, size, limit in (
            ("title", len(embed.title or ""), EMBED_TITLE),
            ("description", len(embed.description or ""), EMBED_DESCRIPTION),
            ("footer", len(embed.footer.text or ""), FOOTER),
            ("author", len(embed.author.name or ""), AUTHOR),
            ("fields", len(embed.fields), EMBED_FIELDS),
            ("total", embed_total(embed), EMBED_TOTAL),
        )
        if size > limit
    ]
    problems += [f"field {f.name!r}" for f in embed.fields if len(f.value or "") > FIELD_VALUE]
    if problems:
        raise ValueError(f"embed over Discord's limits: {', '.join(problems)}")
    return embed


# --- search -------------------------------------------------------------------------------
# Discord shows at most 10 embeds in one message (and 6,000 characters over all of them).
EMBEDS_PER_MESSAGE = 10
# What /search accepts: a few words, searched as plain terms (FTS5 syntax is not offered).
SEARCH_TEXT = 100
SEARCH_TERMS = 8
# Words around a match in a snippet (FTS5 allows up to 64), and its characters before
# escaping: a single absurd word in a data file cannot make a snippet overflow a field.
SNIPPET_WORDS = 14
SNIPPET_CHARS = 300
# Searches (and suggestion lists) kept for asking again: a few kilobytes each, so a few MB.
SEARCH_CACHE = 1000
# Shows whose episode lists autocomplete keeps (a 200-episode list is about 40 kB).
CHOICE_SHOWS = 200

# --- choosing together --------------------------------------------------------------------
# A suggestion's note: one line under the show in /suggest list, room for a reason.
SUGGESTION_NOTE = 200
# Open suggestions per server: four polls' worth; more is a backlog nobody reads.
SUGGESTIONS = 40
# Parties /watched lists, newest first: one embed's worth of lines.
WATCHED_SHOWN = 25
# One episode's recap in a /catchup: a reminder, not the whole recap.
CATCHUP_ENTRY = 700

# --- Wikipedia ---------------------------------------------------------------------------
# A Wikipedia article title is at most 255 bytes (MediaWiki's page_title column).
ARTICLE = 255
# MediaWiki's Action API takes at most 50 titles in one `titles=` (500 with the bot right).
WIKIPEDIA_TITLES = 50

# --- watch parties ---------------------------------------------------------------------------
# Messages one GET /channels/{id}/messages returns at most: how far back a watch-party send
# whose answer was lost is looked for in a busy channel.
HISTORY_PAGE = 100
# An attachment on a message: 8 MiB is what every server may receive (boosted servers allow
# more, but a bot cannot count on it). /privacy export stays under this.
ATTACHMENT_BYTES = 8 * 1024 * 1024
