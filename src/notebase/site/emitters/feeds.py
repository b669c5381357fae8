"""RSS 2.0 and Atom feeds of the newest entries (site-wide, per tag and per topic), and sitemap.xml.

Built with ElementTree so every title, tag and author is escaped; characters XML 1.0 forbids
(control characters a note may carry) are dropped first. Dates come from the entries, never the
clock, so an unchanged knowledge base gives byte-identical feeds.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from email.utils import format_datetime

from notebase.config import Config
from notebase.errors import Problem, Severity
from notebase.model import Entry
from notebase.site.assemble import Site, newest_stated
from notebase.render.urls import absolute
from notebase.site.writer import Writer

FEED_SIZE = 20
ATOM = "http://www.w3.org/2005/Atom"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def relative_links_warning(config: Config) -> list[Problem]:
    """Warn once when base_url is no full address, so feed, sitemap and 404 links come out relative."""
    if re.match(r"https?://[^/\s]", config.base_url):
        return []
    return [Problem("notebase.yaml", 0,
                    f"base_url '{config.base_url}' is not a full address, so links in feeds, the sitemap "
                    "and 404.html are relative (feed readers and search engines need full ones)",
                    "set base_url: https://<your site>/ in notebase.yaml, or pass --base-url URL",
                    Severity.WARNING)]


def clean(text: str | None) -> str:
    """Return text with the characters XML 1.0 cannot hold removed."""
    return _NOT_XML.sub("", text or "")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, {k.rstrip("_"): clean(v) for k, v in attrs.items()})
    if text is not None:
        node.text = clean(text)
    return node


def changed(entry: Entry) -> dt.date:
    """Return when an entry last changed: its `updated`/`lastmod` when later than its date, else its date."""
    return entry.updated if entry.updated is not None and entry.updated > entry.date else entry.date


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def rss(site: Site, entries: list[Entry], title: str, page: str, feed: str) -> bytes:
    """Return an RSS 2.0 feed of the given entries."""
    base = site.config.base_url
    root = ET.Element("rss", {"version": "2.0"})
    root.set("xmlns:atom", ATOM)
    channel = _sub(root, "channel")
    _sub(channel, "title", title)
    _sub(channel, "link", absolute(base, page))
    _sub(channel, "description", title)
    _sub(channel, "language", site.config.language)
    _sub(channel, "atom:link", href=absolute(base, feed), rel="self", type="application/rss+xml")
    if entries:
        _sub(channel, "lastBuildDate", format_datetime(_moment(entries[0].date)))
    for entry in entries:
        item = _sub(channel, "item")
        link = absolute(base, site.paths[entry.id])
        _sub(item, "title", entry.title)
        _sub(item, "link", link)
        _sub(item, "guid", link, isPermaLink="true")
        _sub(item, "pubDate", format_datetime(_moment(entry.date)))
        _sub(item, "description", entry.summary)
        for tag in entry.tags:
            _sub(item, "category", tag)
    return _bytes(root)


def atom(site: Site, entries: list[Entry], title: str, page: str, feed: str) -> bytes:
    """Return an Atom feed of the given entries."""
    base = site.config.base_url
    root = ET.Element("feed", {"xmlns": ATOM})
    _sub(root, "title", title)
    _sub(root, "id", absolute(base, feed))
    _sub(root, "link", href=absolute(base, page))
    _sub(root, "link", href=absolute(base, feed), rel="self")
    newest = max((changed(e) for e in entries), default=dt.date(1970, 1, 1))
    _sub(root, "updated", _moment(newest).isoformat())
    _sub(_sub(root, "author"), "name", site.config.author or site.config.title)
    for entry in entries:
        node = _sub(root, "entry")
        link = absolute(base, site.paths[entry.id])
        _sub(node, "title", entry.title)
        _sub(node, "id", link)
        _sub(node, "link", href=link)
        _sub(node, "updated", _moment(changed(entry)).isoformat())
        _sub(node, "published", _moment(entry.date).isoformat())
        _sub(node, "summary", entry.summary)
        if entry.author:
            _sub(_sub(node, "author"), "name", entry.author)
        for tag in entry.tags:
            _sub(node, "category", term=tag)
    return _bytes(root)


def feed_sets(site: Site) -> Iterator[tuple[str, str, tuple[Entry, ...]]]:
    """Yield each feed pair's page path, title and entries: the site's, then one per tag and per topic."""
    yield "", site.config.title, newest_stated(site.entries, FEED_SIZE)
    by_id = site.by_id  # looked up directly: every tag's and topic's entries, after every edit
    for term in site.tags.terms:
        yield term.path, f"{site.config.title} — #{term.label}", newest_stated([by_id[i] for i in term.ids], FEED_SIZE)
    for term in site.topics.terms:
        yield term.path, f"{site.config.title} — {term.label}", newest_stated([by_id[i] for i in term.ids], FEED_SIZE)


def feed_files(site: Site, page: str, title: str, entries: tuple[Entry, ...]) -> list[tuple[str, bytes]]:
    """Return the RSS and Atom files of one feed set."""
    return [(f"{page}feed.xml", rss(site, list(entries), title, page, f"{page}feed.xml")),
            (f"{page}atom.xml", atom(site, list(entries), title, page, f"{page}atom.xml"))]


def emit_feeds(site: Site, writer: Writer) -> None:
    """Write the site's RSS and Atom feeds and one pair per tag and per topic."""
    for page, title, entries in feed_sets(site):
        for rel, data in feed_files(site, page, title, entries):
            writer.write(rel, data)


def emit_sitemap(site: Site, writer: Writer, pages: list[str]) -> None:
    """Write sitemap.xml listing every HTML page written, with when each entry last changed."""
    base = site.config.base_url
    dates = {site.paths[e.id]: changed(e) for e in site.entries}
    # Written as text, as ElementTree would indent it: a tree of 30,000 elements for 10,000 notes
    # cost a quarter of a second, in every build and every served edit.
    parts = ["<?xml version='1.0' encoding='utf-8'?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\""]
    parts.append(">" if pages else " />\n")
    for path in sorted(pages):
        parts.append(f"\n  <url>\n    <loc>{html.escape(clean(absolute(base, path)), quote=False)}</loc>")
        if path in dates:
            parts.append(f"\n    <lastmod>{dates[path].isoformat()}</lastmod>")
        parts.append("\n  </url>")
    if pages:
        parts.append("\n</urlset>\n")
    writer.write("sitemap.xml", "".join(parts).encode("utf-8"))
