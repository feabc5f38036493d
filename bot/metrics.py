"""What an operator watches: Prometheus metrics, counted where things happen.

Off unless METRICS_ADDR is set; then `serving()` (in `open_bot`) makes one `Metrics` with a
registry of its own (never prometheus_client's global one, so a bot started after another in
one process, as the tests do, starts from zero), and the small functions below count into it.
While it is off each of them is one global read and a `return`.

An interaction is followed from the moment its gateway event is parsed (`received`, called by
the bot's `dispatch`) to Discord accepting its initial response (seen by `TimedAdapter`, since
`InteractionResponse` itself offers no hook), and is counted
once, with its outcome, when its handling ends: `finished` from the one error path
(bot/errors.py), after a command completes, after a button or modal handler returns, or, for
autocomplete, when its choices are sent.

Beside it: metrics_gateway.py (what is read from the bot at each scrape, and readiness) and
metrics_sources.py (the discord.py hooks that count what it has no event for).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

import discord
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.process_collector import ProcessCollector

from .metrics_gateway import GatewayCollector

# Discord keeps an interaction's token for 15 minutes: one unfinished after that never will.
TOKEN_LIFETIME = 15 * 60
# Acknowledgements must arrive within 3 s; the buckets are finest below that.
ACK_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 5.0)
LATENESS_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 30.0, 60.0, 300.0, 3600.0)
BATCH_BUCKETS = tuple(float(2**i) for i in range(11))  # 1 to 1,024 votes in one commit

OUTCOMES = ("ok", "user_error", "error", "expired", "busy", "unanswered")
_KINDS = {2: "command", 3: "component", 4: "autocomplete", 5: "modal"}
# The feature a custom_id names ("wp:vote:12:3" → vote), kept short so labels stay few.
_CUSTOM_ID = re.compile(r"wp:([a-z_-]{1,20}):")


@dataclass
class _Pending:
    started: float
    kind: str
    command: str
    acked: bool = False


def command_label(data: dict[str, Any], kind: str) -> str:
    """What an interaction is counted under: the command's qualified name ("poll create"),
    `autocomplete`, or `button:vote` / `modal:edit` for components and modals."""
    if kind == "autocomplete":
        return "autocomplete"
    if kind == "command":
        names = [str(data.get("name", "?"))]
        options = data.get("options") or []
        # Subcommand groups (type 2) and subcommands (type 1) nest as the first option.
        while options and options[0].get("type") in (1, 2):
            names.append(str(options[0].get("name", "?")))
            options = options[0].get("options") or []
        return " ".join(names)
    match = _CUSTOM_ID.match(str(data.get("custom_id", "")))
    prefix = "modal" if kind == "modal" else "button"
    if kind == "component" and data.get("component_type", 2) != 2:
        prefix = "select"
    return f"{prefix}:{match[1] if match else 'other'}"


class Metrics:
    """The metric objects of one bot process, in a registry of their own."""

    def __init__(self, bot: discord.Client) -> None:
        self.bot = bot
        self.registry = CollectorRegistry()
        r = self.registry
        self.interactions = Counter(
            "watchparty_interactions",
            "Interactions handled, by command (or component kind) and outcome",
            ["command", "outcome"],
            registry=r,
        )
        self.ack_latency = Histogram(
            "watchparty_ack_latency_seconds",
            "From receiving an interaction to Discord accepting its initial response",
            ["kind"],
            buckets=ACK_BUCKETS,
            registry=r,
        )
        self.votes = Counter("watchparty_votes_committed", "Poll votes committed", registry=r)
        self.votes_undone = Counter(
            "watchparty_votes_undone",
            "Poll votes undone because Discord refused their answer as too late",
            registry=r,
        )
        self.vote_batches = Histogram(
            "watchparty_vote_batch_size",
            "Votes per committed batch (group commit)",
            buckets=BATCH_BUCKETS,
            registry=r,
        )
        self.busy = Counter(
            "watchparty_store_busy", "Writes refused because the database stayed locked", registry=r
        )
        self.tally_edits = Counter(
            "watchparty_tally_edits", "Poll messages edited to show new counts", registry=r
        )
        self.rate_limited = Counter(
            "watchparty_discord_rate_limited",
            "HTTP 429 answers from Discord (discord.py waits and retries each)",
            registry=r,
        )
        self.due = Counter(
            "watchparty_scheduled_due",
            "Scheduled steps that fell due and ran",
            ["work"],
            registry=r,
        )
        self.lateness = Histogram(
            "watchparty_scheduled_lateness_seconds",
            "How late a timer woke after the time its work was due",
            ["alarm"],
            buckets=LATENESS_BUCKETS,
            registry=r,
        )
        ProcessCollector(registry=r)
        r.register(GatewayCollector(bot, self.sweep))
        self.pending: dict[int, _Pending] = {}
        self._counted: dict[tuple[str, str], Any] = {}
        self._timers: dict[str, Any] = {}

    def count(self, command: str, outcome: str) -> None:
        # Children cached: `labels()` takes a lock and builds a key on every call.
        child = self._counted.get((command, outcome))
        if child is None:
            child = self._counted[(command, outcome)] = self.interactions.labels(command, outcome)
        child.inc()

    def finish(self, interaction_id: int, outcome: str) -> None:
        pending = self.pending.pop(interaction_id, None)
        if pending is not None:
            self.count(pending.command, outcome)

    def acked(self, interaction_id: int, status: int) -> None:
        pending = self.pending.get(interaction_id)
        if pending is None or pending.acked:
            return
        if status < 300:
            pending.acked = True
            timer = self._timers.get(pending.kind)
            if timer is None:
                timer = self._timers[pending.kind] = self.ack_latency.labels(pending.kind)
            timer.observe(time.perf_counter() - pending.started)
        if pending.kind == "autocomplete":
            # Nothing follows an autocomplete answer, and discord.py swallows its errors.
            # 404 is Discord's "Unknown interaction": its 3 s were over.
            outcome = "ok" if status < 300 else "expired" if status == 404 else "error"
            self.finish(interaction_id, outcome)

    def sweep(self) -> None:
        """Count what was never finished (no handler, or one that hung) as unanswered."""
        oldest = time.perf_counter() - TOKEN_LIFETIME
        for interaction_id, pending in list(self.pending.items()):
            if pending.started < oldest:
                self.finish(interaction_id, "unanswered")


_ACTIVE: Metrics | None = None


def active() -> Metrics | None:
    """The running bot's metrics, or None when METRICS_ADDR is unset."""
    return _ACTIVE


