"""equipid: identify military equipment and score who most likely fielded it."""

__version__ = "0.1.0"
