"""The demo corpus: real files in a temporary directory, parsed with real feedparser."""

from __future__ import annotations

import html
import re
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest

from monitor.demo import DEMO_SOURCES, demo_events, write_demo_corpus

END = datetime(2026, 2, 10, 12)
BROKEN = ("broken-truncated.xml", "broken-html.xml", "broken-empty.xml")
OFFICIALS = (
    "Dmitry Peskov",
    "Dmitri Peskov",
    "Maria Zakharova",
    "Sergei Lavrov",
    "Sergey Lavrov",
    "Emmanuel Macron",
    "Mr. Macron",
    "Volodymyr Zelensky",
    "Zelenskyy",
    "Mao Ning",
    "Lin Jian",
    "Stéphane Dujarric",
    "António Guterres",
    "Recep Tayyip Erdoğan",
    "Olaf Scholz",
    "Friedrich Merz",
    "Keir Starmer",
    "Narendra Modi",
    "Esmaeil Baghaei",
    "Ursula von der Leyen",
    "Kaja Kallas",
    "Mark Rutte",
    "Moldovan Foreign Minister Ana Lungu",
    "Peruvian Foreign Minister Rodrigo Salcedo",
)


def _paragraphs(content_html: str) -> list[str]:
    """Paragraph texts of an entry's HTML content (`<p>` or `<br><br>` separated)."""
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "</p><p>", content_html)
    parts = re.split(r"</?p>|</?div[^>]*>", text)
    out = []
    for part in parts:
        plain = html.unescape(re.sub(r"<[^>]+>", "", part)).strip()
        if plain:
            out.append(plain)
    return out


def _norm(p: str) -> str:
    return p.translate(str.maketrans({"“": '"', "”": '"', "’": "'", "‘": "'"}))


class Corpus:
    def __init__(self, out: Path, seconds: float, paths: list[Path]):
        self.out = out
        self.seconds = seconds
        self.paths = paths
        self.feeds = {s.slug: feedparser.parse(str(out / f"{s.slug}.xml")) for s in DEMO_SOURCES}
        self.entries = [(slug, e) for slug, f in self.feeds.items() for e in f.entries]

    def text(self, entry) -> str:
        return "\n\n".join(_paragraphs(entry.content[0].value))

    def dated(self):
        for slug, e in self.entries:
            parsed = e.get("published_parsed")
            if parsed:
                yield slug, e, datetime(*parsed[:6])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Corpus:
    out = tmp_path_factory.mktemp("demo")
    t0 = time.perf_counter()
    paths = write_demo_corpus(out, end=END)
    return Corpus(out, time.perf_counter() - t0, paths)


