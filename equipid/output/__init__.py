"""Results out: writers for each output format, and the one atomic-write helper."""
