"""Entry pages: each entry's body rendered to safe HTML and laid out by its type's template.

Rendering markdown and templates is most of a build's work, so entries are split across
processes (fork: the frozen Site and the compiled templates are inherited, not pickled); each
process writes its pages into the staging folder and sends back only digests and problems.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
from collections.abc import Callable
from concurrent.futures import as_completed
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import quote

from jinja2 import Environment, TemplateNotFound
from markupsafe import Markup, escape

from notebase.crash import worker_pool
from notebase.site.categories import folder_of
from notebase.errors import Problem, Severity
from notebase.render.graph_svg import Node, local_graph
from notebase.render.labels import labels
from notebase.render.markup import render
from notebase.model import Entry
from notebase.render.templates import page_context
from notebase.load.sandbox import Refused, read_inside, refused_problem
from notebase.site.related import TAG, TOPIC
from notebase.site.assemble import Site, extra_value
from notebase.site.tags import tag_key
from notebase.render.urls import output_file, relative
from notebase.site.writer import Writer

# Only raster images are copied: an SVG or HTML file from the notes, opened directly from the site,
# would run its scripts with the site's origin.
MEDIA_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".ico")
PARALLEL_PAGES = 300  # below this, starting processes costs more than it saves
SHARES = 12  # shares of the entry pages per process: small enough to even out, few enough to cost nothing
_LANG = {"ko": "ko", "en": "en"}
_CLASS = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,59}")


@dataclass(frozen=True)
class PagesDone:
    """What one process wrote and found."""

    written: dict[str, str]
    rewritten: int
    problems: tuple[Problem, ...]


def template_for(entry: Entry, env: Environment) -> str:
    """Return the template for an entry: its `template:` front matter if it names one, else its type's."""
    wanted = entry.extra.get("template")
    if isinstance(wanted, str) and wanted.endswith(".html"):
        try:
            env.get_template(wanted)
            return wanted
        except TemplateNotFound:
            pass
    return f"{entry.type.value}.html"


def unique_tags(tags) -> list[str]:
    """Return an entry's tags one per tag key (the first spelling), leaving out those with no key."""
    return list({key: tag for tag in reversed(tags) if (key := tag_key(tag))}.values())[::-1]


def css_classes(entry: Entry) -> list[str]:
    """Return the classes an entry's `cssclasses` (Obsidian; `cssclass` of old) asks for on its <article>.

    Only plain class names pass (letters, digits, `-`, `_`): a note never adds markup or an attribute.
    """
    value = extra_value(entry, "cssclasses")
    if value is None:
        value = extra_value(entry, "cssclass")
    items = value if isinstance(value, list) else re.split(r"[\s,]+", value) if isinstance(value, str) else []
    names = [str(item).strip() for item in items if isinstance(item, (str, int))]
    return list(dict.fromkeys(n for n in names if _CLASS.fullmatch(n)))[:20]


def reading_minutes(text: str) -> int:
    """Return about how many minutes an entry takes to read: 230 English words or 500 Hangul syllables a minute."""
    # Counted with str methods, not patterns (a pattern scan of every entry cost seconds at 10,000):
    # the ASCII text's words, and the letters beyond ASCII, nearly all Hangul syllables in these notes.
    latin = text.encode("ascii", "ignore")
    return round(len(latin.split()) / 230 + (len(text) - len(latin)) / 500)


def edit_url(config, entry: Entry) -> str | None:
    """Return where to edit an entry's note in its repository (`repo_url` + `edit_uri`), or None."""
    if not config.repo_url or entry.body_format != "markdown":
        return None
    uri = config.edit_uri
    if uri is None:
        folder = PurePosixPath(config.notes_dir).as_posix()
        uri = "edit/main/" + ("" if folder == "." else folder + "/")
    base = config.repo_url.rstrip("/") + "/" + uri.strip("/")
    return base.rstrip("/") + "/" + quote(entry.source.path, safe="/")