def test_same_arguments_give_byte_identical_files(corpus, tmp_path):
    again = write_demo_corpus(tmp_path / "again", end=END)
    assert [p.name for p in again] == [p.name for p in corpus.paths]
    for a, b in zip(corpus.paths, again, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    other = write_demo_corpus(tmp_path / "other", end=END, seed=8)
    assert (tmp_path / "other" / "global-wire.xml").read_bytes() != (
        corpus.out / "global-wire.xml"
    ).read_bytes()
    assert len(other) == len(again)


def test_returns_paths_in_import_order_and_stays_small_and_fast(corpus):
    names = [p.name for p in corpus.paths]
    mains = [n for n in names if not n.endswith("-update.xml")]
    assert mains == sorted(mains)
    for n in names:
        if n.endswith("-update.xml"):  # the later snapshot right after its outlet's file
            assert names[names.index(n) - 1] == n.removesuffix("-update.xml") + ".xml"
    assert {p.name for p in corpus.paths} == {p.name for p in corpus.out.iterdir()}
    assert sum(p.stat().st_size for p in corpus.paths) < 15_000_000
    assert corpus.seconds < 5


def test_sources_rss_and_atom(corpus):
    assert len(DEMO_SOURCES) >= 8
    assert len({s.slug for s in DEMO_SOURCES}) == len(DEMO_SOURCES)
    kinds = {s.kind for s in DEMO_SOURCES}
    assert kinds == {"rss", "atom"}
    assert sum(s.kind == "atom" for s in DEMO_SOURCES) >= 2
    assert any(s.language == "fr" for s in DEMO_SOURCES)
    for s in DEMO_SOURCES:
        feed = corpus.feeds[s.slug]
        assert not feed.bozo, (s.slug, feed.get("bozo_exception"))
        assert feed.version == ("atom10" if s.kind == "atom" else "rss20")
        assert feed.feed.title == s.name


def test_item_count_dates_and_order(corpus):
    assert len(corpus.entries) == 2400
    dates = [d for _, _, d in corpus.dated()]
    assert max(dates) <= END
    assert max(dates) - min(dates) >= timedelta(days=120)
    undated = [e for _, e in corpus.entries if not (e.get("published_parsed"))]
    assert 4 <= len(undated) <= 30  # a few with no date or one no parser understands
    for slug, feed in corpus.feeds.items():
        ds = [datetime(*e.published_parsed[:6]) for e in feed.entries if e.get("published_parsed")]
        assert ds == sorted(ds, reverse=True), f"{slug} not newest first"
        ids = [e.id for e in feed.entries]
        assert len(ids) == len(set(ids)), f"{slug} repeats a guid"


def test_weekly_rhythm(corpus):
    per_weekday = [0] * 7
    for _, _, d in corpus.dated():
        per_weekday[d.weekday()] += 1
    assert min(per_weekday[:5]) > 1.4 * max(per_weekday[5:])


def test_summit_week_spike(corpus):
    summit = demo_events(END)[0]
    assert END - timedelta(days=130) <= summit.start < summit.end <= END
    inside = outside = 0
    inside_days = (summit.end - summit.start).days
    for _, e, d in corpus.dated():
        if "India" in corpus.text(e):
            if summit.start <= d < summit.end:
                inside += 1
            else:
                outside += 1
    assert inside / inside_days >= 3 * outside / (130 - inside_days)


def test_every_official_appears(corpus):
    text = "\n".join(corpus.text(e) for _, e in corpus.entries)
    missing = [name for name in OFFICIALS if name not in text]
    assert not missing


def test_quote_forms(corpus):
    text = "\n".join(corpus.text(e) for _, e in corpus.entries)
    assert re.search(
        r"”,? Kremlin spokesperson Dmitr[yi] Peskov told a news briefing in Moscow\.", text
    )
    assert len(re.findall(r"[”\"] (he|she) added\.", text)) > 100  # pronoun attribution
    assert re.search(r"\bZakharova said: “", text)
    assert re.search(r"“[^”]+,” said Lavrov\.", text)
    assert re.search(r"Peskov described [^.]+ as \w+, stating: “", text)
    assert re.search(r"a spokesperson for the \w+ foreign ministry said\.", text)
    assert re.search(r"called the move “[\w ]+” and said", text)  # scare quote
    assert "«\u00a0" in text and "\u00a0»" in text  # French guillemets, no-break spaces
    assert "„" in text  # a few German items
    spanning = [
        p
        for _, e in corpus.entries
        for p in _paragraphs(e.content[0].value)
        if p.count("“") > p.count("”")
    ]
    assert spanning  # a quote continued in the next paragraph


def test_boilerplate_per_source(corpus):
    def share(slug: str, needle: str) -> float:
        entries = corpus.feeds[slug].entries
        return sum(needle in e.content[0].value for e in entries) / len(entries)

    assert share("global-wire", "Legal Disclaimer:") == 1
    assert share("global-wire", "CommentsNo comment") == 1
    assert share("gulf-dispatch", "We use cookies") == 1
    assert share("pacific-herald", "Follow us on X<br") == 1
    assert share("eurasia-daily", "Share this article") == 1
    assert 0 < share("capital-times", "Read more:") < 1
    assert 0 < share("eurasia-daily", "Sorry!!") < 0.2
    repeated = 0
    for _, e in corpus.entries:
        paras = [p for p in _paragraphs(e.content[0].value) if len(p) > 80]
        repeated += len(paras) != len(set(paras))
    assert repeated >= 5


def test_html_content_features(corpus):
    raw = {s.slug: (corpus.out / f"{s.slug}.xml").read_text("utf-8") for s in DEMO_SOURCES}
    everything = "\n".join(raw.values())
    assert "&#8220;" in everything  # numeric entities
    assert "&amp;ldquo;" in everything  # named entities inside escaped HTML
    assert "<![CDATA[" in everything
    assert "<br>" in everything
    assert "content:encoded" in raw["global-wire"]
    assert '<content type="html">' in raw["capital-times"]
    for _, e in corpus.entries:
        assert e.get("summary"), e.id
        assert e.get("author"), e.id
        assert e.get("tags"), e.id


def test_article_length(corpus):
    # Atlantic Ledger has no fixed boilerplate: what is left is the article.
    for e in corpus.feeds["atlantic-ledger"].entries:
        body = [
            p
            for p in _paragraphs(e.content[0].value)
            if not p.startswith("Read more:") and "originally published by" not in p
        ]
        assert 4 <= len(body) <= 8, (e.title, body)


def test_links_some_with_tracking_parameters(corpus):
    links = [e.link for _, e in corpus.entries]
    with_utm = [link for link in links if "utm_source=rss&utm_medium=feed" in link]
    assert 0.1 * len(links) < len(with_utm) < len(links)
    for slug, e in corpus.entries:
        assert re.match(rf"https://{slug}\.example/news/\d{{4}}/\d{{2}}/[a-z0-9-]+", e.link)


def test_syndicated_copies(corpus):
    """Same body under another outlet and guid, a few minutes to hours later."""
    by_paragraph = defaultdict(list)
    for slug, e in corpus.entries:
        for p in _paragraphs(e.content[0].value)[1:]:
            if len(p) > 100:
                by_paragraph[_norm(p)].append((slug, e.id))
    shared = defaultdict(int)
    for holders in by_paragraph.values():
        for a in set(holders):
            for b in set(holders):
                if a[0] < b[0]:
                    shared[a, b] += 1
    copies = [pair for pair, n in shared.items() if n >= 2]
    assert len(copies) >= 0.08 * len(corpus.entries)
    credits = sum(
        "This article was originally published by" in corpus.text(e) for _, e in corpus.entries
    )
    assert credits > 50


def test_languages(corpus):
    fr = corpus.feeds["courrier-continental"]
    assert fr.feed.language.startswith("fr")
    assert any("a déclaré" in corpus.text(e) for e in fr.entries)
    raw = (corpus.out / "capital-times.xml").read_text("utf-8")
    assert '<entry xml:lang="de">' in raw
    assert '<entry xml:lang="es">' in (corpus.out / "andes-report.xml").read_text("utf-8")


def test_update_snapshots(corpus):
    updated_sources = [p.name for p in corpus.paths if p.name.endswith("-update.xml")]
    assert len(updated_sources) == 2
    for name in updated_sources:
        slug = name.removesuffix("-update.xml")
        main = {e.id: e for e in corpus.feeds[slug].entries}
        snap = feedparser.parse(str(corpus.out / name))
        assert not snap.bozo
        assert snap.entries and all(e.id in main for e in snap.entries)
        changed = [e for e in snap.entries if e.title != main[e.id].title]
        assert len(changed) >= 3
        for e in changed:
            before = dict.get(main[e.id], "updated_parsed") or main[e.id].published_parsed
            assert dict.get(e, "updated_parsed") > before


def test_broken_files(corpus):
    for name in BROKEN:
        path = corpus.out / name
        assert path in corpus.paths
        parsed = feedparser.parse(str(path))
        assert parsed.bozo or not parsed.entries, name
    assert (corpus.out / "broken-empty.xml").read_bytes() == b""
    assert b"404" in (corpus.out / "broken-html.xml").read_bytes()
    truncated = (corpus.out / "broken-truncated.xml").read_text("utf-8")
    assert truncated.count("<item>") > truncated.count("</item>")
    assert feedparser.parse(truncated).bozo


def test_german_chancellor_follows_the_date(tmp_path):
    end = datetime(2025, 7, 1, 9)
    write_demo_corpus(tmp_path, end=end, days=130, items=900)
    switch = datetime(2025, 5, 6)
    before = after = 0
    for s in DEMO_SOURCES:
        for e in feedparser.parse(str(tmp_path / f"{s.slug}.xml")).entries:
            if not e.get("published_parsed"):
                continue
            d = datetime(*e.published_parsed[:6])
            text = html.unescape(e.content[0].value)
            if d < switch - timedelta(days=1):
                assert "Merz" not in text, e.title
                before += "Chancellor Olaf Scholz" in text
            elif d > switch + timedelta(days=1):
                assert not re.search(r"(?<!former )German Chancellor Olaf Scholz", text), e.title
                after += "Friedrich Merz" in text
    assert before and after


def test_aware_end_is_treated_as_utc(tmp_path):

    a = write_demo_corpus(tmp_path / "a", end=END, items=300, days=30)
    b = write_demo_corpus(tmp_path / "b", end=END.replace(tzinfo=UTC), items=300, days=30)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
