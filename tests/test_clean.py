"""The cleaner on real-shaped inputs: scraped pages, plain text, feed HTML, full pages."""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from monitor.clean import (
    CLEANER_VERSION,
    clean_document,
    clean_full_page,
    clean_html_fragment,
    clean_plain_text,
    clean_scraped_page,
)
from monitor.learned import paragraph_key
from monitor.models import CleanedArticle

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "clean"
# ../shared beside the repository: present for developers and CI, never required.
SHARED = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
SEED = SHARED / "seed-menafn-kremlin.txt"

LEAD = (
    "The finance ministry said on Wednesday that it would cut the fuel tax by two cents a "
    "litre from next month, in a move aimed at easing pressure on commuters and hauliers."
)
QUOTE = (
    "“We have listened to drivers and to the transport sector,” finance minister Anna Berg "
    "told parliament, adding that the cut would be reviewed after six months."
)


def _check_against_expected(article: CleanedArticle, expected: dict) -> None:
    assert article.title == expected["title"]
    assert article.published == date.fromisoformat(expected["published"])
    assert list(article.paragraphs) == expected["body_paragraphs"]
    reasons = {r.text: r.reason for r in article.removed}
    for line in expected["removed_as_boilerplate"]:
        assert line in reasons, line
        assert reasons[line] not in ("headline", "header")
        assert not reasons[line].startswith(("duplicate", "near-duplicate"))
    dups = [r for r in article.removed if r.reason.startswith("duplicate-of-paragraph-")]
    assert [r.text for r in dups] == expected["removed_as_duplicate"]
    for r in dups:  # N points at the kept copy (1-based)
        assert article.paragraphs[int(r.reason.rsplit("-", 1)[1]) - 1] == r.text


@pytest.mark.skipif(not SEED.exists(), reason=f"shared seed fixture not present at {SEED}")
def test_seed_page_from_shared_folder() -> None:
    expected = json.loads(SEED.with_suffix(".expected.json").read_text(encoding="utf-8"))
    article = clean_scraped_page(SEED.read_text(encoding="utf-8"))
    _check_against_expected(article, expected)
    assert article.header_code == expected["header"]["code"] == 403


def test_own_scraped_fixture() -> None:
    raw = (FIXTURES / "scraped-grain-corridor.txt").read_text(encoding="utf-8")
    expected = json.loads((FIXTURES / "scraped-grain-corridor.expected.json").read_text("utf-8"))
    article = clean_scraped_page(raw)
    _check_against_expected(article, expected)
    assert article.header_code == 404
    assert [r.reason for r in article.removed[:2]] == ["header", "error-page"]
    assert article.text.count("\n\n") == len(expected["body_paragraphs"]) - 1


def test_scraped_header_variants() -> None:
    page = f"\n   date 2024-02-29 200  \nFuel Tax Cut Announced\n{LEAD}\n{QUOTE}\n"
    article = clean_scraped_page(page)
    assert (article.published, article.header_code) == (date(2024, 2, 29), 200)
    assert article.title == "Fuel Tax Cut Announced"
    assert article.paragraphs == (LEAD, QUOTE)


def test_scraped_header_without_code_and_impossible_date() -> None:
    article = clean_scraped_page(f" date 2024-02-30\nFuel Tax Cut Announced\n{LEAD}")
    assert article.published is None and article.header_code is None
    assert article.paragraphs == (LEAD,)


def test_scraped_page_without_headline_keeps_first_paragraph() -> None:
    article = clean_scraped_page(f" date 2024-03-01 200\n{LEAD}\n{QUOTE}")
    assert article.title is None
    assert article.paragraphs == (LEAD, QUOTE)


def test_plain_text_headline_with_final_period() -> None:
    raw = f"Fuel Tax to Be Cut by Two Cents From Next Month.\n\n{LEAD}\n\n{QUOTE}\n\nRead the rest here.\n"
    article = clean_plain_text(raw)
    assert article.title == "Fuel Tax to Be Cut by Two Cents From Next Month."
    assert article.paragraphs == (LEAD, QUOTE)
    assert ("Read the rest here.", "read-more") in [(r.text, r.reason) for r in article.removed]


def test_plain_text_without_headline() -> None:
    article = clean_plain_text(f"{LEAD}\n\n{QUOTE}")
    assert article.title is None
    assert article.paragraphs == (LEAD, QUOTE)


def test_plain_text_normalises_unicode_and_spaces_but_keeps_quotes() -> None:
    decomposed = unicodedata.normalize("NFD", "Zoë Müller said «non» and ‘maybe’")
    article = clean_plain_text(f"Headline Here\n\n{decomposed}\u00a0 \u200bto “reporters”.")
    assert article.paragraphs == ("Zoë Müller said «non» and ‘maybe’ to “reporters”.",)
    assert unicodedata.is_normalized("NFC", article.paragraphs[0])


