"""Pure processing of one entry: clean, then extract. No disk, no network, no database."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime, time

from monitor import clean
from monitor.extract import Extractor
from monitor.models import CleanedArticle, Extraction, FeedEntry


@dataclass(frozen=True)
class ProcessedArticle:
    entry: FeedEntry
    cleaned: CleanedArticle
    extraction: Extraction


def content_hash(entry: FeedEntry) -> str:
    """What decides whether a re-polled entry changed: title, body and the feed's own date
    (a fetch-time fallback date changes on every poll, so it must not count)."""
    stated = "" if entry.published_source == "fetched" else entry.published.isoformat()
    basis = "\x1f".join([entry.title or "", entry.raw_content, entry.summary or "", stated])
    return hashlib.sha1(basis.encode("utf-8", "surrogatepass")).hexdigest()


def clean_entry(entry: FeedEntry, learned: frozenset[str] = frozenset()) -> CleanedArticle:
    if entry.raw_kind == "scraped":
        return clean.clean_scraped_page(entry.raw_content, learned=learned)
    if entry.raw_kind == "page":
        return clean.clean_full_page(entry.raw_content, learned=learned)
    if entry.raw_kind == "text":
        return clean.clean_plain_text(entry.raw_content, learned=learned)
    return clean.clean_html_fragment(entry.raw_content, title=entry.title, learned=learned)


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
    cleaned = clean_entry(entry, learned)
    entry = with_page_metadata(entry, cleaned)
    extraction = extractor.extract(cleaned.text, entry.published.date())
    return ProcessedArticle(entry, cleaned, extraction)
