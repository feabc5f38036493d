"""A loopback fake of TVmaze's API, serving invented shows in TVmaze's JSON shapes."""

from .fixtures import FakeShow, credit, episode, long_haul, orbital_relay, show
from .server import FakeTvmaze, Fault, RequestRecord

__all__ = [
    "FakeShow",
    "FakeTvmaze",
    "Fault",
    "RequestRecord",
    "credit",
    "episode",
    "long_haul",
    "orbital_relay",
    "show",
]
