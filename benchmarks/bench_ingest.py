"""End-to-end ingest throughput: synthetic feed files → import_files → a fresh DuckDB file.

    .venv/bin/python benchmarks/bench_ingest.py --articles 20000 --runs 3
    .venv/bin/python benchmarks/bench_ingest.py --full-pages --articles 2000 --runs 3
    .venv/bin/python benchmarks/bench_ingest.py --smoke

The real path (monitor.importer.import_files → Ingestor: parse → clean → extract → story
grouping → learned boilerplate → DuckDB) is timed as a whole; stage shares come from
perf_counter wrappers around the stage functions (a few µs of overhead per call). The same
bytes also go through feedparser alone and a bare lxml parse: the floors no tuning of ours
can beat. Generating the corpus is not timed.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import feedparser  # noqa: E402
from lxml import etree  # noqa: E402

from monitor import aggregates, fastfeed, ingest, parse, pipeline, sql, stories, terms  # noqa: E402
from monitor import store as store_mod  # noqa: E402
from monitor.config import Settings  # noqa: E402
from monitor.extract import Extractor  # noqa: E402
from monitor.importer import import_files  # noqa: E402
from monitor.parallel import ExtractorSpec, Pending, ProcessPool  # noqa: E402
from monitor.runtime import build_extractor  # noqa: E402
from monitor.store import WRITER_THREADS, open_store  # noqa: E402
from monitor.synth import SynthConfig, iter_entries, write_feeds, write_pages  # noqa: E402

STAGES = ("parse", "probe", "clean", "extract", "pool", "learn", "stories", "write")


class StageClock:
    """CPU seconds per stage, of the thread that runs it; nested stages are subtracted from
    their parent (per thread: the ingestor writes in a thread of its own while this thread
    learns and cleans the next batches).

    CPU time, not wall time: the benchmark machine is shared, and another process taking
    the core would otherwise show up in whichever stage happened to be running. Time the
    main process spends waiting for the pool is CPU-free; the workers' CPU is reported
    separately. The CPU of the process's other threads (DuckDB's own, the pool's feeder
    and result threads) is in no stage: `report_stages` shows it in "rest"."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._local = threading.local()

    def wrap(self, stage: str, fn: Callable) -> Callable:
        def timed(*args, **kwargs):
            stack = self._local.__dict__.setdefault("stack", [])
            stack.append(stage)
            t0 = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent = time.thread_time() - t0
                stack.pop()
                self.seconds[stage] += spent
                if stack:  # the parent does not count time spent in a nested stage
                    self.seconds[stack[-1]] -= spent

        return timed


@contextmanager
def instrumented(clock: StageClock):
    """Patch the stage functions with timing wrappers for the duration of one run."""
    targets = [
        (parse, "file_entries", "parse"),  # in this process only (not in pool workers)
        (ingest.Ingestor, "_known_hashes", "probe"),
        (pipeline, "clean_entry", "clean"),
        (Extractor, "extract", "extract"),
        (Pending, "result", "pool"),  # waiting for the workers (and unpickling)
        (ingest.Ingestor, "_learn", "learn"),
        (stories.StoryIndex, "assign_many", "stories"),
        (ingest.Ingestor, "_write", "write"),
    ]
    with ExitStack() as stack:
        for owner, name, stage in targets:
            original = getattr(owner, name)
            stack.enter_context(mock.patch.object(owner, name, clock.wrap(stage, original)))
        yield


