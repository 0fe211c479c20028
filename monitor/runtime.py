"""Wiring: settings → store, extractor, ingestor, poller. Used by the CLI and the dashboard."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from monitor.config import Settings, ingest_workers
from monitor.extract import Extractor
from monitor.extract.officials import load_registry
from monitor.feeds import load_feeds
from monitor.importer import ImportReport, import_files
from monitor.ingest import Ingestor
from monitor.parallel import ExtractorSpec, ProcessPool
from monitor.poller import Poller
from monitor.store import Store, open_store, utcnow


def build_extractor(settings: Settings) -> Extractor:
    return Extractor(load_registry(settings.officials_paths))


@dataclass
class Runtime:
    settings: Settings
    store: Store
    ingestor: Ingestor

    @property
    def extractor(self) -> Extractor:
        return self.ingestor.extractor

    def poller(self) -> Poller:
        return Poller(
            self.store, self.ingestor, self.settings, lambda: load_feeds(self.settings.feeds_path)
        )

    def close(self) -> None:
        try:
            if self.ingestor.pool is not None:
                self.ingestor.pool.close()
        finally:
            self.store.close()


def open_runtime(settings: Settings, read_only: bool = False) -> Runtime:
    """Store + ingestor. A read-write runtime gets a process pool of
    `settings.ingest_workers` (its workers start on the first batch worth shipping)."""
    store = open_store(
        settings.db_path, read_only=read_only, memory_limit=settings.duckdb_memory_limit
    )
    pool = None
    try:
        extractor = build_extractor(settings)
        workers = 0 if read_only else ingest_workers(settings)
        if workers > 0:
            spec = ExtractorSpec(tuple(settings.officials_paths))
            pool = ProcessPool(spec, workers, extractor=extractor, lazy=True)
        return Runtime(settings, store, Ingestor(store, extractor, settings, pool=pool))
    except BaseException:
        if pool is not None:
            pool.close()
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

    with tempfile.TemporaryDirectory(prefix="monitor-demo-") as tmp:
        target = out_dir or Path(tmp)
        paths = write_demo_corpus(target, end=end or demo_end(), days=days)
        return import_files(paths, runtime.ingestor)
