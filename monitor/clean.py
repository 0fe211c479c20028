"""The cleaner: raw article text (scraped page, feed HTML, full web page, plain text) in,
``CleanedArticle`` out — paragraphs to keep plus an audit trail of everything dropped.

Pure functions, no I/O. Every input kind is reduced to a list of candidate paragraphs and
then goes through ONE pipeline (``_filter``): headline repeat → rule-based boilerplate →
learned (per-source) boilerplate → exact repeat → near repeat → keep. The first
occurrence of a repeated paragraph is kept; later copies cite its 1-based kept index.
"""

from __future__ import annotations

import html as html_lib
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from html.entities import name2codepoint as _HTML4_ENTITIES
from itertools import pairwise

import cython
import lxml.html
from lxml import etree

from monitor.boilerplate import match_rule
from monitor.learned import fold_digits
from monitor.models import CleanedArticle, Removed

CLEANER_VERSION = "1.0"

# ---------------------------------------------------------------- text normalisation

# Invisible characters the scrapers leave behind; control characters also break lxml.
_JUNK = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\u200b\u2060\ufeff\u200e\u200f]")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _normalise_text(text: str) -> str:
    """Document-level fixes done once, not per paragraph (cheaper on the hot path)."""
    if not text.isascii():
        text = _JUNK.sub("", text)
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
    elif _JUNK.search(text):
        text = _JUNK.sub("", text)
    # Feeds double-escape; a literal "&amp;" in text is almost always an escaping slip.
    if "&" in text and _ENTITY.search(text):
        text = html_lib.unescape(text)
    return text


def _fold_spaces(line: str) -> str:
    # str.split() folds every Unicode space (NBSP, thin spaces) and is the fastest way.
    return " ".join(line.split())


def _lines(text: str) -> list[str]:
    """Non-empty, whitespace-folded lines: each line of a text page is one paragraph."""
    out = []
    for line in text.splitlines():
        folded = _fold_spaces(line)
        if folded:
            out.append(folded)
    return out


# ---------------------------------------------------------------- headline recognition

_HEADLINE_MAX_CHARS = 200
_HEADLINE_MAX_WORDS = 30
_HEADLINE_PERIOD_MAX_WORDS = 12


def _title_cased(words: list[str]) -> bool:
    long_words = [w for w in words if len(w) >= 4 and w[0].isalpha()]
    return bool(long_words) and sum(w[0].isupper() for w in long_words) >= 0.6 * len(long_words)


def _looks_like_headline(line: str, following: str | None) -> bool:
    """Short, one line, not the last one, no trailing colon/comma. A final period is
    allowed (wire archives end every headline with one) when the line is short, Title
    Cased, or clearly shorter than the paragraph after it."""
    words = line.split()
    if following is None or len(line) > _HEADLINE_MAX_CHARS or len(words) > _HEADLINE_MAX_WORDS:
        return False
    if line[-1] in ",:":
        return False
    if line[-1] != ".":
        return True
    short = len(words) <= _HEADLINE_PERIOD_MAX_WORDS
    return short or _title_cased(words) or len(following) > 1.5 * len(line)


# ---------------------------------------------------------------- the shared pipeline

_NEAR_MIN_WORDS = 8  # below this one changed word already looks like a different text
_NEAR_THRESHOLD = 0.7  # word-bigram Jaccard of digit-folded keys


def _key_bigrams(key: str) -> set:
    """The word bigrams of ``key`` (words joined by single spaces: a paragraph key).

    Compiled, each bigram is the text "a b" (a slice of the key): its words hold no space,
    so two such texts are equal exactly when their word pairs are, and every set size,
    intersection and union is the one the word-pair tuples give (tests/test_clean_bigrams.py
    pins it to them). One C scan of the key makes them: no list of words, no tuple per
    bigram to make, hash and free, and a bigram already in a set is compared by the sets'
    str fast path instead of item by item (callgrind, 300 synth entries of the worker
    path: _unruled_reason 388M -> 297M instructions, all of the path 2,065M -> 1,953M).
    (Word ids in a per-article dict, bigram = id << 32 | id, came out dearer: +31M.)"""
    if not cython.compiled:
        # (Held as tuples: "a b" strings from two regex findall passes cost ~40% more to
        # make. pairwise gives zip(words, words[1:])'s pairs without copying the list.)
        return set(pairwise(key.split(" ")))
    out: set = set()
    start: cython.Py_ssize_t = 0  # where the word before the last space starts
    space: cython.Py_ssize_t = -1  # the last space seen
    i: cython.Py_ssize_t
    c: cython.Py_UCS4
    for i, c in enumerate(key):  # (compiled: a C loop over the characters)
        if c == 32:  # " "
            if space >= 0:
                out.add(key[start:i])
                start = space + 1
            space = i
    if space >= 0:
        out.add(key[start:])
    return out


