"""Wiring: settings → store, extractor, ingestor, poller. Used by the CLI and the dashboard."""

from __future__ import annotations

import tempfile
import threading
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.config import Settings, ingest_workers
from monitor.extract import Extractor
from monitor.extract.officials import load_registry
from monitor.feeds import load_feeds
from monitor.store import WRITER_THREADS, Store, open_store, utcnow

if TYPE_CHECKING:  # the ingest side is imported when first used (see Runtime.ingestor)
    from monitor.importer import ImportReport
    from monitor.ingest import Ingestor
    from monitor.poller import Poller


def build_extractor(settings: Settings) -> Extractor:
    return Extractor(load_registry(settings.officials_paths))


class Runtime:
    """The store, the extractor and, built on first use, the ingestor with its pool.

    The dashboard's pages only read the store: building the ingestor (the ingest modules,
    the process pool, and the story index warmed from the last days' texts — seconds to
    minutes on a big store) happens in the background thread that first ingests, not
    before the first page is drawn."""

    def __init__(self, settings: Settings, store: Store, extractor: Extractor, read_only: bool):
        self.settings = settings
        self.store = store
        self.extractor = extractor
        self.read_only = read_only
        self._ingestor: Ingestor | None = None
        self._lock = threading.Lock()

    @property
    def ingestor(self) -> Ingestor:
        with self._lock:
            if self._ingestor is None:
                self._ingestor = _build_ingestor(self)
            return self._ingestor

    def poller(self) -> Poller:
        from monitor.poller import Poller

        return Poller(
            self.store, self.ingestor, self.settings, lambda: load_feeds(self.settings.feeds_path)
        )

    def close(self) -> None:
        try:
            with self._lock:
                if self._ingestor is not None and self._ingestor.pool is not None:
                    self._ingestor.pool.close()
        finally:
            self.store.close()


def _build_ingestor(runtime: Runtime) -> Ingestor:
    """A read-write runtime's ingestor gets a process pool of `settings.ingest_workers` (its
    workers start on the first batch worth shipping)."""
    from monitor.ingest import Ingestor
    from monitor.parallel import ExtractorSpec, ProcessPool

    settings = runtime.settings
    workers = 0 if runtime.read_only else ingest_workers(settings)
    pool = None
    if workers > 0:
        spec = ExtractorSpec(tuple(settings.officials_paths))
        pool = ProcessPool(spec, workers, extractor=runtime.extractor, lazy=True)
    try:
        return Ingestor(runtime.store, runtime.extractor, settings, pool=pool)
    except BaseException:
        if pool is not None:
            pool.close()
        raise


def open_runtime(settings: Settings, read_only: bool = False, writer_only: bool = False) -> Runtime:
    """Store + extractor (a broken officials file fails here, at start); the ingestor is
    built when first used. ``writer_only``: this process serves no dashboard page (a
    command-line poll or import), so DuckDB runs with WRITER_THREADS threads."""
    store = open_store(
        settings.db_path,
        read_only=read_only,
        memory_limit=settings.duckdb_memory_limit,
        threads=WRITER_THREADS if writer_only else None,
    )
    try:
        return Runtime(settings, store, build_extractor(settings), read_only)
    except BaseException:
        store.close()
        raise


def demo_end(now: datetime | None = None) -> datetime:
    """The demo ends at the start of the current hour: recent, never in the future."""
    now = now or utcnow()
    return now.replace(minute=0, second=0, microsecond=0)


def load_demo(
    runtime: Runtime, out_dir: Path | None = None, days: int = 130, end: datetime | None = None
) -> list[ImportReport]:
    """Generate the demo corpus as feed files and import them through the real import path."""
    from monitor.demo import write_demo_corpus
    from monitor.importer import import_files

    with tempfile.TemporaryDirectory(prefix="monitor-demo-") as tmp:
        target = out_dir or Path(tmp)
        paths = write_demo_corpus(target, end=end or demo_end(), days=days)
        return import_files(paths, runtime.ingestor)