def test_exact_repeat_after_normalisation() -> None:
    article = clean_plain_text(f"{LEAD}\n{QUOTE}\n  {LEAD.upper()}  \n")
    assert article.paragraphs == (LEAD, QUOTE)
    assert article.removed[-1].reason == "duplicate-of-paragraph-1"


def test_near_repeat_with_changed_dateline_and_minor_edit() -> None:
    first = f"BRUSSELS, March 3 (Newswire) - {LEAD}"
    redated = f"BRUSSELS, March 4 (Newswire) - {LEAD}"
    edited = QUOTE.replace("adding that", "and added that")
    article = clean_plain_text("\n".join([first, QUOTE, redated, edited]))
    assert article.paragraphs == (first, QUOTE)
    assert [r.reason for r in article.removed] == [
        "near-duplicate-of-paragraph-1",
        "near-duplicate-of-paragraph-2",
    ]


def test_similar_but_different_paragraphs_are_kept() -> None:
    a = "The minister said the fuel tax would be cut by two cents from next month for all drivers."
    b = "The minister said the income tax would rise by two points from next year for top earners."
    assert clean_plain_text(f"{a}\n{b}").paragraphs == (a, b)


def test_short_repeated_lines_are_exact_only() -> None:
    article = clean_plain_text(f"{LEAD}\nPhoto: Reuters.\nPhoto: AFP.\nPhoto: Reuters.")
    assert article.paragraphs == (LEAD, "Photo: Reuters.", "Photo: AFP.")


def test_learned_boilerplate_is_removed_with_digits_folded() -> None:
    promo = "Download the Daily Courier app for 24/7 news."
    learned = frozenset({paragraph_key("Download the Daily Courier app for 00/0 news.")})
    article = clean_plain_text(f"{LEAD}\n{promo}\n{QUOTE}", learned=learned)
    assert article.paragraphs == (LEAD, QUOTE)
    assert [(r.text, r.reason) for r in article.removed] == [(promo, "learned-boilerplate")]


def test_rule_boilerplate_in_every_path() -> None:
    for article in (
        clean_plain_text(f"{LEAD}\nAll rights reserved."),
        clean_scraped_page(f" date 2024-01-01 200\n{LEAD}\nAll rights reserved."),
        clean_html_fragment(f"<p>{LEAD}</p><p>All rights reserved.</p>"),
    ):
        assert article.paragraphs == (LEAD,)
        assert article.removed[-1].reason == "copyright"


def test_html_fragment_entities_br_p_script_style() -> None:
    html = (
        "<div><p>Tom &amp; Jerry&nbsp;met &ldquo;officials&rdquo; in Paris&#8217; suburbs.</p>"
        "<script>var ad = 'Advertisement';</script><style>p { color: red }</style>"
        "First line<br>Second <b>bold</b> line<br/><!-- hidden comment -->Third</div>"
        "<p>Advertisement</p>"
    )
    article = clean_html_fragment(html, title="Cartoon Summit")
    assert article.title == "Cartoon Summit"
    assert article.paragraphs == (
        "Tom & Jerry met “officials” in Paris’ suburbs.",
        "First line",
        "Second bold line",
        "Third",
    )
    assert [r.reason for r in article.removed] == ["advertisement"]


def test_html_fragment_drops_repeated_title_and_double_escaped_entities() -> None:
    html = "<h2>Cartoon Summit</h2><p>Tom &amp;amp; Jerry said &amp;quot;hello&amp;quot;.</p>"
    article = clean_html_fragment(html, title="Cartoon Summit")
    assert article.paragraphs == ('Tom & Jerry said "hello".',)
    assert article.removed[0].reason == "headline"


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   ",
        "<",
        "<<<>>>",
        "</div></div>",
        "<p",
        "\x00\x01\x02",
        "<!-- only a comment -->",
        '<?xml version="1.0" encoding="utf-8"?><p>Grain deal</p>',
        "<html><body><p>unclosed <b>bold <i>italic",
        "&#xFFFFFFFF; &bogus; &",
        "<" * 5000 + "p>" * 5000,
        "<div>" * 3000 + "deep text" + "</div>" * 3000,
        "\ud800 lone surrogate",
    ],
)
def test_html_fragment_never_raises(garbage: str) -> None:
    article = clean_html_fragment(garbage)
    assert isinstance(article, CleanedArticle)
    assert all(p.strip() == p and p for p in article.paragraphs)


def test_html_fragment_keeps_text_of_deep_and_declared_documents() -> None:
    assert clean_html_fragment('<?xml version="1.0"?><p>Grain deal</p>').paragraphs == (
        "Grain deal",
    )
    assert "deep text" in clean_html_fragment("<div>" * 300 + "deep text").text


