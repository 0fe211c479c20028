"""A small corpus for dashboard and export tests, stored through the real import path
(RSS files → parse → clean → extract → stories → DuckDB)."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from monitor.config import Settings
from monitor.importer import import_files
from monitor.runtime import Runtime, open_runtime
from monitor.store import utcnow

ZAKHAROVA = (
    'Russian Foreign Ministry spokeswoman Maria Zakharova said: "Moscow will respond to the '
    'new sanctions in a measured way." She added that talks with Turkey would continue.'
)
BLINKEN = (
    '"We will keep working with our partners in Ukraine," said Antony Blinken after meeting '
    "officials in Poland on Tuesday."
)
GRAIN = (
    "Ukraine and Turkey discussed the grain corridor through the Black Sea. Exporters in "
    "Romania said shipments were steady."
)
SYNDICATED = (
    "France and Germany agreed on a joint statement about energy prices. Ministers met in "
    "Brussels and said the plan would be published next week. Officials from Italy joined."
)


def _item(guid: str, title: str, link: str, when: datetime, body: str) -> str:
    date = format_datetime(when.replace(tzinfo=__import__("datetime").UTC))
    return (
        f"<item><guid>{escape(guid)}</guid><title>{escape(title)}</title>"
        f"<link>{escape(link)}</link><pubDate>{date}</pubDate>"
        f"<description>{escape('<p>' + body + '</p>')}</description></item>"
    )


def _rss(title: str, items: list[str], language: str = "en") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://example.org/</link>"
        f"<language>{language}</language>{''.join(items)}</channel></rss>"
    ).encode()


def corpus(now: datetime) -> dict[str, bytes]:
    """Two feeds; the energy story is carried by both (a syndicated copy)."""
    today = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    a = [
        _item(
            "a1", "Moscow vows response to sanctions", "https://alpha.example/a1", today, ZAKHAROVA
        ),
        _item(
            "a2",
            "Blinken in Poland",
            "https://alpha.example/a2",
            today - timedelta(days=1),
            BLINKEN,
        ),
        _item(
            "a3",
            "Grain corridor talks",
            "https://alpha.example/a3",
            today - timedelta(days=2),
            GRAIN,
        ),
        _item(
            "a4",
            '=HYPERLINK("http://evil.example") energy deal',
            "https://alpha.example/a4",
            today - timedelta(days=3),
            SYNDICATED,
        ),
        _item(
            "a5",
            "Zakharova again",
            "javascript:alert(1)",
            today - timedelta(days=9),
            ZAKHAROVA.replace("new sanctions", "latest sanctions package"),
        ),
    ]
    b = [
        _item(
            "b1",
            "Energy statement agreed",
            "https://beta.example/b1",
            today - timedelta(days=3, hours=-2),
            SYNDICATED,
        ),
        _item(
            "b2",
            "Turkey hosts grain meeting",
            "https://beta.example/b2",
            today - timedelta(days=1, hours=3),
            GRAIN.replace("steady", "slower"),
        ),
    ]
    return {"alpha.xml": _rss("Alpha Wire", a), "beta.xml": _rss("Beta News", b, "en")}


def build_db(tmp: Path, now: datetime | None = None) -> Path:
    """Create and fill `tmp/monitor.duckdb`; return its path (the store is closed)."""
    db = tmp / "monitor.duckdb"
    runtime = open_runtime(Settings(db_path=db, feeds_path=tmp / "feeds.toml"))
    try:
        fill(runtime, tmp, now)
    finally:
        runtime.close()
    return db


def fill(runtime: Runtime, tmp: Path, now: datetime | None = None) -> None:
    paths = []
    for name, data in corpus(now or utcnow()).items():
        path = tmp / name
        path.write_bytes(data)
        paths.append(path)
    reports = import_files(paths, runtime.ingestor)
    errors = [r.error for r in reports if r.error]
    assert not errors, errors
