"""setuptools' build backend, minus one notice that is not a problem.

The notebooks, report templates and demo data are top-level folders of the repository mapped
into the package (``[tool.setuptools.package-dir]``), so an editable install (``make setup``)
uses a meta path finder, and setuptools then prints "Editable installation … be careful with
folders in your working directory" as a warning on every install. It is information only
(``InformationOnly``); every real warning (deprecations, missing packages) still shows.
"""

import warnings

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403 - the PEP 517/660 hooks, unchanged
from setuptools.warnings import InformationOnly

warnings.filterwarnings("ignore", category=InformationOnly)
__all__ = list(_setuptools.__all__)
