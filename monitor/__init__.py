"""Media monitor: poll news feeds, clean them, extract countries, officials and quotes."""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.util
import json
import os
import sys
import sysconfig
import warnings
from pathlib import Path

__version__ = "0.1.0"

_PACKAGE_DIR = Path(__file__).resolve().parent
_MANIFEST = _PACKAGE_DIR / "_compiled.json"


class _SourceFirst(importlib.abc.MetaPathFinder):
    """Loads the listed modules from their .py source even where a compiled binary (which
    Python's own finders prefer) sits beside it."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def find_spec(self, fullname, path, target=None):
        if fullname not in self.names:
            return None
        leaf = fullname.rpartition(".")[2]
        for entry in path or ():
            source = Path(entry) / f"{leaf}.py"
            if source.is_file():
                return importlib.util.spec_from_file_location(fullname, source)
        return None


def _source_of(name: str) -> Path:
    return _PACKAGE_DIR.parent.joinpath(*name.split(".")).with_suffix(".py")


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _modules_from_source() -> frozenset[str]:
    """The compiled modules (speedups.py) that must load from source: all of them under
    MONITOR_PURE_PYTHON=1, else those whose source changed since they were compiled."""
    try:
        built: dict[str, str] = json.loads(_MANIFEST.read_text())
    except (OSError, ValueError) as exc:
        # no build, or a failed or interrupted one: binaries without a manifest are unchecked
        found = frozenset(_compiled_names())
        if found:
            warnings.warn(f"{_MANIFEST}: {exc}; loading {sorted(found)} from source", stacklevel=2)
        return found
    modules = {name: digest for name, digest in built.items() if not name.startswith("_")}
    if os.environ.get("MONITOR_PURE_PYTHON", "") not in ("", "0"):
        return frozenset(modules)
    stale = frozenset(
        name for name, digest in modules.items() if _digest(_source_of(name)) != digest
    )
    if stale:
        warnings.warn(
            f"compiled modules older than their source, loaded from source: {sorted(stale)} "
            "(rebuild with `python speedups.py build`)",
            stacklevel=2,
        )
    return stale


def _compiled_names() -> list[str]:
    """Modules with a binary this interpreter would load (other Pythons' binaries it never
    loads, so they need no check)."""
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    return [
        ".".join(p.relative_to(_PACKAGE_DIR.parent).parts).removesuffix(suffix)
        for p in _PACKAGE_DIR.rglob(f"*{suffix}")
    ]


_from_source = _modules_from_source()
if _from_source:
    sys.meta_path.insert(0, _SourceFirst(_from_source))
