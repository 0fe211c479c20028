"""Paired A/B of the pool workers' CPU per article (cleaning, extraction, and the story
sketch: stories.sketch of the cleaned text): this tree against another checkout.

On a shared machine back-to-back runs of bench_clean/bench_extract swing by ±25%, more
than the change being measured. This script loads BOTH trees' `monitor` packages into one
process and alternates them on chunks of the same entries, so load hits both alike; it
prints each side's median CPU ms/article per stage and the median of the per-chunk ratios.
The first round also compares both sides' results (repr of every cleaned article and
extraction) and prints how many differ: a speed-up claim needs "outputs identical".

usage: python benchmarks/bench_ab_extract.py --before DIR [--synth N [--sources S] | --demo N]
                                             [--rounds R]
  DIR: a checkout of the "before" revision, e.g. `git archive REV | tar -x -C /tmp/before`
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 100


def _load(root: Path):
    """(pipeline module, Extractor) of the `monitor` package under `root`."""
    for name in [m for m in sys.modules if m == "monitor" or m.startswith("monitor.")]:
        del sys.modules[name]  # the other tree's modules stay alive through their objects
    sys.path.insert(0, str(root))
    try:
        from monitor import pipeline
        from monitor.extract import Extractor, load_registry

        return pipeline, Extractor(load_registry())
    finally:
        sys.path.remove(str(root))


def _entries(synth_n: int, demo_n: int, sources: int = 300) -> list:
    """Entries made by this tree: monitor/synth.py's, or the demo corpus's feed items."""
    if synth_n:
        from monitor import synth

        cfg = synth.SynthConfig(articles=synth_n, sources=sources, seed=1)
        return list(synth.iter_entries(cfg))
    from monitor import parse
    from monitor.demo import write_demo_corpus

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in write_demo_corpus(Path(tmp), end=datetime(2026, 11, 1)):
            try:
                out += parse.parse_file(path, None, datetime(2026, 11, 2)).entries
            except Exception:  # the corpus's deliberately broken files
                continue
    return out[:demo_n]


def run(
    before: Path, synth_n: int, demo_n: int, rounds: int, sources: int = 300
) -> tuple[dict[str, dict[str, list]], int]:
    """(CPU ms/article per side and stage, one value per chunk and round; number of entries
    whose cleaned article or extraction differs between the sides, in the first round)."""
    sides = {"before": _load(before), "after": _load(ROOT)}
    entries = _entries(synth_n, demo_n, sources)  # made with the tree loaded last: this one
    docs = [
        (c.cleaned.text, c.entry.published.date())
        for c in map(sides["after"][0].clean_only, entries)
    ]
    for _, extractor in sides.values():  # warm the memos and caches of both
        for text, published in docs[:CHUNK]:
            extractor.extract(text, published)
    cpu: dict[str, dict[str, list]] = {s: {"clean": [], "extract": [], "sketch": []} for s in sides}
    outputs: dict[str, list[str]] = {s: [] for s in sides}
    for r in range(rounds):
        for i in range(0, len(entries), CHUNK):
            order = ["before", "after"] if (r + i // CHUNK) % 2 == 0 else ["after", "before"]
            for side in order:
                pipeline, extractor = sides[side]
                chunk, chunk_docs = entries[i : i + CHUNK], docs[i : i + CHUNK]
                t0 = time.process_time()
                cleaned = [pipeline.clean_only(e).cleaned for e in chunk]
                t1 = time.process_time()
                found = [extractor.extract(text, published) for text, published in chunk_docs]
                t2 = time.process_time()
                sketches = [pipeline.sketch(text) for text, _ in chunk_docs]
                t3 = time.process_time()
                cpu[side]["clean"].append((t1 - t0) / len(chunk) * 1e3)
                cpu[side]["extract"].append((t2 - t1) / len(chunk) * 1e3)
                cpu[side]["sketch"].append((t3 - t2) / len(chunk) * 1e3)
                if r == 0:  # repr: the two trees' classes are distinct, their fields comparable
                    sk = [(s.digest, s.signature) for s in sketches]
                    outputs[side] += [repr(x) for x in zip(cleaned, found, sk, strict=True)]
    differ = sum(a != b for a, b in zip(outputs["before"], outputs["after"], strict=True))
    return cpu, differ


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--before", type=Path, required=True, help="checkout of the before revision")
    ap.add_argument("--synth", type=int, default=0, metavar="N", help="N monitor/synth.py entries")
    ap.add_argument("--sources", type=int, default=300, help="synth sources (corpus A: 20)")
    ap.add_argument("--demo", type=int, default=0, metavar="N", help="N demo-corpus entries")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args(argv)
    synth_n = a.synth or (0 if a.demo else 1500)
    cpu, differ = run(a.before.resolve(), synth_n, a.demo, a.rounds, a.sources)
    for side in ("before", "after"):
        cpu[side]["total"] = [sum(t) for t in zip(*cpu[side].values(), strict=True)]
    corpus = (
        f"{synth_n} synth entries ({a.sources} sources)" if synth_n else f"{a.demo} demo entries"
    )
    print(f"paired A/B, {corpus}, {a.rounds} rounds, chunks of {CHUNK}; CPU ms/article")
    for stage in ("clean", "extract", "sketch", "total"):
        b, m = cpu["before"][stage], cpu["after"][stage]
        ratio = statistics.median(x / y for x, y in zip(b, m, strict=True) if y > 0)
        print(
            f"{stage:8s} before {statistics.median(b):.3f} (min {min(b):.3f})  "
            f"after {statistics.median(m):.3f} (min {min(m):.3f})  paired {ratio:.2f}x"
        )
    print("outputs identical" if not differ else f"OUTPUTS DIFFER for {differ} entries")
    return 0 if not differ else 1


if __name__ == "__main__":
    sys.exit(main())
