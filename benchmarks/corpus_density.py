"""How many countries, officials and quotes an article names: the synthetic corpus against
real articles, with the real cleaner and extractor (issue 7 asks for a realistic corpus).

    .venv/bin/python benchmarks/corpus_density.py --synth 1000 --real ../shared/data/polnear-dev/text
    .venv/bin/python benchmarks/corpus_density.py --smoke

Real texts are plain-text files (one article each), extracted as they are; synthetic entries
are cleaned as ingest cleans them first. Both corpora of monitor/synth.py are measured: the
per-article cast (the default since round 12) and names in every paragraph (rounds 1-11).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitor import pipeline, synth  # noqa: E402
from monitor.extract import Extractor, load_registry  # noqa: E402

DEFAULT_REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear-dev" / "text"


@dataclass(frozen=True)
class Density:
    articles: int
    kb: float  # of text an article
    countries: float  # distinct an article
    country_mentions: float  # an article
    pairs: float  # distinct country pairs an article
    officials: float  # distinct an article
    official_mentions: float
    quotes: float

    def line(self, label: str) -> str:
        per_kb = self.country_mentions / self.kb
        return (
            f"{label}: {self.articles} articles, {self.kb:.1f} KB; countries {self.countries:.1f} "
            f"(mentions {self.country_mentions:.1f}, {per_kb:.2f}/KB; pairs {self.pairs:.1f}); "
            f"officials {self.officials:.1f} (mentions {self.official_mentions:.1f}); "
            f"quotes {self.quotes:.1f}"
        )


def density(docs: list[tuple[str, object]], extractor: Extractor) -> Density:
    rows = []
    for text, published in docs:
        found = extractor.extract(text, published)
        c = [m.entity_id for m in found.mentions if m.kind == "country"]
        o = [m.entity_id for m in found.mentions if m.kind != "country"]
        n = len(set(c))
        rows.append((len(text) / 1000, n, len(c), n * (n - 1) / 2, len(set(o)), len(o)))
        rows[-1] += (len(found.quotes),)
    mean = [statistics.mean(col) for col in zip(*rows, strict=True)]
    return Density(len(rows), *mean)


def synth_docs(n: int, per_paragraph_names: bool) -> list[tuple[str, object]]:
    cfg = synth.SynthConfig(articles=n, seed=1, per_paragraph_names=per_paragraph_names)
    done = (pipeline.clean_only(e) for e in synth.iter_entries(cfg))
    return [(c.cleaned.text, c.entry.published.date()) for c in done]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--synth", type=int, default=1000, metavar="N")
    ap.add_argument("--real", type=Path, default=DEFAULT_REAL, help="folder of article texts")
    ap.add_argument("--smoke", action="store_true", help="tiny run (40 synth articles)")
    a = ap.parse_args(argv)
    if a.smoke:
        a.synth = 40
    extractor = Extractor(load_registry())
    if a.real.is_dir():
        real = [(p.read_text(encoding="utf-8"), None) for p in sorted(a.real.iterdir())]
        print(density(real, extractor).line(f"real ({a.real})"))
    else:
        print(f"real: {a.real} is absent, skipped")
    for legacy, label in ((False, "synth, per-article cast"), (True, "synth, rounds 1-11")):
        print(density(synth_docs(a.synth, legacy), extractor).line(label))


if __name__ == "__main__":
    main()