def entry_context(site: Site, entry: Entry, index: int) -> dict:
    """Return everything the template of the entry at `index` needs, its body rendered and sanitised."""
    path = site.paths[entry.id]
    rendered = render(entry.body, entry.body_format, source_path=entry.source.path,
                      first_line=entry.body_line, page_path=path, targets=site.targets, files=site.files,
                      notes=site.by_path)
    context = page_context(site.config, path)
    context.update(
        entry=entry, rendered=rendered, page_lang=_LANG.get(entry.lang, site.config.language),
        tags=[(tag, site.tag_path(tag)) for tag in unique_tags(entry.tags)],
        css_classes=css_classes(entry),
        reading_minutes=reading_minutes(entry.text), edit_url=edit_url(site.config, entry),
        backlinks=[site.entry(i) for i in site.backlinks.get(entry.id, ())],
        related=(related := related_items(site, entry, path)),
        related_list=related_list(related, labels(site.config.language)),
        topics=[site.topic(k) for k in site.topic_of.get(entry.id, ())],
        folder=site.folders.term(folder_of(entry)),
        same_paper=[site.entry(i) for i in site.same_paper.get(entry.id, ())],
        same_paper_count=len(site.paper_of[entry.id].ids) - 1 if entry.id in site.paper_of else 0,
        paper_index=paper_index_link(site, entry.id),
        graph=entry_graph(site, entry, path, {item.entry.id: item.href for item in related}),
        paths=site.paths, month_key=f"{entry.date.year:04d}-{entry.date.month:02d}",
        newer=site.entries[index - 1] if index > 0 else None,
        older=site.entries[index + 1] if index + 1 < len(site.entries) else None,
    )
    return context


@dataclass(frozen=True)
class RelatedItem:
    """A related entry as its page shows it: the entry, its href, the reason, and what the two share
    (label, href or None). Links are made here, not in the template: a page has many of them."""

    entry: Entry
    href: str
    reason: str  # tag, topic or text
    shared: tuple[tuple[str, str | None], ...]


def related_items(site: Site, entry: Entry, path: str | None = None) -> list[RelatedItem]:
    """Return an entry's related entries with their reasons, shared tags and topics linked to their pages."""
    path = site.paths[entry.id] if path is None else path
    items = []
    for rel in site.related.get(entry.id, ()):
        if rel.reason == TAG:
            shared = tuple((f"#{t.label}", relative(path, t.path)) for t in map(site.tag, rel.shared[:3]))
        elif rel.reason == TOPIC:
            shared = tuple((t.label, relative(path, t.path)) for t in map(site.topic, rel.shared[:3]))
        else:
            shared = tuple((word, None) for word in rel.shared[:3])
        items.append(RelatedItem(site.entry(rel.id), relative(path, site.paths[rel.id]), rel.reason, shared))
    return items


def related_list(items: list[RelatedItem], words: dict[str, str]) -> Markup:
    """Return the `<li>` of each related entry as entry.html shows them (its `related_list`).

    Made here rather than in the template: a loop of five items with their shared tags was a
    tenth of a millisecond of Jinja on every page (a second of a 10,000-note build). Themes may
    still lay out `related` themselves.
    """
    parts = []
    for item in items:
        day = item.entry.date.isoformat()
        parts.append(f'<li><a href="{escape(item.href)}">{escape(item.entry.title)}</a> <time datetime="{day}">{day}'
                     f'</time>\n        <span class="reason reason-{item.reason}">{escape(words["reason_" + item.reason])}')
        if item.shared:
            parts.append(": " + ", ".join(f'<a href="{escape(href)}">{_escaped(label)}</a>' if href
                                          else f"<q>{_escaped(label)}</q>" for label, href in item.shared))
        parts.append("</span></li>")
    return Markup("".join(parts))


@lru_cache(maxsize=1024)
def _escaped(label: str) -> str:
    """A shared tag's or topic's name, escaped: the same few are shown on thousands of pages."""
    return str(escape(label))


def paper_index_link(site: Site, entry_id: str) -> tuple[str, str] | None:
    """Return the page of the papers index a summary's paper is on, and its anchor there; or None."""
    paper = site.paper_of.get(entry_id)
    return (paper.page, paper.anchor) if paper is not None else None


GRAPH_LINKS = 4  # links and backlinks each drawn at most


def entry_graph(site: Site, entry: Entry, path: str, hrefs: dict[str, str] | None = None) -> str:
    """Return the inline SVG of an entry's links, backlinks, related entries and other summaries ('' if none).

    `hrefs` are links to other entries the page already made (its related entries').
    """
    hrefs = hrefs or {}
    words = labels(site.config.language)
    out = site.links.get(entry.id, ())
    back = site.backlinks.get(entry.id, ())
    both = [i for i in out if i in back]
    nodes, seen = [], {entry.id}

    def add(ids, kind: str, note: str) -> None:
        for i in ids:
            if i not in seen:
                seen.add(i)
                other = site.entry(i)
                href = hrefs.get(i) or relative(path, site.paths[i])
                nodes.append(Node(href, other.title, kind, note))

    add(both[:GRAPH_LINKS], "both", words["links_both"])
    add([i for i in out if i not in both][:GRAPH_LINKS], "link", words["links_to"])
    add([i for i in back if i not in both][:GRAPH_LINKS], "backlink", words["links_here"])
    add(site.same_paper.get(entry.id, ())[:3], "same", words["same_paper_node"])
    for rel in site.related.get(entry.id, ()):
        add([rel.id], "related", words[f"reason_{rel.reason}"])
    if not nodes:
        return ""
    kinds = dict.fromkeys(node.kind for node in nodes)
    legend = [(kind, words[LEGEND[kind]]) for kind in ("link", "backlink", "both", "same", "related") if kind in kinds]
    return local_graph(entry.title, nodes, words["graph_label"], legend)


