"""Pure processing of one entry: clean, then extract. No disk, no network, no database."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time

from monitor import clean
from monitor import learned as learned_mod
from monitor.extract import Extractor
from monitor.models import CleanedArticle, Extraction, FeedEntry
from monitor.stories import Sketch, sketch, sketch_many


@dataclass(frozen=True)
class ProcessedArticle:
    entry: FeedEntry
    cleaned: CleanedArticle
    # Inside the ingestor: the same extraction as `rows.ExtractionColumns` (plain columns
    # are ~10x cheaper to ship back from a pool worker than Mention/Quote objects).
    extraction: Extraction
    # The story index's view of the cleaned text, made where the text was extracted (a
    # pool worker) so the main process only inserts and queries the index.
    sketch: Sketch | None = None


def content_hash(entry: FeedEntry) -> str:
    """What decides whether a re-polled entry changed: title, body and the feed's own date
    (a fetch-time fallback date changes on every poll, so it must not count)."""
    stated = "" if entry.published_source == "fetched" else entry.published.isoformat()
    basis = "\x1f".join([entry.title or "", entry.raw_content, entry.summary or "", stated])
    return hashlib.sha1(basis.encode("utf-8", "surrogatepass")).hexdigest()


def clean_entry(
    entry: FeedEntry, learned: frozenset[str] = frozenset(), *, keys: list[str] | None = None
) -> CleanedArticle:
    """`keys`: when a list, ``learned.paragraph_key`` of each kept paragraph is appended to
    it (made by the cleaner from what it computes anyway: see `clean._filter`)."""
    if entry.raw_kind == "scraped":
        return clean.clean_scraped_page(entry.raw_content, learned=learned, keys=keys)
    if entry.raw_kind == "page":
        return clean.clean_full_page(entry.raw_content, learned=learned, keys=keys)
    if entry.raw_kind == "text":
        return clean.clean_plain_text(entry.raw_content, learned=learned, keys=keys)
    return clean.clean_html_fragment(
        entry.raw_content, title=entry.title, learned=learned, keys=keys
    )


def with_page_metadata(entry: FeedEntry, cleaned: CleanedArticle) -> FeedEntry:
    """A page's own headline and date beat what we guessed from the file."""
    changes: dict = {}
    if cleaned.title and not entry.title:
        changes["title"] = cleaned.title
    if cleaned.published and entry.published_source == "fetched":
        changes["published"] = datetime.combine(cleaned.published, time())
        changes["published_source"] = "header"
    return replace(entry, **changes) if changes else entry


def process_entry(
    entry: FeedEntry, extractor: Extractor, learned: frozenset[str] = frozenset()
) -> ProcessedArticle:
    return extract_cleaned(clean_only(entry, learned), extractor)


@dataclass(frozen=True)
class CleanedEntry:
    """An entry after cleaning, before extraction. ``source`` is the entry as parsed (what a
    re-clean starts from); ``entry`` carries the page's own title/date when it had them."""

    source: FeedEntry
    entry: FeedEntry
    cleaned: CleanedArticle


def clean_only(
    entry: FeedEntry, learned: frozenset[str] = frozenset(), *, keys: list[str] | None = None
) -> CleanedEntry:
    """`keys`: as `clean_entry`'s (the paragraph keys of ``result.cleaned.paragraphs``)."""
    cleaned = clean_entry(entry, learned, keys=keys)
    return CleanedEntry(entry, with_page_metadata(entry, cleaned), cleaned)


def refilter(c: CleanedEntry, learned: frozenset[str]) -> CleanedEntry:
    """``clean_only(c.source, learned)``, from the first cleaning's result when it carries its
    walk (``clean.refilter``: no HTML split, no rule matching), else by cleaning again. The
    title and date the page gave do not depend on learned keys, so ``c.entry`` stands."""
    again = clean.refilter(c.cleaned, learned)
    if again is None:
        return clean_only(c.source, learned)
    return c if again is c.cleaned else CleanedEntry(c.source, c.entry, again)


def extract_cleaned(c: CleanedEntry, extractor: Extractor) -> ProcessedArticle:
    return ProcessedArticle(
        c.entry, c.cleaned, *analyse(c.cleaned.text, c.entry.published, extractor)
    )


def analyse(text: str, published: datetime, extractor: Extractor) -> tuple[Extraction, Sketch]:
    """What extraction and story grouping need of a cleaned text (all a pool worker has to
    be sent for it: the text and the date, not the whole entry)."""
    return extractor.extract(text, published.date()), sketch(text)


def analyse_many(
    items: Sequence[tuple[str, datetime]], extractor: Extractor
) -> list[tuple[Extraction, Sketch]]:
    """``[analyse(text, published, extractor) for text, published in items]``, stage by
    stage (``Extractor.extract_many``, then ``stories.sketch_many``): the same results; each
    stage's code and tables stay in the caches from one text to the next, and the sketches'
    numpy steps run once per block of texts, so a pool worker's chunk costs less CPU than
    article by article."""
    extractions = extractor.extract_many([(text, published.date()) for text, published in items])
    sketches = sketch_many([text for text, _ in items])
    return list(zip(extractions, sketches, strict=True))


_KEYED_REMOVALS = ("duplicate-of-", "near-duplicate-of-")


def touched_by(
    cleaned: CleanedArticle,
    keys: frozenset[str],
    kept_key: Callable[[str], str] = learned_mod.paragraph_key,
) -> bool:
    """Would cleaning again with ``keys`` added to the learned set change ``cleaned``?

    Learned keys are checked after headline and rule matches, before (near-)duplicates: a
    new key can only turn a kept paragraph, or one dropped as a (near-)duplicate, into
    learned boilerplate. Articles with neither are cleaned exactly as before. ``kept_key``
    keys the kept paragraphs (== `learned.paragraph_key`; e.g. a lookup of keys made
    already)."""
    if not keys:
        return False
    key = learned_mod.paragraph_key
    return any(kept_key(p) in keys for p in cleaned.paragraphs) or any(
        r.reason.startswith(_KEYED_REMOVALS) and key(r.text) in keys for r in cleaned.removed
    )
