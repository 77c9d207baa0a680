"""Where sitegen's own files are: templates, catalogs and static files ship inside the package.

A module of its own, importing nothing: a build that finds its site up to date needs the path (for
the package's fingerprint) and none of the renderer."""

from __future__ import annotations

from pathlib import Path


def builtin_templates() -> Path:
    """sitegen's own templates, catalogs and static files."""
    return Path(__file__).parent / "templates"
