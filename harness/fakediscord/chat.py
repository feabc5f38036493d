"""What simulated members do without the bot: vote in native polls, end them, write messages."""

from __future__ import annotations

from typing import Any

from . import state as s
from .interactions import CommandError
from .message import Message
from .routes_channels import finalise_poll, post_message
from .world import World, id_of, user_of


class ChatActions:
    """Mixed into FakeDiscord, which supplies the world and emit()."""

    world: World

    async def emit(self, event: str, data: dict[str, Any], *, guild: bool = True) -> None:
        raise NotImplementedError

    def _poll_message(self, message: Message | int, answer_id: int) -> Message:
        msg = self.world.messages[id_of(message)]
        if msg.poll is None or msg.poll["results"]["is_finalized"]:
            raise CommandError(f"message {msg.id} has no open poll")
        if answer_id not in {a["answer_id"] for a in msg.poll["answers"]}:
            raise CommandError(f"poll {msg.id} has no answer {answer_id}")
        return msg

    async def _vote_event(self, event: str, user: s.User, msg: Message, answer: int) -> None:
        data = {
            "user_id": str(user.id),
            "channel_id": str(msg.channel_id),
            "message_id": str(msg.id),
            "answer_id": answer,
        }
        if msg.guild_id is not None:
            data["guild_id"] = str(msg.guild_id)
        await self.emit(event, data, guild=msg.guild_id is not None)

    async def native_vote(
        self, who: s.Member | s.User, message: Message | int, answer_id: int
    ) -> None:
        msg = self._poll_message(message, answer_id)
        user = user_of(who)
        votes = self.world.poll_votes.setdefault(msg.id, {})
        assert msg.poll is not None
        already = [a for a, voters in votes.items() if user.id in voters]
        if already and not msg.poll.get("allow_multiselect") and already != [answer_id]:
            raise CommandError(f"{user.username} already voted {already} on a single-choice poll")
        if user.id in votes.get(answer_id, set()):
            return
        votes.setdefault(answer_id, set()).add(user.id)
        await self._vote_event("MESSAGE_POLL_VOTE_ADD", user, msg, answer_id)

    async def native_unvote(
        self, who: s.Member | s.User, message: Message | int, answer_id: int
    ) -> None:
        msg = self._poll_message(message, answer_id)
        user = user_of(who)
        voters = self.world.poll_votes.get(msg.id, {}).get(answer_id, set())
        if user.id in voters:
            voters.discard(user.id)
            await self._vote_event("MESSAGE_POLL_VOTE_REMOVE", user, msg, answer_id)

    async def end_native_poll(self, message: Message | int) -> None:
        """As if the poll's duration elapsed: finalise it and send MESSAGE_UPDATE."""
        msg = self.world.messages[id_of(message)]
        if msg.poll is None:
            raise CommandError(f"message {msg.id} has no poll")
        await finalise_poll(self, msg)

    async def user_message(
        self, who: s.Member | s.User, channel: s.Channel | int, text: str, **body: Any
    ) -> Message:
        chan = self.world.channels[id_of(channel)]
        return await post_message(self, chan, user_of(who), {"content": text, **body})