@dataclass
class _State:
    """What the pipeline remembers while walking one article's paragraphs."""

    learned: frozenset[str]
    title_key: str | None
    kept: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    exact: dict[str, int] = field(default_factory=dict)  # casefolded text → kept index
    near: list[tuple[set, int, int]] = field(default_factory=list)  # (_key_bigrams, len, index)
    near_union: set = field(default_factory=set)  # see _near_duplicate_of
    kept_at: list[int] = field(default_factory=list)  # see CleanedArticle.kept_at
    # every paragraph is its own whitespace fold (its casefold then is too: casefold maps no
    # character but whitespace to whitespace or to nothing; test_clean_near checks them all)
    folded_input: bool = False
    # when a list: receives learned.paragraph_key of each kept paragraph, in order (see _filter)
    keys: list[str] | None = None


def _near_duplicate_of(shingles: set, state: _State) -> int | None:
    n = len(shingles)
    t = _NEAR_THRESHOLD
    # Jaccard ≥ t needs ≥ t·n shared bigrams (the union has ≥ n), and no kept paragraph
    # shares more than all the paragraphs screened before together (a superset of the kept
    # ones: adding this paragraph's bigrams now counts the shared ones in the same pass). One
    # set operation rules out ~94% of the paragraphs (synth) before the loop, which grows
    # with the paragraphs kept.
    union = state.near_union
    before = len(union)
    union |= shingles
    shared = n - (len(union) - before)  # this paragraph's bigrams in the union (≤ n)
    if shared < t * n:
        return None
    for other, m, index in state.near:  # m = len(other), stored once
        # The pair shares at most u = min(shared, m) bigrams (other is in the union), and
        # Jaccard ≥ t needs inter ≥ t·(n + m − inter), which only gets easier as inter
        # grows: if u fails it, so does inter. With u = min(n, m) this is the size test
        # (min/max ≥ t); `shared` rules out half the pairs that pass that (synth: 12 of
        # 24 intersections an article; _filter 274 -> 258 us an article).
        u = shared if shared < m else m
        if u < t * (n + m - u):
            continue
        inter = len(shingles & other)
        if inter >= t * (n + m - inter):
            return index
    return None


def _reason(paragraph: str, state: _State) -> str | None:
    """Why ``paragraph`` is dropped, or None to keep it (and remember it)."""
    folded = paragraph.casefold()
    if folded == state.title_key:
        return "headline"
    rule = match_rule(paragraph, folded)
    if rule:
        return rule
    return _unruled_reason(paragraph, folded, state)


def _unruled_reason(paragraph: str, folded: str, state: _State) -> str | None:
    """``_reason`` for a paragraph that is neither the headline nor rule-matched: the only
    checks that depend on the learned keys and on the paragraphs kept before it."""
    # paragraph_key(paragraph), from the casefold already made; it is needed only to look up
    # learned keys and for the bigrams of paragraphs of at least _NEAR_MIN_WORDS words. A
    # printable casefold with no double, leading or trailing space is its own whitespace
    # fold (the only whitespace a printable text holds is the ASCII space): most paragraphs,
    # which then need no split into words and no join.
    if state.folded_input or (
        folded.isprintable() and "  " not in folded and folded[:1] != " " and folded[-1:] != " "
    ):
        joined = folded
        long_enough = folded.count(" ") + 1 >= _NEAR_MIN_WORDS and folded != ""
    else:
        joined = " ".join(folded.split())
        long_enough = joined.count(" ") + 1 >= _NEAR_MIN_WORDS and joined != ""
    key = ""
    if state.learned or long_enough or state.keys is not None:
        # (with no learned keys the lookup below never hits, so keying for state.keys
        # changes no verdict)
        key = fold_digits(joined)
        if key in state.learned:
            return "learned-boilerplate"
    if folded in state.exact:
        return f"duplicate-of-paragraph-{state.exact[folded]}"
    shingles = None
    if long_enough:  # (then the key has >= 7 bigrams: the set is not empty)
        shingles = _key_bigrams(key)
        index = _near_duplicate_of(shingles, state)
        if index is not None:
            return f"near-duplicate-of-paragraph-{index}"
    _keep(paragraph, folded, shingles, state)
    if state.keys is not None:
        state.keys.append(key)
    return None


