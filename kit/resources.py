"""The files the kit ships beside its code: notebooks, report templates, demo data, configs.

In an installed wheel they live inside the package (``kit/workshops``, ``kit/templates``,
``kit/samples``: ``pyproject.toml`` maps the repository's top-level folders there); in a
source checkout (an editable install) they are the top-level folders themselves. This module
is the only place that knows either layout: everything else asks :func:`folder`/:func:`file`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

# name inside the package -> folder of the repository it comes from
BUNDLED = {"workshops": "workshops", "templates": "templates", "samples": "data_samples"}


def _package_dir() -> Path:
    return Path(str(resources.files("kit")))


def folder(name: str) -> Path:
    """The folder ``name`` (a key of :data:`BUNDLED`, or a folder inside ``kit/``)."""
    packaged = _package_dir() / name
    if packaged.is_dir():
        return packaged
    if name in BUNDLED:
        source = _package_dir().parent / BUNDLED[name]
        if source.is_dir():
            return source
    raise FileNotFoundError(f"kit resource folder not found: {name}")


def file(name: str, *parts: str) -> Path:
    """A file inside a bundled folder, e.g. ``file("templates", "group_report.ipynb")``."""
    return folder(name).joinpath(*parts)


def workshop_notebook(stem: str) -> Path:
    return file("workshops", f"{stem}.ipynb")


def report_template(stem: str) -> Path:
    return file("templates", f"{stem}.ipynb")


def demo_source() -> Path:
    return file("samples", "demo")


def survey_sample() -> Path:
    return file("samples", "survey", "staff_survey.csv")


def module_dir(module_file: str) -> Path:
    """The folder of a kit module (for data kept beside it, e.g. nbconvert templates)."""
    return Path(module_file).resolve().parent
