"""Cleaning throughput and story-grouping cost on deterministic synthetic articles.

    .venv/bin/python benchmarks/bench_clean.py --articles 100000
    .venv/bin/python benchmarks/bench_clean.py --smoke
    .venv/bin/python benchmarks/bench_clean.py --synth 2000   # the ingest path, CPU ms/article

Articles are ~3 KB scraped pages (header, error lines, headline, body, a repeated block,
disclaimer, comment widget) and plain text; 10% are syndicated copies of an earlier
article with a new headline and dateline. Generation time is not measured.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitor.clean import clean_document  # noqa: E402
from monitor.stories import StoryIndex  # noqa: E402

SUBJECTS = "The Kremlin|The foreign ministry|The finance minister|A government spokesperson|"
SUBJECTS += "The central bank|The port authority|Opposition leaders|The European Commission"
VERBS = "said on Tuesday|told reporters|announced|warned|confirmed in a statement|denied"
OBJECTS = "that talks would resume next month|that no dates had been set|that the tax would "
OBJECTS += "be cut|that exports had fallen sharply|that the deal was close|that sanctions "
OBJECTS += "would stay|that inflation was easing|that the harbour would be expanded"
TAILS = "according to officials|despite objections from lawmakers|after weeks of delays|"
TAILS += "amid rising prices|in a move welcomed by business groups|without giving details"
CITIES = "MOSCOW|PARIS|KYIV|BRUSSELS|BERLIN|WARSAW|ANKARA|MADRID"
NAMES = "Dmitry Peskov|Anna Berg|Marta Ilves|Olena Marchuk|Jean Dupont|Carlos Ruiz"
BOILERPLATE = [
    "Legal Disclaimer:",
    "NEWSWIRE provides the information “as is” without warranty of any kind. We do not "
    "accept any responsibility or liability for the accuracy, content, images, videos, "
    "licenses, completeness, legality, or reliability of the information contained in this "
    "article.",
    "CommentsNo comment",
    "Share on Facebook",
    "Read more: Markets rally as talks resume",
    "© 2026 Newswire. All rights reserved.",
]

_P = {k: v.split("|") for k, v in dict(s=SUBJECTS, v=VERBS, o=OBJECTS, t=TAILS).items()}


def _sentence(rng: random.Random) -> str:
    parts = (rng.choice(_P[k]) for k in "svot")
    return " ".join(parts).replace(" that", ", that", 0) + f" ({rng.randrange(10**6)})."


def _paragraph(rng: random.Random) -> str:
    if rng.random() < 0.3:
        quote = " ".join(_sentence(rng) for _ in range(2))
        return f"“{quote}” {rng.choice(NAMES.split('|'))} said."
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))


def _article(rng: random.Random, day: datetime) -> tuple[str, list[str]]:
    headline = " ".join(w.capitalize() for w in _sentence(rng).split()[:9])
    body = [_paragraph(rng) for _ in range(rng.randint(6, 10))]
    return headline, body


def _render(rng: random.Random, day: datetime, headline: str, body: list[str]) -> str:
    """A scraped page (70%) or a plain text file (30%) with furniture and a repeated block."""
    lines = [headline, *body, *body[1:3], *rng.sample(BOILERPLATE, 3)]
    if rng.random() < 0.7:
        lines = [f" date {day:%Y-%m-%d} 403", "Sorry!!", *lines]
        return "\n".join(lines)
    return "\n\n".join(lines)


def generate(n: int, seed: int = 7) -> list[tuple[str, datetime, str]]:
    """(id, published, raw) in published order; 10% syndicated copies of recent articles."""
    rng = random.Random(seed)
    start, out, recent = datetime(2026, 1, 1), [], []
    for i in range(n):
        day = start + timedelta(minutes=2 * i)
        if recent and rng.random() < 0.10:
            _, body = rng.choice(recent)
            city = rng.choice(CITIES.split("|"))
            body = [f"{city}, {day:%b %d} (Wire) - {body[0]}", *body[1:]]
            headline = "Copy: " + _sentence(rng)[:60]
        else:
            headline, body = _article(rng, day)
            recent = (recent + [(headline, body)])[-200:]
        out.append((f"a{i}", day, _render(rng, day, headline, body)))
    return out


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run(n: int) -> None:
    docs = generate(n)
    kb = sum(len(raw.encode()) for _, _, raw in docs) / len(docs) / 1024
    t0 = time.perf_counter()
    cleaned = [clean_document(raw) for _, _, raw in docs]
    t_clean = time.perf_counter() - t0
    index = StoryIndex()
    t0 = time.perf_counter()
    matches = [index.assign(i, c.text, day) for (i, day, _), c in zip(docs, cleaned, strict=True)]
    t_story = time.perf_counter() - t0
    joined = sum(not m.is_new_story for m in matches)
    print(f"articles: {n} (avg {kb:.1f} KB raw)")
    print(f"cleaning: {n / t_clean:,.0f} articles/s ({t_clean:.2f} s)")
    print(f"story grouping: {t_story / n * 1e6:,.0f} us/article ({t_story:.2f} s)")
    print(f"stories: {n - joined} new, {joined} joined; index size {len(index)}")
    print(f"peak RSS: {_peak_rss_mb():,.0f} MB")


def _cpu_ms_per_item(fn, items: list, passes: int) -> tuple[float, float, float]:
    """Median, min and max CPU ms per item of ``fn(item)`` over `passes` passes."""
    per_item = []
    for _ in range(passes):
        t0 = time.process_time()
        for item in items:
            fn(item)
        per_item.append((time.process_time() - t0) / max(len(items), 1) * 1000)
    per_item.sort()
    return per_item[len(per_item) // 2], per_item[0], per_item[-1]


def run_synth(n: int, passes: int = 5, sources: int = 300) -> None:
    """What ingest runs: ``pipeline.clean_only`` on monitor/synth.py feed entries (HTML
    fragments, 2-6 KB bodies with furniture). CPU time of this process per article, so the
    number holds up on a shared machine; median (min-max) over `passes`.

    Then the re-clean after learning: each feed's keys learned from its articles (the
    ingestor's default shares), and the articles they touch cleaned again, from the raw
    text (``clean_only``) and from the first cleaning (``pipeline.refilter``)."""
    from monitor import clean, pipeline, synth

    entries = list(synth.iter_entries(synth.SynthConfig(articles=n, seed=1, sources=sources)))
    pipeline.clean_only(entries[0])  # imports and first-call caches outside the timing
    median, low, high = _cpu_ms_per_item(pipeline.clean_only, entries, passes)
    print(f"synth articles: {n}, {sources} sources, {passes} passes")
    print(f"clean_only CPU: {median:.3f} ms/article (min {low:.3f}, max {high:.3f})")

    stale, learned = _touched_after_learning([pipeline.clean_only(e) for e in entries])
    paths = {"fast": 0, "walk": 0, "clean": 0}
    for c in stale:  # which path each takes (counted outside the timing)
        if clean.refilter(c.cleaned, learned[c.source.feed]) is None:
            paths["clean"] += 1
        else:
            paths[
                "fast" if clean._refilter_fast(c.cleaned, learned[c.source.feed]) else "walk"
            ] += 1
    again = _cpu_ms_per_item(
        lambda c: pipeline.clean_only(c.source, learned[c.source.feed]), stale, passes
    )
    refilter = _cpu_ms_per_item(
        lambda c: pipeline.refilter(c, learned[c.source.feed]), stale, passes
    )
    print(f"re-clean after learning: {len(stale)} of {n} articles touched by learned keys")
    print(
        f"  clean_only again CPU: {again[0]:.3f} ms/article (min {again[1]:.3f}, max {again[2]:.3f})"
    )
    print(
        f"  refilter CPU: {refilter[0]:.3f} ms/article (min {refilter[1]:.3f}, max {refilter[2]:.3f})"
        f"; paths: fast {paths['fast']}, walk {paths['walk']}, full clean {paths['clean']}"
    )


def _touched_after_learning(cleaned: list) -> tuple[list, dict[str, frozenset[str]]]:
    """The cleaned entries a feed's learned keys touch, and each feed's keys (learned from
    all of the feed's articles, with the ingestor's default shares)."""
    from monitor.config import Settings
    from monitor.learned import learn_source_boilerplate
    from monitor.pipeline import touched_by

    settings = Settings()
    by_feed: dict[str, list] = {}
    for c in cleaned:
        by_feed.setdefault(c.source.feed, []).append(c)
    learned = {
        feed: learn_source_boilerplate(
            [c.cleaned.paragraphs for c in items],
            min_share=settings.learn_min_share,
            min_articles=settings.learn_min_articles,
        )
        for feed, items in by_feed.items()
    }
    stale = [c for c in cleaned if touched_by(c.cleaned, learned[c.source.feed])]
    return stale, learned


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--smoke", action="store_true", help="tiny run (200 articles)")
    parser.add_argument(
        "--synth", type=int, default=0, metavar="N", help="time clean_only on N synth entries"
    )
    parser.add_argument("--sources", type=int, default=300, help="synth sources (--synth)")
    args = parser.parse_args(argv)
    if args.synth:
        run_synth(args.synth, passes=1 if args.smoke else 5, sources=args.sources)
        return
    run(200 if args.smoke else max(args.articles, 1))


if __name__ == "__main__":
    main()