def _keep(paragraph: str, folded: str, shingles: set | None, state: _State) -> None:
    state.kept_at.append(len(state.removed))
    state.kept.append(paragraph)
    index = len(state.kept)
    state.exact.setdefault(folded, index)
    if shingles is not None:
        state.near.append((shingles, len(shingles), index))


def _filter(
    paragraphs: list[str],
    *,
    title: str | None,
    published: date | None,
    learned: frozenset[str],
    removed: list[Removed] | None = None,
    header_code: int | None = None,
    folded: bool = False,
    keys: list[str] | None = None,
) -> CleanedArticle:
    """`folded`: every paragraph is known to be its own whitespace fold (what _fold_spaces
    makes of it), so no paragraph's casefold needs checking for other whitespace.

    `keys`: when a list, ``learned.paragraph_key`` of each kept paragraph is appended to it,
    in order. `_unruled_reason` makes that key anyway for nearly every kept paragraph (from
    the casefold it has: ``_key``), so a pool worker that ships the keys to the ingesting
    process gets them for ~1 us a short paragraph instead of ~3.4 us a paragraph."""
    title_key = title.casefold() if title else None
    state = _State(
        learned=learned,
        title_key=title_key,
        removed=list(removed or ()),
        folded_input=folded,
        keys=keys,
    )
    for p in paragraphs:
        reason = _reason(p, state)
        if reason:
            state.removed.append(Removed(p, reason))
    return CleanedArticle(
        title=title,
        published=published,
        paragraphs=tuple(state.kept),
        removed=tuple(state.removed),
        header_code=header_code,
        kept_at=tuple(state.kept_at),
    )


# ---------------------------------------------------------------- cleaning again with new keys

_LEARNED = "learned-boilerplate"
_DUPLICATE = "duplicate-of-paragraph-"
_NEAR_DUPLICATE = "near-duplicate-of-paragraph-"


def _key(paragraph: str) -> str:
    """The learned-key lookup of ``_unruled_reason`` (== learned.paragraph_key)."""
    return fold_digits(" ".join(paragraph.casefold().split()))


def refilter(cleaned: CleanedArticle, learned: frozenset[str]) -> CleanedArticle | None:
    """What cleaning the same raw text again with ``learned`` returns, made from ``cleaned``
    (a result of this module) alone; None when ``cleaned`` has no walk trace (not made here).

    Learned keys only matter to paragraphs that are neither the headline nor rule-matched,
    and nothing before the filter reads them, so the walk is rebuilt from the kept and
    removed paragraphs (``kept_at``) and only those paragraphs are judged again."""
    if not traced(cleaned):
        return None
    fast = _refilter_fast(cleaned, learned)
    return fast if fast is not None else _refilter_walk(cleaned, learned)


def traced(cleaned: CleanedArticle) -> bool:
    """Whether ``cleaned`` carries the walk trace `refilter` needs (made by this module)."""
    return len(cleaned.kept_at) == len(cleaned.paragraphs)


def _walk_of(cleaned: CleanedArticle) -> list[tuple[str, str | None]]:
    """The filter's walk: (paragraph, reason it was removed, or None when kept)."""
    walk: list[tuple[str, str | None]] = []
    removed, start = cleaned.removed, 0
    for paragraph, at in zip(cleaned.paragraphs, cleaned.kept_at, strict=True):
        walk.extend((r.text, r.reason) for r in removed[start:at])
        walk.append((paragraph, None))
        start = at
    walk.extend((r.text, r.reason) for r in removed[start:])
    return walk


