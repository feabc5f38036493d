"""Interaction records and the payloads a Discord client would send for commands and clicks."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import state as s
from .message import Message

if TYPE_CHECKING:
    from .world import World

PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
# Which callback types Discord accepts for each interaction type.
ALLOWED_CALLBACKS = {
    PING: {1},
    APPLICATION_COMMAND: {4, 5, 9},
    MESSAGE_COMPONENT: {4, 5, 6, 7, 9},
    AUTOCOMPLETE: {8},
    MODAL_SUBMIT: {4, 5, 6, 7},
}
LOADING = 1 << 7
OPTION_TYPES: dict[int, tuple[type, ...]] = {
    3: (str,),
    4: (int,),
    5: (bool,),
    10: (int, float),
}


class CommandError(LookupError):
    """The test asked for something a Discord client could not send."""


@dataclass
class Interaction:
    world: World = field(repr=False)
    id: int
    token: str
    type: int
    user: s.User
    channel_id: int
    guild_id: int | None
    data: dict[str, Any]
    dispatched_at: float
    message_id: int | None = None
    response_type: int | None = None
    response: dict[str, Any] | None = None
    acked_after: float | None = None
    original_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    expired: bool = False
    callback_errors: list[tuple[int, int]] = field(default_factory=list)
    answered: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    @property
    def original(self) -> Message | None:
        return None if self.original_id is None else self.world.messages.get(self.original_id)

    @property
    def reply(self) -> Message:
        """The first visible reply (the original response); fails the test when there is none."""
        visible = [m for m in self.messages if not m.deleted]
        assert visible, f"interaction {self.id} got no visible reply: {self.callback_errors}"
        return visible[0]

    @property
    def followups(self) -> list[Message]:
        return [self.world.messages[i] for i in self.followup_ids]

    @property
    def messages(self) -> list[Message]:
        first = [self.original] if self.original is not None else []
        return first + self.followups

    @property
    def ephemeral(self) -> bool:
        visible = [m for m in self.messages if not m.deleted]
        if visible:
            return visible[0].ephemeral
        return bool((self.response or {}).get("flags", 0) & s.EPHEMERAL)

    @property
    def choices(self) -> list[dict[str, Any]]:
        return list((self.response or {}).get("choices") or [])

    @property
    def thinking(self) -> bool:
        return self.original is not None and bool(self.original.flags & LOADING)

    def text(self) -> str:
        return "\n".join(m.text() for m in self.messages if not m.deleted)

    async def wait_for(
        self,
        predicate: Callable[[Interaction], bool],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> Interaction:
        """Poll until predicate(self) holds, e.g. a deferred reply has been edited."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate(self):
            if loop.time() > deadline:
                raise TimeoutError(f"interaction {self.id}: condition not met in {timeout}s")
            await asyncio.sleep(0.02)
        return self

    async def wait_for_messages(self, count: int = 1, timeout: float = 5.0) -> Interaction:  # noqa: ASYNC109
        def ready(ix: Interaction) -> bool:
            return len(ix.messages) >= count and not ix.thinking

        return await self.wait_for(ready, timeout)


def new_token() -> str:
    return "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48)


def find_command(world: World, guild_id: int | None, name: str) -> dict[str, Any]:
    for scope in (guild_id, None):
        for cmd in world.commands.get(scope, []):
            if cmd["name"] == name and cmd.get("type", 1) == 1:
                return cmd
    raise CommandError(f"/{name} is not registered (global or in guild {guild_id})")


