"""Compile the ingest path's modules with Cython (optional; the same source runs uncompiled).

    python speedups.py build    # compile what changed (nothing when up to date), in place
    python speedups.py clean    # remove the compiled modules: plain Python again

The modules stay plain Python: Cython compiles them unchanged, and the result computes the
same values (tests/test_speedups.py compares both on the worker path and the seed page).
What it saves is the interpreter's overhead: ~10-15% of an import's CPU (BENCHMARKS.md,
round 17). The modules in TYPED are compiled with their annotations as types (see there).
`make run` and `make test` build them; a machine without a C compiler gets a warning and
runs the plain modules.

Each build writes monitor/_compiled.json, the SHA-256 of every compiled module's source. On
import, `monitor` compares it with the sources and loads the source of any module edited
since (with a warning), so a stale binary never runs; MONITOR_PURE_PYTHON=1 loads every
module from source.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent
MANIFEST = ROOT / "monitor" / "_compiled.json"
BUILD_DIR = ROOT / ".build" / "cython"
# The modules an ingest spends its CPU in: the pool workers' (parse, clean, extract, sketch)
# and the writer's (rows, stories, learned keys, the ingestor). Package __init__ modules
# stay uncompiled (monitor/__init__.py decides which binaries may load).
MODULES = (
    "monitor/aggregates.py",
    "monitor/boilerplate.py",
    "monitor/clean.py",
    "monitor/extract/countries.py",
    "monitor/extract/officials.py",
    "monitor/extract/quotes.py",
    "monitor/fastfeed.py",
    "monitor/ingest.py",
    "monitor/learned.py",
    "monitor/models.py",
    "monitor/parallel.py",
    "monitor/parse.py",
    "monitor/pipeline.py",
    "monitor/rows.py",
    "monitor/stories.py",
    "monitor/terms.py",
)
# Modules compiled with annotation_typing: Cython then enforces each annotated argument and
# local, stricter than Python: `str`, `list`, `dict`, `tuple`, `set`, `frozenset`, `bytes`
# accept that exact type only (no subclass; None only if the annotation says `| None`),
# `float` becomes a C double (an int comes out a float, None raises), `int` converts
# (True -> 1, 1.5 -> 1) and `bool` becomes a C truth value (None -> False). So a module is
# listed here only after an audit that every caller passes what its annotations say;
# the rest keep annotation_typing off, where annotations are plain hints.
# Audited (round 18): the pool workers' modules and the writer's rows/stories/learned.
TYPED: frozenset[str] = frozenset(
    {
        "monitor/boilerplate.py",
        "monitor/clean.py",
        "monitor/extract/countries.py",
        "monitor/extract/officials.py",
        "monitor/extract/quotes.py",
        "monitor/learned.py",
        "monitor/pipeline.py",
        "monitor/rows.py",
        "monitor/stories.py",
    }
)
assert TYPED.issubset(MODULES), sorted(TYPED.difference(MODULES))


def module_name(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def source_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def binary_of(path: Path) -> Path:
    return path.with_name(path.stem + sysconfig.get_config_var("EXT_SUFFIX"))


def manifest() -> dict[str, object]:
    """Each module's source digest, and under "_build" this script's and Cython's (what
    else decides the binaries: a changed directive or compiler rebuilds them all)."""
    from Cython import __version__ as cython_version

    build = f"{source_digest(Path(__file__))} cython {cython_version}"
    typed = sorted(module_name(p) for p in TYPED)
    return {"_build": build, "_typed": typed} | {
        module_name(p): source_digest(ROOT / p) for p in MODULES
    }


def built() -> dict[str, object]:
    try:
        return json.loads(MANIFEST.read_text())
    except (OSError, ValueError):
        return {}


def up_to_date() -> bool:
    return built() == manifest() and all(binary_of(ROOT / p).exists() for p in MODULES)


def build() -> None:
    if up_to_date():
        print("speedups: compiled modules are up to date")
        return
    # Cython and build_ext redo only what is older than its source; a new directive or
    # Cython version must redo everything
    force = built().get("_build") != manifest()["_build"]
    MANIFEST.unlink(missing_ok=True)  # no manifest while binaries and sources may disagree
    try:
        _compile(force)
    except BaseException:
        clean()  # a binary without a manifest entry must not outlive a failed build
        raise
    MANIFEST.write_text(json.dumps(manifest(), indent=1, sort_keys=True) + "\n")
    print(f"speedups: compiled {len(MODULES)} modules ({len(TYPED)} typed)")


def _compile(force: bool) -> None:
    from Cython.Build import cythonize  # build-time only
    from setuptools import Extension
    from setuptools.dist import Distribution

    modules = []
    for typed in (False, True):
        paths = [p for p in MODULES if (p in TYPED) == typed]
        if not paths:
            continue
        modules += cythonize(
            [Extension(module_name(p), [p]) for p in paths],
            # untyped, annotations stay hints; typed (TYPED), Cython checks and converts
            # the annotated arguments and locals
            compiler_directives={"language_level": 3, "annotation_typing": typed},
            build_dir=str(BUILD_DIR),
            nthreads=2,
            quiet=True,
            force=force,
        )
    dist = Distribution({"name": "monitor-speedups", "ext_modules": modules})
    command = dist.get_command_obj("build_ext")
    command.inplace, command.parallel, command.force = True, 2, force
    command.build_temp = str(BUILD_DIR / "temp")
    dist.run_command("build_ext")


def clean() -> None:
    MANIFEST.unlink(missing_ok=True)
    for p in MODULES:
        binary_of(ROOT / p).unlink(missing_ok=True)
    shutil.rmtree(BUILD_DIR, ignore_errors=True)
    print("speedups: removed the compiled modules")


if __name__ == "__main__":
    actions = {"build": build, "clean": clean}
    if len(sys.argv) != 2 or sys.argv[1] not in actions:
        sys.exit(f"usage: {sys.argv[0]} build|clean")
    import os

    os.chdir(ROOT)  # setuptools resolves the sources relative to the working directory
    actions[sys.argv[1]]()
