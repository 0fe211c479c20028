"""The compiled ingest path (speedups.py): same results as plain Python, and never stale."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "monitor" / "_compiled.json"
DIGEST = Path(__file__).with_name("speedups_digest.py")

needs_compiled = pytest.mark.skipif(
    not MANIFEST.exists() and not os.environ.get("MONITOR_EXPECT_COMPILED"),
    reason="the compiled modules are not built (python speedups.py build)",
)


def _run(code_or_script: list[str], root: Path = ROOT, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(root)}
    environment.pop("MONITOR_PURE_PYTHON", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, *code_or_script],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _digest(**env: str) -> dict:
    done = _run([str(DIGEST), "160"], **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@needs_compiled
def test_ci_builds_the_compiled_modules() -> None:
    """CI (MONITOR_EXPECT_COMPILED) must test the modules the benchmarks run."""
    assert MANIFEST.exists(), "speedups.py build did not run or failed"


@needs_compiled
def test_compiled_and_plain_modules_compute_the_same() -> None:
    compiled, plain = _digest(), _digest(MONITOR_PURE_PYTHON="1")
    assert set(compiled.pop("loaded_from").values()) != {".py"}
    assert set(plain.pop("loaded_from").values()) == {".py"}
    assert compiled == plain


@needs_compiled
def test_a_module_edited_after_the_build_loads_from_its_source(tmp_path) -> None:
    copy = tmp_path / "tree"
    shutil.copytree(ROOT / "monitor", copy / "monitor")
    shutil.copytree(ROOT / "queries", copy / "queries")
    probe = "import monitor.clean as c, monitor.rows as r; print(c.__file__, r.__file__)"
    assert _run(["-c", probe], copy).stdout.split()[0].endswith(".so")
    source = copy / "monitor" / "clean.py"
    source.write_text(source.read_text() + "\nEDITED = True\n")
    done = _run(["-W", "always", "-c", probe], copy)
    clean_file, rows_file = done.stdout.split()
    assert clean_file.endswith("clean.py") and rows_file.endswith(".so")
    assert "older than their source" in done.stderr and "monitor.clean" in done.stderr


@needs_compiled
def test_binaries_without_a_manifest_load_from_source(tmp_path) -> None:
    """A failed or interrupted build leaves no manifest: its binaries are never trusted."""
    copy = tmp_path / "tree"
    shutil.copytree(ROOT / "monitor", copy / "monitor")
    shutil.copytree(ROOT / "queries", copy / "queries")
    (copy / "monitor" / "_compiled.json").unlink()
    done = _run(["-W", "always", "-c", "import monitor.clean as c; print(c.__file__)"], copy)
    assert done.stdout.strip().endswith("clean.py")
    assert "loading" in done.stderr and "monitor.clean" in done.stderr


def _speedups():
    spec = importlib.util.spec_from_file_location("speedups", ROOT / "speedups.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_typed_modules_are_compiled_ones_and_part_of_the_build_key() -> None:
    speedups = _speedups()
    assert speedups.TYPED.issubset(speedups.MODULES)
    assert speedups.manifest()["_typed"] == sorted(map(speedups.module_name, speedups.TYPED))


@needs_compiled
def test_the_typed_modules_were_built_typed() -> None:
    """What was built is what TYPED says (a typed module checks its annotated arguments:
    a str subclass is refused where plain Python takes it)."""
    speedups = _speedups()
    assert json.loads(MANIFEST.read_text())["_typed"] == speedups.manifest()["_typed"]
    probe = (
        "import monitor.learned as m\n"
        "class S(str): pass\n"
        "try:\n    m.paragraph_key(S('x'))\nexcept TypeError:\n    print('typed')\n"
        "else:\n    print('untyped')\n"
    )
    done = _run(["-c", probe])
    assert done.returncode == 0, done.stderr
    expected = "typed" if "monitor/learned.py" in speedups.TYPED else "untyped"
    assert done.stdout.strip() == expected
