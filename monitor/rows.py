"""Processed articles → Arrow tables shaped like the store's tables (for bulk appends)."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

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


@dataclass(frozen=True)
class ExtractionColumns:
    """An `Extraction` as the store's columns, one per column in MENTION_COLUMNS /
    QUOTE_COLUMNS order (``()`` when there are none), packed (`_pack`): a string column as
    its values' UTF-8 bytes joined and their byte lengths (int32 bytes, -1 for None), an int
    column as int32 bytes, a bool column as a tuple. What a pool worker sends back instead
    of ~70 Mention and ~10 Quote objects per article: unpickling those cost the main process
    ~300 µs per article, plain tuples a tenth of it; packed, a handful of bytes objects
    unpickle, and the writer makes Arrow columns of them without a Python object per value."""

    mentions: tuple
    quotes: tuple
    discovered: tuple[Discovered, ...]


MENTION_COLUMNS = MENTION_KEYS[1:9]  # kind … spokesperson
QUOTE_COLUMNS = QUOTE_KEYS[1:14]  # seq … partial
_INT_COLUMNS = frozenset({"seq", "start_pos", "end_pos"})
_STR_COLUMNS = frozenset(
    {"kind", "entity_id", "name", "surface", "via", "text", "speaker", "speaker_id"}
    | {"speaker_kind", "speaker_role", "speaker_country", "cue"}
)


def _pack(key: str, values: tuple) -> object:
    """One extracted column as `ExtractionColumns` ships it."""
    if key in _INT_COLUMNS:
        return array("i", values).tobytes()
    if key not in _STR_COLUMNS:
        return values
    try:
        joined = "".join(values)
    except TypeError:  # a None among them: its length is -1
        return _pack_nullable(values)
    if joined.isascii():  # (most columns: a character is a byte)
        return joined.encode("ascii"), array("i", map(len, values)).tobytes()
    lengths = array("i", [len(v) if v.isascii() else len(v.encode()) for v in values])
    return joined.encode(), lengths.tobytes()


def _pack_nullable(values: tuple) -> tuple[bytes, bytes]:
    encoded = [v.encode() if v is not None else None for v in values]
    lengths = array("i", [len(b) if b is not None else -1 for b in encoded])
    return b"".join(b for b in encoded if b is not None), lengths.tobytes()


def _unpack(key: str, parts: list) -> pa.Array:
    """One Arrow column of the articles' packed ``parts`` of column ``key``: the array
    `pa.array` makes of their values (a column with no declared type and no value is
    Arrow's null type, as `pa.array` infers it)."""
    if key in _INT_COLUMNS:
        return pa.array(np.frombuffer(b"".join(parts), dtype=np.int32))
    if key not in _STR_COLUMNS:
        return pa.array([v for part in parts for v in part], _TYPES.get(key))
    lengths = np.frombuffer(b"".join(p[1] for p in parts), dtype=np.int32)
    valid = lengths >= 0
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(np.where(valid, lengths, 0), out=offsets[1:])
    nulls = None
    if not valid.all():
        if key not in _TYPES and not valid.any():
            return pa.nulls(len(lengths))
        nulls = pa.py_buffer(np.packbits(valid, bitorder="little"))
    data = pa.py_buffer(b"".join(p[0] for p in parts))
    # int64 offsets, then the store's 32-bit ones (a cast that fails past 2 GB of text)
    large = pa.LargeStringArray.from_buffers(len(lengths), pa.py_buffer(offsets), data, nulls)
    return large.cast(pa.string())


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
        _packed(MENTION_COLUMNS, mentions), _packed(QUOTE_COLUMNS, quotes), x.discovered
    )


def _packed(keys: Sequence[str], rows: list[tuple]) -> tuple:
    if not rows:
        return ()
    return tuple(_pack(k, c) for k, c in zip(keys, zip(*rows, strict=True), strict=True))


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
    columns, then its published time, feed and story repeated. Built column by column from
    the articles' packed columns (`_unpack`); the four per-article columns are converted
    once per article and repeated in Arrow (turning a datetime into a timestamp costs about
    a microsecond, and an article has ~70 mentions)."""
    middle: list[list] = [[] for _ in keys[1:-3]]
    per_article: list[tuple] = []  # (id, published, feed, story) of articles with rows
    counts: list[int] = []
    for p in processed:
        cols = getattr(_as_columns(p, extractor), part)
        if not cols:
            continue
        e = p.entry
        per_article.append((e.article_id, e.published, e.feed, _story(stories, e.article_id)[0]))
        counts.append(len(cols[0]) // 4 if keys[1] in _INT_COLUMNS else len(cols[0][1]) // 4)
        for dst, src in zip(middle, cols, strict=True):
            dst.append(src)
    if not per_article:
        return _columns(keys, [[] for _ in keys], _TYPES)
    rows = pa.array(np.repeat(np.arange(len(per_article)), counts))
    ids, published, feeds, story_ids = (list(c) for c in zip(*per_article, strict=True))
    outer = [
        pa.array(c, _TYPES.get(k)).take(rows)
        for k, c in zip((keys[0], *keys[-3:]), (ids, published, feeds, story_ids), strict=True)
    ]
    inner = [_unpack(k, parts) for k, parts in zip(keys[1:-3], middle, strict=True)]
    columns = [outer[0], *inner, *outer[1:]]
    return pa.table(dict(zip(keys, columns, strict=True)))


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
