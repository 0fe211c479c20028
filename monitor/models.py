"""Value types passed between the pure stages (parse → clean → extract) and the store.

Every stage takes and returns these frozen dataclasses; none of them touches disk or network.
Character offsets in `Mention` and `Quote` index into `CleanedArticle.text`
(the kept paragraphs joined by a blank line).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import ClassVar

PARAGRAPH_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class ArticleError:
    """Why an article was stored without (part of) its processing: the stage that raised
    ("clean", or "extract": extraction and the story sketch), the exception's type name and
    message, and its formatted traceback (made where it was raised: a pool worker)."""

    stage: str
    error_type: str
    message: str
    trace: str = ""

    def line(self) -> str:
        return f"{self.stage}: {self.error_type}: {self.message}"


def with_error(value, error: ArticleError):
    """``value`` (a CleanedArticle, Extraction or rows.ExtractionColumns made for an article
    whose processing raised) marked with ``error``; returns it. ``error`` is a class
    attribute (None) of those types, set on an instance only when processing failed: as a
    field it would add a key to every article's pickle, which the main process (the ingest's
    bottleneck) unpickles for every article. So it takes no part in equality."""
    object.__setattr__(value, "error", error)
    return value


@dataclass(frozen=True)
class Removed:
    """A span the cleaner dropped, and why (a rule name, 'learned-boilerplate',
    'duplicate-of-paragraph-N', 'near-duplicate-of-paragraph-N', 'headline', 'header')."""

    text: str
    reason: str


@dataclass(frozen=True)
class CleanedArticle:
    title: str | None
    published: date | None
    paragraphs: tuple[str, ...]
    removed: tuple[Removed, ...] = ()
    header_code: int | None = None  # the scraper's status code on a scraped text page
    # Where the cleaner's walk put each kept paragraph: how many `removed` entries came
    # before it. With it `clean.refilter` can redo the learned-key step without the raw
    # text. Not part of equality: it is bookkeeping, not content.
    kept_at: tuple[int, ...] = field(default=(), compare=False, repr=False)
    # set by `with_error` on the empty cleaning of an article whose cleaning raised
    error: ClassVar[ArticleError | None] = None

    @property
    def text(self) -> str:
        return PARAGRAPH_SEPARATOR.join(self.paragraphs)


@dataclass(frozen=True)
class Mention:
    """One occurrence of a country or official in the cleaned text."""

    kind: str  # "country" | "official"
    entity_id: str  # ISO alpha-2 for countries; registry id or "discovered:<name>" for officials
    name: str  # canonical name
    text: str  # the matched surface text
    start: int
    end: int
    via: str  # countries: name|demonym|capital|institution; officials: name|alias|surname|title


@dataclass(frozen=True)
class Official:
    id: str
    name: str
    aliases: tuple[str, ...]
    role: str
    country: str  # ISO alpha-2, or a body code such as "UN", "EU", "NATO"
    spokesperson: bool = False
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True)
class Quote:
    text: str  # the words inside the quotation marks
    start: int  # offsets of `text` in the cleaned article text
    end: int
    speaker: str | None  # canonical name, role description, or unresolved name string
    speaker_id: str | None  # registry id, "discovered:<name>", or None when unresolved
    speaker_kind: str  # "registry" | "discovered" | "name" | "role" | "unknown"
    cue: str | None  # the cue verb phrase, e.g. "said", "told a news briefing"
    speaker_via_pronoun: bool = False
    partial: bool = False  # a short scare quote inside a sentence, not a statement
    speaker_role: str | None = None
    speaker_country: str | None = None


@dataclass(frozen=True)
class Discovered:
    """An official found by a title pattern who is not in the registry."""

    name: str
    title: str
    country: str | None


@dataclass(frozen=True)
class Extraction:
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    discovered: tuple[Discovered, ...] = ()
    # set by `with_error` on the empty extraction of an article whose extraction raised
    error: ClassVar[ArticleError | None] = None


@dataclass(frozen=True)
class FeedEntry:
    """One parsed feed item before cleaning: what the feed said, normalised."""

    article_id: str
    feed: str
    guid: str | None
    url: str | None
    title: str | None
    published: datetime  # UTC, naive
    published_source: str  # "published" | "updated" | "fetched" (fallback flag)
    author: str | None
    language: str | None
    summary: str | None
    raw_content: str  # the HTML (or text) the entry carried, kept for reprocessing
    raw_kind: str = "html"  # "html" | "text" | "scraped" | "page"
    tags: tuple[str, ...] = field(default_factory=tuple)