def test_full_page_through_trafilatura() -> None:
    article = clean_full_page((FIXTURES / "full-page-harbour.html").read_text(encoding="utf-8"))
    assert article.title == "Port Authority Approves Harbour Expansion"
    assert article.published == date(2025, 6, 14)
    assert article.paragraphs[0].startswith("The regional port authority on Friday approved")
    assert article.paragraphs[1].startswith("“This is the largest investment")
    assert any("450 million euros" in p for p in article.paragraphs)
    text = article.text
    for junk in ("cookies", "Advertisement", "Share on Facebook", "All rights reserved", "window."):
        assert junk not in text


def test_full_page_falls_back_to_fragment_cleaning() -> None:
    article = clean_full_page("<p>Grain deal signed.</p>")
    assert article.paragraphs == ("Grain deal signed.",)


@pytest.mark.parametrize(
    ("raw", "html", "kind"),
    [
        (f" date 2024-01-01 403\nFuel Tax Cut Announced\n{LEAD}", None, "scraped"),
        (f"<html><body><p>{LEAD}</p></body></html>", None, "html"),
        (f"<p>{LEAD}</p>", True, "html"),
        (f"Fuel Tax Cut Announced\n\n{LEAD}", None, "plain"),
        (f"Fuel <b> Tax\n\n{LEAD}", False, "plain"),
    ],
)
def test_clean_document_dispatch(raw: str, html: bool | None, kind: str) -> None:
    article = clean_document(raw, html=html)
    assert LEAD in article.paragraphs
    assert (article.header_code == 403) == (kind == "scraped")
    if kind == "plain":
        assert article.title is not None and "Fuel" in article.title


def test_cleaner_version_is_a_string() -> None:
    assert isinstance(CLEANER_VERSION, str) and CLEANER_VERSION


# Characters for the parser-free path: letters, every kind of space the scrapers leave,
# typographic quotes, non-Latin scripts, astral symbols, and the C1/noncharacter edges.
_PLAIN_ALPHABET = (
    "aZ é“”«»—’ \t\n\r\xa0\u2028\u2029\u3000\u200a\x85\u0661Ж中😀\ufdd0\ufffd\U0001fffe'\"/;:.,!?-"
)


def _parser_paragraphs(html: str) -> list[str]:
    from monitor.clean import _normalise_text_for_html, _parsed_paragraphs

    return _parsed_paragraphs(html, _normalise_text_for_html(html))


