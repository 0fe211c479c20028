"""`clean.refilter` / `pipeline.refilter`: cleaning again with other learned keys, from the
first cleaning's result, gives exactly what cleaning the raw text again gives (paragraphs,
removed spans and their reasons in order, and the walk trace), on both of its paths."""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pytest

from monitor import clean, pipeline
from monitor.boilerplate import RULES
from monitor.learned import learn_source_boilerplate, paragraph_key
from monitor.models import CleanedArticle, FeedEntry
from monitor.parallel import ExtractorSpec, ProcessPool
from monitor.synth import SynthConfig, iter_entries

SEED = Path("/work/shared/fixtures/seed-menafn-kremlin.txt")


def _entry(raw: str, kind: str = "html", title: str | None = None) -> FeedEntry:
    return FeedEntry(
        article_id=f"a{abs(hash(raw)) % 10**8}",
        feed="f",
        guid=None,
        url=None,
        title=title,
        published=datetime(2026, 3, 2, 12),
        published_source="published",
        author=None,
        language="en",
        summary=None,
        raw_content=raw,
        raw_kind=kind,
    )


def _assert_same(c: pipeline.CleanedEntry, learned: frozenset[str]) -> None:
    want = pipeline.clean_only(c.source, learned)
    got = pipeline.refilter(c, learned)
    assert got == want
    assert got.cleaned.kept_at == want.cleaned.kept_at
    walked = clean._refilter_walk(c.cleaned, learned)  # the general path, always
    assert walked == want.cleaned
    assert walked.kept_at == want.cleaned.kept_at


def _own_keys(c: CleanedArticle) -> list[str]:
    return [paragraph_key(p) for p in c.paragraphs] + [paragraph_key(r.text) for r in c.removed]


def test_synth_corpus_learned_and_random_keys(monkeypatch) -> None:
    entries = list(iter_entries(SynthConfig(articles=300, sources=10, seed=5)))
    by_feed: dict[str, list[FeedEntry]] = defaultdict(list)
    for e in entries:
        by_feed[e.feed].append(e)
    paths = {"fast": 0, "walk": 0}
    fast = clean._refilter_fast

    def counted(cleaned, learned):
        result = fast(cleaned, learned)
        paths["fast" if result is not None else "walk"] += 1
        return result

    monkeypatch.setattr(clean, "_refilter_fast", counted)
    rng = random.Random(11)
    for feed_entries in by_feed.values():
        first = [pipeline.clean_only(e) for e in feed_entries]
        keys = learn_source_boilerplate([c.cleaned.paragraphs for c in first], min_articles=4)
        for c in first:
            _assert_same(c, keys)  # what the ingestor does: the feed's furniture
            own = _own_keys(c.cleaned)
            more = frozenset(k for k in own if rng.random() < 0.3) | keys
            _assert_same(c, more)
            # cleaned with some keys, then again with some of them dropped and others added
            again = pipeline.clean_only(c.source, more)
            _assert_same(again, frozenset(k for k in more if rng.random() < 0.5) | keys)
    assert paths["fast"] > 0 and paths["walk"] > 0


def test_seed_page() -> None:
    if not SEED.exists():
        pytest.skip("seed fixture absent")
    c = pipeline.clean_only(_entry(SEED.read_text(encoding="utf-8"), kind="scraped"))
    own = _own_keys(c.cleaned)
    for learned in (frozenset(), frozenset(own[::2]), frozenset(own[1::3]), frozenset(own)):
        _assert_same(c, learned)
        _assert_same(pipeline.clean_only(c.source, learned), frozenset(own[::3]))


LONG = "the minister said on monday that the talks would resume next week in geneva {}"
PAIR = [
    "<p>Alpha headline</p>",
    "<p>Opening paragraph about the summit and what was agreed there.</p>",
    f"<p>{LONG.format('after a pause')}</p>",
    "<p>Share this article</p>",
    f"<p>{LONG.format('after a pause')}</p>",  # exact repeat of paragraph 2
    f"<p>{LONG.format('after a long pause')}</p>",  # near repeat of paragraph 2
    "<p>Closing words of the article here.</p>",
    "<p>Subscribe to our newsletter.</p>",
    f"<p>{LONG.format('after a break')}</p>",  # near repeat too
]