def resolve(world: World, guild_id: int | None, kind: int, value: Any, out: dict) -> str:
    """The id a client sends for a user/channel/role option, adding it to `resolved`."""
    target = int(getattr(value, "id", value))
    if kind in (6, 9) and target in world.users:
        out.setdefault("users", {})[str(target)] = world.users[target].to_dict()
        member = world.member_dict(guild_id, target, perms=True)
        if member is not None:
            member.pop("user", None)
            out.setdefault("members", {})[str(target)] = member
        return str(target)
    if kind == 7 and target in world.channels:
        channel = world.channels[target].to_dict()
        channel["permissions"] = str(world.permissions(guild_id, target))
        out.setdefault("channels", {})[str(target)] = channel
        return str(target)
    guild = world.guilds.get(guild_id or 0)
    if kind in (8, 9) and guild is not None and target in guild.roles:
        out.setdefault("roles", {})[str(target)] = guild.roles[target].to_dict()
        return str(target)
    raise CommandError(f"no user/channel/role with id {target} for option type {kind}")


def build_options(
    world: World,
    guild_id: int | None,
    cmd: dict[str, Any],
    path: list[str],
    values: dict[str, Any],
    focused: str | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Options and resolved data for /name path..., checked against the registered schema."""
    resolved: dict[str, Any] = {}
    node, chain = cmd, []
    for part in path:
        sub = next((o for o in node.get("options") or [] if o["name"] == part), None)
        if sub is None or sub.get("type") not in (1, 2):
            raise CommandError(f"/{cmd['name']} has no subcommand {part!r}")
        node = sub
        chain.append(sub)
    declared = node.get("options") or []
    if any(o.get("type") in (1, 2) for o in declared):
        raise CommandError(f"/{' '.join([cmd['name'], *path])} needs a subcommand")
    by_name = {o["name"]: o for o in declared}
    for name in values:
        if name not in by_name:
            raise CommandError(f"/{cmd['name']}: unknown option {name!r}")
    leaf: list[dict[str, Any]] = []
    for opt in declared:
        name = opt["name"]
        if name not in values:
            if opt.get("required") and focused is None:
                raise CommandError(f"/{cmd['name']}: required option {name!r} missing")
            continue
        value, kind = values[name], opt["type"]
        entry: dict[str, Any] = {"name": name, "type": kind}
        if name == focused:
            # While typing, the client sends the partial text of the focused option.
            entry.update(value=str(value), focused=True)
        elif kind in OPTION_TYPES:
            ok = isinstance(value, OPTION_TYPES[kind]) and not (
                kind != 5 and isinstance(value, bool)
            )
            if not ok:
                raise CommandError(f"/{cmd['name']}: option {name!r} wants type {kind}")
            choices = [c["value"] for c in opt.get("choices") or []]
            if choices and value not in choices:
                raise CommandError(f"/{cmd['name']}: {value!r} is not a choice of {name!r}")
            entry["value"] = value
        else:
            entry["value"] = resolve(world, guild_id, kind, value, resolved)
        leaf.append(entry)
    options = leaf
    for sub in reversed(chain):
        options = [{"name": sub["name"], "type": sub["type"], "options": options}]
    return options, resolved


def modal_components(modal: dict[str, Any], values: dict[str, str]) -> list[dict[str, Any]]:
    """What the client sends back for a modal: its inputs, in its layout, with the typed text."""
    out: list[dict[str, Any]] = []
    for comp in modal.get("components") or []:
        if comp.get("type") == 1:
            inner = [
                {
                    "type": c["type"],
                    "custom_id": c["custom_id"],
                    "value": values.get(c["custom_id"], ""),
                }
                for c in comp.get("components") or []
            ]
            out.append({"type": 1, "components": inner})
        elif comp.get("type") == 18 and isinstance(comp.get("component"), dict):
            child = comp["component"]
            submitted: dict[str, Any] = {"type": child["type"], "custom_id": child["custom_id"]}
            if child["type"] == 4:
                submitted["value"] = values.get(child["custom_id"], "")
            else:
                submitted["values"] = values.get(child["custom_id"], [])
            out.append({"type": 18, "component": submitted})
    unknown = set(values) - {
        c.get("custom_id")
        for row in out
        for c in [*row.get("components", []), row.get("component", {})]
    }
    if unknown:
        raise CommandError(f"modal {modal.get('custom_id')!r} has no inputs {sorted(unknown)}")
    return out