def test_plain_paragraph_html_skips_the_parser_with_identical_paragraphs() -> None:
    """Feed HTML that is only <p> blocks of plain text is split without lxml; the result is
    what lxml gives, and anything with markup or entities still goes through lxml."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from monitor.clean import _PLAIN_PARAGRAPHS, _html_paragraphs, _normalise_text_for_html

    texts = st.lists(st.text(alphabet=_PLAIN_ALPHABET, max_size=40), min_size=1, max_size=6)

    @settings(max_examples=400, deadline=None)
    @given(texts)
    def check(paragraphs: list[str]) -> None:
        html = "".join(f"<p>{p}</p>" for p in paragraphs)
        assert _html_paragraphs(html) == _parser_paragraphs(html)

    check()
    for html in ["<p>a &amp; b</p>", "<p>a</p> <p>b</p>", "<p>x <b>y</b></p>", "<div>a</div>"]:
        assert not _PLAIN_PARAGRAPHS.fullmatch(_normalise_text_for_html(html))
        assert _html_paragraphs(html) == _parser_paragraphs(html)


def test_printable_fast_path_equals_the_general_one() -> None:
    """clean._normalised_html_paragraphs takes shortcuts for printable HTML (no junk, no
    "&", a space the only whitespace, NFC the only normalisation); it returns exactly what
    normalising each of _html_paragraphs' paragraphs returns, and _is_plain answers exactly
    as _PLAIN_PARAGRAPHS does."""
    import sys

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from monitor.clean import (
        _JUNK,
        _PLAIN_PARAGRAPHS,
        _html_paragraphs,
        _is_plain,
        _normalise_text,
        _normalised_html_paragraphs,
    )

    junk = [chr(c) for c in range(sys.maxunicode + 1) if _JUNK.match(chr(c))]
    assert junk and not any(c.isprintable() for c in junk)
    alphabet = _PLAIN_ALPHABET + "<>/p&;  \u00ad\u200b\ufeffe\u0301\u00e9A\u030a"
    blocks = st.lists(st.text(alphabet=alphabet, max_size=30), min_size=0, max_size=5)
    joints = st.sampled_from(["", " ", "\n", "<br>", "</p><p>"])

    @settings(max_examples=600, deadline=None)
    @given(blocks, joints, st.booleans())
    def check(paragraphs: list[str], joint: str, wrap: bool) -> None:
        html = joint.join(f"<p>{p}</p>" if wrap else p for p in paragraphs)
        assert _is_plain(html) == bool(_PLAIN_PARAGRAPHS.fullmatch(html))
        expected = [_normalise_text(p) for p in _html_paragraphs(html)]
        assert _normalised_html_paragraphs(html) == expected

    check()
    for html in ["<p>a  b </p><p> c</p>", "<p>e\u0301</p>", "<p></p>", "<p>", "</p>", "<p>a</p"]:
        assert _is_plain(html) == bool(_PLAIN_PARAGRAPHS.fullmatch(html))
        assert _normalised_html_paragraphs(html) == [
            _normalise_text(p) for p in _html_paragraphs(html)
        ]


def test_feed_blocks_with_references_skip_the_parser_with_identical_paragraphs() -> None:
    """<p> blocks separated by line breaks, with decimal or HTML 4 named references, are split
    and decoded without lxml: the paragraphs equal lxml's, normalised; anything else (hex or
    unknown references, references to controls or markup characters) still takes lxml."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from monitor.clean import (
        _BR,
        _FEED_BLOCKS,
        _INLINE_TAG,
        _normalise_text,
        _normalised_html_paragraphs,
        _simple_feed_paragraphs,
    )

    refs = [
        "&#8220;",
        "&#8217;",
        "&#39;",
        "&#039;",
        "&#0;",
        "&#9;",
        "&#10;",
        "&#13;",
        "&#38;",
        "&#60;",
        "&#62;",
        "&#128;",
        "&#150;",
        "&#160;",
        "&#173;",
        "&#8203;",
        "&#65279;",
        "&#55296;",
        "&#1114111;",
        "&#1114112;",
        "&#9999999;",
        "&#x201C;",
        "&amp;",
        "&lt;",
        "&nbsp;",
        "&eacute;",
        "&Auml;",
        "&apos;",
        "&hellip;",
        "&mdash;",
        "&shy;",
        "&bogus;",
        "&amp;#8220;",
        "&amp;amp;",
        "&",
        "&#",
        "&#;",
        "&;",
        "&eacute",
        "&#8220",
    ]
    tags = [
        '<a href="https://x.example/a?b=1&amp;c=2">',
        '<a href="">',
        "<a>",
        "</a>",
        "<strong>",
        "</strong>",
        "<em>",
        "</em>",
        "<b>",
        "</b>",
        "<i>",
        "</i>",
        "<span>",
        "</span>",
        "<br>",
        '<strong href="x">',
        "<A>",
        "</ a>",
        "<p>",
        "<",
        ">",
        "<br>",
        "<br/>",
        "<br />",
        "<br  />",
        "<BR>",
    ]
    text = st.lists(
        st.one_of(
            st.text(alphabet=_PLAIN_ALPHABET, max_size=8),
            st.sampled_from(refs),
            st.sampled_from(tags),
        ),
        max_size=8,
    ).map("".join)
    seps = st.sampled_from(["", "\n", " ", "\r\n", "\n\n", "\t", " \n "])

    @settings(max_examples=800, deadline=None)
    @given(st.lists(text, min_size=1, max_size=5), seps, seps, seps)
    def check(bodies: list[str], sep: str, lead: str, trail: str) -> None:
        html = lead + sep.join(f"<p>{b}</p>" for b in bodies) + trail
        expected = [_normalise_text(p) for p in _parser_paragraphs(html)]
        assert _normalised_html_paragraphs(html) == expected
        if _simple_feed_paragraphs(html) is not None:
            assert _FEED_BLOCKS.fullmatch(_BR.sub("", _INLINE_TAG.sub("", html)))

    check()
    feed = "<p>A &#8220;quote&#8221; &ndash; caf&eacute;</p>\n<p>B&nbsp;&nbsp;C</p>\n"
    assert _simple_feed_paragraphs(feed) == ["A “quote” – café", "B C"]
    for html in ["<p>a &#x41;</p>", "<p>a &bogus;</p>", "<p>a &#0;</p>", "<p><b>x</p>"]:
        assert _simple_feed_paragraphs(html) is None
    more = (
        '<p><strong>Read more:</strong> <a href="https://x.example/?a=1&amp;b=2">T&#8217;s</a></p>'
    )
    assert _simple_feed_paragraphs(more) == ["Read more: T’s"]


@pytest.mark.parametrize("html", ["\x85<?", "<?php echo 1 ?>", "<!-- only a comment -->"])
def test_a_fragment_that_parses_to_a_comment_or_instruction_cleans_without_error(html):
    """lxml parses these to a lone comment / processing instruction (not an element), which
    the block walk cannot take: the cleaner treats them as unparseable text instead of
    raising (hypothesis found "\\x85<?")."""
    from monitor.clean import clean_html_fragment

    cleaned = clean_html_fragment(html)
    assert "<" not in cleaned.text
