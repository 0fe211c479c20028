"""Feed bytes → normalised `FeedEntry` values. Pure: no network, no disk.

feedparser only ever receives bytes we fetched ourselves; it never fetches.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser

from monitor import fastfeed
from monitor.models import FeedEntry

# Query parameters that identify a campaign or a click, never the article.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_hsenc"}
    | {"_hsmi", "ref", "ref_src", "cmpid", "ncid", "ocid", "smid", "spm", "at_medium"}
    | {"at_campaign", "CMP", "rss", "sr_share", "taid", "mkt_tok", "guccounter"}
)


class FeedParseError(ValueError):
    """The bytes are not a usable feed (empty, HTML, or so malformed that no entry survived)."""


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    language: str | None
    entries: tuple[FeedEntry, ...]
    warning: str | None  # feedparser's complaint when it recovered from malformed XML


def canonical_url(url: str | None) -> str | None:
    """Lower-case scheme and host, drop the fragment and tracking parameters."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in {"http", "https"}:
        return url.strip()
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    host = (parts.hostname or "").lower() + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", urlencode(query), ""))


def _tracking(key: str) -> bool:
    return key.lower().startswith(("utm_", "pk_", "mtm_")) or key in TRACKING_PARAMS


def article_id(feed: str, guid: str | None, url: str | None, title: str | None) -> str:
    """Stable id: feed + guid, else feed + canonical link, else feed + title."""
    basis = guid or canonical_url(url) or (title or "")
    return hashlib.sha1(f"{feed}\x1f{basis}".encode()).hexdigest()[:20]


def _struct_to_utc(value) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC).replace(tzinfo=None)
    except (OverflowError, ValueError, TypeError):
        return None


def entry_time(entry, fetched_at: datetime) -> tuple[datetime, str]:
    """Published time in UTC with its provenance: published → updated → fetch time."""
    for key in ("published", "updated"):
        # plain dict lookup: FeedParserDict.get maps updated→published with a warning
        when = _struct_to_utc(dict.get(entry, f"{key}_parsed"))
        if when is not None:
            return when, key
    return fetched_at, "fetched"


def _content(entry) -> tuple[str, str | None]:
    """(raw content HTML, summary HTML): full content when the feed carries it."""
    summary = entry.get("summary") or None
    contents = entry.get("content") or []
    body = max((c.get("value") or "" for c in contents), key=len, default="")
    return (body or summary or ""), summary


def to_entry(entry, feed: str, feed_language: str | None, fetched_at: datetime) -> FeedEntry:
    guid = entry.get("id") or entry.get("guid") or None
    url = canonical_url(entry.get("link"))
    title = (entry.get("title") or "").strip() or None
    published, provenance = entry_time(entry, fetched_at)
    raw, summary = _content(entry)
    tags = tuple(t.get("term") for t in entry.get("tags") or [] if t.get("term"))
    return FeedEntry(
        article_id=article_id(feed, guid, url, title),
        feed=feed,
        guid=guid,
        url=url,
        title=title,
        published=published,
        published_source=provenance,
        author=entry.get("author") or None,
        language=entry.get("language") or feed_language,
        summary=summary,
        raw_content=raw,
        raw_kind="html",
        tags=tags,
    )


def parse_feed(
    data: bytes, feed: str, fetched_at: datetime, language: str | None = None
) -> ParsedFeed:
    """Parse feed bytes. Raises FeedParseError when nothing usable is in them."""
    return _parse_feed(data, lambda _title: feed, fetched_at, language)


def _parse_feed(
    data: bytes, name: Callable[[str | None], str], fetched_at: datetime, language: str | None
) -> ParsedFeed:
    """`parse_feed` with the feed named ``name(feed title)`` (the importer names a file's
    entries after its feed's title: one pass builds them, ids included)."""
    fast = fastfeed.parse(data)  # plain RSS 2.0 / Atom: ~5x cheaper, same entries
    if fast is not None and fast[0] and fast[2]:
        title, meta_language, raw = fast
        feed_language = language or meta_language
        feed = name(title)
        entries = tuple(to_entry(e, feed, feed_language, fetched_at) for e in raw)
        return ParsedFeed(title, feed_language, _dedupe(entries), None)
    return _parse_feed_reference(data, name, fetched_at, language)


def parse_feed_reference(
    data: bytes, feed: str, fetched_at: datetime, language: str | None = None
) -> ParsedFeed:
    """`parse_feed` through feedparser only (the reference the fast path must equal)."""
    return _parse_feed_reference(data, lambda _title: feed, fetched_at, language)


