"""The learning samples kept in memory (learned.RecentKeys) are the store's: at every
learning pass the ingestor counts exactly the keys of the feed's LEARN_SAMPLE newest stored
articles (recent_feed_texts' order), and learns what counting their texts learns.

Real DuckDB files and the real ingest path; small samples so that windows fill, push articles
out, take updates that move an article newer, older (below the window) or keep it in place,
ties on the publication time, empty texts, and feeds dropped for the memory cap."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest

from monitor import ingest as ingest_mod
from monitor import learned as learned_mod
from monitor.config import Settings
from monitor.ingest import Batch, Ingestor
from monitor.parallel import ExtractorSpec, ProcessPool
from monitor.store import open_store
from monitor.synth import SynthConfig, iter_entries
from tests.test_parallel import _dump

# the corpus the cap cases were sized for (rounds 1-11: names in every paragraph)
CFG = SynthConfig(articles=180, sources=3, seed=5, per_paragraph_names=True)
SAMPLE = 12  # LEARN_SAMPLE for these tests: windows fill after a few batches


def _batches() -> list[Batch]:
    """Batches of 9 per feed. Every 4th entry has the time of the one before (ties), one
    entry per feed has no body (an empty text); every third batch of a feed also carries
    three of its earlier entries again: one with a new body at the same time, one moved a
    month back (below any sample), one moved an hour later with a new title."""
    entries = sorted(iter_entries(CFG), key=lambda e: (e.feed, e.published, e.article_id))
    fixed = []
    for i, e in enumerate(entries):
        if i % 4 == 3 and fixed and fixed[-1].feed == e.feed:
            e = dataclasses.replace(e, published=fixed[-1].published)
        if i % 60 == 7:
            e = dataclasses.replace(e, raw_content="")
        fixed.append(e)
    out: list[Batch] = []
    seen: dict[str, list] = {}
    for i in range(0, len(fixed), 9):
        chunk = list(fixed[i : i + 9])
        feed = chunk[0].feed
        earlier = seen.setdefault(feed, [])
        if len(earlier) >= 12 and len([b for b in out if b.feed == feed]) % 3 == 2:
            a, b, c = earlier[-9], earlier[-5], earlier[-11]
            chunk = [
                dataclasses.replace(a, raw_content=a.raw_content + "<p>Correction.</p>"),
                dataclasses.replace(b, published=b.published - timedelta(days=30)),
                dataclasses.replace(
                    c, published=c.published + timedelta(hours=1), title=f"{c.title} (new)"
                ),
                *chunk,
            ]
        earlier.extend(chunk)
        out.append(Batch(feed, tuple(chunk)))
    return out


def _expected_sample(ingestor: Ingestor, feed: str) -> tuple[int, list[list[int]]]:
    """What the store holds: recent_feed_texts' rows, each text's keys (as learning reads
    them) hashed."""
    rows = ingestor.store.query("recent_feed_texts", feed=feed, n=SAMPLE)
    keys = [learned_mod.article_keys(text.split("\n\n")) for _, _, text in rows if text]
    return len(rows), sorted(sorted({hash(k) for k in ks}) for ks in keys)


def _checked_learn(passes: list[tuple[str, frozenset[str]]]):
    """Ingestor._learn that also asserts, at every pass, that the sample in memory is the
    store's and that counting the stored texts learns the same keys."""
    original = Ingestor._learn

    def learn(self: Ingestor, feed: str, batch):
        sampled, stored = self._recent.stored(feed)
        assert (sampled, sorted(sorted(h) for h in stored)) == _expected_sample(self, feed)
        keys = original(self, feed, batch)
        texts = [t for _, _, t in self.store.query("recent_feed_texts", feed=feed, n=SAMPLE)]
        reference = learned_mod.learn_source_boilerplate(
            [*batch.paragraphs, *(t.split("\n\n") for t in texts if t)],
            min_share=self.settings.learn_min_share,
            min_articles=self.settings.learn_min_articles,
        )
        assert keys == reference, feed
        passes.append((feed, keys))
        return keys

    return learn


def _store(db: Path, pool: ProcessPool | None, many: bool, settings: Settings) -> Ingestor:
    store = open_store(db)
    extractor = pool.extractor if pool else ExtractorSpec().build()
    ingestor = Ingestor(store, extractor, settings, pool=pool)
    if many:
        for _ in ingestor.ingest_many(_batches(), group_items=20):
            pass
    else:
        for b in _batches():
            ingestor.ingest(b.feed, b.entries)
    return ingestor