def _judged_by_keys(reason: str | None) -> bool:
    """Whether a paragraph removed (or kept, None) for ``reason`` passed the headline and
    rule checks, i.e. the learned keys and the paragraphs kept before it decide about it."""
    return reason is None or reason == _LEARNED or reason.startswith((_DUPLICATE, _NEAR_DUPLICATE))


def _refilter_walk(cleaned: CleanedArticle, learned: frozenset[str]) -> CleanedArticle:
    """The general case: the filter's walk again, the headline and rule results reused."""
    state = _State(learned=learned, title_key=None)
    for paragraph, reason in _walk_of(cleaned):
        if _judged_by_keys(reason):
            reason = _unruled_reason(paragraph, paragraph.casefold(), state)
        if reason:
            state.removed.append(Removed(paragraph, reason))
    return replace(
        cleaned,
        paragraphs=tuple(state.kept),
        removed=tuple(state.removed),
        kept_at=tuple(state.kept_at),
    )


def _refilter_fast(cleaned: CleanedArticle, learned: frozenset[str]) -> CleanedArticle | None:
    """The common case, with no bigram work: every paragraph removed as learned stays so,
    and no (near-)duplicate that stays loses the kept paragraph it repeats. Then a kept
    paragraph is kept unless its key is learned now (nothing kept before it is new, so no
    check can start to match), and a repeat cites the same paragraph, renumbered (the kept
    list before it only lost entries; an exact repeat has its original's key, so it goes
    with it). None when the general walk is needed."""
    is_learned = _learned_test(learned)
    gone = [is_learned(p) for p in cleaned.paragraphs]
    removed: list[Removed] = []
    changed = shifted = any(gone)
    for r in cleaned.removed:
        reason = r.reason
        if reason == _LEARNED:
            if not is_learned(r.text):
                return None  # a key was dropped: the paragraph is judged again
        elif reason.startswith((_DUPLICATE, _NEAR_DUPLICATE)):
            head, _, number = reason.rpartition("-")
            if is_learned(r.text):
                reason, changed = _LEARNED, True
            elif gone[int(number) - 1]:
                return None  # its original is gone: it may be kept, or repeat another
            elif shifted:
                reason = f"{head}-{int(number) - sum(gone[: int(number)])}"
        removed.append(r if reason == r.reason else Removed(r.text, reason))
    if not changed:
        return cleaned
    return _merged(cleaned, gone, removed)


# Python's full case folding turns one character into at most this many (test_clean_refilter
# checks every code point, and that no printable character but the space folds to whitespace).
_CASEFOLD_MAX = 3


def _learned_test(learned: frozenset[str]) -> Callable[[str], bool]:
    """``lambda p: _key(p) in learned``, without making the key of a paragraph whose length
    rules it out. A printable paragraph with no double, leading or trailing space is its own
    whitespace fold, so its key is its casefold with digits folded: as long as it when
    ASCII, else 1 to _CASEFOLD_MAX characters per character. Most paragraphs are longer than
    any learned key (keys are furniture: sign-offs, promo lines)."""
    if not learned:
        return lambda p: False
    lengths = frozenset(map(len, learned))
    shortest, longest = min(lengths), max(lengths)

    def is_learned(p: str) -> bool:
        if p.isprintable() and "  " not in p and p[:1] != " " and p[-1:] != " ":
            n = len(p)
            if p.isascii():
                if n not in lengths:
                    return False
            elif n > longest or _CASEFOLD_MAX * n < shortest:
                return False
        return _key(p) in learned

    return is_learned


def _merged(cleaned: CleanedArticle, gone: list[bool], removed: list[Removed]) -> CleanedArticle:
    """``cleaned`` with the kept paragraphs flagged in ``gone`` moved, as learned
    boilerplate, into ``removed`` (the other removals, already re-judged) at their place."""
    kept: list[str] = []
    kept_at: list[int] = []
    out: list[Removed] = []
    start = 0
    for paragraph, at, drop in zip(cleaned.paragraphs, cleaned.kept_at, gone, strict=True):
        out.extend(removed[start:at])
        start = at
        if drop:
            out.append(Removed(paragraph, _LEARNED))
        else:
            kept_at.append(len(out))
            kept.append(paragraph)
    out.extend(removed[start:])
    return replace(cleaned, paragraphs=tuple(kept), removed=tuple(out), kept_at=tuple(kept_at))