class ThreadCPU:
    """CPU seconds of each thread of this process during a run, by role: the importing
    thread ("main"), the ingest writer, the pool's feeder (pickles and sends tasks) and
    result (receives and unpickles) threads, and the rest (DuckDB's own threads). Read from
    /proc/self/task every ``every`` seconds, so a thread that ends is counted up to its last
    sample (at most ``every`` s of it is lost); Linux only (elsewhere: nothing)."""

    def __init__(self, every: float = 0.1) -> None:
        self.every = every
        self._last: dict[int, tuple[str, float]] = {}  # tid -> (role, cpu seconds)
        self._start: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-thread-cpu", daemon=True)
        self._tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def __enter__(self) -> ThreadCPU:
        self._start = {tid: cpu for tid, (_, cpu) in self._sample().items()}
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self._sample()

    def _sample(self) -> dict[int, tuple[str, float]]:
        names = {t.native_id: t.name for t in threading.enumerate()}
        try:
            tids = [int(t) for t in os.listdir("/proc/self/task")]
        except OSError:
            return self._last
        for tid in tids:
            if tid == self._thread.native_id:
                continue  # the sampler's own CPU is the benchmark's, not the ingest's
            try:
                fields = Path(f"/proc/self/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            cpu = (int(fields[11]) + int(fields[12])) / self._tick  # utime + stime
            # a thread keeps the first role it was named with (an ending thread leaves
            # threading.enumerate() before its last sample)
            prev = self._last.get(tid, ("other", 0.0))[0]
            self._last[tid] = (prev if prev != "other" else _role(names.get(tid), tid), cpu)
        return self._last

    def seconds(self) -> dict[str, float]:
        roles: dict[str, float] = defaultdict(float)
        for tid, (role, cpu) in self._last.items():
            roles[role] += cpu - self._start.get(tid, 0.0)
        return dict(roles)


def _role(name: str | None, tid: int) -> str:
    if tid == os.getpid():
        return "main"
    if name is None:
        return "other"  # no Python thread: DuckDB's
    if name.startswith("ingest-writer"):
        return "writer"
    if name.startswith("QueueFeederThread"):
        return "pool feeder"
    if name.startswith("Thread-"):  # concurrent.futures' result thread is unnamed
        return "pool results"
    return "other"


class StatementClock:
    """CPU seconds of each SQL statement the ingesting process runs, by query name (and of
    the writer's COMMITs, the vacuuming CHECKPOINTs and a few enclosing calls, marked *):
    the calling thread's time (the writer's share) and the whole process's (adds what
    DuckDB's own threads did meanwhile, and whatever other threads of the process ran:
    read it as an upper bound). Which statements grow with the store's size is the question
    it answers (`--statements`)."""

    def __init__(self) -> None:
        self.calls: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])

    def timed(self, name: str, fn: Callable, *args, **kwargs):
        since = time.thread_time(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            self.add(name, since)

    def add(self, name: str, since: tuple[float, float]) -> None:
        """One call of `name`, from `since` (thread_time, process_time) to now."""
        entry = self.calls[name]
        entry[0] += 1
        entry[1] += time.thread_time() - since[0]
        entry[2] += time.process_time() - since[1]

    def wrap(self, name: str, fn: Callable) -> Callable:
        return lambda *args, **kwargs: self.timed(name, fn, *args, **kwargs)

    def report(self, items: int, top: int = 25) -> None:
        print(f"statements (run 1, ms/item; thread = the caller's CPU, process = all its "
              f"threads', top {top} by process):")  # fmt: skip
        ranked = sorted(self.calls.items(), key=lambda kv: -kv[1][2])
        for name, (n, thread_s, process_s) in ranked[:top]:
            print(f"  {name:42s} n={n:5d} thread {thread_s / items * 1e3:6.3f} "
                  f"process {process_s / items * 1e3:6.3f}")  # fmt: skip


class _TimedRelation:
    """A relation whose `to_arrow_table` (where a SELECT's work happens) is timed."""

    def __init__(self, clock: StatementClock, name: str, relation) -> None:
        self._clock, self._name, self._relation = clock, name, relation

    def to_arrow_table(self):
        return self._clock.timed(self._name + " (arrow)", self._relation.to_arrow_table)


@contextmanager
def statements_timed(clock: StatementClock):
    """Patch the store's statement entry points with `clock`'s timers for one run."""
    execute, relation, insert = sql.execute, aggregates._relation, ingest.insert_arrow
    transaction, vacuuming = store_mod.Store.transaction, store_mod.Store.vacuuming

    def timed_relation(cur, name, **params):
        return _TimedRelation(clock, name, clock.timed(name, relation, cur, name, **params))

    @contextmanager
    def timed_transaction(self):
        opened = transaction(self)
        cur = opened.__enter__()
        try:
            yield cur
        except BaseException:
            opened.__exit__(*sys.exc_info())  # rolls back and re-raises
            raise
        clock.timed("*COMMIT", opened.__exit__, None, None, None)

    @contextmanager
    def timed_vacuuming(self):
        with vacuuming(self):
            yield
            started = time.thread_time(), time.process_time()
        clock.add("*vacuuming CHECKPOINT", started)

    patches = [
        (sql, "execute", lambda cur, name, **p: clock.timed(name, execute, cur, name, **p)),
        (aggregates, "_relation", timed_relation),
        (ingest, "insert_arrow",
         lambda cur, table, rows: clock.timed("insert " + table, insert, cur, table, rows)),
        (store_mod.Store, "transaction", timed_transaction),
        (store_mod.Store, "vacuuming", timed_vacuuming),
        (ingest.Ingestor, "_write", clock.wrap("*Ingestor._write", ingest.Ingestor._write)),
        (aggregates, "append", clock.wrap("*aggregates.append", aggregates.append)),
        (aggregates, "compact", clock.wrap("*aggregates.compact", aggregates.compact)),
        (aggregates, "refresh", clock.wrap("*aggregates.refresh", aggregates.refresh)),
        (terms, "refresh", clock.wrap("*terms.refresh", terms.refresh)),
    ]  # fmt: skip
    with ExitStack() as stack:
        for owner, name, replacement in patches:
            stack.enter_context(mock.patch.object(owner, name, replacement))
        yield


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class BusyCores:
    """How many cores this process and the pool's workers keep busy, sampled every ``every``
    seconds: where a run leaves cores idle (the pipeline waiting for a write, the final
    derive step) and for how long. Counts only these processes, so it holds under load too
    (where the others' share shows up as idle). The pool's own share is kept per sample too:
    the run's tail is what comes after the workers stop (`tail_split`)."""

    def __init__(self, pool: ProcessPool | None, every: float = 0.25) -> None:
        self.every, self._pool = every, pool
        self.samples: list[float] = []  # busy cores in each interval
        self.pool_samples: list[float] = []  # of which the pool's workers
        self.rss_samples: list[float] = []  # this process's resident MB at each sample
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-busy", daemon=True)

    def _cpu(self) -> tuple[float, float]:
        pool = self._pool.cpu_seconds() if self._pool else 0.0
        return time.process_time() + pool, pool

    def __enter__(self) -> BusyCores:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        t, (cpu, pool) = time.perf_counter(), self._cpu()
        while not self._stop.wait(self.every):
            t2, (cpu2, pool2) = time.perf_counter(), self._cpu()
            self.samples.append((cpu2 - cpu) / (t2 - t))
            self.pool_samples.append((pool2 - pool) / (t2 - t))
            rss = resident_mb()
            if rss is not None:
                self.rss_samples.append(rss)
            t, cpu, pool = t2, cpu2, pool2

    def summary(self, cores: int) -> str:
        """Seconds spent under ~1.5 of 2 cores busy (for 2 cores), the idle core-seconds, and
        the run split at its tail (`tail_split`)."""
        low = cores - 0.5
        under = sum(self.every for b in self.samples if b < low)
        idle = sum(max(0.0, cores - b) * self.every for b in self.samples)
        body, tail = tail_split(self.samples, low, self.pool_samples or None)
        split = ""
        if body and tail:
            split = (
                f"; before the tail {sum(body) / len(body):.2f} busy, then a tail of "
                f"{len(tail) * self.every:.1f} s at {sum(tail) / len(tail):.2f}"
            )
        if self.pool_samples:  # the workers waiting for work before the tail
            starved = sum(self.every for p in self.pool_samples[: len(body)] if p < POOL_DONE_BELOW)
            split += f"; the pool starved {starved:.1f} s before it"
        return f"{under:.1f} s under {low:g} cores busy, {idle:.1f} idle core-seconds{split}"

    def memory(self, cores: int) -> str:
        """Where this process's resident memory peaked: before the tail or in it (a closing
        merge rewrites whole row groups), from the samples."""
        rss = self.rss_samples
        if not rss:
            return ""
        body, _ = tail_split(self.samples, cores - 0.5, self.pool_samples or None)
        before, after = rss[: len(body)], rss[len(body) :]
        parts = [f"main-process RSS (sampled): {max(rss):,.0f} MB at most"]
        if before:
            parts.append(f"{max(before):,.0f} before the tail")
        if after:
            parts.append(f"{max(after):,.0f} in it")
        return ", ".join(parts)


def resident_mb() -> float | None:
    """This process's resident set now, in MB as `peak_rss_mb` counts them (MiB; Linux
    /proc; None elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


# A sample in which the pool's workers used less than this many cores is after their work
# (or a stall: they waited for a batch). Working, they use ~1.0-1.7 of 2 cores; waiting,
# 0.00-0.02 (round 19's samples, /work/notes/r19/stalls).
POOL_DONE_BELOW = 0.25


def tail_split(
    samples: list[float], low: float, pool: list[float] | None = None
) -> tuple[list[float], list[float]]:
    """The samples up to the end of the pool's work, and the ones after it: the tail in which
    only the main process works (the last writes and derive step, the closing compaction and
    merge). With ``pool`` (the workers' share of each sample), the tail starts after the last
    sample in which they used POOL_DONE_BELOW cores or more; DuckDB's threads may keep two
    cores busy for a while in the tail (a merge of several tables), which does not end it.
    Without it (no pool), after the last two samples in a row at or above ``low`` busy
    cores."""
    if pool is not None:
        last = max((i for i, p in enumerate(pool) if p >= POOL_DONE_BELOW), default=-1)
    else:
        pairs = (i for i in range(1, len(samples)) if min(samples[i - 1], samples[i]) >= low)
        last = max(pairs, default=-1)
    return samples[: last + 1], samples[last + 1 :]


@dataclass
class RunResult:
    wall: float  # seconds, import only (pool start-up excluded)
    cpu: float  # seconds of CPU, this process and the pool's workers
    stored: int
    main_cpu: float = 0.0  # seconds of CPU of this process alone (the single writer)
    threads: dict[str, float] = field(default_factory=dict)  # its CPU seconds by thread
    busy: str = ""  # BusyCores.summary
    memory: str = ""  # BusyCores.memory


def ingest_once(
    paths: list[Path],
    workers: int,
    clock: StageClock | None,
    batch_items: int,
    threads: int | None = None,
) -> RunResult:
    """One import into a fresh database, with DuckDB's ``threads`` (None: its default, as
    `monitor import` opens it)."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-db-"))
    settings = Settings(db_path=tmp / "bench.duckdb", import_batch_items=batch_items)
    store = open_store(settings.db_path, memory_limit=settings.duckdb_memory_limit, threads=threads)
    pool = ProcessPool(ExtractorSpec(settings.officials_paths), workers) if workers else None
    try:
        extractor = pool.extractor if pool else build_extractor(settings)
        extra = {"pool": pool} if pool else {}
        ingestor = ingest.Ingestor(store, extractor, settings, **extra)
        worker_cpu0 = 0.0
        if pool:  # start the workers (and build their extractors) before the clock runs
            pool.process(list(iter_entries(SynthConfig(articles=4 * workers * 8, sources=1))))
            worker_cpu0 = pool.cpu_seconds()
        with (
            instrumented(clock) if clock else ExitStack(),
            ThreadCPU() as threads,
            BusyCores(pool) as busy,
        ):
            t0, c0 = time.perf_counter(), time.process_time()
            reports = import_files(paths, ingestor)
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        main_cpu = cpu
        if pool:
            cpu += pool.cpu_seconds() - worker_cpu0
        stored = store.count_articles()
    finally:
        if pool:
            pool.close()
        store.close()
        shutil.rmtree(tmp, ignore_errors=True)
    failed = [r for r in reports if r.error]
    if failed:
        raise SystemExit(f"import failed: {failed[0].line()}")
    cores = _cores()
    summary, memory = busy.summary(cores), busy.memory(cores)
    return RunResult(wall, cpu, stored, main_cpu, threads.seconds(), summary, memory)


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def floors(paths: list[Path], items: int) -> dict[str, float]:
    """items/s of feedparser alone and of a bare lxml parse over the same bytes (and of the
    fast path). One file in memory at a time: holding the whole corpus (2.5 GB at 500k items)
    made the run's peak RSS the floors', not the import's."""
    t_fp = t_lxml = t_fast = 0.0
    taken = 0
    for path in paths:
        b = path.read_bytes()
        t0 = time.perf_counter()
        feedparser.parse(b, sanitize_html=False, resolve_relative_uris=False)
        t1 = time.perf_counter()
        etree.fromstring(b, etree.XMLParser(huge_tree=True))
        t2 = time.perf_counter()
        taken += fastfeed.parse(b) is not None
        t3 = time.perf_counter()
        t_fp, t_lxml, t_fast = t_fp + t1 - t0, t_lxml + t2 - t1, t_fast + t3 - t2
    return {"feedparser": items / t_fp, "lxml": items / t_lxml, "fast": items / t_fast,
            "fast_files": taken / max(len(paths), 1)}  # fmt: skip


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):,.0f} (min {min(values):,.0f}, max {max(values):,.0f})"


