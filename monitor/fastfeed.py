"""A strict lxml fast path for plain, well-formed RSS 2.0 and Atom 1.0 feeds.

It returns the entries as feedparser would (the dict keys `parse.to_entry` reads), or None
whenever the feed holds anything it does not know for sure how feedparser treats: then the
caller runs feedparser, which stays the reference. Refused (→ None): parse errors, a DTD or
entity references, encodings other than UTF-8, a byte-order mark, unknown elements,
attributes or namespaces, xml:lang / xml:base below the root, markup (`<`, `>`) in titles,
authors and categories (and `&` outside RSS items; a link with both `&` and `;`), child
elements in text fields, C1 control characters (feedparser maps them through cp1252), dates
in any but the two plain formats (RFC 822 with a numeric zone or GMT; W3CDTF), Atom
summaries, text or xhtml content, several links, RSS items without a link or a guid,
description after content. RSS may declare the Dublin Core and Atom namespaces for
<dc:creator> (the item's author) and the channel's <atom:link rel="self">, as WordPress
feeds do.

The parser is safe: no entity resolution, no network, no DTD loading, no huge trees.
"""

from __future__ import annotations

import re
import time
from calendar import timegm
from datetime import UTC, datetime

from lxml import etree

_PARSER_KW = dict(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
)
_CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
_DC_NS = "http://purl.org/dc/elements/1.1/"
_ATOM_NS = "http://www.w3.org/2005/Atom"
_ATOM = f"{{{_ATOM_NS}}}"
_DC_CREATOR = f"{{{_DC_NS}}}creator"
_RSS_NAMESPACES = frozenset({_CONTENT_NS, _DC_NS, _ATOM_NS})
_LINK_ATTRS = frozenset({"href", "rel", "type"})
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CONTENT = f"{{{_CONTENT_NS}}}encoded"
_DECL = re.compile(rb"^<\?xml[^>]*\?>")
_DECL_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_BAD_CHARS = re.compile(r"[\x80-\x9f]")
_PLAIN_BAD = re.compile(r"[<>&\x80-\x9f]")
# In an RSS item's title, link, guid, author and category feedparser keeps a "&" (the
# parser's decoded "&amp;") as it is, entity-like text after it included; only a link with
# both "&" and ";" comes out changed ("?a&b;c" -> "?a&bc"). test_parse checks (hypothesis).
_ITEM_BAD = re.compile(r"[<>\x80-\x9f]")
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")  # U+0080..U+009F in UTF-8


def _has_c1(value: str) -> bool:
    """``_BAD_CHARS.search(value)``, cheaper: sre tests a character class at ~6 ns per
    character, ~25 us of a 4 KB description (most of the fast path's cost per item). ASCII
    text has no C1 control; other text has one only where its UTF-8 has a C2 byte, which
    memchr finds (a C2 byte is never a continuation byte)."""
    if value.isascii():
        return False
    try:
        data = value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the regex, as before
        return _BAD_CHARS.search(value) is not None
    return b"\xc2" in data and _C1_UTF8.search(data) is not None


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1
    )
}
_RFC822 = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r" (\d{4}) (\d{2}):(\d{2}):(\d{2}) (?:([+-])(\d{2})(\d{2})|GMT)"
)
_W3DTF = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:Z|([+-])(\d{2}):(\d{2}))")
_RSS_CHANNEL = frozenset(
    {"title", "link", "description", "language", "lastBuildDate", "pubDate", "generator", "ttl"}
)
_RSS_ITEM = frozenset({"title", "link", "guid", "pubDate", "author", "category", "description"})
_ATOM_FEED = frozenset({"title", "id", "updated", "subtitle", "link", "entry", "generator"})
_ATOM_ENTRY = frozenset(
    {"title", "link", "id", "updated", "published", "author", "category", "summary", "content"}
)


class _Refuse(Exception):
    """Something the fast path does not reproduce exactly: let feedparser parse."""


def parse(data: bytes) -> tuple[str | None, str | None, list[dict]] | None:
    """(feed title, feed language, entries as feedparser-like dicts) or None (use feedparser)."""
    try:
        root = _root(data)
        if root.tag == "rss":
            return _rss(root)
        if root.tag == f"{_ATOM}feed":
            return _atom(root)
    except (_Refuse, etree.XMLSyntaxError, ValueError, OverflowError):
        return None
    return None


def _root(data: bytes) -> etree._Element:
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        raise _Refuse("byte-order mark")
    head = data.lstrip()[:200]
    decl = _DECL.match(head)
    if decl:
        enc = _DECL_ENCODING.search(decl.group(0))
        if enc and enc.group(1).lower() not in (b"utf-8", b"utf8"):
            raise _Refuse("encoding")
    elif data[:1] != b"<":
        raise _Refuse("leading bytes")
    data.decode("utf-8")  # strict: feedparser would take another encoding path
    parser = etree.XMLParser(**_PARSER_KW)
    root = etree.fromstring(data, parser)
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise _Refuse("DTD")
    for node in root.iter():
        if not isinstance(node.tag, str):  # comments, processing instructions, entities
            raise _Refuse("non-element node")
    return root


