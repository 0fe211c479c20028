"""Processed articles → Arrow tables shaped like the store's tables (for bulk appends)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pyarrow as pa

from monitor.pipeline import ProcessedArticle


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


def _columns(keys: Sequence[str], columns: list[list], types: dict[str, pa.DataType]) -> pa.Table:
    return pa.table({k: pa.array(c, types.get(k)) for k, c in zip(keys, columns, strict=True)})


def mention_rows(processed: Sequence[ProcessedArticle], stories, extractor) -> pa.Table:
    # Built column by column (a list per column, extended per article): no row tuples to
    # transpose, and the per-article values are repeated instead of looked up per mention.
    cols: list[list] = [[] for _ in MENTION_KEYS]
    (ids, kinds, entities, names, surfaces, starts, ends, vias, spokes, published, feeds,
     story_ids) = cols  # fmt: skip
    spokes_of: dict[str | None, bool] = {}
    for p in processed:
        mentions = p.extraction.mentions
        if not mentions:
            continue
        n = len(mentions)
        e = p.entry
        ids += [e.article_id] * n
        published += [e.published] * n
        feeds += [e.feed] * n
        story_ids += [_story(stories, e.article_id)[0]] * n
        for m in mentions:
            kinds.append(m.kind)
            entities.append(m.entity_id)
            names.append(m.name)
            surfaces.append(m.text)
            starts.append(m.start)
            ends.append(m.end)
            vias.append(m.via)
            if m.kind != "official":
                spokes.append(False)
                continue
            known = spokes_of.get(m.entity_id)
            if known is None:
                known = spokes_of[m.entity_id] = _is_spokesperson(extractor, m.entity_id)
            spokes.append(known)
    return _columns(MENTION_KEYS, cols, _TYPES)


def quote_rows(processed: Sequence[ProcessedArticle], stories, extractor) -> pa.Table:
    rows = []
    for p in processed:
        story = _story(stories, p.entry.article_id)[0]
        for seq, q in enumerate(p.extraction.quotes):
            spokes = _is_spokesperson(extractor, q.speaker_id) or _role_is_spokes(q.speaker_role)
            rows.append(
                (
                    p.entry.article_id,
                    seq,
                    q.text,
                    q.start,
                    q.end,
                    q.speaker,
                    q.speaker_id,
                    q.speaker_kind,
                    q.speaker_role,
                    q.speaker_country,
                    spokes,
                    q.cue,
                    q.speaker_via_pronoun,
                    q.partial,
                    p.entry.published,
                    p.entry.feed,
                    story,
                )
            )
    return _table(QUOTE_KEYS, rows, _TYPES)


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