@pytest.fixture
def small_samples(monkeypatch):
    monkeypatch.setattr(ingest_mod, "LEARN_SAMPLE", SAMPLE)
    monkeypatch.setattr(ingest_mod, "RELEARN_EVERY", 5)


@pytest.mark.parametrize("cap", [10_000, 2 * SAMPLE])
@pytest.mark.parametrize("many", [False, True])
def test_every_pass_counts_the_stored_sample_and_learns_what_the_texts_teach(
    tmp_path, monkeypatch, small_samples, many, cap
) -> None:
    monkeypatch.setattr(ingest_mod, "LEARN_CACHE_ARTICLES", cap)
    passes: list[tuple[str, frozenset[str]]] = []
    monkeypatch.setattr(Ingestor, "_learn", _checked_learn(passes))
    settings = Settings(db_path=tmp_path / "x.duckdb", learn_min_articles=4)
    ingestor = _store(settings.db_path, None, many, settings)
    try:
        recent = ingestor._recent
        feeds = {b.feed for b in _batches()}
        assert len(passes) > 3 * len(feeds) and any(keys for _, keys in passes)
        if cap == 10_000:  # windows kept up to date; read again only where an update left one
            assert len(feeds) < recent.loads < len(passes)
        else:  # two feeds' windows exceed the cap: one feed's window is held at a time
            assert recent.loads > len(feeds) and len(recent._feeds) == 1
        for feed in feeds:  # and after the last write too
            sampled, stored = recent.stored(feed)
            assert (sampled, sorted(sorted(h) for h in stored)) == _expected_sample(ingestor, feed)
    finally:
        ingestor.store.close()


def test_stored_rows_are_the_same_as_when_every_pass_reads_the_texts(
    tmp_path, monkeypatch, small_samples
) -> None:
    settings = Settings(db_path=tmp_path / "ref.duckdb", learn_min_articles=4)
    with monkeypatch.context() as m:  # the reference: every pass counts the stored texts
        m.setattr(learned_mod, "learn_with_hashes", lambda *a, **k: None)
        _store(settings.db_path, None, False, settings).store.close()
    reference = _dump(settings.db_path)
    assert reference["learned"]
    with ProcessPool(ExtractorSpec(), workers=2) as pool:
        for name, p in (("seq", None), ("pool", pool)):
            db = tmp_path / f"{name}.duckdb"
            _store(db, p, True, dataclasses.replace(settings, db_path=db)).store.close()
            got = _dump(db)
            for table in reference:
                assert got[table] == reference[table], (name, table)


def test_learn_with_hashes_names_keys_from_the_batch_or_the_known_keys() -> None:
    sign_off = "Follow the Daily Courier for more."
    old = "Subscribe to the Daily Courier newsletter."
    stored = [[f"Story {w}.", sign_off, old] for w in ("one", "two", "three", "four")]
    hashes = [learned_mod.text_hashes("\n\n".join(p)) for p in stored]
    paragraphs = [["Another story.", sign_off]]
    batch = learned_mod.BatchKeys(paragraphs)
    expected = learned_mod.learn_source_boilerplate(paragraphs + stored, min_articles=4)
    assert expected == {learned_mod.paragraph_key(sign_off), learned_mod.paragraph_key(old)}
    # the old line is only in stored articles: named from the feed's learned keys, or not
    known = [learned_mod.paragraph_key(old)]
    assert learned_mod.learn_with_hashes(batch, hashes, known, min_articles=4) == expected
    assert learned_mod.learn_with_hashes(batch, hashes, (), min_articles=4) is None
    assert learned_mod.learn_with_hashes(batch, hashes[:2], known, min_articles=4) == frozenset()


@pytest.mark.parametrize(
    "paragraphs",
    [(), ("",), ("", ""), ("One line.",), ("A line\n", "split\n\ninside", "\nB"), ("x", "ab")],
)
def test_sample_hashes_are_the_stored_texts_keys(paragraphs) -> None:
    text = "\n\n".join(paragraphs)
    expected = (
        sorted({hash(k) for k in learned_mod.article_keys(text.split("\n\n"))}) if text else None
    )
    keyed = learned_mod.BatchKeys([paragraphs])
    for keys in (None, keyed):
        got = learned_mod.sample_hashes(paragraphs, keys)
        assert (sorted(got) if got is not None else None) == expected
