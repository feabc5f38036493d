"""Watchparty: a Discord bot for TV watch-party discussion."""

# The one place the version lives: pyproject.toml reads it from here (tool.setuptools.dynamic).
__version__ = "0.2.0"