@pytest.mark.parametrize(
    "learned_texts",
    [
        [],
        [LONG.format("after a pause")],  # the first of an exact and near duplicate pair
        [LONG.format("after a long pause")],  # a near duplicate itself
        [LONG.format("after a pause"), LONG.format("after a long pause")],
        ["Opening paragraph about the summit and what was agreed there."],
        ["Closing words of the article here.", "Alpha headline"],
        ["Share this article"],  # rule-matched: the rule stays the reason
    ],
)
def test_duplicates_near_duplicates_and_headline(learned_texts) -> None:
    learned = frozenset(paragraph_key(t) for t in learned_texts)
    for title in (None, "Alpha headline"):
        entry = _entry("\n".join(PAIR), title=title)
        first = pipeline.clean_only(entry)
        _assert_same(first, learned)
        # and back: cleaned with the keys, then without them (a dropped key)
        _assert_same(pipeline.clean_only(entry, learned), frozenset())
        _assert_same(pipeline.clean_only(entry, learned), learned)


def test_plain_and_scraped_pages() -> None:
    body = "\n".join(p[3:-4] for p in PAIR)
    learned = frozenset({paragraph_key(LONG.format("after a pause"))})
    for kind, raw in (
        ("text", body),
        ("scraped", f" date 2026-03-02 200\n{body}"),
        ("text", ""),
    ):
        c = pipeline.clean_only(_entry(raw, kind=kind))
        _assert_same(c, learned)
        _assert_same(pipeline.clean_only(c.source, learned), frozenset())


def test_without_a_walk_trace_it_cleans_again() -> None:
    entry = _entry("\n".join(PAIR))
    c = pipeline.clean_only(entry)
    bare = CleanedArticle(c.cleaned.title, c.cleaned.published, c.cleaned.paragraphs)
    learned = frozenset({paragraph_key(LONG.format("after a pause"))})
    assert clean.refilter(bare, learned) is None
    assert pipeline.refilter(pipeline.CleanedEntry(entry, entry, bare), learned) == (
        pipeline.clean_only(entry, learned)
    )


def test_unchanged_result_is_the_same_object() -> None:
    c = pipeline.clean_only(_entry("\n".join(PAIR)))
    assert pipeline.refilter(c, frozenset({"no such paragraph"})) is c


def test_no_rule_name_looks_like_a_key_reason() -> None:
    for rule in RULES:
        assert not clean._judged_by_keys(rule.name), rule.name
    assert not clean._judged_by_keys("headline") and not clean._judged_by_keys("header")


def test_pool_refilter_process_equals_process_slim() -> None:
    entries = list(iter_entries(SynthConfig(articles=40, sources=2, seed=9)))
    first = [pipeline.clean_only(e) for e in entries]
    keys = learn_source_boilerplate([c.cleaned.paragraphs for c in first], min_articles=4)
    assert keys
    with ProcessPool(ExtractorSpec(), workers=2) as pool:
        want = pool.submit("process_slim", entries, keys).result()
        got = pool.submit("refilter_process", first, keys).result()  # shipped slim
        local = pool.submit("refilter_process", first[:3], keys).result()  # in-process
    assert got == want
    assert local == want[:3]
    assert [d[1].kept_at for d in got] == [d[1].kept_at for d in want]


def test_key_lengths_rule_out_only_what_cannot_match() -> None:
    """The length pre-check of `_learned_test` rests on two facts of Python's case folding:
    a character folds to at most _CASEFOLD_MAX characters, and no printable character but the
    space folds to anything containing whitespace."""
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        folded = ch.casefold()
        assert 1 <= len(folded) <= clean._CASEFOLD_MAX, hex(cp)
        if ch.isprintable() and ch != " ":
            assert not any(c.isspace() for c in folded), hex(cp)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Follow us on Telegram",
        "Follow  us on Telegram ",  # not its own whitespace fold: always keyed
        "Straße 12 — ﬁnal",  # folds longer
        "İstanbul office, 2026",
        "Ａ full-width line",
        "",
    ],
)
def test_learned_test_equals_the_key_lookup(paragraph) -> None:
    key = paragraph_key(paragraph)
    others = {"x" * n for n in range(1, 60)}
    for learned in (frozenset({key}), frozenset({key}) | others, frozenset(others)):
        is_learned = clean._learned_test(learned)
        assert is_learned(paragraph) == (clean._key(paragraph) in learned)
    assert not clean._learned_test(frozenset())(paragraph)
