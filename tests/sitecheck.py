"""Checks over a built site: every internal link resolves, and nothing from content is live."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRS = {"a": "href", "link": "href", "img": "src", "script": "src", "form": "action", "source": "src"}
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_DANGEROUS = ("javascript:", "vbscript:", "data:text/html", "data:application", "data:image/svg")


class Page(HTMLParser):
    """One parsed page: its elements (tag, attrs, inline text of scripts) and ids."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.inline_scripts: list[str] = []
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if attributes.get("name") and tag == "a":
            self.ids.add(attributes["name"])
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts.append(data)


def refresh_target(content: str) -> str | None:
    """Return the URL of a `<meta http-equiv="refresh" content="0; url=…">`, or None."""
    m = re.fullmatch(r"\s*\d+\s*;\s*url=(.*)", content, re.I | re.S)
    return m[1].strip() if m else None


def _own_redirect(page: Page, content: str) -> bool:
    """A redirect page the build made (redirects.py): its refresh goes to a relative URL it also links."""
    url = refresh_target(content)
    links = [attrs.get("href") for tag, attrs in page.elements if tag in ("a", "link")]
    return bool(url) and not _SCHEME.match(url) and not url.startswith(("//", "/", "\\")) and url in links


def is_redirect(path: Path) -> bool:
    """Whether a built HTML file is a redirect page (an alias, or the old address of a moved page)."""
    return 'http-equiv="refresh"' in path.read_text(encoding="utf-8")[:2000]


def pages(site: Path) -> dict[Path, Page]:
    """Parse every HTML file of a site."""
    return {p: Page(p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html"))}


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    """Return 'page: href' for each internal link, image, script or form whose target is missing.

    Absolute paths (on 404.html) are read under base_path; #fragments must name an id on the target.
    """
    parsed = pages(site)
    broken = []
    for path, page in parsed.items():
        for tag, attrs in page.elements:
            name = LINK_ATTRS.get(tag)
            value = attrs.get(name) if name else None
            if value is None or _SCHEME.match(value) or value.startswith("//"):
                continue
            parts = urlsplit(value)
            target_path = unquote(parts.path)
            if target_path.startswith("/"):
                if not target_path.startswith(base_path):
                    broken.append(f"{path.relative_to(site)}: {value} (outside {base_path})")
                    continue
                target = site / target_path[len(base_path):]
            elif target_path:
                target = (path.parent / target_path)
            else:
                target = path
            if target_path.endswith("/") or target.is_dir():
                target = target / "index.html"
            target = target.resolve()
            if site.resolve() not in target.parents or not target.is_file():
                broken.append(f"{path.relative_to(site)}: {value}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else Page(target.read_text(encoding="utf-8")).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path.relative_to(site)}: {value} (no such anchor)")
    return broken


def live_content(site: Path, own_scripts: tuple[str, ...] = ("static/",)) -> list[str]:
    """Return what could run in a reader's browser that the theme did not put there."""
    found = []
    for path, page in pages(site).items():
        where = path.relative_to(site)
        found += [f"{where}: inline script {s[:40]!r}" for s in page.inline_scripts]
        for tag, attrs in page.elements:
            if tag in ("iframe", "object", "embed", "base", "frame", "frameset", "applet"):
                found.append(f"{where}: <{tag}>")
            if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh" and \
                    not _own_redirect(page, attrs.get("content") or ""):
                found.append(f"{where}: meta refresh")
            if tag == "script":
                src = attrs.get("src") or ""
                if not any(own in src for own in own_scripts) or _SCHEME.match(src):
                    found.append(f"{where}: script src {src!r}")
            for name, value in attrs.items():
                if name.startswith("on"):
                    found.append(f"{where}: <{tag} {name}>")
                if name in ("style", "srcdoc", "formaction"):
                    found.append(f"{where}: <{tag} {name}>")
                if name in ("href", "src", "action", "xlink:href", "poster", "background") and value:
                    squashed = re.sub(r"[\x00-\x20]", "", value).lower()
                    if squashed.startswith(_DANGEROUS):
                        found.append(f"{where}: <{tag} {name}={value!r}>")
    return found