def activate(metrics: Metrics | None) -> None:
    global _ACTIVE
    _ACTIVE = metrics


# --- what the rest of the bot calls: one line at each place something happens --------------


def received(interaction: discord.Interaction[Any]) -> None:
    """An interaction's gateway event was just parsed: the clock starts here."""
    m = _ACTIVE
    if m is None:
        return
    kind = _KINDS.get(interaction.type.value, "other")
    data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
    m.pending[interaction.id] = _Pending(time.perf_counter(), kind, command_label(data, kind))


def finished(interaction: discord.Interaction[Any], outcome: str = "ok") -> None:
    """Its handling ended, with one of OUTCOMES; counted once, whoever calls first."""
    if _ACTIVE is not None:
        _ACTIVE.finish(interaction.id, outcome)


def votes_committed(count: int) -> None:
    if _ACTIVE is not None:
        _ACTIVE.votes.inc(count)
        _ACTIVE.vote_batches.observe(count)


def votes_undone(count: int = 1) -> None:
    if _ACTIVE is not None:
        _ACTIVE.votes_undone.inc(count)


def store_busy() -> None:
    if _ACTIVE is not None:
        _ACTIVE.busy.inc()


def tally_edited() -> None:
    if _ACTIVE is not None:
        _ACTIVE.tally_edits.inc()


def scheduled_due(work: str, count: int = 1) -> None:
    if _ACTIVE is not None and count:
        _ACTIVE.due.labels(work).inc(count)


def alarm_woke(alarm: str, due_at: float | None, now: float) -> None:
    """A timer ran a pass; if something was due by `due_at`, how late it woke for it."""
    if _ACTIVE is not None and due_at is not None and due_at <= now:
        _ACTIVE.lateness.labels(alarm).observe(now - due_at)