def _modules_line() -> str:
    """Whether this run's modules are speedups.py's binaries (the pool's workers load the
    same files): numbers from the two kinds are not comparable."""
    compiled = [
        name
        for name, module in sys.modules.items()
        if name.startswith("monitor") and str(getattr(module, "__file__", "")).endswith(".so")
    ]
    if not compiled:
        return "modules: plain Python"
    return f"modules: {len(compiled)} compiled by speedups.py (MONITOR_PURE_PYTHON=1: plain)"


def run(args: argparse.Namespace) -> None:
    corpus = Path(tempfile.mkdtemp(prefix="bench-ingest-corpus-"))
    try:
        cfg = SynthConfig(articles=args.articles, days=args.days, sources=args.sources,
                          items_per_file=args.items_per_file,
                          per_paragraph_names=args.per_paragraph_names)  # fmt: skip
        paths = write_pages(cfg, corpus) if args.full_pages else list(write_feeds(cfg, corpus))
        mb = sum(p.stat().st_size for p in paths) / 1e6
        unit = "pages" if args.full_pages else "items"
        print(f"corpus: {args.articles} {unit} in {len(paths)} files ({mb:,.1f} MB), "
              f"{args.sources} sources, workers={args.workers}, "
              f"batch items={args.batch_items}, duckdb threads={args.duckdb_threads or 'default'}, "
              f"derive every {ingest.DERIVE_EVERY_ITEMS:,} articles, names "
              f"{'per paragraph (rounds 1-11)' if args.per_paragraph_names else 'per article'}")  # fmt: skip
        print(_modules_line())
        rates, cpu_ms, main_ms, clock = [], [], [], StageClock()
        statement_clock, first_stored = StatementClock(), 0
        first_main_s = 0.0
        for i in range(args.runs):
            # The stage wrappers cost a little: only the first run is instrumented.
            timed = statements_timed(statement_clock) if i == 0 and args.statements else None
            with GcClock() as collected, timed or ExitStack():
                r = ingest_once(paths, args.workers, clock if i == 0 else None,
                                args.batch_items, args.duckdb_threads or None)  # fmt: skip
            if i == 0:
                first_main_s, first_stored = r.main_cpu, r.stored
            rates.append(r.stored / r.wall)
            cpu_ms.append(r.cpu / r.stored * 1e3)
            main_ms.append(r.main_cpu / r.stored * 1e3)
            print(f"run {i + 1}: {r.stored} stored in {r.wall:.2f} s = {rates[-1]:,.0f} "
                  f"{unit}/s, CPU {cpu_ms[-1]:.2f} ms/{unit[:-1]} "
                  f"(main process {main_ms[-1]:.2f})")  # fmt: skip
            print(f"  main process by thread, ms/{unit[:-1]}: {thread_shares(r)}")
            print(f"  busy cores: {r.cpu / r.wall:.2f} of {_cores()} on average; {r.busy}")
            if r.memory:
                print(f"  {r.memory}")
            print(f"  main-process garbage collection: "
                  f"{collected.seconds / r.stored * 1e3:.3f} ms/{unit[:-1]} in "
                  f"{collected.collections} collections ({collected.generations()}), "
                  f"thresholds {gc.get_threshold()}")  # fmt: skip
        print(f"ingest: {summary(rates)} {unit}/s end to end (median of {args.runs})")
        print(f"cpu: {statistics.median(cpu_ms):.2f} ms/{unit[:-1]} "
              f"(min {min(cpu_ms):.2f}, max {max(cpu_ms):.2f}; all processes)")  # fmt: skip
        print(f"main-process cpu: {statistics.median(main_ms):.2f} ms/{unit[:-1]} "
              f"(min {min(main_ms):.2f}, max {max(main_ms):.2f}; the single writer, "
              f"run 1 instrumented)")  # fmt: skip
        report_stages(clock, first_main_s)
        if args.statements:
            statement_clock.report(first_stored)
        if not args.full_pages:
            fl = floors(paths, args.articles)
            print(f"floor feedparser: {fl['feedparser']:,.0f} items/s")
            print(f"floor lxml: {fl['lxml']:,.0f} items/s")
            print(f"fast path alone (monitor.fastfeed): {fl['fast']:,.0f} items/s, "
                  f"taken by {fl['fast_files']:.0%} of the files")  # fmt: skip
        print(f"peak RSS: {peak_rss_mb():,.0f} MB")
    finally:
        shutil.rmtree(corpus, ignore_errors=True)


