"""What /privacy show and /privacy export give a member: pure, from the store's rows."""

from __future__ import annotations

import json
from typing import Any

from .. import limits
from ..i18n import N_, _

# What each table holds, in words a member reads, in the order they are listed.
KINDS: dict[str, str] = {
    "progress": N_("progress positions"),
    "progress_unmapped": N_("progress positions kept from before a renumbering"),
    "progress_moves": N_("progress moves made by watch parties"),
    "votes": N_("poll votes"),
    "follows": N_("shows you follow"),
    "member_time_zones": N_("time zone"),
    "member_locales": N_("language of your DMs"),
    "reminder_opt_outs": N_("servers you turned reminder DMs off in"),
    "party_dms": N_("watch-party reminder DMs sent to you"),
    "party_attendance": N_("watch parties you said you were watching"),
    "party_followers": N_("servers where watch parties move your progress"),
    "suggestions": N_("shows you suggested"),
    "revisions": N_("episode text revisions you wrote"),
    "polls": N_("polls you created"),
    "watch_parties": N_("watch parties you scheduled"),
}

KEPT_AFTER_DELETE = N_(
    "Revisions you wrote, polls you created and parties you scheduled stay for the server,"
    ' credited to "a former member".'
)


def summary(rows: dict[str, list[dict[str, Any]]], guild_id: int | None) -> str:
    """One line per kind of data, with counts: everywhere, and in this server when asked here."""
    if not rows:
        return _("I store nothing about you.")
    lines = [_("What I store about you (everywhere; in this server in brackets):")]
    for table, words in KINDS.items():
        found = rows.get(table, [])
        if not found:
            continue
        here = sum(1 for row in found if guild_id is not None and row.get("guild_id") == guild_id)
        local = (
            _(" ({count} here)").format(count=here)
            if guild_id is not None and "guild_id" in found[0]
            else ""
        )
        if table == "member_time_zones":
            lines.append(f"• {_(words)}: {found[0]['time_zone']}")
        elif table == "member_locales":
            lines.append(f"• {_(words)}: {found[0]['locale']}")
        else:
            lines.append(f"• {_(words)}: {len(found)}{local}")
    lines.append(_("`/privacy export` sends it all as a file; `/privacy delete` deletes it."))
    return "\n".join(lines)[: limits.CONTENT]


def export(user_id: int, rows: dict[str, list[dict[str, Any]]]) -> bytes:
    """Every row about the member as JSON, by table."""
    document = {"user_id": str(user_id), "tables": rows}
    data = json.dumps(document, indent=2, ensure_ascii=False, default=str).encode("utf-8")
    if len(data) > limits.ATTACHMENT_BYTES:
        # Without indentation a record is about a third smaller; no member comes near either.
        data = json.dumps(document, ensure_ascii=False, default=str).encode("utf-8")
    return data
