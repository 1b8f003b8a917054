"""perfgate's pytest plugin: after each pytest-benchmark benchmark has been timed, run it again
under cProfile, with query/HTTP capture and under tracemalloc, and write what was seen next to
the benchmark JSON for perfgate to attach (docs/python.md).

Enable with ``-p perfgate_pytest`` (this folder on ``PYTHONPATH``) or ``PYTEST_PLUGINS=perfgate_pytest``;
``perfgate run --command ...`` does both itself. Standard library only; Python >= 3.9.
"""
from __future__ import annotations

import json
import math
import os
import platform
import re
import traceback

from . import hooks
from .capture import run_capture
from .memory_pass import run_memory
from .paths import Paths
from .profile_pass import run_profile

__version__ = "1"

FORMAT = "perfgate-pytest"
SIDECAR_SUFFIX = ".perfgate"
PROFILES_SUFFIX = ".perfgate-profiles"
PASSES = ("profile", "queries", "memory")

# Slowdown of each pass against the plain call, for sizing the passes from the timing median.
_PROFILE_SLOWDOWN = 3.0
_MEMORY_SLOWDOWN = 4.0


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"perfgate: {name}={raw!r} is not a number") from None
    if not value > 0:
        raise ValueError(f"perfgate: {name}={raw!r} must be positive")
    return value


class Settings:
    def __init__(self) -> None:
        raw = os.environ.get("PERFGATE_PASSES", ",".join(PASSES))
        passes = [p.strip() for p in raw.split(",") if p.strip()]
        unknown = [p for p in passes if p not in PASSES and p != "none"]
        if unknown:
            raise ValueError(
                f"perfgate: PERFGATE_PASSES has unknown passes {unknown}; known: {', '.join(PASSES)}"
            )
        self.passes = [p for p in passes if p in PASSES]
        self.profile_time = _env_float("PERFGATE_PROFILE_TIME", 0.5)
        self.query_iterations = int(_env_float("PERFGATE_QUERY_ITERATIONS", 3))
        self.memory_rounds = max(3, int(_env_float("PERFGATE_MEMORY_ROUNDS", 10)))
        self.memory_round_time = _env_float("PERFGATE_MEMORY_ROUND_TIME", 0.05)
        self.out = os.environ.get("PERFGATE_PYTEST_OUT") or None
        self.root = os.environ.get("PERFGATE_PROJECT_ROOT") or None


class Operation:
    """One call of the benchmarked target; ``arguments()`` runs the pedantic ``setup`` (never
    measured)."""

    def __init__(self, target, args=(), kwargs=None, setup=None) -> None:
        self.target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs or {})
        self._setup = setup

    def arguments(self):
        if self._setup is not None:
            made = self._setup()
            if made:
                return made
        return self._args, self._kwargs


def _clamp(value: float, low: int, high: int) -> int:
    return int(max(low, min(high, math.floor(value))))


class Session:
    """What the plugin recorded in one pytest session."""

    def __init__(self, config, settings: Settings) -> None:
        self.config = config
        self.settings = settings
        root = settings.root or str(getattr(config, "rootpath", None) or config.rootdir)
        self.paths = Paths(root)
        self.benchmarks: dict[str, dict] = {}
        self._profile_index = 0

    def _sidecar_path(self) -> str | None:
        if self.settings.out:
            return self.settings.out
        target = self.config.getoption("benchmark_json", None)
        name = getattr(target, "name", target)
        if isinstance(name, bytes):
            name = name.decode()
        return f"{name}{SIDECAR_SUFFIX}" if isinstance(name, str) and name else None

    def after_timing(self, fixture, op: Operation) -> None:
        stats = getattr(getattr(fixture, "stats", None), "stats", None)
        median = getattr(stats, "median", None)
        if fixture.disabled or not median or not self.settings.passes:
            return
        sidecar = self._sidecar_path()
        entry: dict = {"name": fixture.name, "fullname": fixture.fullname, "opNs": median * 1e9}
        errors: dict[str, str] = {}
        for name in self.settings.passes:
            try:
                if name == "profile":
                    if sidecar is None:
                        continue
                    ops = _clamp(self.settings.profile_time / (median * _PROFILE_SLOWDOWN), 1, 10000)
                    self._profile_index += 1
                    folder = sidecar[: -len(SIDECAR_SUFFIX)] + PROFILES_SUFFIX
                    os.makedirs(folder, exist_ok=True)
                    file_name = f"{self._profile_index:04d}-{_slug(fixture.name)}.prof"
                    result = run_profile(op, self.paths, ops, os.path.join(folder, file_name))
                    entry["profile"] = {
                        "file": os.path.basename(folder) + "/" + file_name,
                        **result,
                    }
                elif name == "queries":
                    entry["queries"] = run_capture(op, self.paths, self.settings.query_iterations)
                elif name == "memory":
                    ops = _clamp(
                        self.settings.memory_round_time / (median * _MEMORY_SLOWDOWN), 1, 10000
                    )
                    entry["memory"] = run_memory(op, self.paths, ops, self.settings.memory_rounds)
            except Exception as error:  # a pass that fails must not fail the user's test
                errors[name] = "".join(traceback.format_exception_only(type(error), error)).strip()
        if errors:
            entry["errors"] = errors
        self.benchmarks[fixture.fullname] = entry

    def write(self) -> str | None:
        path = self._sidecar_path()
        if path is None or not self.benchmarks:
            return None
        document = {
            "format": FORMAT,
            "version": 1,
            "root": self.paths.root,
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "benchmarks": list(self.benchmarks.values()),
        }
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        temporary = f"{path}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=1)
        os.replace(temporary, path)
        return path


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:80]


_session: Session | None = None


def _patch_fixture() -> bool:
    try:
        from pytest_benchmark.fixture import BenchmarkFixture
    except ImportError:
        return False
    if getattr(BenchmarkFixture, "_perfgate", False):
        return True
    raw = BenchmarkFixture._raw
    raw_pedantic = BenchmarkFixture._raw_pedantic

    def _raw(self, function_to_benchmark, *args, **kwargs):
        result = raw(self, function_to_benchmark, *args, **kwargs)
        if _session is not None:
            _session.after_timing(self, Operation(function_to_benchmark, args, kwargs))
        return result

    def _raw_pedantic(self, target, args=(), kwargs=None, setup=None, **rest):
        result = raw_pedantic(self, target, args=args, kwargs=kwargs, setup=setup, **rest)
        if _session is not None:
            _session.after_timing(self, Operation(target, args, kwargs, setup))
        return result

    BenchmarkFixture._raw = _raw
    BenchmarkFixture._raw_pedantic = _raw_pedantic
    BenchmarkFixture._perfgate = True
    return True


def pytest_configure(config) -> None:
    global _session
    settings = Settings()
    hooks.install()
    if not _patch_fixture():
        config.issue_config_time_warning(
            UserWarning("perfgate_pytest: pytest-benchmark is not installed; nothing to attach"),
            stacklevel=2,
        )
        return
    _session = Session(config, settings)


def pytest_sessionfinish(session, exitstatus) -> None:
    global _session
    if _session is None:
        return
    path = _session.write()
    recorded = len(_session.benchmarks)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and recorded:
        where = path or "nowhere (no --benchmark-json and no PERFGATE_PYTEST_OUT)"
        reporter.write_line(f"perfgate: profiles, queries and memory of {recorded} benchmarks → {where}")
    _session = None
