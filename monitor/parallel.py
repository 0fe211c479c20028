"""The CPU-bound part of an ingest in a process pool: feed parsing, cleaning, extraction.

Story assignment and the single DuckDB writer stay in the main process: both hold state
(the story index, the write transaction) that must see every article in order. What the
workers do is pure (`parse`, `pipeline.clean_only`, `pipeline.analyse`), so the
pool returns exactly what the sequential path returns, in the same order.

Work is submitted as a `Pending` handle (`submit_*`) so the caller can queue the next
batch before it collects the current one; `result()` returns the items in order.

Workers come from a fork server: forking the main process itself would copy DuckDB's
threads and locks mid-flight. Each worker builds its Extractor once, in the initializer,
and dies with its parent (Linux `PR_SET_PDEATHSIG`; the fork server itself exits when the
main process goes away), so a SIGKILLed ingester leaves no workers behind.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import multiprocessing
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from monitor import clean
from monitor.extract import Extractor
from monitor.extract.officials import load_registry
from monitor.models import FeedEntry
from monitor.pipeline import (
    CleanedEntry,
    ProcessedArticle,
    analyse_many,
    clean_only,
    clean_or_fail,
    cleaning_failed,
    each_or_fail,
    process_entry,
    process_or_fail,
    refilter,
    refilter_or_fail,
)
from monitor.rows import analyse_columns_or_fail, extraction_columns

log = logging.getLogger(__name__)

# Below this many items the pickling round trip costs more than the work it spreads.
MIN_PARALLEL = 8
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class ExtractorSpec:
    """How to build the Extractor: picklable, so each worker builds its own copy."""

    officials_paths: tuple[Path, ...] = ()
    packaged: bool = True

    def build(self) -> Extractor:
        return Extractor(load_registry(self.officials_paths, packaged=self.packaged))


# The cyclic collector's thresholds in the ingesting process and its pool workers
# (CPython's: 700, 10, 10). Both allocate many short-lived objects an article (mentions,
# quotes, unpickled results, Arrow rows) that reference counting frees; at 700 a young
# collection runs every few articles, and in the writer the older ones walk a large
# long-lived heap (the story index, the learned samples). Measured with gc.callbacks:
# - the writer process (bench_ingest 20k, 2 workers, whole process): 1.78 / 1.58 s of
#   collection at CPython's thresholds, 0.55 / 0.60 s at these, ~0.05 ms/item (bench_ingest
#   prints the writer's collection time);
# - a worker's path, serial (`benchmarks/profile_worker.py --entries 3000 --gc`): 0.041-0.049
#   ms/item of collection at CPython's thresholds, none at these.
# ~4% of the CPU in all; end to end each is inside the noise. Garbage cycles live longer.
GC_THRESHOLDS = (20_000, 20, 100)


def fewer_collections() -> None:
    """Raise this process's GC thresholds to GC_THRESHOLDS (never lower them)."""
    if gc.get_threshold()[0] < GC_THRESHOLDS[0]:
        gc.set_threshold(*GC_THRESHOLDS)


_WORKER_EXTRACTOR: Extractor | None = None  # set once per worker process


