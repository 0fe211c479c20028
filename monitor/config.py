"""The one place that reads configuration: environment variables and an optional TOML file.

Precedence for every setting: an explicit argument (e.g. `--db`), then the environment,
then `monitor.toml` in the working directory (section `[monitor]`), then the default.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

DEFAULT_DB = Path("data/monitor.duckdb")
DEFAULT_FEEDS = Path("feeds.toml")
SETTINGS_FILE = Path("monitor.toml")


@dataclass(frozen=True)
class Settings:
    db_path: Path = DEFAULT_DB
    feeds_path: Path = DEFAULT_FEEDS
    officials_paths: tuple[Path, ...] = ()
    allow_private_networks: bool = False
    allowed_networks: tuple[str, ...] = ()  # CIDRs fetched even when private (an intranet feed)
    host_concurrency: int = 2  # requests in flight to one host at once
    host_spacing_s: float = 1.0  # minimum time between two requests to one host
    permanent_redirect_polls: int = 3  # polls in a row a 301/308 must hold before it is followed
    poll_concurrency: int = 8
    request_timeout_s: float = 20.0
    max_body_bytes: int = 10 * 1024 * 1024
    default_interval_s: int = 900
    refresh_s: int = 15
    learn_min_share: float = 0.5
    learn_min_articles: int = 8
    story_threshold: float = 0.5
    story_window_days: int = 7
    demo_on_empty: bool = True
    admin_emails: tuple[str, ...] = ()  # who may add/remove feeds once sign-in is configured
    # Processes that parse, clean and extract for the ingester (poller, import, demo);
    # -1: min(2, CPUs). 0: everything in the ingesting process. Started on first use.
    ingest_workers: int = -1
    import_batch_items: int = 500  # consecutive files of one feed merged into one batch
    # DuckDB's memory (buffer cache and working memory); None: its default (80% of RAM).
    # The derive step's earlier out-of-memory errors at 512MB came from bench_memory holding
    # a read open on its connection, which blocked every checkpoint (fixed, 38e9920): at
    # 512MB, 210k articles into the 1M store to a full 200k story index peaked at 1,286 MB
    # RSS (768MB: 1,518 MB), no error (bench_memory --prefill; BENCHMARKS.md, round 6).
    duckdb_memory_limit: str | None = "512MB"
    story_max_entries: int = 200_000  # story index cap (≈ 1 KB each), on top of the window
    extra: dict[str, Any] = field(default_factory=dict)


_ENV = {
    "MONITOR_DB": ("db_path", Path),
    "MONITOR_FEEDS": ("feeds_path", Path),
    "MONITOR_ALLOW_PRIVATE_NETWORKS": ("allow_private_networks", "bool"),
    "MONITOR_ALLOWED_NETWORKS": ("allowed_networks", "list"),
    "MONITOR_POLL_CONCURRENCY": ("poll_concurrency", int),
    "MONITOR_HOST_CONCURRENCY": ("host_concurrency", int),
    "MONITOR_HOST_SPACING": ("host_spacing_s", float),
    "MONITOR_REQUEST_TIMEOUT": ("request_timeout_s", float),
    "MONITOR_MAX_BODY_BYTES": ("max_body_bytes", int),
    "MONITOR_REFRESH_SECONDS": ("refresh_s", int),
    "MONITOR_DEMO_ON_EMPTY": ("demo_on_empty", "bool"),
    "MONITOR_ADMIN_EMAILS": ("admin_emails", "list"),
    "MONITOR_INGEST_WORKERS": ("ingest_workers", int),
    "MONITOR_IMPORT_BATCH_ITEMS": ("import_batch_items", int),
    "MONITOR_DUCKDB_MEMORY_LIMIT": ("duckdb_memory_limit", str),
    "MONITOR_STORY_MAX_ENTRIES": ("story_max_entries", int),
}


def ingest_workers(settings: Settings) -> int:
    """The pool size `ingest_workers` asks for (-1: min(2, CPUs))."""
    if settings.ingest_workers >= 0:
        return settings.ingest_workers
    return min(2, os.cpu_count() or 1)


def _coerce(value: Any, kind: Any) -> Any:
    if kind == "bool":
        return (
            value
            if isinstance(value, bool)
            else str(value).strip().lower() in {"1", "true", "yes", "on"}
        )
    if kind == "list":  # a TOML array, or a comma-separated environment value
        items = value if isinstance(value, list | tuple) else str(value).split(",")
        return tuple(str(v).strip() for v in items if str(v).strip())
    return kind(value)


class SettingsError(ValueError):
    """A setting (in the TOML file or the environment) whose value does not fit its type."""


_WANTED = {int: "a whole number", float: "a number", bool: "true or false"}


def _refused(where: str, raw: Any, kind: Any) -> SettingsError:
    return SettingsError(f"{where} = {raw!r} is not {_WANTED.get(kind, f'a {kind}')}")


def _checked(path: Path, key: str, raw: Any) -> Any:
    """A file value of a number or flag setting, as its type: an int may stand for a float
    (TOML writes 1 for 1.0) and a whole float for an int; anything else is refused here,
    with the file and key, rather than failing (or being truncated) where it is used."""
    kind = type(Settings.__dataclass_fields__[key].default)
    if kind is float and type(raw) in (int, float):
        return float(raw)
    if kind is int and type(raw) is float and raw.is_integer():
        return int(raw)
    if kind in _WANTED and type(raw) is not kind:
        raise _refused(f"{path}: [monitor] {key}", raw, kind)
    return raw


def _coerced(where: str, raw: Any, kind: Any) -> Any:
    """`_coerce`, with a failure that names the variable or the file key."""
    try:
        return _coerce(raw, kind)
    except (TypeError, ValueError):
        raise _refused(where, raw, kind) from None


def _from_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        section = tomllib.load(fh).get("monitor", {})
    known = {name for name, _ in _ENV.values()} | set(Settings.__dataclass_fields__)
    return {k: v for k, v in section.items() if k in known and k != "extra"}


def load_settings(
    env: dict[str, str] | None = None, settings_file: Path = SETTINGS_FILE, **overrides: Any
) -> Settings:
    """Build Settings from file, environment and explicit overrides (None values are ignored)."""
    env = dict(os.environ) if env is None else env
    values: dict[str, Any] = {}
    for key, raw in _from_file(settings_file).items():
        kind = next((k for n, k in _ENV.values() if n == key), None)
        where = f"{settings_file}: [monitor] {key}"
        values[key] = _coerced(where, raw, kind) if kind else _checked(settings_file, key, raw)
    for var, (name, kind) in _ENV.items():
        if env.get(var, "") != "":
            values[name] = _coerced(var, env[var], kind)
    if env.get("MONITOR_OFFICIALS"):
        values["officials_paths"] = tuple(
            Path(p) for p in env["MONITOR_OFFICIALS"].split(os.pathsep)
        )
    values.update({k: v for k, v in overrides.items() if v is not None})
    if "db_path" in values:
        values["db_path"] = Path(values["db_path"])
    return replace(Settings(), **values)
