"""Processed articles → Arrow tables shaped like the store's tables (for bulk appends)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pyarrow as pa

from monitor.pipeline import ProcessedArticle


def _table(columns: dict[str, list], types: dict[str, pa.DataType] | None = None) -> pa.Table:
    types = types or {}
    return pa.table({k: pa.array(v, types.get(k, None)) for k, v in columns.items()})


def _story(stories, article_id: str) -> tuple[str, float]:
    match = stories.get(article_id)
    return (match.story_id, match.similarity) if match else (article_id, 1.0)


def article_rows(
    processed: Sequence[ProcessedArticle], hashes: dict[str, str], stories, now: datetime
) -> pa.Table:
    cols: dict[str, list] = {k: [] for k in (
        "id feed guid url title published published_source fetched_at updated_at author "
        "language summary raw_content raw_kind content_hash text story_id story_similarity tags"
    ).split()}
    for p in processed:
        e, story = p.entry, _story(stories, p.entry.article_id)
        values = (e.article_id, e.feed, e.guid, e.url, e.title or p.cleaned.title, e.published,
                  e.published_source, now, now, e.author, e.language, e.summary, e.raw_content,
                  e.raw_kind, hashes.get(e.article_id, ""), p.cleaned.text, story[0], story[1],
                  list(e.tags))
        for key, value in zip(cols, values, strict=True):
            cols[key].append(value)
    return _table(cols, {"tags": pa.list_(pa.string()), "guid": pa.string(),
                         "author": pa.string(), "language": pa.string(), "summary": pa.string(),
                         "url": pa.string(), "title": pa.string()})


def removed_rows(processed: Sequence[ProcessedArticle]) -> pa.Table:
    cols: dict[str, list] = {"article_id": [], "seq": [], "text": [], "reason": []}
    for p in processed:
        for seq, span in enumerate(p.cleaned.removed):
            for key, value in zip(cols, (p.entry.article_id, seq, span.text, span.reason),
                                  strict=True):
                cols[key].append(value)
    return _table(cols, {"seq": pa.int32()})


def _is_spokesperson(extractor, entity_id: str | None) -> bool:
    registry = getattr(extractor, "registry", None)
    official = registry.get(entity_id) if registry is not None and entity_id else None
    return bool(official and official.spokesperson)


def mention_rows(processed: Sequence[ProcessedArticle], stories, extractor) -> pa.Table:
    keys = ("article_id kind entity_id name surface start_pos end_pos via spokesperson "
            "published feed story_id").split()
    cols: dict[str, list] = {k: [] for k in keys}
    for p in processed:
        story = _story(stories, p.entry.article_id)[0]
        for m in p.extraction.mentions:
            spokes = m.kind == "official" and _is_spokesperson(extractor, m.entity_id)
            values = (p.entry.article_id, m.kind, m.entity_id, m.name, m.text, m.start, m.end,
                      m.via, spokes, p.entry.published, p.entry.feed, story)
            for key, value in zip(keys, values, strict=True):
                cols[key].append(value)
    return _table(cols, {"start_pos": pa.int32(), "end_pos": pa.int32(),
                         "published": pa.timestamp("us")})


def quote_rows(processed: Sequence[ProcessedArticle], stories, extractor) -> pa.Table:
    keys = ("article_id seq text start_pos end_pos speaker speaker_id speaker_kind speaker_role "
            "speaker_country spokesperson cue speaker_via_pronoun partial published feed "
            "story_id").split()
    cols: dict[str, list] = {k: [] for k in keys}
    for p in processed:
        story = _story(stories, p.entry.article_id)[0]
        for seq, q in enumerate(p.extraction.quotes):
            spokes = _is_spokesperson(extractor, q.speaker_id) or _role_is_spokes(q.speaker_role)
            values = (p.entry.article_id, seq, q.text, q.start, q.end, q.speaker, q.speaker_id,
                      q.speaker_kind, q.speaker_role, q.speaker_country, spokes, q.cue,
                      q.speaker_via_pronoun, q.partial, p.entry.published, p.entry.feed, story)
            for key, value in zip(keys, values, strict=True):
                cols[key].append(value)
    strings = {k: pa.string() for k in ("speaker", "speaker_id", "speaker_role",
                                          "speaker_country", "cue")}
    return _table(cols, {"seq": pa.int32(), "start_pos": pa.int32(), "end_pos": pa.int32(),
                         "published": pa.timestamp("us"), **strings})


def _role_is_spokes(role: str | None) -> bool:
    role = (role or "").lower()
    return any(w in role for w in ("spokes", "press secretary", "porte-parole"))


def discovered_rows(processed: Sequence[ProcessedArticle], now: datetime) -> pa.Table:
    seen: dict[str, tuple] = {}
    counts: dict[str, int] = {}
    for p in processed:
        for d in {d.name: d for d in p.extraction.discovered}.values():
            seen.setdefault(d.name, (d.title, d.country, p.entry.published))
            counts[d.name] = counts.get(d.name, 0) + 1
    names = sorted(seen)
    return _table({
        "name": names,
        "title": [seen[n][0] for n in names],
        "country": [seen[n][1] for n in names],
        "first_seen": [seen[n][2] for n in names],
        "last_seen": [now for _ in names],
        "articles": [counts[n] for n in names],
    }, {"title": pa.string(), "country": pa.string(), "first_seen": pa.timestamp("us"),
        "last_seen": pa.timestamp("us"), "articles": pa.int32()})
