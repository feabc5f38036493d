"""Slash-command cogs, one per feature. See cogs/README.md."""
