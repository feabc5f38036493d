"""What simulated users do to the bot: slash commands, autocomplete, clicks, selects, modals."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from . import state as s
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    CommandError,
    Interaction,
    build_options,
    find_command,
    modal_components,
    new_token,
    resolve,
)
from .message import Message
from .world import World, id_of, user_of

if TYPE_CHECKING:
    from .gateway import Gateway

# Discord refuses uploads over this size for bots without boosts.
ATTACHMENT_LIMIT = 10 * 1024 * 1024


class UserActions:
    world: World
    gateway: Gateway
    interactions: dict[int, Interaction]
    interactions_by_token: dict[str, Interaction]

    def now(self) -> float:
        raise NotImplementedError

    def _payload(
        self, ix: Interaction, channel: s.Channel, message: Message | None
    ) -> dict[str, Any]:
        world = self.world
        guild_id = channel.guild_id
        data: dict[str, Any] = {
            "id": str(ix.id),
            "application_id": str(world.bot.id),
            "type": ix.type,
            "token": ix.token,
            "version": 1,
            "data": ix.data,
            "channel_id": str(channel.id),
            "channel": channel.to_dict(),
            "locale": ix.user.locale,
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_LIMIT,
            "app_permissions": str(world.permissions(guild_id, world.bot.id)),
        }
        if guild_id is not None:
            locale = world.guilds[guild_id].preferred_locale
            member = world.member_dict(guild_id, ix.user.id, perms=True)
            if member is None:
                raise CommandError(f"{ix.user.username} is not a member of guild {guild_id}")
            data.update(
                guild_id=str(guild_id),
                guild={"id": str(guild_id), "locale": locale, "features": ["COMMUNITY"]},
                guild_locale=locale,
                member=member,
                context=0,
                authorizing_integration_owners={"0": str(guild_id)},
            )
        else:
            data.update(
                user=ix.user.to_dict(), context=1, authorizing_integration_owners={"1": "0"}
            )
        if message is not None:
            data["message"] = world.message_payload(message)
        return data

    async def _interact(
        self,
        who: s.Member | s.User,
        channel: s.Channel | int,
        kind: int,
        data: dict[str, Any],
        *,
        message: Message | None = None,
        wait: bool = True,
        timeout: float = 5.0,  # noqa: ASYNC109 - the test API takes timeouts by name
        lag: float = 0.0,
    ) -> Interaction:
        if not self.gateway.live_sessions:
            raise RuntimeError("the bot has no gateway session to receive the interaction")
        chan = self.world.channels[id_of(channel)]
        ix = Interaction(
            self.world,
            id=self.world.ids.next(),
            token=new_token(),
            type=kind,
            user=user_of(who),
            channel_id=chan.id,
            guild_id=chan.guild_id,
            data=data,
            dispatched_at=self.now(),
            message_id=None if message is None else message.id,
        )
        payload = self._payload(ix, chan, message)
        self.interactions[ix.id] = ix
        self.interactions_by_token[ix.token] = ix
        ix.dispatched_at = self.now()
        if lag:
            # Discord's 3 seconds run from when it created the interaction, however long the
            # gateway then takes to deliver it.
            await asyncio.sleep(lag)
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        if wait:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ix.answered.wait(), timeout)
        return ix

    def _command_data(
        self, chan: s.Channel, name: str, values: dict[str, Any], focused: str | None
    ) -> dict[str, Any]:
        top, *path = name.split()
        cmd = find_command(self.world, chan.guild_id, top)
        options, resolved = build_options(self.world, chan.guild_id, cmd, path, values, focused)
        data: dict[str, Any] = {"id": cmd["id"], "name": cmd["name"], "type": 1, "options": options}
        if resolved:
            data["resolved"] = resolved
        if cmd.get("guild_id"):
            data["guild_id"] = cmd["guild_id"]
        return data

    async def slash(
        self,
        who: s.Member | s.User,
        channel: s.Channel | int,
        name: str,
        /,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 - the test API takes timeouts by name
        **options: Any,
    ) -> Interaction:
        """Run /name (subcommands separated by spaces) as a Discord client would send it."""
        chan = self.world.channels[id_of(channel)]
        data = self._command_data(chan, name, options, None)
        return await self._interact(who, chan, APPLICATION_COMMAND, data, timeout=timeout)

    async def autocomplete(
        self,
        who: s.Member | s.User,
        channel: s.Channel | int,
        name: str,
        /,
        *,
        focused: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - the test API takes timeouts by name
        **options: Any,
    ) -> list[dict[str, Any]]:
        """The choices the bot offers while `focused` is being typed."""
        ix = await self.autocomplete_interaction(
            who, channel, name, focused=focused, timeout=timeout, **options
        )
        return ix.choices

    async def autocomplete_interaction(
        self,
        who: s.Member | s.User,
        channel: s.Channel | int,
        name: str,
        /,
        *,
        focused: str,
        timeout: float = 5.0,  # noqa: ASYNC109 - the test API takes timeouts by name
        lag: float = 0.0,
        **options: Any,
    ) -> Interaction:
        """As `autocomplete`, but the whole record (when it was answered, any errors).
        `lag`: seconds the gateway takes to deliver it, counted in the 3 seconds to answer."""
        chan = self.world.channels[id_of(channel)]
        options.setdefault(focused, "")
        data = self._command_data(chan, name, options, focused)
        return await self._interact(who, chan, AUTOCOMPLETE, data, timeout=timeout, lag=lag)

    def _clickable(
        self,
        who: s.Member | s.User,
        message: Message | int,
        custom_id: str,
        stale: bool = False,
    ) -> tuple[Message, dict[str, Any]]:
        msg = self.world.messages[id_of(message)]
        user = user_of(who)
        if msg.deleted:
            raise CommandError(f"message {msg.id} was deleted")
        if msg.visible_to is not None and msg.visible_to != user.id:
            raise CommandError(f"message {msg.id} is ephemeral and not visible to {user.username}")
        comp = msg.component(custom_id)
        if comp is None:
            raise CommandError(f"message {msg.id} has no component {custom_id!r}")
        # stale: a client that has not seen the edit that disabled the button yet.
        if comp.get("disabled") and not stale:
            raise CommandError(f"component {custom_id!r} is disabled")
        return msg, comp

    async def click(
        self,
        who: s.Member | s.User,
        message: Message | int,
        custom_id: str,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        stale: bool = False,
        lag: float = 0.0,
    ) -> Interaction:
        """Click a button. `lag`: seconds the gateway takes to deliver the click (a slow link
        or a backlog), counted in Discord's 3 seconds to answer."""
        msg, comp = self._clickable(who, message, custom_id, stale)
        if comp.get("type") != 2:
            raise CommandError(f"{custom_id!r} is not a button")
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._interact(
            who, msg.channel_id, MESSAGE_COMPONENT, data, message=msg, timeout=timeout, lag=lag
        )

    async def select(
        self,
        who: s.Member | s.User,
        message: Message | int,
        custom_id: str,
        values: list[Any],
        timeout: float = 5.0,  # noqa: ASYNC109 - the test API takes timeouts by name
    ) -> Interaction:
        msg, comp = self._clickable(who, message, custom_id)
        kind = comp.get("type")
        if kind not in (3, 5, 6, 7, 8):
            raise CommandError(f"{custom_id!r} is not a select menu")
        low, high = comp.get("min_values", 1), comp.get("max_values", 1)
        if not low <= len(values) <= high:
            raise CommandError(f"{custom_id!r} takes {low}..{high} values, got {len(values)}")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": kind}
        if kind == 3:
            allowed = {o["value"] for o in comp.get("options") or []}
            if not set(values) <= allowed:
                raise CommandError(f"{values} are not options of {custom_id!r}")
            data["values"] = list(values)
        else:
            resolved: dict[str, Any] = {}
            option_kind = {5: 6, 6: 8, 7: 9, 8: 7}[kind]
            data["values"] = [
                resolve(self.world, msg.guild_id, option_kind, v, resolved) for v in values
            ]
            data["resolved"] = resolved
        return await self._interact(
            who, msg.channel_id, MESSAGE_COMPONENT, data, message=msg, timeout=timeout
        )

    async def submit_modal(
        self,
        who: s.Member | s.User,
        channel: s.Channel | int,
        custom_id: str,
        values: dict[str, Any],
        timeout: float = 5.0,  # noqa: ASYNC109 - the test API takes timeouts by name
    ) -> Interaction:
        """Submit a modal the bot showed this user (a type 9 callback with this custom_id)."""
        user = user_of(who)
        opener = next(
            (
                ix
                for ix in reversed(list(self.interactions.values()))
                if ix.response_type == 9
                and ix.user.id == user.id
                and (ix.response or {}).get("custom_id") == custom_id
            ),
            None,
        )
        if opener is None:
            raise CommandError(f"no modal {custom_id!r} was shown to {user.username}")
        assert opener.response is not None
        data = {"custom_id": custom_id, "components": modal_components(opener.response, values)}
        message = None if opener.message_id is None else self.world.messages[opener.message_id]
        return await self._interact(
            who, channel, MODAL_SUBMIT, data, message=message, timeout=timeout
        )
