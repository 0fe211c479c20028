"""Fault injection for the robustness tests (tests/test_article_errors.py): an article
whose extraction or cleaning raises, in this process and in the pool's workers.

Workers come from a fork server, so a monkeypatch in the test process never reaches them;
what they do see is the ExtractorSpec they build their extractor from. `FaultySpec` builds a
`FaultyExtractor` (its extraction raises on a text holding EXTRACT_MARKER) and, in a pool
worker, makes the cleaner raise on a raw text holding CLEAN_MARKER (`clean_faults`). In the
test process, `faulty_cleaner` is the same fault for a monkeypatch.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from dataclasses import dataclass

from monitor import clean
from monitor.extract import Extractor
from monitor.extract.officials import load_registry
from monitor.parallel import ExtractorSpec

EXTRACT_MARKER = "Xylofault"  # a word no real text holds
CLEAN_MARKER = "Cleanfault"


class FaultyExtractor(Extractor):
    """An Extractor whose extraction raises IndexError on a text holding EXTRACT_MARKER (as
    round 20's quote finder did on "said  "), staged or one by one."""

    def extract(self, text, published=None):
        _check(text)
        return super().extract(text, published)

    def extract_many(self, items):
        for text, _ in items:
            _check(text)
        return super().extract_many(items)


def _check(text: str) -> None:
    if EXTRACT_MARKER in text:
        raise IndexError("injected extraction fault")


def faulty_extract(original: Callable) -> Callable:
    """``original`` (Extractor.extract), raising on a text with EXTRACT_MARKER (for a
    monkeypatch of the Extractor a runtime builds itself)."""

    def extract(self, text, published=None):
        _check(text)
        return original(self, text, published)

    return extract


def faulty_cleaner(original: Callable) -> Callable:
    """``original`` (clean.clean_html_fragment), raising on a raw text with CLEAN_MARKER."""

    def clean_html_fragment(raw, *args, **kwargs):
        if CLEAN_MARKER in raw:
            raise ValueError("injected cleaning fault")
        return original(raw, *args, **kwargs)

    clean_html_fragment.faulty = True
    return clean_html_fragment


@dataclass(frozen=True)
class FaultySpec(ExtractorSpec):
    clean_faults: bool = True  # in a pool worker, the cleaner raises on CLEAN_MARKER

    def build(self) -> Extractor:
        in_worker = multiprocessing.parent_process() is not None
        if in_worker and self.clean_faults and not hasattr(clean.clean_html_fragment, "faulty"):
            clean.clean_html_fragment = faulty_cleaner(clean.clean_html_fragment)
        return FaultyExtractor(load_registry(self.officials_paths, packaged=self.packaged))
