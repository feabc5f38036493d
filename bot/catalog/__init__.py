"""The catalog: where show data comes from and how it reaches the store.

`datafiles` reads the TOML data files (the format's rules in `dataformat`), `importer` brings
them into the store and `exporter` writes the store back as files, `preview` shows a file as
members would see it, and `sync` fetches from a source, writes the file and imports it. The
sources themselves (TVmaze, Wikipedia) live in `sources/` and only ever write files.
"""