def _text(el: etree._Element, plain: bool = False) -> str:
    """An element's text as feedparser gives it: stripped; no children or attributes
    beyond what the caller checked."""
    if len(el):
        raise _Refuse("child elements in a text field")
    value = (el.text or "").strip()
    if _has_c1(value) or plain and ("<" in value or ">" in value or "&" in value):
        raise _Refuse("characters feedparser rewrites")
    return value


def _item_text(el: etree._Element, link: bool = False) -> str:
    """``_text(el, plain=True)`` for an RSS item's plain fields, which may hold a "&"."""
    if len(el):
        raise _Refuse("child elements in a text field")
    value = (el.text or "").strip()
    if _has_c1(value) or "<" in value or ">" in value or link and "&" in value and ";" in value:
        raise _Refuse("characters feedparser rewrites")
    return value


def _no_attrs(el: etree._Element, allowed: frozenset[str] = frozenset()) -> None:
    if any(k not in allowed for k in el.attrib):
        raise _Refuse("attributes")


def _struct(dt: datetime) -> time.struct_time:
    return time.gmtime(timegm(dt.utctimetuple()))


def _rfc822(value: str) -> time.struct_time:
    m = _RFC822.fullmatch(value)
    if not m:
        raise _Refuse("date format")
    day, mon, year, hh, mm, ss, sign, oh, om = m.groups()
    local = datetime(int(year), _MONTHS[mon], int(day), int(hh), int(mm), int(ss), tzinfo=UTC)
    offset = 0 if sign is None else (int(oh) * 60 + int(om)) * (1 if sign == "+" else -1)
    return time.gmtime(timegm(local.utctimetuple()) - offset * 60)


def _w3dtf(value: str) -> time.struct_time:
    m = _W3DTF.fullmatch(value)
    if not m:
        raise _Refuse("date format")
    year, mon, day, hh, mm, ss, sign, oh, om = m.groups()
    local = datetime(int(year), int(mon), int(day), int(hh), int(mm), int(ss), tzinfo=UTC)
    offset = 0 if sign is None else (int(oh) * 60 + int(om)) * (1 if sign == "+" else -1)
    return time.gmtime(timegm(local.utctimetuple()) - offset * 60)


def _rss(root: etree._Element) -> tuple[str | None, str | None, list[dict]]:
    if root.get("version") != "2.0" or set(root.attrib) != {"version"}:
        raise _Refuse("rss version")
    if set(root.nsmap.values()) - _RSS_NAMESPACES:
        raise _Refuse("namespaces")
    channels = list(root)
    if len(channels) != 1 or channels[0].tag != "channel" or channels[0].attrib:
        raise _Refuse("channel")
    title = language = None
    entries = []
    for el in channels[0]:
        tag = el.tag
        if tag == "item":
            _no_attrs(el)
            entries.append(_rss_item(el))
            continue
        if tag == f"{_ATOM}link":
            # the channel's <atom:link rel="self" .../>: feedparser files it among the feed's
            # links, which nothing here reads; an empty element with these attributes only
            _no_attrs(el, _LINK_ATTRS)
            if len(el) or (el.text or "").strip():
                raise _Refuse("atom:link content")
            continue
        if tag not in _RSS_CHANNEL:
            raise _Refuse(f"channel element {tag}")
        _no_attrs(el)
        if tag == "title":
            if title is not None:
                raise _Refuse("two titles")
            title = _text(el, plain=True)
        elif tag == "language":
            language = _text(el, plain=True)
        else:
            _text(el)
    return title, language or None, entries


def _rss_item(item: etree._Element) -> dict:
    entry: dict = {}
    seen: set[str] = set()
    tags = []
    for el in item:
        tag = el.tag
        if tag == _CONTENT:
            if "content" in entry:
                raise _Refuse("two contents")
            _no_attrs(el)
            entry["content"] = [{"value": _text(el)}]
            continue
        if tag == _DC_CREATOR:
            tag = "author"  # feedparser reads <dc:creator> as the item's author
        elif tag not in _RSS_ITEM:
            raise _Refuse(f"item element {tag}")
        if tag == "category":
            _no_attrs(el)
            tag_value = {"term": _item_text(el)}
            if tag_value not in tags:  # feedparser files a repeated category once
                tags.append(tag_value)
            continue
        if tag in seen:
            raise _Refuse(f"two {tag}")
        seen.add(tag)
        if tag == "guid":
            _no_attrs(el, frozenset({"isPermaLink"}))
            if el.get("isPermaLink", "true") not in ("true", "false"):
                raise _Refuse("isPermaLink")
            entry["id"] = entry["guid"] = _item_text(el)
            continue
        _no_attrs(el)
        if tag == "title":
            entry["title"] = _item_text(el)
        elif tag == "link":
            entry["link"] = _item_text(el, link=True)
        elif tag == "pubDate":
            entry["published_parsed"] = _rfc822(_text(el, plain=True))
        elif tag == "author":
            value = _item_text(el)
            if "@" in value or "(" in value:
                raise _Refuse("author with an address")
            entry["author"] = value
        elif tag == "description":
            if "content" in entry:
                raise _Refuse("description after content")
            entry["summary"] = _text(el)
    if not entry.get("link") or not entry.get("id"):
        raise _Refuse("item without link or guid")
    if not entry.get("title") or not entry.get("author") and "author" in seen:
        raise _Refuse("empty title or author")
    if tags:
        entry["tags"] = tags
    if "content" in entry and "summary" not in entry:
        raise _Refuse("content without description")
    return entry


