"""Catalog maintenance: lint, fmt, new, test, stats, schema and export.

One module per job, each a pure function over catalog directories or loaded
records; ``equipid.cli.catalog`` is the only module that parses arguments.
Nothing here imports click.
"""
