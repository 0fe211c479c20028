"""Story grouping: copies join, different stories on the same topic stay apart."""

from __future__ import annotations

from datetime import datetime, timedelta

from datasketch import MinHash

from monitor.stories import Sketch, StoryIndex, StoryMatch, minhash_of, sketch

T0 = datetime(2026, 2, 10, 9, 0)

BRIEFING_TALKS = [
    "The Kremlin said on Tuesday that no specific dates have been set for a new round of "
    "expert-level talks on Ukraine, but Moscow expects them to take place in the near future.",
    "“No, there are no specific dates yet. But we still expect it to happen soon,” Kremlin "
    "spokesperson Dmitry Peskov told a news briefing in Moscow.",
    "Peskov confirmed that Russia has maintained recent contacts with France and said that "
    "high-level discussions could be arranged if there is mutual interest.",
    "He stressed that Russia has consistently supported maintaining dialogue, arguing that it "
    "is crucial for addressing complex challenges that will not resolve themselves.",
    "He also noted that other European countries in confrontation with Russia have yet to "
    "follow the French lead in restoring communication channels with Moscow.",
]

# Same speaker, same city, same vocabulary, different news: must be a different story.
BRIEFING_GAS = [
    "The Kremlin said on Thursday that Russia is ready to discuss gas transit through Ukraine "
    "with European buyers, but no request for such talks has been received so far.",
    "“We have not received any proposals on this matter. Our position is well known,” Kremlin "
    "spokesperson Dmitry Peskov told a news briefing in Moscow.",
    "Peskov said that Russia remains a reliable supplier and that European countries had "
    "themselves chosen to reduce purchases of Russian pipeline gas.",
    "He declined to say whether President Vladimir Putin would discuss energy with French "
    "officials, saying that contacts with France were conducted through diplomatic channels.",
    "Energy analysts in Moscow said the statement was aimed at buyers in central Europe who "
    "still depend on pipeline supplies and face higher prices for liquefied gas.",
]


