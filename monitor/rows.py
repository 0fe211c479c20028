"""Processed articles → Arrow tables shaped like the store's tables (for bulk appends)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

import numpy as np
import pyarrow as pa

from monitor.models import ArticleError, Discovered, Extraction, with_error
from monitor.pipeline import ProcessedArticle, analyse, article_error, sketch_or_empty
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
    """An `Extraction` as the store's columns of plain values, one tuple per column in
    MENTION_COLUMNS / QUOTE_COLUMNS order (``()`` when there are none). What a pool worker
    sends back instead of ~70 Mention and ~10 Quote objects per article: unpickling those
    cost the main process ~300 µs per article; plain tuples cost a tenth of it."""

    mentions: tuple[tuple, ...]
    quotes: tuple[tuple, ...]
    discovered: tuple[Discovered, ...]
    # set by `models.with_error` on the empty columns of an article whose extraction raised
    error: ClassVar[ArticleError | None] = None


MENTION_COLUMNS = MENTION_KEYS[1:9]  # kind … spokesperson
QUOTE_COLUMNS = QUOTE_KEYS[1:14]  # seq … partial


def extraction_columns(x: Extraction, extractor) -> ExtractionColumns:
    """The columns `mention_rows` / `quote_rows` store (spokesperson flags need the
    extractor's registry, which every pool worker holds)."""
    # `_is_spokesperson` once per distinct official and speaker id (an article names ~3
    # officials ~10 times and quotes them ~12 times)
    spokes = {
        i: _is_spokesperson(extractor, i)
        for i in {m.entity_id for m in x.mentions if m.kind == "official"}.union(
            [q.speaker_id for q in x.quotes]
        )
    }
    mentions = [
        (m.kind, m.entity_id, m.name, m.text, m.start, m.end, m.via,
         m.kind == "official" and spokes[m.entity_id])
        for m in x.mentions
    ]  # fmt: skip
    quotes = [
        (seq, q.text, q.start, q.end, q.speaker, q.speaker_id, q.speaker_kind, q.speaker_role,
         q.speaker_country, spokes[q.speaker_id] or _role_is_spokes(q.speaker_role),
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


def analyse_columns_or_fail(
    text: str, published: datetime, extractor
) -> tuple[ExtractionColumns, Sketch]:
    """`analyse_columns`, or no mentions and quotes with the error when it raises."""
    try:
        return analyse_columns(text, published, extractor)
    except Exception as exc:
        empty = with_error(ExtractionColumns((), (), ()), article_error("extract", exc))
        return empty, sketch_or_empty(text)


ERROR_KEYS = (
    "article_id",
    "feed",
    "url",
    "title",
    "stage",
    "error_type",
    "message",
    "traceback",
    "recorded_at",
)


def error_rows(failed: Sequence[ProcessedArticle], now: datetime) -> pa.Table:
    """article_errors rows of articles stored without their cleaning or extraction."""
    rows = []
    for p in failed:
        e, err = p.entry, p.error
        rows.append(
            (e.article_id, e.feed, e.url, e.title or p.cleaned.title, err.stage, err.error_type,
             err.message, err.trace, now)
        )  # fmt: skip
    types = {**{k: pa.string() for k in ERROR_KEYS}, "recorded_at": pa.timestamp("us")}
    return _table(ERROR_KEYS, rows, types)


def _columns(keys: Sequence[str], columns: list[list], types: dict[str, pa.DataType]) -> pa.Table:
    return pa.table({k: pa.array(c, types.get(k)) for k, c in zip(keys, columns, strict=True)})


def _as_columns(p: ProcessedArticle, extractor) -> ExtractionColumns:
    x = p.extraction
    return x if isinstance(x, ExtractionColumns) else extraction_columns(x, extractor)


def _child_rows(keys, processed, stories, extractor, part: str) -> pa.Table:
    """Rows of one child table (mentions or quotes): the article's id first, its extracted
    columns, then its published time, feed and story repeated. Built column by column; the
    four per-article columns are converted once per article and repeated in Arrow (turning
    a datetime into a timestamp costs about a microsecond, and an article has ~70 mentions)."""
    middle: list[list] = [[] for _ in keys[1:-3]]
    per_article: list[tuple] = []  # (id, published, feed, story) of articles with rows
    counts: list[int] = []
    for p in processed:
        cols = getattr(_as_columns(p, extractor), part)
        if not cols:
            continue
        e = p.entry
        per_article.append((e.article_id, e.published, e.feed, _story(stories, e.article_id)[0]))
        counts.append(len(cols[0]))
        for dst, src in zip(middle, cols, strict=True):
            dst += src
    if not per_article:
        return _columns(keys, [[] for _ in keys], _TYPES)
    rows = pa.array(np.repeat(np.arange(len(per_article)), counts))
    ids, published, feeds, story_ids = (list(c) for c in zip(*per_article, strict=True))
    outer = [
        pa.array(c, _TYPES.get(k)).take(rows)
        for k, c in zip((keys[0], *keys[-3:]), (ids, published, feeds, story_ids), strict=True)
    ]
    table = _columns(keys[1:-3], middle, _TYPES)
    columns = [outer[0], *table.columns, *outer[1:]]
    return pa.table(dict(zip(keys, columns, strict=True)))


def mention_rows(processed: Sequence[ProcessedArticle], stories, extractor=None) -> pa.Table:
    """``extractor`` is only needed for articles whose extraction is not in columns yet."""
    return _child_rows(MENTION_KEYS, processed, stories, extractor, "mentions")


def quote_rows(processed: Sequence[ProcessedArticle], stories, extractor=None) -> pa.Table:
    return _child_rows(QUOTE_KEYS, processed, stories, extractor, "quotes")


def _role_is_spokes(role: str | None) -> bool:
    if not role:
        return False
    role = role.lower()  # three tests, no generator: ~12 quotes an article ask
    return "spokes" in role or "press secretary" in role or "porte-parole" in role


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
