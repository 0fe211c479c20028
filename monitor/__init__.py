"""Media monitor: poll news feeds, clean them, extract countries, officials and quotes."""

__version__ = "0.1.0"
