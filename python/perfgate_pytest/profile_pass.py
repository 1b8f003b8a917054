"""The cProfile pass: a deterministic profile of ``ops`` operations, with every file named as
perfgate names it (src/profile reads the pstats file it writes; call counts are exact)."""
from __future__ import annotations

import cProfile
import marshal
import time

from .paths import Paths


def _rename(stats: dict, paths: Paths) -> dict:
    """pstats dict with perfgate's file names; entries that collide after renaming are summed."""

    def key(k):
        file, line, name = k
        return (file if file == "~" else paths.name(file), line, name)

    def add(a, b):
        if a is None:
            return b
        return tuple(x + y if not isinstance(x, dict) else x for x, y in zip(a, b))

    renamed: dict = {}
    for k, (cc, nc, tt, ct, callers) in stats.items():
        new_callers: dict = {}
        for ck, cv in callers.items():
            nk = key(ck)
            new_callers[nk] = add(new_callers.get(nk), cv) if isinstance(cv, tuple) else cv
        nk = key(k)
        old = renamed.get(nk)
        if old is None:
            renamed[nk] = (cc, nc, tt, ct, new_callers)
        else:
            merged = dict(old[4])
            for ck, cv in new_callers.items():
                merged[ck] = add(merged.get(ck), cv) if isinstance(cv, tuple) else cv
            renamed[nk] = (old[0] + cc, old[1] + nc, old[2] + tt, old[3] + ct, merged)
    return renamed


def run_profile(op, paths: Paths, ops: int, out_file: str) -> dict:
    """Profiles ``ops`` calls of the target (never the setup), writes ``out_file`` (pstats)."""
    profiler = cProfile.Profile()
    elapsed = 0.0
    for _ in range(ops):
        args, kwargs = op.arguments()
        start = time.perf_counter()
        profiler.enable()
        try:
            op.target(*args, **kwargs)
        finally:
            profiler.disable()
            elapsed += time.perf_counter() - start
    profiler.create_stats()
    stats = {
        k: v
        for k, v in profiler.stats.items()  # type: ignore[attr-defined]
        # The profiler's own enable/disable calls are not the program's.
        if not (k[0] == "~" and "_lsprof.Profiler" in k[2])
    }
    with open(out_file, "wb") as handle:
        marshal.dump(_rename(stats, paths), handle)
    return {"ops": ops, "durationMs": elapsed * 1000}
