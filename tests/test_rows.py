"""Child-table rows from extraction columns (what pool workers send) equal the rows built
from the Extraction objects themselves."""

from __future__ import annotations

import pickle
from dataclasses import replace

import pyarrow as pa

from monitor.extract import Extractor
from monitor.extract.officials import load_registry
from monitor.models import Extraction, Mention, Quote
from monitor.pipeline import ProcessedArticle, process_entry
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


def test_packed_columns_keep_non_ascii_text_nones_and_empty_strings() -> None:
    """The packed columns (UTF-8 bytes and lengths, -1 for None) give back every value:
    accented and non-Latin text, emoji, empty strings, None among strings and a column of
    None only; an article without quotes between two with."""
    extractor = Extractor(load_registry())
    base = next(iter(iter_entries(SynthConfig(articles=3, sources=1))))
    entries = [replace(base, article_id=f"a{k}", feed=f"f{k}") for k in range(3)]
    m = [
        Mention("country", "FR", "France", "Frankreich", 0, 10, "name"),
        Mention("official", "jp-x", "Ishiba Shigeru", "石破 茂", 12, 16, "name"),
        Mention("official", "discovered:Zoë", "Zoë Ł", "", 20, 20, "surname"),
    ]
    q = [
        Quote("Wir schaffen das — 🙂", 3, 25, None, None, "unknown", None),
        Quote("plain", 30, 35, "Zoë Ł", "discovered:Zoë", "discovered", "sagte", True, True),
        Quote("", 40, 40, "Press secretary", None, "role", "said", speaker_role="porte-parole"),
    ]
    extractions = [Extraction(tuple(m), tuple(q)), Extraction(tuple(m[:1])), Extraction((), q[:1])]
    cleaned = [process_entry(e, extractor).cleaned for e in entries]
    done = [
        ProcessedArticle(e, c, x) for e, c, x in zip(entries, cleaned, extractions, strict=True)
    ]
    shipped = [
        replace(
            p, extraction=pickle.loads(pickle.dumps(extraction_columns(p.extraction, extractor)))
        )
        for p in done
    ]
    stories = {e.article_id: StoryMatch(e.article_id, 1.0, True) for e in entries}
    mentions = mention_rows(shipped, stories)
    assert mentions.column("surface").to_pylist() == [
        "Frankreich", "石破 茂", "", "Frankreich"
    ]  # fmt: skip
    assert mentions.column("entity_id").to_pylist()[2] == "discovered:Zoë"
    assert mentions.column("start_pos").to_pylist() == [0, 12, 20, 0]
    quotes = quote_rows(shipped, stories)
    assert quotes.column("text").to_pylist() == [
        "Wir schaffen das — 🙂",
        "plain",
        "",
        "Wir schaffen das — 🙂",
    ]
    assert quotes.column("speaker").to_pylist() == [None, "Zoë Ł", "Press secretary", None]
    assert quotes.column("speaker_country").to_pylist() == [None] * 4
    assert quotes.column("speaker_role").to_pylist() == [None, None, "porte-parole", None]
    assert quotes.column("seq").to_pylist() == [0, 1, 2, 0]
    assert quotes.column("article_id").to_pylist() == ["a0", "a0", "a0", "a2"]
    assert quotes.column("spokesperson").to_pylist() == [False, False, True, False]
    for table, build in ((mentions, mention_rows), (quotes, quote_rows)):
        direct = build(done, stories, extractor)
        assert table.equals(direct) and table.schema == direct.schema
        for name in ("speaker", "speaker_country", "surface", "text", "cue"):
            if name in table.column_names:
                assert table.schema.field(name).type == pa.string()
