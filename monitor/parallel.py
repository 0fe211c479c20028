"""Cleaning + extraction of a batch in a process pool (the CPU-bound part of an ingest).

Story assignment and the single DuckDB writer stay in the main process: both hold state
(the story index, the write transaction) that must see every article in order. What the
workers do is pure (`pipeline.process_entry`), so the pool returns exactly what the
sequential path returns, in the same order.

Workers come from a fork server: forking the main process itself would copy DuckDB's
threads and locks mid-flight. Each worker builds its Extractor once, in the initializer.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from monitor.extract import Extractor
from monitor.extract.officials import load_registry
from monitor.models import FeedEntry
from monitor.pipeline import ProcessedArticle, process_entry

log = logging.getLogger(__name__)

# Below this many entries the pickling round trip costs more than the work it spreads.
MIN_PARALLEL = 8


@dataclass(frozen=True)
class ExtractorSpec:
    """How to build the Extractor: picklable, so each worker builds its own copy."""

    officials_paths: tuple[Path, ...] = ()
    packaged: bool = True

    def build(self) -> Extractor:
        return Extractor(load_registry(self.officials_paths, packaged=self.packaged))


_WORKER_EXTRACTOR: Extractor | None = None  # set once per worker process


def _init_worker(spec: ExtractorSpec) -> None:
    global _WORKER_EXTRACTOR
    _WORKER_EXTRACTOR = spec.build()


def _process_chunk(entries: Sequence[FeedEntry], learned: frozenset[str]) -> list[ProcessedArticle]:
    assert _WORKER_EXTRACTOR is not None, "worker initializer did not run"
    return [process_entry(e, _WORKER_EXTRACTOR, learned) for e in entries]


def _chunks(items: Sequence, parts: int) -> list[Sequence]:
    """``parts`` contiguous slices of nearly equal size (order kept)."""
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (i < extra)
        if end > start:
            out.append(items[start:end])
        start = end
    return out


class ProcessPool:
    """`process(entries, learned)` == `[process_entry(e, extractor, learned) ...]`, spread
    over ``workers`` processes. ``extractor`` (built from the same spec) handles small
    batches and the fallback after a worker crash."""

    def __init__(self, spec: ExtractorSpec, workers: int = 2, extractor: Extractor | None = None):
        self.spec = spec
        self.workers = max(1, workers)
        self.extractor = extractor or spec.build()
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["monitor.pipeline", "monitor.extract"])
        return ProcessPoolExecutor(
            self.workers, mp_context=ctx, initializer=_init_worker, initargs=(self.spec,)
        )

    def process(
        self, entries: Sequence[FeedEntry], learned: frozenset[str] = frozenset()
    ) -> list[ProcessedArticle]:
        if len(entries) < MIN_PARALLEL:
            return _local(entries, self.extractor, learned)
        # Two chunks per worker: an uneven chunk (long articles) leaves less idle time.
        chunks = _chunks(list(entries), self.workers * 2)
        try:
            results = self._pool.map(_process_chunk, chunks, [learned] * len(chunks))
            return [p for chunk in results for p in chunk]
        except BrokenProcessPool:  # a worker died (OOM kill): finish here, restart the pool
            log.warning("ingest worker pool broke; processing this batch in-process")
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._start()
            return _local(entries, self.extractor, learned)

    def cpu_seconds(self) -> float:
        """CPU time the live workers have used (Linux /proc; 0.0 elsewhere). The workers are
        children of the fork server, so RUSAGE_CHILDREN never sees them."""
        total = 0.0
        for pid in list(getattr(self._pool, "_processes", None) or {}):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ProcessPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _local(
    entries: Sequence[FeedEntry], extractor: Extractor, learned: frozenset[str]
) -> list[ProcessedArticle]:
    return [process_entry(e, extractor, learned) for e in entries]
