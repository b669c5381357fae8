"""A newcomer's first hour, scripted with the installed command: `init` in an empty folder, `build`,
`serve` on 127.0.0.1, an Obsidian note with aliases, nested tags and an embed, retitled twice (its
title, then its file, as Obsidian renames a note), and every page and redirect checked.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from urllib.parse import unquote, urljoin

from sitecheck import broken_links, is_redirect, live_content
from test_serve import Served, _notebase

NOTE = """---
title: {title}
date: 2024-04-02
aliases: [대조 학습 노트, CL note]
tags: [ml/vision, ml/self-supervised, 읽기]
cssclasses: [wide]
---

# {title}

Two augmented views of one image are pulled together; views of other images are pushed apart.
See the paper at https://arxiv.org/abs/2002.05709 and my tip below.

![[git worktree로 브랜치 두 개 열기]]

![[resnet#방법]]
"""
PAGE = "papers/contrastive/"  # a note that links its paper's own arXiv page reads as a paper summary


def notebase(*args, cwd):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(_notebase() + list(args), cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


def wait_for(served: Served, path: str, condition, what: str) -> str:
    """Ask for the page at `path` until it satisfies `condition` (as a reader reloading would); return it."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status, text = served.get(path)
        if condition(status, text):
            return text
        time.sleep(0.3)
    raise AssertionError(f"{what}: {path} never became ready")


def redirect_of(text: str) -> str | None:
    found = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', text)
    return found[1] if found else None


def test_the_first_hour(tmp_path):
    kb = tmp_path / "my-notes"
    kb.mkdir()  # an empty folder, as a newcomer makes one
    out = notebase("init", cwd=kb)
    assert out.returncode == 0, out.stderr
    assert (kb / "notebase.yaml").is_file() and (kb / ".gitignore").is_file()
    out = notebase("build", cwd=kb)
    assert out.returncode == 0, out.stderr
    assert "from 3 entries" in out.stderr
    assert broken_links(kb / "site") == [] and live_content(kb / "site") == []

    served = Served(kb)
    try:
        events = served.events()
        assert events.next()["reload"] is False
        events.close()
        note = kb / "notes" / "contrastive.md"
        note.write_text(NOTE.format(title="Contrastive learning"), "utf-8")
        page = wait_for(served, PAGE, lambda s, t: s == 200, "a new note")
        assert '<article class="entry entry-paper wide">' in page
        assert 'href="https://arxiv.org/abs/2002.05709"' in page  # a bare URL is a link
        assert page.count('<aside class="note-embed">') == 2  # the tip, and the paper's one section
        assert "git worktree로 브랜치 두 개 열기</a></p>" in page and "브랜치를 바꾸지 않고" in page
        # Aliases: redirect pages at their names, for wikilinks and for readers.
        for alias in ("대조-학습-노트", "cl-note"):
            status, text = served.get(f"papers/{alias}/")
            assert status == 200 and redirect_of(text) == "../contrastive/", alias
        # Nested tags: ml lists the note through its children, and shows them.
        status, ml = served.get("tags/ml/")
        assert status == 200 and "Contrastive learning" in ml
        assert 'href="vision/"' in ml and 'href="self-supervised/"' in ml
        assert served.get("tags/ml/vision/")[0] == 200

        # Retitled in its front matter: the open page keeps its address and shows the new title.
        note.write_text(NOTE.format(title="Contrastive learning, explained"), "utf-8")
        page = wait_for(served, PAGE, lambda s, t: "Contrastive learning, explained</h1>" in t, "a retitle")
        assert served.get(PAGE)[0] == 200

        # Renamed as Obsidian does when a note is retitled: the old address now sends readers on.
        note.rename(kb / "notes" / "Contrastive learning explained.md")
        old = wait_for(served, PAGE, lambda s, t: redirect_of(t) is not None, "a rename")
        target = unquote(urljoin("/" + PAGE, redirect_of(old)))
        assert target == "/papers/contrastive-learning-explained/"
        status, page = served.get(target.lstrip("/"))
        assert status == 200 and "Contrastive learning, explained</h1>" in page
        status, alias = served.get("papers/cl-note/")
        assert status == 200 and redirect_of(alias) == "../contrastive-learning-explained/"
    finally:
        log = served.stop()
    assert "Traceback" not in log

    # After serving, a build finds the site as serve left it, and a forced one makes the same redirects.
    out = notebase("build", cwd=kb)
    assert out.returncode == 0 and "up to date" in out.stderr, out.stderr
    out = notebase("build", "--force", cwd=kb)
    assert out.returncode == 0, out.stderr
    site = kb / "site"
    assert broken_links(site) == [] and live_content(site) == []
    redirects = {p.relative_to(site).as_posix(): redirect_of(p.read_text("utf-8"))
                 for p in site.rglob("index.html") if is_redirect(p)}
    assert redirects == {"papers/contrastive/index.html": "../contrastive-learning-explained/",
                         "papers/대조-학습-노트/index.html": "../contrastive-learning-explained/",
                         "papers/cl-note/index.html": "../contrastive-learning-explained/"}
    out = notebase("search", "contrastive", cwd=kb)
    assert out.returncode == 0 and "Contrastive learning, explained" in out.stdout