# ---------------------------------------------------------------- scraped text pages

_HEADER = re.compile(r"\s*date\s+(\d{4}-\d{2}-\d{2})(?:\s+(\d{1,4}))?\s*")


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _split_header(raw: str) -> tuple[re.Match[str] | None, str, str]:
    """(header match, header line, rest of the page)."""
    first, _, rest = raw.lstrip("\r\n").partition("\n")
    m = _HEADER.fullmatch(first)
    return (m, first, rest) if m else (None, "", raw)


def _pick_headline(lines: list[str]) -> tuple[str | None, list[Removed], list[str]]:
    """The first title-like line after any leading boilerplate (error-page text)."""
    removed: list[Removed] = []
    for i, line in enumerate(lines):
        rule = match_rule(line)
        if rule:
            removed.append(Removed(line, rule))
            continue
        following = lines[i + 1] if i + 1 < len(lines) else None
        if _looks_like_headline(line, following):
            removed.append(Removed(line, "headline"))
            return line, removed, lines[i + 1 :]
        return None, removed, lines[i:]
    return None, removed, []


def clean_scraped_page(
    raw: str, learned: frozenset[str] = frozenset(), *, keys: list[str] | None = None
) -> CleanedArticle:
    """A scraper's text page: ``" date YYYY-MM-DD CODE"`` then one paragraph per line.
    `keys`: as `_filter`'s (each kept paragraph's ``learned.paragraph_key`` appended)."""
    header, header_line, rest = _split_header(raw)
    removed = [Removed(header_line.strip(), "header")] if header else []
    title, lead_removed, body = _pick_headline(_lines(_normalise_text(rest)))
    return _filter(
        body,
        title=title,
        published=_parse_date(header.group(1)) if header else None,
        learned=learned,
        removed=removed + lead_removed,
        header_code=int(header.group(2)) if header and header.group(2) else None,
        keys=keys,
    )


# ---------------------------------------------------------------- plain text


def clean_plain_text(
    raw: str, learned: frozenset[str] = frozenset(), *, keys: list[str] | None = None
) -> CleanedArticle:
    """A plain text article: optional headline line, then one paragraph per non-empty line.
    `keys`: as `_filter`'s."""
    lines = _lines(_normalise_text(raw))
    title = None
    removed: list[Removed] = []
    if lines and _looks_like_headline(lines[0], lines[1] if len(lines) > 1 else None):
        title = lines[0]
        removed.append(Removed(title, "headline"))
        lines = lines[1:]
    return _filter(lines, title=title, published=None, learned=learned, removed=removed, keys=keys)


# ---------------------------------------------------------------- HTML

