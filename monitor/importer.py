"""Import local files: feed XML, HTML article pages, scraped text pages, plain text.

One bad file is reported and skipped; the others go in. Each file is one ingest batch.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from monitor.ingest import FetchRecord, Ingestor, IngestResult
from monitor.models import FeedEntry
from monitor.parse import FeedParseError, article_id, parse_feed
from monitor.store import utcnow

SCRAPED_HEADER = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\b")
_HTML_START = re.compile(rb"^\s*(<!doctype html|<html)", re.IGNORECASE)
_FEED_START = re.compile(rb"<(rss|feed|rdf:RDF)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ImportReport:
    path: Path
    feed: str | None
    result: IngestResult | None
    error: str | None

    def line(self) -> str:
        if self.error:
            return f"{self.path}: SKIPPED ({self.error})"
        r = self.result
        return f"{self.path}: {self.feed}: {r.seen} items, {r.new} new, {r.updated} updated"


FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".rdf"})


def detect_kind(data: bytes, suffix: str = "") -> str:
    """feed | page | scraped | text, from the first bytes (a .xml file is always a feed)."""
    head = data[:2048]
    if suffix.lower() in FEED_SUFFIXES:
        return "feed"
    if SCRAPED_HEADER.match(head.decode("utf-8", "replace")):
        return "scraped"
    if _FEED_START.search(head):
        return "feed"
    if _HTML_START.match(head):
        return "page"
    return "feed" if head.lstrip().startswith(b"<?xml") else "text"


def document_entry(path: Path, text: str, kind: str, source: str, now: datetime) -> FeedEntry:
    """A single document (page or text) as one entry of the pseudo-feed `source`."""
    guid = f"file:{path.name}"
    return FeedEntry(
        article_id=article_id(source, guid, None, None), feed=source, guid=guid, url=None,
        title=None, published=now, published_source="fetched", author=None, language=None,
        summary=None, raw_content=text, raw_kind=kind,
    )


def import_file(path: Path, ingestor: Ingestor, source: str | None = None) -> ImportReport:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ImportReport(path, None, None, f"cannot read: {exc.strerror or exc}")
    now = utcnow()
    kind = detect_kind(data, path.suffix)
    try:
        feed, entries = _entries(path, data, kind, source, now)
    except FeedParseError as exc:
        return ImportReport(path, None, None, f"malformed feed: {exc}")
    record = FetchRecord(feed=feed, url=f"file:{path.name}", started_at=now, status=None)
    return ImportReport(path, feed, ingestor.ingest(feed, entries, record), None)


def _entries(path: Path, data: bytes, kind: str, source: str | None, now: datetime):
    if kind == "feed":
        parsed = parse_feed(data, source or "import", now)
        feed = source or (parsed.title or path.stem).strip()
        if feed != "import":  # ids and names follow the feed's own title
            return feed, _renamed(parsed.entries, feed)
        return feed, parsed.entries
    text = data.decode("utf-8", errors="replace")
    feed = source or "import"
    return feed, (document_entry(path, text, kind, feed, now),)


def _renamed(entries: Sequence[FeedEntry], feed: str) -> tuple[FeedEntry, ...]:
    """The entries as parse_feed(data, feed) returns them, without parsing twice (feedparser
    is the costliest step of an import): the id basis does not depend on the feed name."""
    return tuple(
        replace(e, feed=feed, article_id=article_id(feed, e.guid, e.url, e.title)) for e in entries
    )


def import_files(
    paths: Sequence[Path], ingestor: Ingestor, source: str | None = None
) -> list[ImportReport]:
    return [import_file(Path(p), ingestor, source) for p in paths]
