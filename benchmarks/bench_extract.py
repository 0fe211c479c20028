"""Extraction quality on the hand-labelled passages and throughput on synthetic articles.

usage: python benchmarks/bench_extract.py [--smoke] [--articles N] [--registry FILE ...]
       python benchmarks/bench_extract.py --synth 2000   # the ingest path, CPU ms/article
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.extract import Extractor, load_registry  # noqa: E402

LABELLED = ROOT / "tests" / "labelled" / "passages.jsonl"
SMALL_REGISTRY = ROOT / "tests" / "fixtures" / "officials-small.toml"


def _pr(tp: int, n_pred: int, n_gold: int) -> dict:
    return {
        "precision": tp / n_pred if n_pred else 1.0,
        "recall": tp / n_gold if n_gold else 1.0,
        "tp": tp,
        "predicted": n_pred,
        "gold": n_gold,
    }


def fold(name: str | None) -> str | None:
    """Names compared without accents or case: the gold spells a person as the passage does
    ("Viktor Orban"), a registry may give the canonical spelling ("Viktor Orbán")."""
    if name is None:
        return None
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _speaker_ok(quote, gold_speaker: str | None) -> bool:
    if gold_speaker is None:  # a role-only speaker ("a Kremlin spokesperson")
        return quote.speaker_kind == "role"
    return fold(quote.speaker) == fold(gold_speaker)


def score_labelled(extractor: Extractor, path: Path = LABELLED) -> dict[str, dict]:
    """Micro precision/recall for countries, officials and quote speakers."""
    c = {"countries": [0, 0, 0], "officials": [0, 0, 0], "quote_speakers": [0, 0, 0]}
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        ex = extractor.extract(item["text"])
        got_c = {m.entity_id for m in ex.mentions if m.kind == "country"}
        got_o = {fold(m.name) for m in ex.mentions if m.kind == "official"}
        for key, got, gold in (
            ("countries", got_c, set(item["countries"])),
            ("officials", got_o, {fold(n) for n in item["officials"]}),
        ):
            c[key][0] += len(got & gold)
            c[key][1] += len(got)
            c[key][2] += len(gold)
        full = [q for q in ex.quotes if not q.partial]
        c["quote_speakers"][1] += len(full)
        c["quote_speakers"][2] += len(item["quotes"])
        for g in item["quotes"]:
            match = next((q for q in full if q.text.startswith(g["starts_with"])), None)
            c["quote_speakers"][0] += bool(match and _speaker_ok(match, g["speaker"]))
    return {k: _pr(*v) for k, v in c.items()}


_SENTENCES = [
    "The Kremlin said on Tuesday that no dates had been set for talks on Ukraine.",
    "“We still expect it to happen soon,” Kremlin spokesperson Dmitry Peskov told reporters.",
    "French President Emmanuel Macron said channels between Paris and Moscow were open.",
    "Analysts in Berlin and Warsaw said the move surprised European capitals.",
    "“This is a red line for us,” he added, according to a statement.",
    "Officials from Kenya, Nigeria and South Africa met in Addis Ababa on Friday.",
    "The markets fell sharply as traders weighed the new tariffs announced by Washington.",
    "Peskov described the remarks as positive, stating: “We have noted these statements.”",
    "Prime Minister Keir Starmer told parliament that Britain would increase spending.",
    "The company reported higher profits for the third quarter, beating forecasts.",
]


def synthetic_articles(n: int, size: int = 3000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        paras, length = [], 0
        while length < size:
            para = " ".join(rng.choice(_SENTENCES) for _ in range(3))
            paras.append(para)
            length += len(para) + 2
        out.append("\n\n".join(paras))
    return out


def throughput(extractor: Extractor, articles: list[str]) -> float:
    extractor.extract(articles[0])  # warm caches
    # CPU time of this process: a fair one-core figure even when the machine is busy
    t0 = time.process_time()
    for text in articles:
        extractor.extract(text)
    return len(articles) / max(time.process_time() - t0, 1e-9)


def synth_cpu(n: int, passes: int = 5) -> list[float]:
    """CPU ms per article of ``Extractor.extract`` on monitor/synth.py entries cleaned as
    ingest cleans them (cleaning not timed), with the registry ingest loads (packaged)."""
    from monitor import pipeline, synth

    extractor = Extractor(load_registry())
    entries = synth.iter_entries(synth.SynthConfig(articles=n, seed=1))
    cleaned = [pipeline.clean_only(e) for e in entries]
    docs = [(c.cleaned.text, c.entry.published.date()) for c in cleaned]
    extractor.extract(*docs[0])
    out = []
    for _ in range(passes):
        t0 = time.process_time()
        for text, published in docs:
            extractor.extract(text, published)
        out.append((time.process_time() - t0) / n * 1000)
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--smoke", action="store_true", help="few articles, for CI")
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--registry", type=Path, action="append", default=[])
    ap.add_argument("--packaged", action="store_true", help="also load monitor/data/officials.toml")
    ap.add_argument("--synth", type=int, default=0, metavar="N", help="time N synth entries")
    a = ap.parse_args(argv)
    if a.synth:
        ms = synth_cpu(a.synth, passes=1 if a.smoke else 5)
        print(
            f"extract CPU     {ms[len(ms) // 2]:.3f} ms/article (min {ms[0]:.3f}, max {ms[-1]:.3f};"
            f" {a.synth} synth entries, packaged registry)"
        )
        return 0
    registry = load_registry(a.registry or [SMALL_REGISTRY], packaged=a.packaged)
    extractor = Extractor(registry)
    for name, m in score_labelled(extractor).items():
        print(
            f"{name:15s} precision {m['precision']:.3f} recall {m['recall']:.3f} "
            f"(tp {m['tp']}, predicted {m['predicted']}, gold {m['gold']})"
        )
    n = 50 if a.smoke else a.articles
    articles = synthetic_articles(n)
    rate = throughput(extractor, articles)
    kb = sum(len(t) for t in articles) / len(articles) / 1000
    print(
        f"throughput      {rate:,.0f} articles/s ({n} synthetic articles of ~{kb:.1f} KB, one core)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
