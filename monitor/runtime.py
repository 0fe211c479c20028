"""Wiring: settings → store, extractor, ingestor, poller. Used by the CLI and the dashboard."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from monitor.config import Settings
from monitor.extract import Extractor
from monitor.extract.officials import load_registry
from monitor.feeds import load_feeds
from monitor.importer import ImportReport, import_files
from monitor.ingest import Ingestor
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
        return Poller(self.store, self.ingestor, self.settings,
                      lambda: load_feeds(self.settings.feeds_path))

    def close(self) -> None:
        self.store.close()


def open_runtime(settings: Settings, read_only: bool = False) -> Runtime:
    store = open_store(settings.db_path, read_only=read_only)
    try:
        return Runtime(settings, store, Ingestor(store, build_extractor(settings), settings))
    except BaseException:
        store.close()
        raise


def demo_end(now: datetime | None = None) -> datetime:
    """The demo ends at the start of the current hour: recent, never in the future."""
    now = now or utcnow()
    return now.replace(minute=0, second=0, microsecond=0)


def load_demo(runtime: Runtime, out_dir: Path | None = None, days: int = 130,
              end: datetime | None = None) -> list[ImportReport]:
    """Generate the demo corpus as feed files and import them through the real import path."""
    from monitor.demo import write_demo_corpus

    with tempfile.TemporaryDirectory(prefix="monitor-demo-") as tmp:
        target = out_dir or Path(tmp)
        paths = write_demo_corpus(target, end=end or demo_end(), days=days)
        return import_files(paths, runtime.ingestor)