def _die_with_parent(owner: int) -> None:
    """Exit when ``owner`` (the process that made the pool) exits.

    The workers are children of the fork server, and the fork server only exits once every
    worker has closed its end of the "alive" pipe, so neither can wait for the other: each
    worker watches the owner itself, from a thread blocked on a pidfd (Linux ≥ 5.3; readable
    once the owner has exited, even before it is reaped), else polling every second. The
    fork server then sees its last client go and exits too. PR_SET_PDEATHSIG also kills a
    worker whose fork server dies first."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - exotic libc
            pass
    try:
        pidfd = os.pidfd_open(owner)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):
        pidfd = None

    def watch() -> None:
        if pidfd is not None:
            poller = select.poll()
            poller.register(pidfd, select.POLLIN)
            while not poller.poll(None):
                pass
            os._exit(1)
        while _alive(owner):
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="owner-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed owner stays a zombie until its own parent reaps it
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _init_worker(spec: ExtractorSpec, owner: int) -> None:
    global _WORKER_EXTRACTOR
    _die_with_parent(owner)
    fewer_collections()
    _WORKER_EXTRACTOR = spec.build()


def _worker_extractor() -> Extractor:
    assert _WORKER_EXTRACTOR is not None, "worker initializer did not run"
    return _WORKER_EXTRACTOR


# ---- what one chunk does (module-level: the pool pickles them by name)
#
# Each kind runs its chunk stage by stage with no per-article try; if a stage raises (one
# article's cleaning or extraction hit a bug), that stage is done again article by article
# (`pipeline.each_or_fail`), and a failing article comes back with its error
# (`models.ArticleError`: the ingestor stores it and records the error) instead of failing
# the chunk, and with it the batch.


def _process_items(items, extractor, learned):
    return each_or_fail(
        lambda: [process_entry(e, extractor, learned) for e in items],
        items,
        lambda e: process_or_fail(e, extractor, learned),
    )


# The ingestor's kinds: results carry no copy of what the main process sent (the entry and
# its raw HTML): unpickling them is the main process's cost, and it is the bottleneck.


def _clean_keyed(entry: FeedEntry, learned: frozenset[str]) -> tuple[CleanedEntry, tuple]:
    """``clean_only(entry, learned)`` and the ``learned.paragraph_key`` of each kept paragraph,
    which the cleaner makes from the casefold it already has (`clean._filter`'s ``keys``):
    keying the kept paragraphs again here cost ~60 us/item (round 14, main14's notes)."""
    keys: list[str] = []
    return clean_only(entry, learned, keys=keys), tuple(keys)


def _clean_keyed_or_fail(entry: FeedEntry, learned: frozenset[str]) -> tuple[CleanedEntry, tuple]:
    keys: list[str] = []
    return clean_or_fail(entry, learned, keys=keys), tuple(keys)


def _cleaned_keyed(items, learned: frozenset[str]) -> list[tuple[CleanedEntry, tuple]]:
    """``[_clean_keyed(e, learned) ...]``; a failing cleaning costs its own article only."""
    return each_or_fail(
        lambda: [_clean_keyed(e, learned) for e in items],
        items,
        lambda e: _clean_keyed_or_fail(e, learned),
    )


def _clean_slim_items(items, extractor, learned):
    """(entry when cleaning changed it (a page's own title/date) else None, cleaned, the
    ``learned.paragraph_key`` of each kept paragraph). The ingestor asks for this kind for a
    batch that is about to learn, and learning keys every paragraph: made here, the keys
    cost the main process (the bottleneck) a hash each instead of ~3.4 us a paragraph."""
    return [
        (None if c.entry is e else c.entry, c.cleaned, keys)
        for e, (c, keys) in zip(items, _cleaned_keyed(items, learned), strict=True)
    ]


def _process_slim_items(items, extractor, learned):
    """(entry when changed else None, cleaned, extraction as rows.ExtractionColumns, sketch).
    The whole chunk is cleaned first, then analysed (`_analysed`): cleaning (lxml, the rule
    tables) between two extractions evicted the extractor's tables from the caches; staged,
    the same results cost ~15% less CPU (in-process A/B, chunks of 5-25 synthetic articles).
    The same holds for the re-clean of `_refilter_process_items` (~7-11%)."""
    done = each_or_fail(
        lambda: [clean_only(e, learned) for e in items],
        items,
        lambda e: clean_or_fail(e, learned),
    )
    analysed = _analysed([(c.cleaned.text, c.entry.published) for c in done], extractor)
    return [
        (None if c.entry is e else c.entry, c.cleaned, columns, sk)
        for e, c, (columns, sk) in zip(items, done, analysed, strict=True)
    ]


def _process_keyed_items(items, extractor, learned):
    """``_process_slim_items`` with each kept paragraph's ``learned.paragraph_key`` last (the
    ingestor's kind for a batch that is not about to learn: it keeps the key hashes of every
    article it writes for the feed's next learning pass, `learned.RecentKeys`)."""
    done = _cleaned_keyed(items, learned)
    analysed = _analysed([(c.cleaned.text, c.entry.published) for c, _ in done], extractor)
    return [
        (None if c.entry is e else c.entry, c.cleaned, columns, sk, keys)
        for e, (c, keys), (columns, sk) in zip(items, done, analysed, strict=True)
    ]


def _refilter_process_items(items, extractor, learned):
    """``_process_slim_items`` of the entries the items were cleaned from, from their
    cleaning (``pipeline.refilter``). An item is a CleanedEntry, or what `_ship_refilter`
    sends of one: (cleaned, date, entry when cleaning changed it else None)."""

    def staged() -> list:  # (entry when changed else None, cleaned, published)
        done = []
        for item in items:
            if isinstance(item, CleanedEntry):
                c = refilter(item, learned)
                done.append(
                    (None if c.entry is item.source else c.entry, c.cleaned, c.entry.published)
                )
            else:
                first, published, changed = item
                done.append((changed, clean.refilter(first, learned), published))
        return done

    done = each_or_fail(staged, items, lambda item: _refiltered_or_fail(item, learned))
    analysed = _analysed([(cleaned.text, published) for _, cleaned, published in done], extractor)
    return [
        (changed, cleaned, columns, sk)
        for (changed, cleaned, _), (columns, sk) in zip(done, analysed, strict=True)
    ]


def _refiltered_or_fail(item, learned: frozenset[str]) -> tuple:
    """A refilter item cleaned again as `_refilter_process_items` does, or an empty cleaning
    carrying the error when that raises."""
    if isinstance(item, CleanedEntry):
        c = refilter_or_fail(item, learned)
        return None if c.entry is item.source else c.entry, c.cleaned, c.entry.published
    first, published, changed = item
    try:
        return changed, clean.refilter(first, learned), published
    except Exception as exc:
        return changed, cleaning_failed(exc), published


def _ship_refilter(items: list) -> list:
    """What a worker needs of each CleanedEntry to clean it again: its cleaning, not the
    raw text it came from (unless the cleaning carries no walk trace)."""
    return [
        (c.cleaned, c.entry.published, None if c.entry is c.source else c.entry)
        if clean.traced(c.cleaned)
        else c
        for c in items
    ]


def _analysed(items: list[tuple[str, datetime]], extractor: Extractor) -> list:
    """``[rows.analyse_columns(text, published, extractor) ...]`` of (text, published)
    pairs (the "analyse" kind), computed stage by stage over the chunk
    (`pipeline.analyse_many`): the same results."""
    return each_or_fail(
        lambda: [
            (extraction_columns(x, extractor), sk) for x, sk in analyse_many(items, extractor)
        ],
        items,
        lambda item: analyse_columns_or_fail(item[0], item[1], extractor),
    )


def _call_items(items, extractor, fn):
    """Arbitrary picklable per-item function (e.g. feed parsing); one result per item."""
    return [fn(*args) for args in items]


_KINDS: dict[str, Callable] = {
    "process": _process_items,
    "call": _call_items,
    "clean_slim": _clean_slim_items,
    "process_slim": _process_slim_items,
    "process_keyed": _process_keyed_items,
    "analyse": _analysed,
    "refilter_process": _refilter_process_items,
}
# Kinds whose items are sent to the workers in a smaller form (the in-process path, for a
# small batch or a broken pool, takes the items as given).
_SHIP: dict[str, Callable[[list], list]] = {"refilter_process": _ship_refilter}


def _run_chunk(kind: str, items: Sequence, *args) -> list:
    return _KINDS[kind](items, _worker_extractor(), *args)


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


class Pending:
    """Work handed to the pool (or deferred, when too small to ship); `result()` returns
    one result per submitted item, in order, and runs the work in-process if the pool
    broke (a worker was OOM-killed) meanwhile."""

    def __init__(self, pool: ProcessPool, kind: str, items: list, args: tuple, futures):
        self._pool, self._kind, self._items, self._args = pool, kind, items, args
        self._futures: list[Future] | None = futures
        self._value: list | None = None

    def result(self) -> list:
        if self._value is None:
            self._value = self._collect()
        return self._value

    def _collect(self) -> list:
        if self._futures is not None:
            try:
                return [x for f in self._futures for x in f.result()]
            except BrokenProcessPool:
                log.warning("ingest worker pool broke; processing this batch in-process")
                self._pool._restart()
        return _KINDS[self._kind](self._items, self._pool.extractor, *self._args)


class ProcessPool:
    """`process(entries, learned)` == `[process_entry(e, extractor, learned) ...]`, spread
    over ``workers`` processes. ``extractor`` (built from the same spec) handles small
    batches and the fallback after a worker crash."""

    def __init__(
        self,
        spec: ExtractorSpec,
        workers: int = 2,
        extractor: Extractor | None = None,
        lazy: bool = False,
    ):
        self.spec = spec
        self.workers = max(1, workers)
        self.extractor = extractor or spec.build()
        self._executor: ProcessPoolExecutor | None = None if lazy else self._start()

    @property
    def _pool(self) -> ProcessPoolExecutor:
        """The executor, started on first use (a runtime that never ingests forks nothing)."""
        if self._executor is None:
            self._executor = self._start()
        return self._executor

    def _start(self) -> ProcessPoolExecutor:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["monitor.pipeline", "monitor.extract", "monitor.parse"])
        return ProcessPoolExecutor(
            self.workers,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(self.spec, os.getpid()),
        )

    def _restart(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._start()

    def submit(self, kind: str, items: Sequence, *args, min_parallel: int = MIN_PARALLEL):
        items = list(items)
        if len(items) < min_parallel:
            return Pending(self, kind, items, args, None)
        shipped = _SHIP[kind](items) if kind in _SHIP else items
        # One chunk per worker. Two per worker (until round 10) evened out long articles,
        # but every chunk is a message the main process's result thread receives, and the
        # ingestor keeps the next batch queued, so a worker done early takes that one. With
        # 38-article batches one chunk per worker cost the main process ~0.05 ms/item less
        # (result thread 0.13 -> 0.10, feeder 0.035 -> 0.025; BENCHMARKS.md, round 10,
        # worker10), and a larger chunk stages more work (worker9's caches).
        try:
            futures = [
                self._pool.submit(_run_chunk, kind, chunk, *args)
                for chunk in _chunks(shipped, self.workers)
            ]
        except BrokenProcessPool:
            self._restart()
            return Pending(self, kind, items, args, None)
        return Pending(self, kind, items, args, futures)

    def submit_process(self, entries: Sequence[FeedEntry], learned=frozenset()) -> Pending:
        return self.submit("process", entries, learned)

    def submit_call(self, fn: Callable, arg_tuples: Sequence[tuple]) -> Pending:
        """``fn(*args)`` for each tuple, one chunk per tuple (each is a whole feed file)."""
        items = list(arg_tuples)
        try:
            futures = [self._pool.submit(_run_chunk, "call", [a], fn) for a in items]
        except BrokenProcessPool:
            self._restart()
            return Pending(self, "call", items, (fn,), None)
        return Pending(self, "call", items, (fn,), futures)

    def process(
        self, entries: Sequence[FeedEntry], learned: frozenset[str] = frozenset()
    ) -> list[ProcessedArticle]:
        return self.submit_process(entries, learned).result()

    def pids(self) -> list[int]:
        return list(getattr(self._executor, "_processes", None) or {})

    def cpu_seconds(self) -> float:
        """CPU time the live workers have used (Linux /proc; 0.0 elsewhere). The workers are
        children of the fork server, so RUSAGE_CHILDREN never sees them."""
        total = 0.0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def close(self, timeout_s: float = 10.0) -> None:
        """Stop the workers; one that has not exited within ``timeout_s`` is killed (a worker
        forked by the fork server can hang in multiprocessing's exit handler, and close must
        never hang the caller)."""
        if self._executor is None:
            return
        workers = list((getattr(self._executor, "_processes", None) or {}).values())
        self._executor.shutdown(wait=False, cancel_futures=True)
        for proc in workers:
            proc.join(timeout_s)
            if proc.is_alive():
                log.warning("pool worker %s did not exit; killing it", proc.pid)
                proc.kill()
                proc.join(timeout_s)
        self._executor = None

    def __enter__(self) -> ProcessPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _local(
    entries: Sequence[FeedEntry], extractor: Extractor, learned: frozenset[str]
) -> list[ProcessedArticle]:
    return _process_items(entries, extractor, learned)
