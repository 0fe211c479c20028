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


def run_synth(n: int, passes: int = 5) -> None:
    """What ingest runs: ``pipeline.clean_only`` on monitor/synth.py feed entries (HTML
    fragments, 2-6 KB bodies with furniture). CPU time of this process per article, so the
    number holds up on a shared machine; median (min-max) over `passes`."""
    from monitor import pipeline, synth

    entries = list(synth.iter_entries(synth.SynthConfig(articles=n, seed=1)))
    pipeline.clean_only(entries[0])  # imports and first-call caches outside the timing
    per_article = []
    for _ in range(passes):
        t0 = time.process_time()
        for entry in entries:
            pipeline.clean_only(entry)
        per_article.append((time.process_time() - t0) / n * 1000)
    per_article.sort()
    median = per_article[len(per_article) // 2]
    print(f"synth articles: {n}, {passes} passes")
    print(
        f"clean_only CPU: {median:.3f} ms/article "
        f"(min {per_article[0]:.3f}, max {per_article[-1]:.3f})"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--smoke", action="store_true", help="tiny run (200 articles)")
    parser.add_argument(
        "--synth", type=int, default=0, metavar="N", help="time clean_only on N synth entries"
    )
    args = parser.parse_args(argv)
    if args.synth:
        run_synth(args.synth, passes=1 if args.smoke else 5)
        return
    run(200 if args.smoke else max(args.articles, 1))


if __name__ == "__main__":
    main()
