"""Child-table rows from extraction columns (what pool workers send) equal the rows built
from the Extraction objects themselves."""

from __future__ import annotations

import pickle
from dataclasses import replace

import pyarrow as pa

from monitor.extract import Extractor
from monitor.extract.officials import load_registry
from monitor.pipeline import process_entry
from monitor.rows import extraction_columns, mention_rows, quote_rows
from monitor.stories import StoryMatch
from monitor.synth import SynthConfig, iter_entries


def test_columns_give_the_same_rows_as_objects() -> None:
    extractor = Extractor(load_registry())
    done = [process_entry(e, extractor) for e in iter_entries(SynthConfig(articles=60, sources=3))]
    stories = {p.entry.article_id: StoryMatch("s-" + p.entry.article_id, 0.9, False) for p in done}
    shipped = [
        replace(
            p, extraction=pickle.loads(pickle.dumps(extraction_columns(p.extraction, extractor)))
        )
        for p in done
    ]
    assert sum(len(p.extraction.mentions) for p in done) > 0
    assert sum(len(p.extraction.quotes) for p in done) > 0
    registry = extractor.registry

    def spokes(entity_id):
        official = registry.get(entity_id) if entity_id else None
        return bool(official and official.spokesperson)

    def role_spokes(role):
        return any(w in (role or "").lower() for w in ("spokes", "press secretary", "porte-parole"))

    mentions = [  # row by row, as the store's mentions table holds them
        (p.entry.article_id, m.kind, m.entity_id, m.name, m.text, m.start, m.end, m.via,
         m.kind == "official" and spokes(m.entity_id), p.entry.published, p.entry.feed,
         stories[p.entry.article_id].story_id)
        for p in done
        for m in p.extraction.mentions
    ]  # fmt: skip
    quotes = [
        (p.entry.article_id, seq, q.text, q.start, q.end, q.speaker, q.speaker_id,
         q.speaker_kind, q.speaker_role, q.speaker_country,
         spokes(q.speaker_id) or role_spokes(q.speaker_role), q.cue, q.speaker_via_pronoun,
         q.partial, p.entry.published, p.entry.feed, stories[p.entry.article_id].story_id)
        for p in done
        for seq, q in enumerate(p.extraction.quotes)
    ]  # fmt: skip
    for build, expected in ((mention_rows, mentions), (quote_rows, quotes)):
        table = build(shipped, stories)
        assert [tuple(r.values()) for r in table.to_pylist()] == expected
        assert table.equals(build(done, stories, extractor))
        for name, kind in (("article_id", pa.string()), ("published", pa.timestamp("us")),
                           ("feed", pa.string()), ("story_id", pa.string())):  # fmt: skip
            assert table.schema.field(name).type == kind
    assert quote_rows(shipped[:0], stories).num_rows == 0
