"""Processed articles → Arrow tables shaped like the store's tables (for bulk appends)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import numpy as np
import pyarrow as pa

from monitor.models import Discovered, Extraction
from monitor.pipeline import ProcessedArticle, analyse
from monitor.stories import Sketch


def _table(keys: Sequence[str], rows, types: dict[str, pa.DataType] | None = None) -> pa.Table:
    """Column-wise Arrow table from row tuples (in `keys` order)."""
    columns = list(zip(*rows, strict=True)) or [() for _ in keys]
    types = types or {}
    return pa.table(
        {k: pa.array(list(c), types.get(k)) for k, c in zip(keys, columns, strict=True)}
    )


def _story(stories, article_id: str) -> tuple[str, float]:
    match = stories.get(article_id)
    return (match.story_id, match.similarity) if match else (article_id, 1.0)


ARTICLE_KEYS = (
    "id",
    "feed",
    "guid",
    "url",
    "title",
    "published",
    "published_source",
    "fetched_at",
    "updated_at",
    "author",
    "language",
    "summary",
    "raw_content",
    "raw_kind",
    "content_hash",
    "text",
    "story_id",
    "story_similarity",
    "tags",
)
_STRINGS = {
    k: pa.string()
    for k in (
        "guid",
        "url",
        "title",
        "author",
        "language",
        "summary",
        "speaker",
        "speaker_id",
        "speaker_role",
        "speaker_country",
        "cue",
    )
}
_TYPES = {
    **_STRINGS,
    "tags": pa.list_(pa.string()),
    "seq": pa.int32(),
    "start_pos": pa.int32(),
    "end_pos": pa.int32(),
    "published": pa.timestamp("us"),
}


def article_rows(
    processed: Sequence[ProcessedArticle], hashes: dict[str, str], stories, now: datetime
) -> pa.Table:
    rows = []
    for p in processed:
        e, story = p.entry, _story(stories, p.entry.article_id)
        rows.append(
            (
                e.article_id,
                e.feed,
                e.guid,
                e.url,
                e.title or p.cleaned.title,
                e.published,
                e.published_source,
                now,
                now,
                e.author,
                e.language,
                e.summary,
                e.raw_content,
                e.raw_kind,
                hashes.get(e.article_id, ""),
                p.cleaned.text,
                story[0],
                story[1],
                list(e.tags),
            )
        )
    return _table(ARTICLE_KEYS, rows, _TYPES)


def removed_rows(processed: Sequence[ProcessedArticle]) -> pa.Table:
    rows = [
        (p.entry.article_id, seq, span.text, span.reason)
        for p in processed
        for seq, span in enumerate(p.cleaned.removed)
    ]
    return _table(("article_id", "seq", "text", "reason"), rows, _TYPES)


def _is_spokesperson(extractor, entity_id: str | None) -> bool:
    registry = getattr(extractor, "registry", None)
    official = registry.get(entity_id) if registry is not None and entity_id else None
    return bool(official and official.spokesperson)


MENTION_KEYS = (
    "article_id",
    "kind",
    "entity_id",
    "name",
    "surface",
    "start_pos",
    "end_pos",
    "via",
    "spokesperson",
    "published",
    "feed",
    "story_id",
)
QUOTE_KEYS = (
    "article_id",
    "seq",
    "text",
    "start_pos",
    "end_pos",
    "speaker",
    "speaker_id",
    "speaker_kind",
    "speaker_role",
    "speaker_country",
    "spokesperson",
    "cue",
    "speaker_via_pronoun",
    "partial",
    "published",
    "feed",
    "story_id",
)


class Packed(NamedTuple):
    """One article's rows of a chunk's record batch: rows ``start:stop`` of ``batch`` (what
    `pack` makes in a pool worker)."""

    batch: pa.RecordBatch
    start: int
    stop: int

    def columns(self) -> tuple[tuple, ...]:
        """The same rows as plain column tuples (the unpacked form; ``()`` for no rows)."""
        if self.stop == self.start:
            return ()
        part = self.batch.slice(self.start, self.stop - self.start)
        return tuple(tuple(c.to_pylist()) for c in part.columns)


@dataclass(frozen=True, eq=False)
class ExtractionColumns:
    """An `Extraction` as the store's columns of plain values, one tuple per column in
    MENTION_COLUMNS / QUOTE_COLUMNS order (``()`` when there are none), or, as a pool worker
    sends them (`pack`), the article's rows of its chunk's record batch. What a pool worker
    sends back instead of ~70 Mention and ~10 Quote objects per article: unpickling those
    cost the main process ~300 µs per article; plain tuples cost a tenth of it."""

    mentions: tuple[tuple, ...] | Packed
    quotes: tuple[tuple, ...] | Packed
    discovered: tuple[Discovered, ...]

    def __eq__(self, other: object) -> bool:
        """Equal when the values are, packed or not (a packed article's batch holds its
        chunk's other articles too)."""
        if not isinstance(other, ExtractionColumns):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def _values(self) -> tuple:
        plain = self.unpacked()
        return plain.mentions, plain.quotes, plain.discovered

    def unpacked(self) -> ExtractionColumns:
        """The plain-tuple form (equal to `extraction_columns` of the same extraction)."""
        m, q = self.mentions, self.quotes
        if not isinstance(m, Packed) and not isinstance(q, Packed):
            return self
        m = m.columns() if isinstance(m, Packed) else m
        q = q.columns() if isinstance(q, Packed) else q
        return ExtractionColumns(m, q, self.discovered)


MENTION_COLUMNS = MENTION_KEYS[1:9]  # kind … spokesperson
QUOTE_COLUMNS = QUOTE_KEYS[1:14]  # seq … partial
# The middle columns' Arrow types (what inferring them from the values gives, fixed, so
# that every chunk's batch has the same schema).
_MIDDLE_TYPES = {
    **{k: pa.string() for k in (*MENTION_COLUMNS, *QUOTE_COLUMNS)},
    **{k: pa.int32() for k in ("seq", "start_pos", "end_pos")},
    **{k: pa.bool_() for k in ("spokesperson", "speaker_via_pronoun", "partial")},
}
MENTION_SCHEMA = pa.schema([(k, _MIDDLE_TYPES[k]) for k in MENTION_COLUMNS])
QUOTE_SCHEMA = pa.schema([(k, _MIDDLE_TYPES[k]) for k in QUOTE_COLUMNS])


def _batch(parts: Sequence[tuple[tuple, ...]], schema: pa.Schema) -> tuple[pa.RecordBatch, list]:
    """One record batch of the parts' rows, one after another, and each part's (start,
    stop) in it."""
    columns: list[list] = [[] for _ in schema]
    bounds, n = [], 0
    for cols in parts:
        if cols:
            for dst, src in zip(columns, cols, strict=True):
                dst += src
            bounds.append((n, n + len(cols[0])))
            n += len(cols[0])
        else:
            bounds.append((n, n))
    arrays = [pa.array(c, f.type) for c, f in zip(columns, schema, strict=True)]
    return pa.RecordBatch.from_arrays(arrays, schema=schema), bounds


def pack(items: Sequence[ExtractionColumns]) -> list[ExtractionColumns]:
    """A chunk's extractions with their mentions and quotes in one record batch each (what
    a pool worker sends): the main process unpickles a few Arrow buffers instead of
    thousands of small objects, and `mention_rows` / `quote_rows` take the rows from the
    batches instead of converting Python values (the main process is the bottleneck)."""
    mentions, m_bounds = _batch([c.mentions for c in items], MENTION_SCHEMA)
    quotes, q_bounds = _batch([c.quotes for c in items], QUOTE_SCHEMA)
    return [
        ExtractionColumns(Packed(mentions, *m), Packed(quotes, *q), c.discovered)
        for c, m, q in zip(items, m_bounds, q_bounds, strict=True)
    ]


def extraction_columns(x: Extraction, extractor) -> ExtractionColumns:
    """The columns `mention_rows` / `quote_rows` store (spokesperson flags need the
    extractor's registry, which every pool worker holds)."""
    mentions = [
        (m.kind, m.entity_id, m.name, m.text, m.start, m.end, m.via,
         m.kind == "official" and _is_spokesperson(extractor, m.entity_id))
        for m in x.mentions
    ]  # fmt: skip
    quotes = [
        (seq, q.text, q.start, q.end, q.speaker, q.speaker_id, q.speaker_kind, q.speaker_role,
         q.speaker_country,
         _is_spokesperson(extractor, q.speaker_id) or _role_is_spokes(q.speaker_role),
         q.cue, q.speaker_via_pronoun, q.partial)
        for seq, q in enumerate(x.quotes)
    ]  # fmt: skip
    return ExtractionColumns(
        tuple(zip(*mentions, strict=True)), tuple(zip(*quotes, strict=True)), x.discovered
    )


def analyse_columns(text: str, published: datetime, extractor) -> tuple[ExtractionColumns, Sketch]:
    """`pipeline.analyse` with the extraction as columns (what the ingestor stores)."""
    extraction, sk = analyse(text, published, extractor)
    return extraction_columns(extraction, extractor), sk


def _columns(keys: Sequence[str], columns: list[list], types: dict[str, pa.DataType]) -> pa.Table:
    return pa.table({k: pa.array(c, types.get(k)) for k, c in zip(keys, columns, strict=True)})


def _as_columns(p: ProcessedArticle, extractor) -> ExtractionColumns:
    x = p.extraction
    return x if isinstance(x, ExtractionColumns) else extraction_columns(x, extractor)


def _child_rows(keys, processed, stories, extractor, part: str) -> pa.Table:
    """Rows of one child table (mentions or quotes): the article's id first, its extracted
    columns, then its published time, feed and story repeated. Built column by column; the
    four per-article columns are converted once per article and repeated in Arrow (turning
    a datetime into a timestamp costs about a microsecond, and an article has ~70 mentions).
    The extracted columns are taken from the chunks' record batches (`pack`); those of
    articles in plain tuples are put in one more batch first."""
    schema = MENTION_SCHEMA if part == "mentions" else QUOTE_SCHEMA
    per_article: list[tuple] = []  # (id, published, feed, story) of articles with rows
    counts: list[int] = []
    starts: list[tuple[int, int]] = []  # (source batch, first row) of articles with rows
    batches: list[pa.RecordBatch] = []
    source: dict[int, int] = {}  # id(batch) -> its index in batches
    loose: list[tuple[tuple, ...]] = []  # plain columns of articles not packed
    loose_rows = 0
    for p in processed:
        cols = getattr(_as_columns(p, extractor), part)
        if isinstance(cols, Packed):
            count = cols.stop - cols.start
            if not count:
                continue
            k = source.setdefault(id(cols.batch), len(batches))
            if k == len(batches):
                batches.append(cols.batch)
            starts.append((k, cols.start))
        else:
            if not cols:
                continue
            count = len(cols[0])
            loose.append(cols)
            starts.append((-1, loose_rows))
            loose_rows += count
        e = p.entry
        per_article.append((e.article_id, e.published, e.feed, _story(stories, e.article_id)[0]))
        counts.append(count)
    if not per_article:
        return _columns(keys, [[] for _ in keys], _TYPES)
    if loose:
        batches.append(_batch(loose, schema)[0])
    middle = _taken(batches, starts, counts, schema)
    rows = pa.array(np.repeat(np.arange(len(per_article)), counts))
    ids, published, feeds, story_ids = (list(c) for c in zip(*per_article, strict=True))
    outer = [
        pa.array(c, _TYPES.get(k)).take(rows)
        for k, c in zip((keys[0], *keys[-3:]), (ids, published, feeds, story_ids), strict=True)
    ]
    columns = [outer[0], *middle.columns, *outer[1:]]
    return pa.table(dict(zip(keys, columns, strict=True)))


def _taken(batches: list, starts: list[tuple[int, int]], counts: list[int], schema) -> pa.Table:
    """The articles' rows, in article order, from the batches they are in (``starts``: the
    source batch (-1: the last) and first row of each article, ``counts`` its rows)."""
    offsets = np.cumsum([0, *(b.num_rows for b in batches)])
    last = len(batches) - 1
    first = np.array([offsets[last if k < 0 else k] + at for k, at in starts], dtype=np.int64)
    sizes = np.array(counts, dtype=np.int64)
    before = np.cumsum(sizes) - sizes  # each article's first row in the result
    index = np.repeat(first - before, sizes) + np.arange(int(sizes.sum()), dtype=np.int64)
    table = pa.Table.from_batches(batches, schema=schema).combine_chunks()
    if len(index) == table.num_rows and (index == np.arange(len(index))).all():
        return table  # (every row, already in order)
    return table.take(pa.array(index))


def mention_rows(processed: Sequence[ProcessedArticle], stories, extractor=None) -> pa.Table:
    """``extractor`` is only needed for articles whose extraction is not in columns yet."""
    return _child_rows(MENTION_KEYS, processed, stories, extractor, "mentions")


def quote_rows(processed: Sequence[ProcessedArticle], stories, extractor=None) -> pa.Table:
    return _child_rows(QUOTE_KEYS, processed, stories, extractor, "quotes")


def _role_is_spokes(role: str | None) -> bool:
    role = (role or "").lower()
    return any(w in role for w in ("spokes", "press secretary", "porte-parole"))


def discovered_rows(processed: Sequence[ProcessedArticle], now: datetime) -> pa.Table:
    """One row per discovered name: first title/country seen and how many articles."""
    seen: dict[str, tuple] = {}
    counts: dict[str, int] = {}
    for p in processed:
        for d in {d.name: d for d in p.extraction.discovered}.values():
            seen.setdefault(d.name, (d.title, d.country, p.entry.published))
            counts[d.name] = counts.get(d.name, 0) + 1
    rows = [(n, *seen[n], now, counts[n]) for n in sorted(seen)]
    keys = ("name", "title", "country", "first_seen", "last_seen", "articles")
    types = {
        "title": pa.string(),
        "country": pa.string(),
        "first_seen": pa.timestamp("us"),
        "last_seen": pa.timestamp("us"),
        "articles": pa.int32(),
    }
    return _table(keys, rows, types)
