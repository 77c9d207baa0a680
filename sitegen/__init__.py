"""sitegen: a sales team's plain-text records in, a static dashboard site out."""

__version__ = "0.2.0"