LEGEND = {"link": "links_to", "backlink": "links_here", "both": "links_both", "same": "same_paper_node",
          "related": "related"}


def _render_share(site: Site, env: Environment, writer: Writer, start: int, stop: int) -> PagesDone:
    saved = writer.written, writer.rewritten
    writer.written, writer.rewritten = {}, 0
    try:
        problems = render_range(site, env, writer, start, stop)
        return PagesDone(writer.written, writer.rewritten, tuple(problems))
    finally:
        writer.written, writer.rewritten = saved


def render_range(site: Site, env: Environment, writer: Writer, start: int, stop: int) -> list[Problem]:
    """Render the pages of entries start..stop (and copy their images); return what rendering found."""
    problems: list[Problem] = []
    notes = site.config.notes_path
    for index in range(start, stop):
        entry = site.entries[index]
        context = entry_context(site, entry, index)
        rendered = context["rendered"]
        problems += rendered.problems
        html = env.get_template(template_for(entry, env)).render(context)
        writer.write(output_file(site.paths[entry.id]), html.encode("utf-8"))
        for image in rendered.images:
            rel = f"media/{image}"
            if rel in writer.written:
                continue
            if not image.lower().endswith(MEDIA_TYPES):
                problems.append(Problem(entry.source.path, entry.body_line, f"image '{image}' not copied: only "
                                        "raster images are", "convert it to PNG or JPEG", Severity.WARNING))
                continue
            try:
                data = read_inside(notes, notes / image)
            except Refused as exc:
                problems.append(refused_problem(image, exc))
                continue
            except OSError as exc:
                problems.append(Problem(entry.source.path, entry.body_line, f"cannot copy image '{image}': "
                                        f"{exc.strerror or exc}", "check the image path", Severity.WARNING))
                continue
            writer.write(rel, data)  # outside the try: a full disk stops the build, it is no image problem
    return problems


_FORKED: tuple | None = None  # (site, env, writer) inherited by forked workers


def _worker(start: int, stop: int) -> PagesDone:
    site, env, writer = _FORKED
    return _render_share(site, env, writer, start, stop)


def emit_entry_pages(site: Site, env: Environment, writer: Writer, jobs: int | None = None,
                     progress=None, alongside: Callable[[], None] | None = None) -> list[Problem]:
    """Write every entry's page (and copy the images it shows); return the problems rendering found.

    `progress(stage, done, total)`, when given, is called in this process as shares finish.
    `alongside()`, when given, is other writing (the listings) this process does while the workers
    render; it then renders the shares no worker has started.
    """
    global _FORKED
    count = len(site.entries)
    jobs = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
    if jobs < 2 or count < PARALLEL_PAGES or "fork" not in multiprocessing.get_all_start_methods():
        if alongside is not None:
            alongside()
        done = [_render_share(site, env, writer, 0, count)]
        if progress:
            progress("pages", count, count)
    else:
        _FORKED = (site, env, writer)
        # Frozen objects are skipped by the children's garbage collector, which would otherwise
        # write to every object's header and turn each shared page into a private copy.
        gc.freeze()
        try:
            # Small shares, taken by whoever is free: the workers from the start, this process (a
            # child fewer is less memory, and it would otherwise sit idle) from the end once its
            # own writing is done, so all finish together however long that took.
            size = -(-count // (jobs * SHARES))
            bounds = [(i, min(i + size, count)) for i in range(0, count, size)]
            done, finished = [], 0
            with worker_pool(jobs - 1, "fork") as pool:  # workers that die with this process
                futures = {pool.submit(_worker, a, b): (a, b) for a, b in bounds}
                if alongside is not None:
                    alongside()
                for future in reversed(list(futures)):
                    if not future.cancel():  # a worker has it (they take shares in order): so all before it
                        break
                    a, b = futures.pop(future)
                    done.append(_render_share(site, env, writer, a, b))
                    finished += b - a
                    if progress:
                        progress("pages", finished, count)
                for future in as_completed(futures):
                    done.append(future.result())
                    a, b = futures[future]
                    finished += b - a
                    if progress:
                        progress("pages", finished, count)
        finally:
            _FORKED = None
            gc.unfreeze()
    problems: list[Problem] = []
    for part in done:
        writer.merge(part.written, part.rewritten)
        problems += part.problems
    return problems
