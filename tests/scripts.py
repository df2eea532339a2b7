"""Load a script of the repository (``tools/``, ``references/``: folders that are no packages) by path."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]


def load_script(name: str, relative: str) -> ModuleType:
    """The module at ``REPO / relative``, imported as ``name`` (registered in ``sys.modules``, so that its
    dataclasses and pickles can find it)."""
    spec = importlib.util.spec_from_file_location(name, REPO / relative)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
