"""Feed configuration: a TOML file of `[[feed]]` tables, plus OPML import and export.

Parsing and rendering are pure; `load_feeds` / `save_feeds` are the only file I/O.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

import tomli_w
from lxml import etree

MIN_INTERVAL_S = 60


class FeedConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Feed:
    name: str
    url: str
    tags: tuple[str, ...] = field(default_factory=tuple)
    language: str | None = None
    interval_s: int = 900
    full_text: bool = False  # fetch each item's page and extract its main text

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise FeedConfigError("a feed needs a name")
        if not self.url.lower().startswith(("http://", "https://")):
            raise FeedConfigError(f"feed {self.name!r}: url must be http(s): {self.url!r}")
        if self.interval_s < MIN_INTERVAL_S:
            raise FeedConfigError(f"feed {self.name!r}: interval_s must be ≥ {MIN_INTERVAL_S}")


def feed_from_dict(raw: dict, where: str = "") -> Feed:
    try:
        return Feed(
            name=str(raw["name"]),
            url=str(raw["url"]),
            tags=tuple(str(t) for t in raw.get("tags", ())),
            language=raw.get("language") or None,
            interval_s=int(raw.get("interval_s", 900)),
            full_text=bool(raw.get("full_text", False)),
        )
    except KeyError as exc:
        raise FeedConfigError(f"{where}: feed is missing {exc.args[0]!r}") from None
    except (TypeError, ValueError) as exc:
        raise FeedConfigError(f"{where}: {exc}") from None


def parse_feeds_toml(text: str, where: str = "feeds.toml") -> list[Feed]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FeedConfigError(f"{where}: {exc}") from None
    feeds = [
        feed_from_dict(f, f"{where} feed #{i + 1}") for i, f in enumerate(data.get("feed", []))
    ]
    _check_unique(feeds, where)
    return feeds


def _check_unique(feeds: list[Feed], where: str) -> None:
    names = [f.name for f in feeds]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise FeedConfigError(f"{where}: duplicate feed names: {', '.join(dupes)}")


def render_feeds_toml(feeds: list[Feed]) -> str:
    rows = []
    for f in feeds:
        row = {k: v for k, v in asdict(f).items() if v not in (None, (), [])}
        row["tags"] = list(f.tags) if f.tags else None
        rows.append({k: v for k, v in row.items() if v is not None})
    return tomli_w.dumps({"feed": rows})


def load_feeds(path: Path) -> list[Feed]:
    if not path.exists():
        return []
    return parse_feeds_toml(path.read_text(encoding="utf-8"), str(path))


def save_feeds(path: Path, feeds: list[Feed]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(render_feeds_toml(feeds), encoding="utf-8")
    tmp.replace(path)  # atomic: a crash never leaves half a config


def add_feed(feeds: list[Feed], feed: Feed) -> list[Feed]:
    if any(f.name == feed.name for f in feeds):
        raise FeedConfigError(f"a feed named {feed.name!r} already exists")
    return [*feeds, feed]


def remove_feed(feeds: list[Feed], name: str) -> list[Feed]:
    if not any(f.name == name for f in feeds):
        raise FeedConfigError(f"no feed named {name!r}")
    return [f for f in feeds if f.name != name]


def parse_opml(data: bytes) -> list[Feed]:
    """Feeds from an OPML file; outlines nested in folders carry the folder as a tag."""
    if b"<!ENTITY" in data:  # entity tricks (billion laughs, external files) are refused
        raise FeedConfigError("not accepted: OPML with entity declarations")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise FeedConfigError(f"not valid OPML: {exc}") from None
    feeds: list[Feed] = []
    for node in root.iter("outline"):
        url = node.get("xmlUrl")
        if not url:
            continue
        folder = node.getparent().get("text") if node.getparent().tag == "outline" else None
        name = node.get("title") or node.get("text") or url
        feeds.append(
            Feed(
                name=name,
                url=url,
                tags=(folder,) if folder else (),
                language=node.get("language") or None,
            )
        )
    return feeds


def render_opml(feeds: list[Feed], title: str = "Media monitor feeds") -> str:
    opml = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(opml, "head"), "title").text = title
    body = ET.SubElement(opml, "body")
    for f in feeds:
        attrs = {"type": "rss", "text": f.name, "title": f.name, "xmlUrl": f.url}
        if f.language:
            attrs["language"] = f.language
        ET.SubElement(body, "outline", attrs)
    ET.indent(opml)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(opml, encoding="unicode")


def merge_feeds(existing: list[Feed], incoming: list[Feed]) -> tuple[list[Feed], int]:
    """Add feeds whose url is not configured yet; return the list and how many were added."""
    urls = {f.url for f in existing}
    names = {f.name for f in existing}
    added = [f for f in incoming if f.url not in urls and f.name not in names]
    return [*existing, *added], len(added)
