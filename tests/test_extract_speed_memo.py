"""The extractor's cross-article memos (quotes: subject phrases, tails, capitalised runs,
registry speakers) change no result: an article extracted with every memo cold, warm from
other articles, or cleared in between gives the same extraction."""

from __future__ import annotations

from monitor import pipeline, synth
from monitor.extract import Extractor, load_registry, quotes


def _clear(extractor: Extractor) -> None:
    extractor.gazetteer.memo.clear()
    extractor.gazetteer.phrase_memo.clear()
    quotes._TAIL_MEMO.clear()
    quotes._REGISTRY_SPEAKERS.clear()


def test_memos_change_no_extraction() -> None:
    entries = synth.iter_entries(synth.SynthConfig(articles=120, seed=5))
    docs = [(c.cleaned.text, c.entry.published.date()) for c in map(pipeline.clean_only, entries)]
    extractor = Extractor(load_registry())
    cold = []
    for text, published in docs:  # each article with every memo empty
        _clear(extractor)
        cold.append(extractor.extract(text, published))
    _clear(extractor)
    warm = extractor.extract_many(docs)  # memos filled as the stream goes
    again = extractor.extract_many(list(reversed(docs)))  # every entry already remembered
    assert warm == cold
    assert list(reversed(again)) == cold
    assert quotes._TAIL_MEMO and extractor.gazetteer.phrase_memo  # the memos were used


def test_memos_bounded(monkeypatch) -> None:
    entries = synth.iter_entries(synth.SynthConfig(articles=40, seed=6))
    docs = [(c.cleaned.text, c.entry.published.date()) for c in map(pipeline.clean_only, entries)]
    extractor = Extractor(load_registry())
    _clear(extractor)
    expected = extractor.extract_many(docs)
    _clear(extractor)
    monkeypatch.setattr(quotes, "_MEMO_MAX", 8)  # cleared when full, many times an article
    monkeypatch.setattr(quotes, "_TAIL_MEMO_MAX", 3)
    assert extractor.extract_many(docs) == expected
    assert len(quotes._TAIL_MEMO) <= 3
    assert len(extractor.gazetteer.phrase_memo) <= 8
    assert len(extractor.gazetteer.memo) <= 8
