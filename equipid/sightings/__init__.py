"""Sightings in: readers for each input format, parsing, name resolution and text scanning."""
