"""Rewrite imports of notebase's old flat modules to the folders of issue 16: `python tools/relayout.py [paths]`.

The layout commit moved every module (notebase.markup_rules -> notebase.render.rules, notebase.site
-> notebase.site.assemble, ...). A branch written before it still imports the old names: after
merging one, run this over the repository (default: src tests bench) and review `git diff`. It
rewrites dotted names only (`from notebase.x import`, `import notebase.x`, `"notebase.x.y"` in
strings); `from notebase import x` lines are listed for a hand edit. Names already new are left alone.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# old dotted name (under notebase.) -> new dotted name (under notebase.)
TABLE = {
    # load/
    "load": "load.loader",
    "readers": "load.readers",
    "files": "load.files",
    "sandbox": "load.sandbox",
    "classify": "load.classify",
    "entries": "load.entries",
    "typed": "load.typed",
    "extract": "load.extract",
    "dates": "load.dates",
    "notedates": "load.notedates",
    "gitdates": "load.gitdates",
    "notetype": "load.notetype",
    "paperinfo": "load.paperinfo",
    "eventinfo": "load.eventinfo",
    "folders": "load.folders",
    # render/
    "markup": "render.markup",
    "markup_cjk": "render.cjk",
    "markup_dialects": "render.dialects",
    "markup_embed": "render.embed",
    "markup_emit": "render.emit",
    "markup_hugo": "render.hugo",
    "markup_lines": "render.lines",
    "markup_math": "render.math",
    "markup_myst": "render.myst",
    "markup_outline": "render.outline",
    "markup_rules": "render.rules",
    "markup_tags": "render.tags",
    "sanitize": "render.sanitize",
    "highlight": "render.highlight",
    "plaintext": "render.plaintext",
    "urls": "render.urls",
    "wikilinks": "render.wikilinks",
    "render": "render.templates",
    "graph_svg": "render.graph_svg",
    "labels": "render.labels",
    # site/
    "site": "site.assemble",
    "emitters": "site.emitters",
    "writer": "site.writer",
    "taxonomy": "site.taxonomy",
    "categories": "site.categories",
    "tags": "site.tags",
    "topics": "site.topics",
    "topic_filters": "site.topic_filters",
    "readings": "site.readings",
    "related": "site.related",
    "papers": "site.papers",
    "redirects": "site.redirects",
    "lint": "site.lint",
    # search/ (its only user is the index)
    "incremental": "search.incremental",
    # serve/
    "serve": "serve.server",
    "serve_http": "serve.http",
    "live": "serve.live",
    "live_plan": "serve.live_plan",
    # cli/
    "cli": "cli",  # cli.py -> cli/__init__.py: same dotted name
    "cli_browse": "cli.browse_commands",
    "cli_authoring": "cli.authoring_commands",
    "cli_serve": "cli.serve_command",
    "browse": "cli.browse",
    "show": "cli.show",
    "authoring": "cli.authoring",
    "scaffold": "cli.scaffold",
    "bibtex": "cli.bibtex",
    "query": "cli.query",
    "serialize": "cli.serialize",
}

DOTTED = re.compile(r"(?<![\w.])notebase\.(" + "|".join(sorted(map(re.escape, TABLE), key=len, reverse=True))
                    + r")(?![\w])(\.\w+| import \w+)?")
PACKAGE = REPO / "src" / "notebase"
FROM_PACKAGE = re.compile(r"^\s*from notebase import (.+)$", re.MULTILINE)


def rewrite(text: str) -> str:
    """Return text with every old dotted module name replaced by its new one."""
    return DOTTED.sub(_replace, text)


def _replace(m: re.Match) -> str:
    old, rest = m.group(1), m.group(2) or ""
    folder = PACKAGE / old
    child = rest.removeprefix(".").removeprefix(" import ")
    if (old, rest) == ("site", " import assemble"):
        return "notebase.site.assemble" + rest  # the old module's function, not the new module
    if child and folder.is_dir() and ((folder / child).is_dir() or (folder / (child + ".py")).is_file()):
        return m.group(0)  # already new: notebase.load.files, from notebase.load import classify
    return "notebase." + TABLE[old] + rest


def main(paths: list[str]) -> None:
    """Rewrite the .py and .toml files under paths in place, naming each one changed."""
    for root in [Path(p) for p in paths] or [REPO / "src", REPO / "tests", REPO / "bench"]:
        for path in [root] if root.is_file() else sorted(root.rglob("*")):
            if path.suffix not in (".py", ".toml") or not path.is_file():
                continue
            text = path.read_text(encoding="utf-8")
            new = rewrite(text)
            if new != text:
                path.write_text(new, encoding="utf-8")
                print(f"rewrote {path}")
            for m in FROM_PACKAGE.finditer(new):
                names = {n.strip().split(" as ")[0] for n in m.group(1).split(",")}
                if names & TABLE.keys():
                    print(f"{path}: edit by hand: {m.group(0).strip()}")


if __name__ == "__main__":
    main(sys.argv[1:])
