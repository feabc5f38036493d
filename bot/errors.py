"""One error path: every failure a member meets gets a plain, private sentence."""

from __future__ import annotations

import logging
import secrets
import time

import discord
from discord import app_commands

from . import metrics
from .i18n import N_, _

log = logging.getLogger(__name__)


# Option types a member can get wrong, as "“x” isn't a valid {kind}." names them.
OPTION_KINDS: tuple[str, ...] = (N_("string"), N_("integer"), N_("number"), N_("boolean"))
OPTION_KINDS += (N_("user"), N_("channel"), N_("role"), N_("mentionable"), N_("attachment"))


class StartupError(Exception):
    """A fault that stops the bot before it runs; the message is one line for the operator."""


class UserError(app_commands.AppCommandError):
    """Something the member can fix; the message goes to them as it is.

    An AppCommandError, so discord.py passes it to the tree's error handler as it is, also
    when a check (not only a command) raises it.
    """

    # How bot/metrics.py counts the interaction it ended (StoreBusy says "busy").
    outcome = "user_error"


def _permission_names(names: list[str]) -> str:
    return ", ".join(name.replace("_", " ").replace("guild", "server").title() for name in names)


def explain(error: Exception) -> str | None:
    """The sentence for an expected failure, or None for a real bug."""
    if isinstance(error, UserError):
        return str(error)
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        original = (
            error.__cause__ if isinstance(error, app_commands.TransformerError) else error.original
        )
        if isinstance(original, UserError):
            return str(original)
        if isinstance(error, app_commands.TransformerError):
            return _("“{value}” isn't a valid {kind}.").format(
                value=error.value, kind=_(error.type.name.lower().replace("_", " "))
            )
        if isinstance(original, discord.Forbidden):
            return _(
                "Discord refused: I'm missing a permission in this channel. "
                "Ask a moderator to check my role's permissions here."
            )
        return None
    if isinstance(error, app_commands.MissingPermissions):
        return _("You need the {permissions} permission for that.").format(
            permissions=_permission_names(error.missing_permissions)
        )
    if isinstance(error, app_commands.BotMissingPermissions):
        return _(
            "I need the {permissions} permission in this channel. "
            "Ask a moderator to grant it to my role."
        ).format(permissions=_permission_names(error.missing_permissions))
    if isinstance(error, app_commands.NoPrivateMessage):
        return _("That works inside a server only.")
    if isinstance(error, app_commands.CommandOnCooldown):
        return _("Slow down a little: try again in {seconds} s.").format(
            seconds=f"{error.retry_after:.0f}"
        )
    if isinstance(error, app_commands.CheckFailure):
        return _("You can't use that here.")
    if isinstance(error, discord.Forbidden):
        return _("Discord refused: I'm missing a permission in this channel.")
    return None


async def reply_privately(interaction: discord.Interaction, text: str) -> None:
    """Send `text` to the member alone, whether or not the interaction was answered yet."""
    response = interaction.response
    try:
        if not response.is_done():
            await response.send_message(text, ephemeral=True)
        elif response.type is discord.InteractionResponseType.deferred_channel_message:
            # A deferred reply ("thinking…", or a progress line) would otherwise stay above
            # the error for good: a private one becomes the error, a public one makes way.
            original = await interaction.original_response()
            if original.flags.ephemeral:
                await interaction.edit_original_response(
                    content=text, embed=None, view=None, attachments=[]
                )
            else:
                await interaction.followup.send(text, ephemeral=True)
                await original.delete()
        else:
            await interaction.followup.send(text, ephemeral=True)
    except discord.HTTPException:
        # Too late (the interaction expired) or Discord is down: the log has the error already.
        log.warning("Could not tell the member about an error in %s", interaction.id)


class Expired:
    """Interactions Discord had expired before the bot answered (10062 Unknown interaction).

    Under load some clicks arrive too late to answer. Each is dropped quietly (answering again
    would only fail again, and cost a request) and counted; one line a minute says how many.
    """

    def __init__(self) -> None:
        self.count = 0
        self.total = 0
        self._since = time.monotonic()

    def note(self) -> None:
        self.count += 1
        self.total += 1
        now = time.monotonic()
        if now - self._since >= 60:
            log.warning(
                "%d interaction(s) expired before I could answer them in the last %.0f s "
                "(the machine or Discord is slow)",
                self.count,
                now - self._since,
            )
            self.count, self._since = 0, now


EXPIRED = Expired()


def is_expired(error: BaseException) -> bool:
    """True for Discord's "Unknown interaction" (10062): the 3 s or 15 min are over."""
    original = getattr(error, "original", None) or error.__cause__ or error
    return isinstance(original, discord.NotFound) and original.code == 10062


class ExpiredAutocomplete(logging.Filter):
    """discord.py answers autocomplete itself and logs any failure of the answer as an ERROR
    with a traceback ("Ignoring exception in autocomplete"), with no hook to handle it. An
    answer too late (10062: the member typed on, or the machine is busy) is normal under load:
    it is counted like any expired interaction, and logged as one line at DEBUG instead.
    (bot/metrics.py counts it too: Discord's 404 to the answer, seen in bot/metrics_sources.py.)"""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is None or not is_expired(error):
            return True
        if not str(record.msg).startswith("Ignoring exception in autocomplete"):
            return True
        EXPIRED.note()
        log.debug("An autocomplete answer came too late (10062 Unknown interaction); dropped")
        return False


_EXPIRED_AUTOCOMPLETE = ExpiredAutocomplete()


def quiet_expired_autocomplete() -> None:
    """Install the filter on discord.py's command tree logger, once however many bots start."""
    logger = logging.getLogger("discord.app_commands.tree")
    if _EXPIRED_AUTOCOMPLETE not in logger.filters:
        logger.addFilter(_EXPIRED_AUTOCOMPLETE)


async def report(interaction: discord.Interaction, error: Exception) -> None:
    """Answer a failed command or button: a sentence for expected failures, a code for bugs."""
    if is_expired(error):
        EXPIRED.note()
        metrics.finished(interaction, "expired")
        return
    text = explain(error)
    counted = outcome(error, text)
    if text is None:
        reference = secrets.token_hex(3).upper()
        log.error("Unexpected error (ref %s) in %s", reference, _where(interaction), exc_info=error)
        text = _(
            "Something went wrong on my side. If it keeps happening, give the server admins "
            "this code: `{reference}`."
        ).format(reference=reference)
    await reply_privately(interaction, text)
    # After the answer, so its acknowledgement is timed first.
    metrics.finished(interaction, counted)


def outcome(error: Exception, text: str | None) -> str:
    """What a failed interaction counts as in the metrics: one of bot.metrics.OUTCOMES."""
    for candidate in (error, getattr(error, "original", None), error.__cause__):
        if isinstance(candidate, UserError):
            return candidate.outcome
    return "error" if text is None else "user_error"


def _where(interaction: discord.Interaction) -> str:
    command = interaction.command
    if command is not None:
        return f"/{command.qualified_name}"
    data: dict = dict(interaction.data or {})
    return f"component {data.get('custom_id', '?')}"