def _body(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def _syndicated_copy(paragraphs: list[str]) -> str:
    """Another outlet's copy: byline, dateline, one dropped paragraph, its own furniture."""
    lead = "MOSCOW, Feb 10 (Wire Service) - " + paragraphs[0]
    return _body(["By Staff Reporter", lead, *paragraphs[1:-1], "Follow us on Telegram."])


def test_first_article_opens_a_story_named_after_it() -> None:
    index = StoryIndex()
    assert index.assign("a1", _body(BRIEFING_TALKS), T0) == StoryMatch("a1", 1.0, True)


def test_identical_copies_share_the_story_with_similarity_one() -> None:
    index = StoryIndex()
    index.assign("a1", _body(BRIEFING_TALKS), T0)
    respaced = "  " + _body(BRIEFING_TALKS).upper().replace(" ", "  ") + "\n"
    assert index.assign("a2", _body(BRIEFING_TALKS), T0 + timedelta(hours=1)) == StoryMatch(
        "a1", 1.0, False
    )
    assert index.assign("a3", respaced, T0 + timedelta(hours=2)) == StoryMatch("a1", 1.0, False)


def test_syndicated_copy_with_other_byline_dateline_and_boilerplate_joins() -> None:
    index = StoryIndex()
    index.assign("a1", _body(BRIEFING_TALKS), T0)
    match = index.assign("copy", _syndicated_copy(BRIEFING_TALKS), T0 + timedelta(hours=3))
    assert match.story_id == "a1" and not match.is_new_story
    assert 0.5 <= match.similarity < 1.0


def test_two_briefings_on_the_same_topic_are_not_grouped() -> None:
    index = StoryIndex()
    index.assign("talks", _body(BRIEFING_TALKS), T0)
    match = index.assign("gas", _body(BRIEFING_GAS), T0 + timedelta(days=2))
    assert match == StoryMatch("gas", 1.0, True)
    # Both stories keep attracting their own copies afterwards.
    later = T0 + timedelta(days=2, hours=1)
    assert index.assign("gas-copy", _syndicated_copy(BRIEFING_GAS), later).story_id == "gas"
    assert index.assign("talks-copy", _syndicated_copy(BRIEFING_TALKS), later).story_id == "talks"


def test_earlier_copy_arriving_late_joins_the_existing_story() -> None:
    index = StoryIndex()
    index.assign("a1", _body(BRIEFING_TALKS), T0)
    match = index.assign("early", _syndicated_copy(BRIEFING_TALKS), T0 - timedelta(hours=5))
    assert match.story_id == "a1" and not match.is_new_story


def test_entries_outside_the_window_are_evicted() -> None:
    index = StoryIndex(window=timedelta(days=7), keep_at_least=0)
    index.assign("old", _body(BRIEFING_TALKS), T0)
    index.assign("new", _body(BRIEFING_GAS), T0 + timedelta(days=8))
    assert index.prune() == 1 and len(index) == 1
    # A copy of the evicted story is now a story of its own, exact or near.
    later = T0 + timedelta(days=8, hours=1)
    assert index.assign("exact", _body(BRIEFING_TALKS), later).is_new_story
    assert index.assign("near", _syndicated_copy(BRIEFING_TALKS), later).story_id == "exact"


def test_memory_is_bounded_by_the_window() -> None:
    index = StoryIndex(window=timedelta(days=2), keep_at_least=0)
    for i in range(1500):  # one article an hour for ~62 days
        text = f"Item {i}: " + " ".join(f"w{i}x{k}" for k in range(30))
        index.assign(f"id{i}", text, T0 + timedelta(hours=i))
    index.prune()
    assert len(index) <= 2 * 24 + 1


def test_updated_article_is_placed_again() -> None:
    index = StoryIndex()
    index.assign("a1", _body(BRIEFING_TALKS), T0)
    assert index.assign("a1", _body(BRIEFING_TALKS), T0) == StoryMatch("a1", 1.0, False)
    assert index.assign("a1", _body(BRIEFING_GAS), T0).is_new_story
    assert len(index) == 1


def test_empty_and_tiny_texts_do_not_crash_or_merge_unrelated_items() -> None:
    index = StoryIndex()
    assert index.assign("e1", "", T0).is_new_story
    assert index.assign("e2", " — ", T0).is_new_story
    assert index.assign("t1", "Brief item.", T0).is_new_story
    assert index.assign("t2", "Other words entirely.", T0).is_new_story


def test_minhash_of_estimates_jaccard() -> None:
    a, b = minhash_of(_body(BRIEFING_TALKS)), minhash_of(_syndicated_copy(BRIEFING_TALKS))
    c = minhash_of(_body(BRIEFING_GAS))
    assert isinstance(a, MinHash)
    assert a.jaccard(b) > 0.6 and a.jaccard(c) < 0.2
    assert minhash_of("  ") is None


def test_backfill_out_of_time_order_keeps_recent_entries_findable():
    """One source's months of history, then another's: copies still meet their originals."""
    index = StoryIndex(window=timedelta(days=7), keep_at_least=1000)
    base = datetime(2026, 1, 1)
    bodies = [f"Report {i}: " + " ".join(f"w{i}x{k}" for k in range(40)) for i in range(300)]
    for i, body in enumerate(bodies):
        index.assign(f"a{i}", body, base + timedelta(days=i / 3))
    old_copy = index.assign("b0", "Dateline. " + bodies[0], base + timedelta(hours=2))
    assert old_copy.story_id == "a0" and not old_copy.is_new_story


def test_max_entries_caps_the_index_oldest_first() -> None:
    index = StoryIndex(window=timedelta(days=365), keep_at_least=0, max_entries=100)
    for i in range(1000):
        text = f"Item {i}: " + " ".join(f"w{i}x{k}" for k in range(30))
        index.assign(f"id{i}", text, T0 + timedelta(minutes=i))
    index.prune()
    assert len(index) == 100
    # the newest stay findable (exact and near copies), the oldest are gone
    newest = "Item 999: " + " ".join(f"w999x{k}" for k in range(30))
    assert index.assign("copy", newest, T0 + timedelta(days=1)).story_id == "id999"
    oldest = "Item 0: " + " ".join(f"w0x{k}" for k in range(30))
    assert index.assign("again", oldest, T0 + timedelta(days=1)).is_new_story


def test_sketches_are_equal_in_every_process() -> None:
    """Sketches are made in pool workers and compared in the main process: they must not
    depend on the process's string-hash salt."""
    import os
    import subprocess
    import sys

    code = (
        "import sys; from monitor.stories import sketch; "
        "s = sketch(sys.stdin.read()); print(s.digest.hex(), s.signature.hex())"
    )
    text = _body(BRIEFING_TALKS) + " Ünïcödé wörds, 2026; ß"
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            input=text,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    here = sketch(text)
    assert outs == {f"{here.digest.hex()} {here.signature.hex()}\n"}


def test_assign_sketch_gives_the_same_groups_as_assign() -> None:
    """The main process assigns from worker-made sketches: same stories as from texts."""
    from monitor.synth import SynthConfig, iter_entries

    entries = list(iter_entries(SynthConfig(articles=300, sources=6)))
    by_text, by_sketch = StoryIndex(), StoryIndex()
    a = [by_text.assign(e.article_id, e.raw_content, e.published) for e in entries]
    b = [by_sketch.assign_sketch(e.article_id, sketch(e.raw_content), e.published) for e in entries]
    assert a == b
    assert len({m.story_id for m in a}) < len(a)  # the synth corpus has copies


def test_wordless_sketch_never_joins() -> None:
    index = StoryIndex()
    assert sketch("— … !!") == Sketch(b"", None)
    assert index.assign_sketch("a", sketch(""), T0).is_new_story
    assert index.assign_sketch("b", sketch("..."), T0).is_new_story


def test_sketches_are_unchanged() -> None:
    """Digest and signature of 200 synth articles and a few odd texts, as the findall
    tokenizer and column-wise minimum of round 4 (d692fbe) made them: a faster sketch must
    group exactly as before (stored story ids are compared across versions)."""
    import hashlib

    from monitor.synth import SynthConfig, iter_entries

    h = hashlib.blake2b(digest_size=16)
    texts = [
        e.raw_content
        for e in iter_entries(
            SynthConfig(articles=200, sources=20, seed=3, per_paragraph_names=True)
        )
    ]  # the corpus the digest was written from
    texts += [
        "",
        "— … !!",
        "İstanbul ΣΑΣ ß ﬁ K ½ ²",
        "\ud800 lone \udfff surrogates",
        "One two three.",
    ]
    for text in texts:
        s = sketch(text)
        h.update(s.digest)
        h.update(s.signature or b"-")
    assert h.hexdigest() == "de4f470e1292155e6168aadafd623399"


def _reference_joined(text: str) -> bytes:
    from monitor.stories import _tokens

    return " ".join(_tokens(text)).encode("utf-8", "surrogatepass")


def test_joined_words_equals_the_findall_tokens() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from monitor.stories import _joined_words

    chars = st.one_of(
        st.characters(codec="utf-8"),  # ASCII and beyond
        st.sampled_from(" \t\n.,;“”’—…_-'\"ßİΣςﬁ\u0345\u00a0\u2009½²K"),
        st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),  # lone surrogates
    )

    @settings(max_examples=400, deadline=None)
    @given(st.text(chars, max_size=80))
    def check(text: str) -> None:
        assert _joined_words(text) == _reference_joined(text)

    check()


