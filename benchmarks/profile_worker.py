"""The pool worker's path (clean + extract + sketch, `parallel._process_slim_items`) run
serially on synthetic entries: CPU ms per item, and optionally where it goes and what the
cyclic garbage collector costs in it.

    .venv/bin/python benchmarks/profile_worker.py --entries 3000            # ms/item
    .venv/bin/python benchmarks/profile_worker.py --entries 3000 --profile  # + cProfile
    .venv/bin/python benchmarks/profile_worker.py --entries 3000 --gc       # GC time
    .venv/bin/python benchmarks/profile_worker.py --smoke

Entries go in chunks as the ingestor sends them (25 by default); generation is not timed.
`--gc` alternates CPython's default thresholds (700, 10, 10) with the workers'
(`parallel.GC_THRESHOLDS`) and times the collections with `gc.callbacks`.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_ingest import GcClock  # noqa: E402 (this folder: the script's own)

from monitor import parallel, synth  # noqa: E402

CPYTHON_THRESHOLDS = (700, 10, 10)


def _chunks(entries: list, size: int) -> list[list]:
    return [entries[i : i + size] for i in range(0, len(entries), size)]


def _run(chunks: list[list], extractor) -> float:
    """CPU seconds of one pass; a few chunks' results stay alive, as they wait to be sent."""
    alive: list = []
    t0 = time.process_time()
    for chunk in chunks:
        alive.append(parallel._process_slim_items(chunk, extractor, frozenset()))
        del alive[:-4]
    return time.process_time() - t0


def _gc_passes(chunks: list[list], extractor, n: int, passes: int) -> None:
    for _ in range(passes):
        for thresholds in (CPYTHON_THRESHOLDS, parallel.GC_THRESHOLDS):
            gc.set_threshold(*thresholds)
            gc.collect()
            with GcClock() as clock:
                cpu = _run(chunks, extractor)
            print(
                f"gc thresholds {thresholds}: {cpu / n * 1000:.3f} ms/item, collection "
                f"{clock.seconds / n * 1000:.3f} ms/item in {clock.collections} collections"
            )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--entries", type=int, default=3000)
    ap.add_argument("--chunk", type=int, default=25)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--per-paragraph-names", action="store_true", help="the round 1-11 corpus")
    ap.add_argument("--profile", action="store_true", help="cProfile, top functions")
    ap.add_argument("--gc", action="store_true", help="collection time at both thresholds")
    ap.add_argument("--smoke", action="store_true", help="tiny run (100 entries, 1 pass)")
    a = ap.parse_args(argv)
    if a.smoke:
        a.entries, a.passes = 100, 1
    cfg = synth.SynthConfig(articles=a.entries, seed=1, per_paragraph_names=a.per_paragraph_names)
    entries = list(synth.iter_entries(cfg))
    extractor = parallel.ExtractorSpec().build()
    chunks = _chunks(entries, a.chunk)
    parallel._process_slim_items(chunks[0], extractor, frozenset())  # warm the tables
    cpu = sorted(_run(chunks, extractor) for _ in range(a.passes))
    ms = [c / len(entries) * 1000 for c in cpu]
    print(
        f"worker path: {ms[len(ms) // 2]:.3f} ms/item (min {ms[0]:.3f}, max {ms[-1]:.3f}; "
        f"{len(entries)} entries, chunks of {a.chunk}, {a.passes} passes, thresholds "
        f"{gc.get_threshold()})"
    )
    if a.gc:
        _gc_passes(chunks, extractor, len(entries), a.passes)
    if a.profile:
        profiler = cProfile.Profile()
        profiler.runcall(_run, chunks, extractor)
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
