"""Pure processing of one entry: clean, then extract. No disk, no network, no database."""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time

from monitor import clean
from monitor import learned as learned_mod
from monitor.extract import Extractor
from monitor.models import ArticleError, CleanedArticle, Extraction, FeedEntry, with_error
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

    @property
    def error(self) -> ArticleError | None:
        """Why the article is stored without its cleaning or extraction (None: it is not)."""
        return self.cleaned.error or self.extraction.error


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


# ---- an article whose cleaning or extraction raises costs that article only
#
# The batch functions run a chunk as before (staged, no per-article try); only when that
# raises is the chunk done again article by article, each failure caught and carried with
# the article (`ArticleError`) to the ingestor, which stores the article with what did
# succeed and records the error (article_errors). An article whose cleaning failed keeps an
# empty text: the cleaner's output is what every later stage (extraction, the keyword index,
# stories, learned boilerplate) trusts, and the raw content stays in the store, so a fixed
# version's `monitor reprocess` (or the item's next change) processes it in full.

TRACE_CHARS = 4_000  # the end of a traceback is where it raised
MESSAGE_CHARS = 500


def article_error(stage: str, exc: Exception) -> ArticleError:
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return ArticleError(stage, type(exc).__name__, str(exc)[:MESSAGE_CHARS], trace[-TRACE_CHARS:])


def cleaning_failed(exc: Exception) -> CleanedArticle:
    """What is stored as the cleaning of an entry whose cleaning raised: no paragraphs (see
    above), the error."""
    return with_error(CleanedArticle(None, None, ()), article_error("clean", exc))


def failed_cleaning(entry: FeedEntry, exc: Exception) -> CleanedEntry:
    return CleanedEntry(entry, entry, cleaning_failed(exc))


def clean_or_fail(
    entry: FeedEntry, learned: frozenset[str] = frozenset(), *, keys: list[str] | None = None
) -> CleanedEntry:
    """`clean_only`, or `failed_cleaning` when it raises (``keys`` then stays empty)."""
    try:
        return clean_only(entry, learned, keys=keys)
    except Exception as exc:
        if keys is not None:
            keys.clear()
        return failed_cleaning(entry, exc)


def clean_many(entries: Sequence[FeedEntry], learned: frozenset[str]) -> list[CleanedEntry]:
    """``[clean_only(e, learned) ...]``; when one raises, each again with `clean_or_fail`."""
    return each_or_fail(
        lambda: [clean_only(e, learned) for e in entries],
        entries,
        lambda e: clean_or_fail(e, learned),
    )


def refilter_or_fail(c: CleanedEntry, learned: frozenset[str]) -> CleanedEntry:
    """`refilter`, or an empty cleaning with the error when it raises (the page's own title
    and date, from the first cleaning, stand)."""
    try:
        return refilter(c, learned)
    except Exception as exc:
        return CleanedEntry(c.source, c.entry, cleaning_failed(exc))


def failed_extraction(exc: Exception) -> Extraction:
    return with_error(Extraction(), article_error("extract", exc))


def sketch_or_empty(text: str) -> Sketch:
    """The text's sketch, or the empty text's when sketching it raises (stories then do not
    group the article; its extraction's error already says what failed)."""
    try:
        return sketch(text)
    except Exception:
        return sketch("")


def process_or_fail(
    entry: FeedEntry, extractor: Extractor, learned: frozenset[str] = frozenset()
) -> ProcessedArticle:
    """`process_entry`, with a failing stage's error carried instead of raised."""
    c = clean_or_fail(entry, learned)
    try:
        return extract_cleaned(c, extractor)
    except Exception as exc:
        sk = sketch_or_empty(c.cleaned.text)
        return ProcessedArticle(c.entry, c.cleaned, failed_extraction(exc), sk)


def each_or_fail(run: Callable[[], list], items: Sequence, one: Callable) -> list:
    """``run()`` (a chunk's work, staged: the hot path, one try for all of it), or, when it
    raises, ``[one(item) ...]``, where ``one`` carries an article's failure instead of
    raising it: only the failing article is affected, and nothing is added per article
    while nothing fails."""
    try:
        return run()
    except Exception:  # (redone outside this block: an article's error chains to it else)
        failed = True
    assert failed
    return [one(item) for item in items]
