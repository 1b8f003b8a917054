"""Where a frame lives: project file, dependency or the standard library, named the same way on
every machine (relative to the project root; ``site-packages/<pkg>/...`` for any installed
package, wherever the interpreter keeps it; ``stdlib/...`` for the standard library)."""
from __future__ import annotations

import os
import sysconfig

_PLUGIN_DIR = os.path.dirname(os.path.abspath(__file__))
_PACKAGE_DIRS = ("site-packages", "dist-packages")


def _stdlib_dirs() -> list[str]:
    dirs = set()
    for key in ("stdlib", "platstdlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            dirs.add(os.path.realpath(path))
    return sorted(dirs, key=len, reverse=True)


_STDLIB = _stdlib_dirs()


class Paths:
    """Path naming and "is this frame the project's own code" for one project root."""

    def __init__(self, root: str) -> None:
        self.root = os.path.realpath(root)
        self._cache: dict[str, tuple[str, bool]] = {}

    def _classify(self, filename: str) -> tuple[str, bool]:
        cached = self._cache.get(filename)
        if cached is not None:
            return cached
        result = self._compute(filename)
        self._cache[filename] = result
        return result

    def _compute(self, filename: str) -> tuple[str, bool]:
        # <frozen importlib._bootstrap>, <string>, ~ (built-ins): kept as they are, never the project.
        if not filename or filename.startswith("<") or filename == "~":
            return filename, False
        path = os.path.realpath(filename) if os.path.isabs(filename) else os.path.abspath(filename)
        parts = path.split(os.sep)
        for marker in _PACKAGE_DIRS:
            if marker in parts:
                index = len(parts) - 1 - parts[::-1].index(marker)
                return "site-packages/" + "/".join(parts[index + 1 :]), False
        if path == _PLUGIN_DIR or path.startswith(_PLUGIN_DIR + os.sep):
            return "perfgate/" + os.path.relpath(path, _PLUGIN_DIR).replace(os.sep, "/"), False
        if path.startswith(self.root + os.sep):
            return os.path.relpath(path, self.root).replace(os.sep, "/"), True
        for stdlib in _STDLIB:
            if path.startswith(stdlib + os.sep):
                return "stdlib/" + os.path.relpath(path, stdlib).replace(os.sep, "/"), False
        return path.replace(os.sep, "/"), False

    def name(self, filename: str) -> str:
        """The file as perfgate shows it."""
        return self._classify(filename)[0]

    def is_project(self, filename: str) -> bool:
        """A file of the project itself: inside the root, not an installed package, not perfgate."""
        return self._classify(filename)[1]

    def call_site(self, frame) -> dict | None:
        """The first frame of the project's own code, walking outwards from ``frame``."""
        while frame is not None:
            code = frame.f_code
            if self.is_project(code.co_filename):
                return {
                    "file": self.name(code.co_filename),
                    "line": frame.f_lineno,
                    "function": code.co_name,
                }
            frame = frame.f_back
        return None

    def first_project_frame(self, traceback) -> tuple[str, int] | None:
        """The innermost frame of a tracemalloc traceback that is project code."""
        # Iteration goes from the oldest frame to the most recent one (Python >= 3.7).
        for frame in reversed(list(traceback)):
            if self.is_project(frame.filename):
                return self.name(frame.filename), frame.lineno
        return None

