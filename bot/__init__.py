"""Watchparty: a Discord bot for TV watch-party discussion."""
