"""The lever catalogue on disk: the bundled ``data_samples/levers/levers.yaml`` and, when a
session has one, ``SESSION/levers.yaml`` merged over it by id (docs/levers.md)."""

from __future__ import annotations

from pathlib import Path

from kit import resources
from kit.domain.levers import Catalogue, merge, parse_catalogue
from kit.io.store import read_yaml

SESSION_FILE = "levers.yaml"


def bundled_file() -> Path:
    return resources.file("samples", "levers", "levers.yaml")


def read_catalogue(file: str | Path) -> Catalogue:
    file = Path(file)
    return parse_catalogue(read_yaml(file), where=str(file))


def load_catalogue(session: str | Path | None = None) -> Catalogue:
    """The bundled levers, with the session's own (``SESSION/levers.yaml``) merged over."""
    base = read_catalogue(bundled_file())
    if session is not None:
        own = Path(session) / SESSION_FILE
        if own.is_file():
            return merge(base, read_catalogue(own))
    return base
