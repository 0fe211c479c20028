"""Per-source boilerplate learned from a source's own articles."""

from __future__ import annotations

from monitor.learned import learn_source_boilerplate, paragraph_key

SIGN_OFF = "Follow the Daily Courier for more updates on this story."
DISCLAIMER = (
    "The Daily Courier publishes syndicated content as received. The publisher accepts no "
    "liability for errors or omissions in third-party material, and readers should verify "
    "figures with the original source before relying on them. " * 3
).strip()


TOPICS = "harbour dredging, grain exports, fuel taxes, rail strikes, school meals, bank mergers, "
TOPICS += "river floods, tram lines, court fees, wind farms"


def _articles(n: int, extra: list[str] | None = None) -> list[list[str]]:
    # Distinct words, not numbers: keys fold digits, so "Story 1"/"Story 2" would collide.
    topics = TOPICS.split(", ")
    return [[f"A report about {topics[i]} and what it means.", *(extra or [])] for i in range(n)]


def test_paragraph_key_folds_case_digits_and_whitespace() -> None:
    assert paragraph_key("  © 2025\tDaily   COURIER \n") == "© 0000 daily courier"
    assert paragraph_key("Call 555-0142") == paragraph_key("call 123-9999")
    assert paragraph_key("Straße") == "strasse"  # casefold, not lower


def test_learns_paragraphs_in_at_least_min_share_of_articles() -> None:
    articles = _articles(6, [SIGN_OFF])[:3] + _articles(3)
    assert learn_source_boilerplate(articles, min_share=0.5) == {paragraph_key(SIGN_OFF)}
    assert learn_source_boilerplate(articles, min_share=0.6) == frozenset()


def test_needs_min_articles() -> None:
    assert learn_source_boilerplate(_articles(4, [SIGN_OFF])) == frozenset()
    assert learn_source_boilerplate(_articles(5, [SIGN_OFF])) == {paragraph_key(SIGN_OFF)}


def test_year_variants_count_as_one_paragraph() -> None:
    articles = [[a[0], f"© {2020 + i} Daily Courier"] for i, a in enumerate(_articles(6))]
    assert learn_source_boilerplate(articles) == {"© 0000 daily courier"}


def test_long_disclaimer_is_learnable() -> None:
    assert len(DISCLAIMER) > 500
    assert paragraph_key(DISCLAIMER) in learn_source_boilerplate(_articles(8, [DISCLAIMER]))


def test_repeats_inside_one_article_count_once() -> None:
    articles = [[SIGN_OFF] * 10] + _articles(5)
    assert learn_source_boilerplate(articles) == frozenset()


def test_tiny_paragraphs_are_ignored() -> None:
    assert learn_source_boilerplate(_articles(6, ["—", "**"])) == frozenset()


def test_accepts_any_iterable_of_sequences() -> None:
    generator = (tuple(a) for a in _articles(5, [SIGN_OFF]))
    assert learn_source_boilerplate(generator, min_articles=5) == {paragraph_key(SIGN_OFF)}


def test_digit_folding_matches_the_reference_translation() -> None:
    import re

    from monitor.learned import fold_digits

    table = str.maketrans("123456789", "000000000")
    for text in ["no digits here", "© 2026 wire, 3 items", "", "٣ arabic-indic ٤ and 12", "x9"]:
        expected = text.translate(table) if text.isascii() else re.sub(r"\d", "0", text)
        assert fold_digits(text) == expected


def test_fold_digits_equals_the_regex_on_every_code_point_and_mixed_texts() -> None:
    """fold_digits' byte checks (no digit / ASCII digits only / maybe another script's) give
    what the \\d substitution gives: every code point alone and inside curly-quoted text,
    and random texts of digits, other scripts' digits, quotes and lone surrogates."""
    import re
    import sys

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from monitor.learned import _ND_LEADS, fold_digits

    def reference(text: str) -> str:
        return re.sub(r"\d", "0", text)

    # the byte checks hold if every non-ASCII digit's UTF-8 lead byte is one of _ND_LEADS
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    digits = re.findall(r"\d", everything)
    assert len(digits) > 600
    assert all(d.isascii() or d.encode("utf-8")[0] in _ND_LEADS for d in digits)
    for text in (everything, everything[:0x80], f"“{''.join(digits)}”", "“x” 12"):
        assert fold_digits(text) == reference(text)

    pieces = st.sampled_from(
        ["a", " ", "1", "09", "’", "“x”", "é", "\u0661", "\u0966", "\uff11", "\U0001d7ce",
         "\u00b2", "\u2153", "\ud800", "ß", "—", "Ω", "\u0660x"]
    )  # fmt: skip

    @settings(max_examples=500, deadline=None)
    @given(st.lists(pieces, max_size=12))
    def check(parts: list[str]) -> None:
        text = "".join(parts)
        assert fold_digits(text) == reference(text)

    check()
