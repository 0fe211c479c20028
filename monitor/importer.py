"""Import local files: feed XML, HTML article pages, scraped text pages, plain text.

One bad file is reported and skipped; the others go in. Files of one feed (within a window
of GROUP_WINDOW files) are stored as one ingest batch (one transaction) of up to
`Settings.import_batch_items` entries, as long as no article is in two of them; each file
keeps its own report and fetch record. Grouping changes batch boundaries, so boilerplate
is learned from bigger samples and stories see the feeds in another order than file by
file (as with a poller that fetched the feeds in another order). With a process pool the workers parse the files (bytes in, entries out) and clean
and extract the next batch while this process groups stories and writes the current one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from monitor.ingest import Batch, FetchRecord, Ingestor, IngestResult
from monitor.parse import (  # noqa: F401 (re-exported: the importer's public helpers)
    FEED_SUFFIXES,
    SCRAPED_HEADER,
    FeedParseError,
    ParsedFile,
    detect_kind,
    document_entry,
    file_entries,
    parse_file,
)
from monitor.store import utcnow

# Files parsed ahead of the writer (bounded: at most this many parsed files wait in memory).
PARSE_AHEAD = 16
# Files regrouped by feed at once (small files of many feeds interleaved in time become
# one batch per feed: a batch has fixed costs of ~100 ms, a transaction and ~12 statements).
GROUP_WINDOW = 64


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
        line = f"{self.path}: {self.feed}: {r.seen} items, {r.new} new, {r.updated} updated"
        return line + r.failed_note()


def import_file(path: Path, ingestor: Ingestor, source: str | None = None) -> ImportReport:
    return import_files([path], ingestor, source)[0]


def import_files(
    paths: Sequence[Path],
    ingestor: Ingestor,
    source: str | None = None,
    batch_items: int | None = None,
) -> list[ImportReport]:
    limit = batch_items or ingestor.settings.import_batch_items
    reports: list[ImportReport | None] = [None] * len(paths)
    parsed = _parsed([Path(p) for p in paths], ingestor, source)
    for batch, _, parts in ingestor.ingest_many(_batches(parsed, reports, limit)):
        for (index, path), result in zip(batch.tag, parts, strict=True):
            reports[index] = ImportReport(path, batch.feed, result, None)
    return reports  # type: ignore[return-value]


def _parsed(paths: list[Path], ingestor: Ingestor, source: str | None) -> Iterator[ParsedFile]:
    """parse_file of each path, in order; in the pool's workers when there is one."""
    pool = ingestor.pool
    if pool is None:
        for path in paths:
            yield parse_file(path, source, utcnow())
        return
    ahead: deque = deque()
    todo = iter(paths)
    for path in todo:
        ahead.append(pool.submit_call(parse_file, [(path, source, utcnow())]))
        if len(ahead) >= PARSE_AHEAD:
            break
    while ahead:
        done = ahead.popleft().result()[0]
        nxt = next(todo, None)
        if nxt is not None:
            ahead.append(pool.submit_call(parse_file, [(nxt, source, utcnow())]))
        yield done


def _batches(
    parsed: Iterator[ParsedFile], reports: list[ImportReport | None], limit: int
) -> Iterator[Batch]:
    """Files of one feed merged into batches of at most ``limit`` entries (a bigger file is a
    batch of its own). Files are regrouped by feed within a window of ``GROUP_WINDOW``
    files (a feed's files keep their order; feeds come in the order they first appear), and
    a file repeating an id of its feed's open batch starts a new one."""
    window: dict[str, list[tuple[int, ParsedFile]]] = {}
    held = 0
    for index, pf in enumerate(parsed):
        if pf.error is not None:
            reports[index] = ImportReport(pf.path, None, None, pf.error)
            continue
        window.setdefault(pf.feed, []).append((index, pf))
        held += 1
        if held >= GROUP_WINDOW:
            for files in window.values():
                yield from _split(files, limit)
            window, held = {}, 0
    for files in window.values():
        yield from _split(files, limit)


def _split(files: list[tuple[int, ParsedFile]], limit: int) -> Iterator[Batch]:
    group: list[tuple[int, ParsedFile]] = []
    ids: set[str] = set()
    for index, pf in files:
        fresh = {e.article_id for e in pf.entries}
        if group and (len(ids) + len(fresh) > limit or not ids.isdisjoint(fresh)):
            yield _batch(group)
            group, ids = [], set()
        group.append((index, pf))
        ids |= fresh
    if group:
        yield _batch(group)


def _batch(group: list[tuple[int, ParsedFile]]) -> Batch:
    feed = group[0][1].feed
    entries = tuple(e for _, pf in group for e in pf.entries)
    hashes = {k: v for _, pf in group for k, v in pf.hashes.items()}
    parts = [
        (
            FetchRecord(feed=feed, url=f"file:{pf.path.name}", started_at=pf.now, status=None),
            None if len(group) == 1 else [e.article_id for e in pf.entries],
        )
        for _, pf in group
    ]
    tag = [(index, pf.path) for index, pf in group]
    return Batch(feed, entries, parts, hashes=hashes, tag=tag)
