"""The catalog: locate, read and validate the YAML, compile it, and cache the compiled form."""
