"""A loopback emulator of Discord's REST API v10 and gateway for discord.py tests."""

from .base import RequestRecord, Violation
from .driver import FakeDiscord
from .interactions import CommandError, Interaction
from .message import Message
from .state import Channel, Guild, Member, Role, ScheduledEvent, User, Webhook

__all__ = [
    "Channel",
    "CommandError",
    "FakeDiscord",
    "Guild",
    "Interaction",
    "Member",
    "Message",
    "RequestRecord",
    "Role",
    "ScheduledEvent",
    "User",
    "Violation",
    "Webhook",
]
