"""Helpers every feature shares: arguments, pages, the spoiler gate, permissions, timers, times.

Public to all cogs, tests and benchmarks. A module with a leading underscore inside a feature
package (`cogs/polls/_tally.py`) is private to that package.
"""