class GcClock:
    """The cyclic collector's CPU time in this (the writer's) process, by gc.callbacks: each
    collection runs on the thread that triggered it, so it is timed with thread_time."""

    def __init__(self) -> None:
        self.seconds, self.collections = 0.0, 0
        self.by_generation = [0.0, 0.0, 0.0]  # seconds of collections of each generation
        self._started: dict[int, float] = {}

    def __call__(self, phase: str, info: dict) -> None:
        me = threading.get_ident()
        if phase == "start":
            self._started[me] = time.thread_time()
        elif me in self._started:
            took = time.thread_time() - self._started.pop(me)
            self.seconds += took
            self.by_generation[min(info.get("generation", 2), 2)] += took
            self.collections += 1

    def generations(self) -> str:
        """Where the collection time went: a young collection walks the objects made since
        the last one, a full one (generation 2) every tracked object of the process."""
        return ", ".join(f"gen{g} {s:.2f} s" for g, s in enumerate(self.by_generation))

    def __enter__(self) -> GcClock:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc) -> None:
        gc.callbacks.remove(self)


def thread_shares(r: RunResult) -> str:
    order = ("main", "writer", "pool feeder", "pool results", "other")
    return ", ".join(
        f"{role} {r.threads[role] / r.stored * 1e3:.2f}" for role in order if role in r.threads
    )


