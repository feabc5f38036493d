"""Fields written in Discord, as the catalog stores them: read, write, and kept through imports.

A Discord edit writes the live value straight into the catalog's own rows (episodes,
spoiler_terms, preset_polls), so every reader sees it with no extra query, and marks the
field in `field_edits`. An import then keeps each marked field whose file says otherwise, and
forgets the mark once the file says the same (the edit has reached the file: an export).

An episode with Discord edits stores the digest of its *stored* content, so importing an
exported file finds it unchanged. These helpers run inside the caller's transaction.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from ..models import ContentField, Credit, Episode, EpisodeFile, FieldValue, Link, PresetPoll
from .recap_sources import COLUMNS, recap_source

if TYPE_CHECKING:
    import aiosqlite

# Each model's digested fields, read in one C call (a JSON array, as the tuple it returns).
_GETTERS: dict[type, Callable[[Any], Any]] = {}


def _fields(kind: type) -> list[str]:
    return [f.name for f in dataclasses.fields(kind) if f.metadata.get("digest", True)]


def _getter(kind: type) -> Callable[[Any], Any]:
    if kind not in _GETTERS:
        names = _fields(kind)
        # attrgetter returns a tuple only for two names or more
        _GETTERS[kind] = attrgetter(*names) if len(names) > 1 else lambda m: [getattr(m, *names)]
    return _GETTERS[kind]


def _values(model: Any) -> Any:
    return _getter(type(model))(model)


# What json.dumps(item, default=_values, ensure_ascii=False) uses, made once: json.dumps
# makes one for every call given other than its default arguments. Without its watch for
# circular references (a dict insert for every list), which frozen models cannot form: that
# changes only the error such a reference would raise, never the text.
_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_values, check_circular=False)


def entry_digest(item: EpisodeFile) -> str:
    """Every field of the entry, nested models included, so any edit changes it: the blake2b
    of its JSON text, as json.dumps(item, default=_values, ensure_ascii=False) writes it.

    (json's C encoder with a field list per model is ten times faster than the models' repr.)
    """
    return hashlib.blake2b(b"".join(_json_chunks(item)), digest_size=16).hexdigest()


# Stands in for a long text while the encoder writes the rest of an entry (see _json_chunks).
_MARK = "\x00entry text\x00"
_MARK_JSON = json.dumps(_MARK)
# What json escapes as \\u00XX, but for the newline (b"\\n")
_CONTROL_BUT_NEWLINE = bytes(c for c in range(0x20) if c != 0x0A)


def _json_chunks(item: EpisodeFile) -> list[bytes]:
    """The entry's JSON text in UTF-8, in pieces, faster than the encoder writes it alone.

    Its cast lines become tuples in C rather than through `default` (a Python call each). And
    json escapes non-ASCII text at a few nanoseconds a character: the episode's long texts are
    escaped here instead, in UTF-8, when they hold no control character but newlines (bytes
    below 0x20 are those characters only: UTF-8's multi-byte characters hold no ASCII byte), so
    their only escapes are those of \\, " and a newline. The encoder writes the rest, each
    long text's place held by a mark: when another text happens to hold it, the count shows."""
    places = _places()
    values = list(_values(item))
    values[places.cast] = list(map(_getter(Credit), item.cast))
    episode = values[places.episode] = list(_values(item.episode))
    texts = []
    for i in places.texts:
        text = episode[i]
        if isinstance(text, str):
            encoded = text.encode()
            if len(encoded.translate(None, _CONTROL_BUT_NEWLINE)) == len(encoded):
                texts.append(encoded)
                episode[i] = _MARK
    pieces = _ENCODER.encode(values).split(_MARK_JSON)
    if len(pieces) != len(texts) + 1:
        return [_ENCODER.encode(item).encode()]
    chunks = [pieces[0].encode()]
    for encoded, piece in zip(texts, pieces[1:], strict=True):
        escaped = encoded.replace(b"\\", b"\\\\").replace(b'"', b'\\"').replace(b"\n", b"\\n")
        chunks += [b'"', escaped, b'"', piece.encode()]
    return chunks


class _Places(NamedTuple):
    episode: int  # of EpisodeFile's digested fields
    cast: int
    texts: tuple[int, ...]  # of Episode's: synopsis, recap, ending


@functools.cache
def _places() -> _Places:
    entry, episode = _fields(EpisodeFile), _fields(Episode)
    texts = tuple(episode.index(name) for name in ("synopsis", "recap", "ending"))
    return _Places(entry.index("episode"), entry.index("cast"), texts)


def encode(field: ContentField, value: FieldValue) -> str:
    """A value as the revisions table keeps it: the text, or a JSON array."""
    if isinstance(value, str):
        return value
    if field is ContentField.POLLS:
        return json.dumps(
            [[p.question, list(p.options)] for p in value if isinstance(p, PresetPoll)],
            ensure_ascii=False,
        )
    return json.dumps(list(value), ensure_ascii=False)


def decode(field: ContentField, text: str) -> FieldValue:
    if field is ContentField.POLLS:
        return tuple(PresetPoll(q, tuple(options)) for q, options in json.loads(text))
    if field is ContentField.SPOILER_TERMS:
        return tuple(json.loads(text))
    return text


def file_value(item: EpisodeFile, field: ContentField) -> FieldValue:
    """What a data file's entry says for `field`."""
    if field is ContentField.POLLS:
        return item.polls
    if field is ContentField.SPOILER_TERMS:
        return item.spoiler_terms
    return str(getattr(item.episode, field.value))


# One literal statement per text column: the column is never formatted into SQL.
_WRITE_TEXT = {
    ContentField.SYNOPSIS: "UPDATE episodes SET synopsis = ? WHERE id = ?",
    # A recap written in Discord is a person's: the credit to another source goes with it.
    ContentField.RECAP: "UPDATE episodes SET recap = ?, recap_site = NULL, recap_article = NULL,"
    " recap_revision = NULL WHERE id = ?",
    ContentField.ENDING: "UPDATE episodes SET ending = ? WHERE id = ?",
}


async def _all(db: aiosqlite.Connection, sql: str, params: tuple[Any, ...]) -> list[Any]:
    # In one call, as Database.fetchall reads: no statement left open to pin an old snapshot.
    return list(await db.execute_fetchall(sql, params))


async def read_value(db: aiosqlite.Connection, episode_id: int, field: ContentField) -> FieldValue:
    """The field's live value."""
    if field is ContentField.POLLS:
        rows = await _all(
            db,
            "SELECT question, options FROM preset_polls WHERE episode_id = ? ORDER BY position",
            (episode_id,),
        )
        return tuple(PresetPoll(r[0], tuple(json.loads(r[1]))) for r in rows)
    if field is ContentField.SPOILER_TERMS:
        rows = await _all(
            db, "SELECT term FROM spoiler_terms WHERE episode_id = ? ORDER BY term", (episode_id,)
        )
        return tuple(r[0] for r in rows)
    rows = await _all(
        db, "SELECT synopsis, recap, ending FROM episodes WHERE id = ?", (episode_id,)
    )
    return str(rows[0][field.value]) if rows else ""


async def write_value(
    db: aiosqlite.Connection, episode_id: int, field: ContentField, value: FieldValue
) -> None:
    """Make `value` the field's live value in the catalog's rows."""
    if field is ContentField.POLLS:
        await db.execute("DELETE FROM preset_polls WHERE episode_id = ?", (episode_id,))
        await db.executemany(
            "INSERT INTO preset_polls (episode_id, position, question, options)"
            " VALUES (?, ?, ?, ?)",
            [
                (episode_id, n, p.question, json.dumps(list(p.options)))
                for n, p in enumerate(value)
                if isinstance(p, PresetPoll)
            ],
        )
    elif field is ContentField.SPOILER_TERMS:
        await db.execute("DELETE FROM spoiler_terms WHERE episode_id = ?", (episode_id,))
        await db.executemany(
            "INSERT INTO spoiler_terms (episode_id, term) VALUES (?, ?)",
            [(episode_id, term) for term in value if isinstance(term, str)],
        )
    else:
        await db.execute(_WRITE_TEXT[field], (value, episode_id))


async def episode_file(db: aiosqlite.Connection, episode_id: int) -> EpisodeFile:
    """The episode as its data-file entry would describe it (what an export writes)."""
    rows = await _all(
        db,
        "SELECT season, number, title, synopsis, recap, ending, runtime_minutes, air_date,"
        f" tvmaze_id, air_time, image, airs_at, {COLUMNS} FROM episodes WHERE id = ?",
        (episode_id,),
    )
    links = await _all(
        db, "SELECT label, url FROM links WHERE episode_id = ? ORDER BY position", (episode_id,)
    )
    cast = await _all(
        db,
        "SELECT actor, character FROM credits WHERE episode_id = ? ORDER BY billing",
        (episode_id,),
    )
    source = recap_source(rows[0])
    row = {k: v for k, v in zip(rows[0].keys(), rows[0], strict=True) if not k.startswith("recap_")}
    episode = Episode(**row, links=tuple(Link(*link) for link in links), recap_source=source)
    polls = await read_value(db, episode_id, ContentField.POLLS)
    terms = await read_value(db, episode_id, ContentField.SPOILER_TERMS)
    return EpisodeFile(
        episode=episode,
        cast=tuple(Credit(*credit) for credit in cast),
        polls=polls,  # type: ignore[arg-type]  # read_value returns polls for POLLS
        spoiler_terms=terms,  # type: ignore[arg-type]
    )


async def refresh_digest(db: aiosqlite.Connection, episode_id: int) -> None:
    """Digest the stored content, so a file that says the same is found unchanged."""
    digest = entry_digest(await episode_file(db, episode_id))
    await db.execute("UPDATE episodes SET digest = ? WHERE id = ?", (digest, episode_id))


async def keep_edits(
    db: aiosqlite.Connection, matched: list[tuple[EpisodeFile, int]], rewritten: set[int]
) -> int:
    """After an import wrote the file's values: put back each Discord edit the file
    contradicts, and forget the edits the file now agrees with. Returns how many were kept."""
    entries = {episode_id: item for item, episode_id in matched}
    if not entries:
        return 0
    edits = await _all(
        db,
        "SELECT f.episode_id, f.field, r.value FROM field_edits AS f"
        " JOIN revisions AS r ON r.id = f.revision_id"
        " WHERE f.episode_id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(entries)),),
    )
    kept, restored, settled = 0, set(), []
    for episode_id, name, text in edits:
        field = ContentField(name)
        value = decode(field, text)
        if file_value(entries[episode_id], field) == value:
            settled.append((episode_id, name))
            continue
        kept += 1
        if episode_id in rewritten:
            await write_value(db, episode_id, field, value)
            restored.add(episode_id)
    await db.executemany("DELETE FROM field_edits WHERE episode_id = ? AND field = ?", settled)
    for episode_id in restored:
        await refresh_digest(db, episode_id)
    return kept


def value_token(field: ContentField, value: FieldValue) -> str:
    """A short fingerprint of a value: a modal carries the one it opened with, and the save
    is refused if the field's value has changed since (an edit, a revert, an import)."""
    return hashlib.blake2b(encode(field, value).encode(), digest_size=4).hexdigest()
