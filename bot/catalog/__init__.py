"""The catalog: where show data comes from. Its content sources live in `sources/`."""
