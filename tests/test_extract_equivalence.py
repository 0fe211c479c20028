"""Cleaning and extraction give exactly the results of the code before the speed work.

`tests/labelled/equivalence.json` holds one SHA-256 per corpus over the ``repr`` of every
result (kept paragraphs, removed spans with reasons, mentions, quotes, discovered officials),
written by the tree at a1008bd (before the clean/extract speed-ups). Regenerate it only for a
change that is *meant* to alter results:

    .venv/bin/python tests/test_extract_equivalence.py --write
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "labelled" / "equivalence.json"
LABELLED = ROOT / "tests" / "labelled" / "passages.jsonl"


def _digest(items: Iterable[object]) -> str:
    h = hashlib.sha256()
    for item in items:
        h.update(repr(item).encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def _synth(extractor) -> Iterable[object]:
    from monitor import learned, pipeline, synth

    entries = list(
        synth.iter_entries(synth.SynthConfig(articles=400, seed=3, per_paragraph_names=True))
    )  # the corpus the digest was written from (a1008bd)
    cleaned = [pipeline.clean_only(e) for e in entries]
    for c in cleaned:
        yield c.cleaned
        yield pipeline.extract_cleaned(c, extractor).extraction
    # learned keys: every source's furniture, so "learned-boilerplate" removals occur too
    keys = frozenset(learned.paragraph_key(p) for c in cleaned for p in c.cleaned.paragraphs[-3:])
    for e in entries[:150]:
        yield pipeline.clean_only(e, keys).cleaned


def _scraped(extractor) -> Iterable[object]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_clean

    for _, _, raw in bench_clean.generate(300):
        from monitor.clean import clean_document

        c = clean_document(raw)
        yield c
        yield extractor.extract(c.text, c.published)


def _labelled(extractor) -> Iterable[object]:
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        yield extractor.extract(json.loads(line)["text"])


def digests() -> dict[str, str]:
    from monitor.extract import Extractor, load_registry

    extractor = Extractor(load_registry())
    return {
        "synth": _digest(_synth(extractor)),
        "scraped": _digest(_scraped(extractor)),
        "labelled": _digest(_labelled(extractor)),
    }


def test_results_identical_to_before_the_speedups() -> None:
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert digests() == expected


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if "--write" in sys.argv:
        GOLDEN.write_text(json.dumps(digests(), indent=1) + "\n", encoding="utf-8")
    else:
        print(json.dumps(digests(), indent=1))
