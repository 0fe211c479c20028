"""serve.py (what `make run` starts) opens the database before any browser connects: the
warm start; plain `streamlit run app.py` waits for the first session."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest

from tests.conftest import REPO
from tests.test_browser import _free_port, _wait


def _start(script: str, tmp: Path) -> tuple[subprocess.Popen, str, Path]:
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")},
        "MONITOR_DB": str(tmp / "monitor.duckdb"),
        "MONITOR_FEEDS": str(tmp / "feeds.toml"),
        "MONITOR_DEMO_ON_EMPTY": "0",
    }
    log = tmp / f"{script}.log"
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}", log


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.mark.parametrize("script, opens_early", [("serve.py", True), ("app.py", False)])
def test_the_database_is_opened_before_any_browser_connects(tmp_path, script, opens_early):
    proc, base, log = _start(script, tmp_path)
    try:
        _wait(lambda: urlopen(f"{base}/_stcore/health", timeout=2).status == 200, 60)
        db = tmp_path / "monitor.duckdb"
        # the warm start needs a few seconds on a loaded machine; app.py never opens it alone
        deadline = time.time() + (60 if opens_early else 8)
        while time.time() < deadline and not db.exists():
            time.sleep(0.2)
        time.sleep(0.5 if db.exists() else 0)
        assert db.exists() == opens_early
        assert "warm start" not in log.read_text(errors="replace")  # no warm-start error
    finally:
        _stop(proc)
