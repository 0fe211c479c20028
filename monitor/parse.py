"""Feed bytes → normalised `FeedEntry` values. Pure: no network, no disk.

feedparser only ever receives bytes we fetched ourselves; it never fetches.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser

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
    if not data.strip():
        raise FeedParseError("empty response body")
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    warning = str(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    if not parsed.entries:
        raise FeedParseError(_no_entries_reason(parsed, warning))
    meta = parsed.get("feed", {})
    feed_language = language or meta.get("language") or None
    entries = tuple(to_entry(e, feed, feed_language, fetched_at) for e in parsed.entries)
    return ParsedFeed(meta.get("title"), feed_language, _dedupe(entries), warning)


def _no_entries_reason(parsed, warning: str | None) -> str:
    if parsed.get("version"):
        return "feed has no entries"
    return f"not a feed: {warning}" if warning else "not a feed (no RSS/Atom root element)"


def _dedupe(entries: tuple[FeedEntry, ...]) -> tuple[FeedEntry, ...]:
    """A feed listing one guid twice keeps the last copy (feeds append corrections)."""
    by_id = {e.article_id: e for e in entries}
    return tuple(by_id.values())