def _atom(root: etree._Element) -> tuple[str | None, str | None, list[dict]]:
    _no_attrs(root, frozenset({_XML_LANG}))
    if set(root.nsmap.values()) != {_ATOM[1:-1]} or None not in root.nsmap:
        raise _Refuse("namespaces")
    language = root.get(_XML_LANG)
    title = None
    entries = []
    for el in root:
        tag = el.tag[len(_ATOM) :] if el.tag.startswith(_ATOM) else None
        if tag not in _ATOM_FEED:
            raise _Refuse(f"feed element {el.tag}")
        if tag == "entry":
            # feedparser gives an entry's xml:lang only to its *_detail dicts, not read here
            _no_attrs(el, frozenset({_XML_LANG}))
            entries.append(_atom_entry(el))
        elif tag == "link":
            # the feed's own links (alternate, self): feedparser files them among the feed's
            # links, which nothing here reads
            _no_attrs(el, _LINK_ATTRS)
            if len(el) or (el.text or "").strip():
                raise _Refuse("feed link content")
        elif tag == "generator":
            _no_attrs(el, frozenset({"uri", "version"}))
            _text(el, plain=True)
        else:
            _no_attrs(el)
            value = _text(el, plain=True)
            if tag == "title":
                if title is not None:
                    raise _Refuse("two titles")
                title = value
    return title, language or None, entries


def _atom_entry(item: etree._Element) -> dict:
    entry: dict = {}
    seen: set[str] = set()
    tags = []
    for el in item:
        tag = el.tag[len(_ATOM) :] if el.tag.startswith(_ATOM) else None
        if tag not in _ATOM_ENTRY:
            raise _Refuse(f"entry element {el.tag}")
        if tag == "category":
            _no_attrs(el, frozenset({"term"}))
            if len(el) or (el.text or "").strip():
                raise _Refuse("category content")
            term = el.get("term", "")
            if _PLAIN_BAD.search(term) or term != term.strip():
                raise _Refuse("category term")
            if {"term": term} not in tags:  # feedparser files a repeated category once
                tags.append({"term": term})
            continue
        if tag in seen:
            raise _Refuse(f"two {tag}")
        seen.add(tag)
        if tag == "link":
            _no_attrs(el, _LINK_ATTRS)
            href = el.get("href", "")
            if len(el) or (el.text or "").strip() or not href or href != href.strip():
                raise _Refuse("link")
            if el.get("rel", "alternate") != "alternate":
                raise _Refuse("link rel")
            if _ITEM_BAD.search(href) or "&" in href and ";" in href:
                raise _Refuse("link characters")
            entry["link"] = href
        elif tag == "summary":
            # before any content (after it, feedparser would file it differently)
            _no_attrs(el, frozenset({"type"}))
            if el.get("type", "text") not in ("text", "html") or "content" in entry:
                raise _Refuse("summary")
            entry["summary"] = _text(el)
        elif tag == "title":
            _no_attrs(el, frozenset({"type"}))
            if el.get("type", "text") != "text":
                raise _Refuse("title type")
            entry["title"] = _item_text(el)
        elif tag == "author":
            _no_attrs(el)
            names = list(el)
            if len(names) != 1 or names[0].tag != f"{_ATOM}name" or (el.text or "").strip():
                raise _Refuse("author")
            _no_attrs(names[0])
            entry["author"] = _text(names[0], plain=True)
            if not entry["author"]:
                raise _Refuse("empty author")
        elif tag == "content":
            _no_attrs(el, frozenset({"type"}))
            if el.get("type") != "html":
                raise _Refuse("content type")
            value = _text(el)
            entry["content"] = [{"value": value}]
            # feedparser copies html content to a missing summary
            entry.setdefault("summary", value)
        else:
            _no_attrs(el)
            value = _text(el, plain=True)
            if tag == "id":
                entry["id"] = entry["guid"] = value
            elif tag == "updated":
                entry["updated_parsed"] = _w3dtf(value)
            elif tag == "published":
                entry["published_parsed"] = _w3dtf(value)
    if not entry.get("link") or not entry.get("id") or not entry.get("title"):
        raise _Refuse("entry without link, id or title")
    if "content" not in entry:
        raise _Refuse("entry without content")
    if tags:
        entry["tags"] = tags
    return entry