_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
# Their text is code, styling or a nested document, never article prose.
_SKIP_TAGS = frozenset(
    ["script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "head"]
)
_TAG_RE = re.compile(r"<[^>]*>")
# huge_tree lifts libxml2's nesting limit (255), which CMS pages with wrapper divs can exceed.
_PARSER = lxml.html.HTMLParser(huge_tree=True)
_XML_DECL = re.compile(r"\A\s*<\?xml[^>]*\?>")


def _parse_html(html: str) -> etree._Element | None:
    # lxml refuses a str that carries an XML encoding declaration, so drop it first.
    try:
        root = lxml.html.fromstring(_XML_DECL.sub("", html, count=1), parser=_PARSER)
    except Exception:  # ParserError/ValueError on empty or odd input: garbage must not raise
        return None
    # a fragment that is only a comment or a processing instruction ("\x85<?") parses to
    # that node, which iterwalk refuses: treat it as unparseable, like the errors above
    return root if isinstance(root.tag, str) else None


class _Blocks:
    """Collects text pieces and cuts them into paragraphs at block boundaries."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.paragraphs: list[str] = []

    def add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)

    def cut(self) -> None:
        if self.parts:
            self.paragraphs.append("".join(self.parts))
            self.parts = []


def _walk(root: etree._Element) -> list[str]:
    blocks = _Blocks()
    skipping = 0  # depth inside script/style/...: their text and children are dropped
    for event, el in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        tag = el.tag if isinstance(el.tag, str) else None
        if event == "start":
            skipping += tag in _SKIP_TAGS
            if not skipping:
                _open(blocks, el, tag)
            continue
        if event == "end":
            skipping -= tag in _SKIP_TAGS
        if not skipping:  # end of an element, or a comment/PI: only its tail is text
            if tag in _BLOCK_TAGS:
                blocks.cut()
            blocks.add(el.tail)
    blocks.cut()
    return blocks.paragraphs


def _open(blocks: _Blocks, el: etree._Element, tag: str | None) -> None:
    if tag in _BLOCK_TAGS:
        blocks.cut()
    blocks.add(el.text)


def _html_paragraphs(html: str) -> list[str]:
    text = _normalise_text_for_html(html)
    if _is_plain(text):
        return [p for p in map(_fold_spaces, text[3:-4].split("</p><p>")) if p]
    return _parsed_paragraphs(html, text)


def _normalised_html_paragraphs(html: str) -> list[str]:
    """``[_normalise_text(p) for p in _html_paragraphs(html)]``, with less work for plain
    ``<p>`` blocks of printable text (most feed content): no junk to remove, no entity, and
    a space is the only whitespace, so a paragraph needs folding only where it has two
    spaces in a row or one at an end, and normalising only when it is not NFC."""
    plain = _plain_paragraphs(html)
    return plain if plain is not None else _other_html_paragraphs(html)


def _plain_paragraphs(html: str) -> list[str] | None:
    """`_normalised_html_paragraphs(html)` for plain <p> blocks of printable text, else None.
    Each paragraph returned is its own whitespace fold: folded, and NFC turns no character
    but whitespace into whitespace or into nothing (test_clean_near checks them all)."""
    if html.isprintable() and _is_plain_printable(html):  # no junk: _JUNK is unprintable
        parts = html[3:-4].split("</p><p>")
        if not html.isascii():  # (a flag of the str: free) ASCII text is NFC
            # Each paragraph is called for anyway (NFC), so its fold check goes in the same
            # call: one scan of the page instead of three (synth: 40.6 -> 34.9 us a page).
            return [q for q in map(_fold_nfc, parts) if q]
        # A paragraph needs folding only with two spaces in a row or one at an end, i.e.
        # after "<p>" or before "</p>": three scans of the page instead of three per paragraph.
        if "  " in html or "<p> " in html or " </p>" in html:
            parts = map(_fold_printable, parts)
        return [p for p in parts if p]
    return None


def _other_html_paragraphs(html: str) -> list[str]:
    """`_normalised_html_paragraphs(html)` for what `_plain_paragraphs` leaves."""
    simple = _simple_feed_paragraphs(html)
    if simple is not None:
        return simple
    if html.isprintable():
        return [_normalise_text(p) for p in _parsed_paragraphs(html, html)]
    return [_normalise_text(p) for p in _html_paragraphs(html)]


# Feed content as most CMSs write it: <p> blocks, one per line, of text with character
# references, simple inline tags and <br>s. libxml2 gives each block's text with its
# references decoded, the inline tags' text in place, a cut at each <br>, and the
# whitespace between blocks as paragraphs that fold to nothing. So such HTML needs no
# parser when every reference is a plain decimal one or an HTML 4 name (Python's
# name2codepoint; HTML5 gives these the same characters) for a printable character or NBSP.
# Anything else (other markup or attributes, hex, unknown or C1/control references) takes
# the parser; test_clean.py checks the result equals the parser's (hypothesis).
# The accepted shape, once inline tags and <br>s are dropped (checked block by block):
_FEED_BLOCKS = re.compile(r"[ \t\n\r]*(?:<p>[^<>]*</p>[ \t\n\r]*)+")
_HTML_SPACE = " \t\n\r"
_REF_TAIL = re.compile(r"(?:#([0-9]{1,7})|([A-Za-z][A-Za-z0-9]{0,30}));")


def _simple_feed_paragraphs(html: str) -> list[str] | None:
    """``[_normalise_text(p) for p in _html_paragraphs(html)]`` for feed <p> blocks (see
    above); None for anything else."""
    *blocks, tail = html.split("</p>")
    if not blocks or tail.strip(_HTML_SPACE):
        return None
    out = []
    for block in blocks:
        # _FEED_BLOCKS per block: spaces, "<p>", then text (tags checked by _without_inline_tags)
        lead, p_tag, body = block.partition("<p>")
        if not p_tag or lead.strip(_HTML_SPACE):
            return None
        segments = _without_inline_tags(body) if "<" in body or ">" in body else [body]
        if segments is None:
            return None
        for text in segments:
            if not text.isprintable():
                return None
            if "&" in text:
                text = _decode_refs(text)
                if text is None:
                    return None
            p = _fold_spaces(text)
            if p:
                # what the parser's text goes through; without "&" only NFC can change it
                out.append(_normalise_text(p) if "&" in p else _nfc(p))
    return out


# Inline tags that libxml2 keeps inside the paragraph and whose text _walk joins in place
# ("<strong>Read more:</strong> <a href=...>Title</a>"): dropping them, when they nest
# properly, leaves exactly the text the parser gives.
_INLINE_TAG = re.compile(r'<(/?)(a|strong|em|b|i)(?: href="[^"<>]*")?>')
_BR = re.compile(r"<br ?/?>")  # a block boundary for _walk, wherever it stands


def _without_inline_tags(body: str) -> list[str] | None:
    """`body` without its inline tags, cut at each <br>; None when it holds other markup,
    an attribute other than an <a>'s href, or tags that do not nest."""
    open_tags: list[str] = []
    for m in _INLINE_TAG.finditer(body):
        closing, name = m.groups()
        if " href=" in m.group() and (closing or name != "a"):
            return None
        if not closing:
            if name in open_tags:
                return None  # <a> inside <a>: libxml2 closes the outer one first
            open_tags.append(name)
        elif not open_tags or open_tags.pop() != name:
            return None
    if open_tags:
        return None
    segments = _BR.split(_INLINE_TAG.sub("", body))
    return None if any("<" in t or ">" in t for t in segments) else segments


def _decode_refs(text: str) -> str | None:
    head, *rest = text.split("&")
    parts = [head]
    for piece in rest:
        m = _REF_TAIL.match(piece)
        if m is None:
            return None
        digits, name = m.groups()
        code = int(digits) if digits else _HTML4_ENTITIES.get(name)
        if code is None or code > sys.maxunicode:
            return None
        ch = chr(code)
        if not (ch.isprintable() or ch == "\xa0"):
            return None
        parts.append(ch)
        parts.append(piece[m.end() :])
    return "".join(parts)


def _fold_printable(p: str) -> str:
    """``_fold_spaces(p)`` for a printable `p` (its only whitespace is the ASCII space)."""
    if "  " in p or p[:1] == " " or p[-1:] == " ":
        return " ".join(p.split())
    return p


def _fold_nfc(p: str) -> str:
    """``_nfc(_fold_printable(p))`` (NFC makes no empty text of a non-empty one, so the
    caller may drop empty paragraphs after it instead of before)."""
    if "  " in p or p[:1] == " " or p[-1:] == " ":
        p = " ".join(p.split())
    if p.isascii() or unicodedata.is_normalized("NFC", p):
        return p
    return unicodedata.normalize("NFC", p)


def _nfc(p: str) -> str:
    """``_normalise_text(p)`` for a printable `p` without "&": only NFC can change it."""
    if p.isascii() or unicodedata.is_normalized("NFC", p):
        return p
    return unicodedata.normalize("NFC", p)


def _is_plain(text: str) -> bool:
    """``_PLAIN_PARAGRAPHS.fullmatch(text)``. For printable text with no "&", counting is
    enough: when every "<" and ">" belongs to the outer tags or a "</p><p>" joint (which
    cannot overlap itself), the text is a run of <p> blocks of plain text."""
    if text.isprintable():
        return _is_plain_printable(text)
    return _PLAIN_PARAGRAPHS.fullmatch(text) is not None


def _is_plain_printable(text: str) -> bool:
    """``_is_plain(text)`` for a printable `text` (the caller has checked it)."""
    if "&" in text:
        return False  # _PLAIN_PARAGRAPHS admits no "&"
    if not (text.startswith("<p>") and text.endswith("</p>")):
        return False
    tags = 2 * text.count("</p><p>") + 2
    return text.count("<") == tags and text.count(">") == tags


# Feed content that is nothing but <p> blocks of plain text (no markup, no entities, none of
# the characters libxml2 rejects or rewrites) needs no parser: lxml would return exactly the
# texts between the tags, one paragraph each (tested against the parser, test_clean.py).
# Anything else, even one <a>, one "&amp;" or a space between blocks, takes the parser.
_PLAIN_PARAGRAPHS = re.compile(
    "(?:<p>[^<>&\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]*</p>)+"
)


def _parsed_paragraphs(html: str, text: str) -> list[str]:
    """Paragraphs through lxml (`text` is `html` after _normalise_text_for_html)."""
    root = _parse_html(text) if text.strip() else None
    if root is None:  # unparseable: strip anything tag-like and treat as text
        return _lines(_normalise_text(_TAG_RE.sub("\n", html)))
    return [p for p in map(_fold_spaces, _walk(root)) if p]


def _normalise_text_for_html(html: str) -> str:
    # Only the junk removal up front: lxml decodes entities itself, and unescaping before
    # parsing would turn "&lt;b&gt;" text into markup.
    return _JUNK.sub("", html)


def clean_html_fragment(
    html: str | None,
    title: str | None = None,
    learned: frozenset[str] = frozenset(),
    *,
    keys: list[str] | None = None,
) -> CleanedArticle:
    """Feed content/summary HTML → paragraphs (blocks and <br> split them).
    `keys`: as `_filter`'s."""
    paragraphs = _plain_paragraphs(html or "")
    folded = paragraphs is not None
    if paragraphs is None:
        paragraphs = _other_html_paragraphs(html or "")
    clean_title = _fold_spaces(_normalise_text(title)) if title else None
    return _filter(
        paragraphs,
        title=clean_title or None,
        published=None,
        learned=learned,
        folded=folded,
        keys=keys,
    )


def _trafilatura(html: str) -> tuple[str | None, str | None, str | None]:
    """(title, date, text) from trafilatura, or Nones when it finds no article."""
    import trafilatura  # heavy import: only the full-page path pays for it

    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=False
        )
    except Exception:  # a broken page is data, not a crash
        return None, None, None
    if doc is None:
        return None, None, None
    return doc.title, doc.date, doc.text


