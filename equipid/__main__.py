"""Entry point for ``python -m equipid``."""

from equipid.cli.main import main

main()