def test_joined_words_maps_every_code_point_like_findall() -> None:
    """Each non-ASCII character is replaced on its own, in any order: that holds if no
    character of a mapping maps again (checked for every code point), and each code point of
    the BMP and of the astral planes' letter and CJK blocks, next to word and non-word
    neighbours, gives the findall tokens."""
    from monitor import stories
    from monitor.stories import _char_map, _joined_words

    for c in range(0x80, 0x110000):
        ch = chr(c)
        for out in _char_map(ch).decode("utf-8", "surrogatepass"):
            if out == " ":
                continue
            if out.isascii():
                assert stories._ASCII_MAP[ord(out)] == ord(out), hex(c)
            else:
                assert _char_map(out) == out.encode("utf-8", "surrogatepass"), hex(c)
    blocks = [*range(0x80, 0x10000, 128), *range(0x10000, 0x20000, 128), 0x20000, 0xE0000]
    for start in blocks:  # small texts: one replace per character
        text = "".join(f"{chr(c)}x{chr(c)} {chr(c)}." for c in range(start, start + 128))
        assert _joined_words(text) == _reference_joined(text), hex(start)


def test_permutations_and_banding_are_datasketch_s() -> None:
    """stories makes datasketch's affine32 permutations and LSH banding without importing
    it (scipy is ~45 MB per process); they must stay the very same numbers."""
    from datasketch import MinHashLSH

    from monitor import stories

    for num_perm in (16, 64, 128):
        a, b = MinHash(num_perm=num_perm, seed=1, scheme="affine32").permutations
        mine = stories._permutations(num_perm)
        assert mine[0].dtype == a.dtype and mine[1].dtype == b.dtype
        assert (mine[0] == a).all() and (mine[1] == b).all()
    for (threshold, num_perm), banding in stories._BANDING.items():
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        assert banding == (lsh.b, lsh.r)
    index = StoryIndex(threshold=0.8, num_perm=32)  # not in the table: asks datasketch
    lsh = MinHashLSH(threshold=0.8, num_perm=32)
    assert (index._b, index._r) == (lsh.b, lsh.r)


def test_importing_the_pipeline_does_not_import_scipy() -> None:
    import subprocess
    import sys

    code = "import sys, monitor.pipeline, monitor.ingest; print('scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
