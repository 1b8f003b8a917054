"""Driver patches that must be in place before the program opens its connections (sqlite3,
psycopg2: their connection objects cannot be instrumented afterwards). They are applied when the
program imports the driver, through an import hook, and never import a driver themselves."""
from __future__ import annotations

import importlib.abc
import sys

_PATCHES = {}


def _patchers():
    if not _PATCHES:
        from . import capture

        _PATCHES["sqlite3"] = capture.patch_sqlite3
        _PATCHES["psycopg2"] = capture.patch_psycopg2
    return _PATCHES


def patch_imported() -> None:
    """Patches the watched drivers that are already imported."""
    for name, patch in _patchers().items():
        module = sys.modules.get(name)
        if module is not None and getattr(module, "connect", None) is not None:
            patch(module)


class _Watcher(importlib.abc.MetaPathFinder):
    """Finds nothing itself: wraps the real loader of a watched module to patch it once loaded."""

    def find_spec(self, fullname, path, target=None):
        if fullname not in _patchers():
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                loader = spec.loader
                exec_module = loader.exec_module

                class Loader(importlib.abc.Loader):
                    def create_module(self, spec):
                        return loader.create_module(spec)

                    def exec_module(self, module):
                        exec_module(module)
                        _patchers()[fullname](module)

                spec.loader = Loader()
                return spec
        return None


_watcher = _Watcher()


def install() -> None:
    patch_imported()
    if _watcher not in sys.meta_path:
        sys.meta_path.insert(0, _watcher)