def clean_full_page(
    html: str | None, learned: frozenset[str] = frozenset(), *, keys: list[str] | None = None
) -> CleanedArticle:
    """A full article web page: main text via trafilatura, then the shared pipeline.
    `keys`: as `_filter`'s."""
    title, when, text = _trafilatura(html or "")
    if not text:  # not an article page trafilatura recognises: clean it as a fragment
        return clean_html_fragment(html, title=title, learned=learned, keys=keys)
    clean_title = _fold_spaces(_normalise_text(title)) if title else None
    return _filter(
        _lines(_normalise_text(text)),
        title=clean_title or None,
        published=_parse_date(when),
        learned=learned,
        keys=keys,
    )


# ---------------------------------------------------------------- dispatch

_HTML_HINT = re.compile(
    r"<\s*(?:!doctype|html|head|body|div|p|article|section|span|a|br|table|ul|ol|li|h[1-6]|"
    r"script|style|meta)\b[^>]*>",
    re.IGNORECASE,
)


def _is_scraped(raw: str) -> bool:
    return _split_header(raw)[0] is not None


def clean_document(
    raw: str, *, html: bool | None = None, learned: frozenset[str] = frozenset()
) -> CleanedArticle:
    """Detect the kind of ``raw`` and clean it: scraped page, HTML page or plain text."""
    if html is None and _is_scraped(raw):
        return clean_scraped_page(raw, learned)
    if html or (html is None and _HTML_HINT.search(raw, 0, 4000)):
        return clean_full_page(raw, learned)
    return clean_plain_text(raw, learned)
