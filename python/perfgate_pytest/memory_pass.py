"""The tracemalloc pass.

- Bytes per op: the peak of traced memory during one call above the traced memory at its start
  (what one operation needs at once, the figure memory_profiler users read), averaged per round.
  tracemalloc traces live blocks, not cumulative allocation: memory freed and reused within an
  op is counted once.
- Retained growth: rounds of N and 2N operations, ``gc.collect()`` after each, traced memory
  after it; perfgate's leak rule (src/memory/leak.ts) judges the series.
- Top allocation lines: one extra call traced with a snapshot each time the traced memory passes
  a new high at a return from project code, and one at its end; each block is charged to the
  innermost project frame of its traceback (else its own line).
- Sites that grew: a snapshot before and after a few more operations (and a collection), with
  whole tracebacks (the measured rounds record one frame per block: tracemalloc's cost grows
  with the frames it keeps).
"""
from __future__ import annotations

import gc
import os
import sys
import time
import tracemalloc

from .paths import Paths

FRAMES = 16
TOP = 10
# Growth one pass may cause (a fast leak would fill memory long before the pass ends).
GROWTH_BUDGET = 256 * 2**20


def _within_budget(round_ops: list, index: int, done: int, grown: int) -> None:
    """Shrinks the rounds after ``index`` when the growth so far, projected, would pass the
    budget (the fit works on cumulative operations, so uneven rounds are fine)."""
    if grown <= 0:
        return
    remaining = sum(round_ops[index + 1 :]) + 2 * round_ops[0]
    room = max(0, GROWTH_BUDGET - grown)
    projected = grown / done * remaining
    if projected > room and remaining > 0:
        factor = room / projected
        for later in range(index + 1, len(round_ops)):
            round_ops[later] = max(1 if later % 2 == 0 else 2, int(round_ops[later] * factor))


def _site_of(paths: Paths, traceback) -> tuple[str, int]:
    site = paths.first_project_frame(traceback)
    if site is not None:
        return site
    frame = traceback[-1] if len(traceback) else None
    return (paths.name(frame.filename), frame.lineno) if frame is not None else ("", 0)


def _own_filters():
    # The plugin's own bookkeeping and tracemalloc itself are not the program's.
    return [
        tracemalloc.Filter(False, tracemalloc.__file__),
        tracemalloc.Filter(False, os.path.join(os.path.dirname(os.path.abspath(__file__)), "*")),
    ]


def _by_site(paths: Paths, stats, limit: int) -> list[dict]:
    sites: dict[tuple[str, int], list[int]] = {}
    for stat in stats:
        size = getattr(stat, "size_diff", stat.size)
        count = getattr(stat, "count_diff", stat.count)
        key = _site_of(paths, stat.traceback)
        acc = sites.setdefault(key, [0, 0])
        acc[0] += size
        acc[1] += count
    ranked = sorted(sites.items(), key=lambda item: -item[1][0])
    return [
        {"file": file, "line": line, "size_diff": size, "count_diff": count}
        for (file, line), (size, count) in ranked[:limit]
        if size > 0
    ]


def _peak_sites(op, paths: Paths) -> list[dict]:
    """Top allocation lines of one call, taken near its peak (see the module docstring)."""
    best = [0, None]
    base = tracemalloc.take_snapshot().filter_traces(_own_filters())

    def on_event(frame, event, arg):
        if event != "return" or not paths.is_project(frame.f_code.co_filename):
            return
        current = tracemalloc.get_traced_memory()[0]
        if current > best[0] * 1.1 + 4096:
            best[0] = current
            best[1] = tracemalloc.take_snapshot()

    args, kwargs = op.arguments()
    previous = sys.getprofile()
    sys.setprofile(on_event)
    try:
        result = op.target(*args, **kwargs)
    finally:
        sys.setprofile(previous)
    end = tracemalloc.take_snapshot()
    del result
    snapshot = best[1] if best[1] is not None and best[0] > 0 else end
    stats = snapshot.filter_traces(_own_filters()).compare_to(base, "traceback")
    return _by_site(paths, stats, TOP)


def run_memory(op, paths: Paths, ops_per_round: int, rounds: int) -> dict:
    was_tracing = tracemalloc.is_tracing()
    if was_tracing:
        tracemalloc.stop()
    try:
        # The measured rounds keep one frame per block (tracemalloc's cost grows with frames);
        # the lines come from a short second phase that records whole tracebacks.
        tracemalloc.start(1)
        gc.collect()
        round_ops = [ops_per_round * (1 if r % 2 == 0 else 2) for r in range(rounds)]
        alloc_samples: list[float] = []
        heap_after: list[int] = []
        peak = 0
        start_traced = tracemalloc.get_traced_memory()[0]
        started = time.perf_counter()
        done = 0
        for index in range(len(round_ops)):
            ops = round_ops[index]
            total = 0
            for _ in range(ops):
                args, kwargs = op.arguments()
                tracemalloc.reset_peak()
                before = tracemalloc.get_traced_memory()[0]
                op.target(*args, **kwargs)
                op_peak = tracemalloc.get_traced_memory()[1]
                total += op_peak - before
                peak = max(peak, op_peak - start_traced)
            alloc_samples.append(total / ops)
            gc.collect()
            heap_after.append(tracemalloc.get_traced_memory()[0])
            done += ops
            _within_budget(round_ops, index, done, heap_after[-1] - start_traced)
        elapsed = time.perf_counter() - started
        tracemalloc.stop()

        tracemalloc.start(FRAMES)
        gc.collect()
        first = tracemalloc.take_snapshot().filter_traces(_own_filters())
        site_ops = max(1, round_ops[-1])
        for _ in range(site_ops):
            args, kwargs = op.arguments()
            op.target(*args, **kwargs)
        gc.collect()
        last = tracemalloc.take_snapshot().filter_traces(_own_filters())
        grown = _by_site(paths, last.compare_to(first, "traceback"), TOP)
        top = _peak_sites(op, paths)
    finally:
        tracemalloc.stop()
        if was_tracing:
            tracemalloc.start()
    return {
        "format": "perfgate-tracemalloc",
        "version": 1,
        "round_ops": round_ops,
        "heap_after_rounds": heap_after,
        "alloc_per_op": alloc_samples,
        "peak": peak,
        "max_rss": _max_rss(),
        # Live blocks that stayed after `site_ops` more operations and a collection.
        "sites": grown,
        "site_ops": site_ops,
        # What one operation holds near its peak, by line.
        "top": top,
        "durationMs": elapsed * 1000,
    }


def _max_rss() -> int:
    try:
        import resource
    except ImportError:  # Windows
        return 0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return rss if sys.platform == "darwin" else rss * 1024