def _parse_feed_reference(
    data: bytes, name: Callable[[str | None], str], fetched_at: datetime, language: str | None
) -> ParsedFeed:
    if not data.strip():
        raise FeedParseError("empty response body")
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    warning = str(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    if not parsed.entries and not _well_formed_and_empty(parsed):
        raise FeedParseError(_no_entries_reason(parsed, warning))
    meta = parsed.get("feed", {})
    feed_language = language or meta.get("language") or None
    feed = name(meta.get("title"))
    entries = tuple(to_entry(e, feed, feed_language, fetched_at) for e in parsed.entries)
    return ParsedFeed(meta.get("title"), feed_language, _dedupe(entries), warning)


def _well_formed_and_empty(parsed) -> bool:
    """An RSS/Atom document that parsed cleanly and lists no item: a quiet feed, not an
    error (a poll of it is a success with nothing new, with no failure count or backoff)."""
    return bool(parsed.get("version")) and not parsed.get("bozo")


def _no_entries_reason(parsed, warning: str | None) -> str:
    if parsed.get("version"):
        return "feed has no entries"
    return f"not a feed: {warning}" if warning else "not a feed (no RSS/Atom root element)"


def _dedupe(entries: tuple[FeedEntry, ...]) -> tuple[FeedEntry, ...]:
    """A feed listing one guid twice keeps the last copy (feeds append corrections)."""
    by_id = {e.article_id: e for e in entries}
    return tuple(by_id.values())


# ---- local files (the importer; runs in the pool's workers: bytes in, entries out)

SCRAPED_HEADER = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\b")
_HTML_START = re.compile(rb"^\s*(<!doctype html|<html)", re.IGNORECASE)
_FEED_START = re.compile(rb"<(rss|feed|rdf:RDF)\b", re.IGNORECASE)
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".rdf"})


def detect_kind(data: bytes, suffix: str = "") -> str:
    """feed | page | scraped | text, from the first bytes (a .xml file is always a feed)."""
    head = data[:2048]
    if suffix.lower() in FEED_SUFFIXES:
        return "feed"
    if SCRAPED_HEADER.match(head.decode("utf-8", "replace")):
        return "scraped"
    if _FEED_START.search(head):
        return "feed"
    if _HTML_START.match(head):
        return "page"
    return "feed" if head.lstrip().startswith(b"<?xml") else "text"


def document_entry(path: Path, text: str, kind: str, source: str, now: datetime) -> FeedEntry:
    """A single document (page or text) as one entry of the pseudo-feed `source`."""
    guid = f"file:{path.name}"
    return FeedEntry(
        article_id=article_id(source, guid, None, None), feed=source, guid=guid, url=None,
        title=None, published=now, published_source="fetched", author=None, language=None,
        summary=None, raw_content=text, raw_kind=kind,
    )  # fmt: skip


def file_entries(
    path: Path, data: bytes, source: str | None, now: datetime
) -> tuple[str, tuple[FeedEntry, ...]]:
    """(feed name, entries) of one local file. Raises FeedParseError for a malformed feed."""
    kind = detect_kind(data, path.suffix)
    if kind == "feed":
        if source:
            return source, parse_feed(data, source, now).entries

        def name(title: str | None) -> str:  # ids and names follow the feed's own title
            return (title or path.stem).strip()

        # named while parsing: renaming afterwards cost a dataclass replace and a second id
        # (~10 us an item, in the writer process)
        parsed = _parse_feed(data, name, now, None)
        return name(parsed.title), parsed.entries
    text = data.decode("utf-8", errors="replace")
    feed = source or "import"
    return feed, (document_entry(path, text, kind, feed, now),)


@dataclass(frozen=True)
class ParsedFile:
    """What a worker hands back for one local file: entries and their content hashes, or
    why the file is skipped."""

    path: Path
    now: datetime
    feed: str | None = None
    entries: tuple[FeedEntry, ...] = ()
    hashes: dict[str, str] | None = None
    error: str | None = None


def parse_file(path: Path, source: str | None, now: datetime) -> ParsedFile:
    from monitor.pipeline import content_hash  # (pipeline imports the cleaner: keep it lazy)

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return ParsedFile(path, now, error=f"cannot read: {exc.strerror or exc}")
    try:
        feed, entries = file_entries(Path(path), data, source, now)
    except FeedParseError as exc:
        return ParsedFile(path, now, error=f"malformed feed: {exc}")
    hashes = {e.article_id: content_hash(e) for e in entries}
    return ParsedFile(path, now, feed, entries, hashes)