def report_stages(clock: StageClock, main_cpu: float | None = None) -> None:
    """Stage shares of the instrumented run's main-process CPU (``main_cpu`` seconds)."""
    staged = sum(clock.seconds.values())
    if not staged:
        return
    total = max(main_cpu or staged, staged)
    shares = ", ".join(
        f"{s} {clock.seconds.get(s, 0.0) / total:.0%}" for s in STAGES if s in clock.seconds
    )
    print(f"stages (run 1, main-process CPU {total:.2f} s): {shares}, "
          f"rest {(total - staged) / total:.0%} (other threads, code outside the stages)")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--sources", type=int, default=300)
    parser.add_argument("--items-per-file", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=0, help="process pool size (0: none)")
    parser.add_argument(
        "--batch-items", type=int, default=Settings.import_batch_items,
        help="import: consecutive files of one feed merged into batches of up to this many",
    )  # fmt: skip
    parser.add_argument(
        "--duckdb-threads", type=int, default=0,
        help="DuckDB threads of the importing process (0: DuckDB's default, as `monitor "
        f"import`; {WRITER_THREADS}: store.WRITER_THREADS, a writer-only runtime)",
    )  # fmt: skip
    parser.add_argument(
        "--derive-every", type=int, default=0,
        help="articles between derive steps (0: ingest.DERIVE_EVERY_ITEMS; a huge number: "
        "one derive at the end of the import, to see what the derive steps cost)",
    )  # fmt: skip
    parser.add_argument(
        "--per-paragraph-names", action="store_true",
        help="the corpus of rounds 1-11: new country and official names in every paragraph "
        "(~19 countries an article instead of ~3; SynthConfig.per_paragraph_names)",
    )  # fmt: skip
    parser.add_argument(
        "--statements", action="store_true",
        help="time every SQL statement of run 1 by query name (the writer's CPU and the "
        "process's) and print the costliest",
    )  # fmt: skip
    parser.add_argument("--full-pages", action="store_true", help="HTML pages via trafilatura")
    parser.add_argument("--smoke", action="store_true", help="tiny run (300 items, 1 run)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.articles, args.runs, args.sources = (40 if args.full_pages else 300), 1, 10
    if args.derive_every:  # the importing (main) process is the one that derives
        ingest.DERIVE_EVERY_ITEMS, ingest.DERIVE_EVERY_S = args.derive_every, float("inf")
    run(args)


if __name__ == "__main__":
    main()
