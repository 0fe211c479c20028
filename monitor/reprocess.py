"""Re-run cleaning and extraction over the raw content kept in the store."""

from __future__ import annotations

from itertools import groupby

from monitor.models import FeedEntry
from monitor.runtime import Runtime

BATCH = 500


def stored_entry(row: tuple) -> FeedEntry:
    (
        art_id,
        feed,
        guid,
        url,
        title,
        published,
        provenance,
        author,
        language,
        summary,
        raw,
        kind,
        tags,
    ) = row
    return FeedEntry(
        article_id=art_id,
        feed=feed,
        guid=guid,
        url=url,
        title=title,
        published=published,
        published_source=provenance,
        author=author,
        language=language,
        summary=summary,
        raw_content=raw or "",
        raw_kind=kind,
        tags=tuple(tags or ()),
    )


def reprocess(runtime: Runtime, feed: str | None = None) -> int:
    """Rewrite every stored article (of one feed) from its raw content; returns the count."""
    rows = runtime.store.query("stored_entries", feed=feed)
    count = 0
    for name, group in groupby((stored_entry(r) for r in rows), key=lambda e: e.feed):
        entries = list(group)
        for i in range(0, len(entries), BATCH):
            count += runtime.ingestor.ingest(name, entries[i : i + BATCH], force=True).updated
    return count
