"""The one URL helper (relative links that work at any base and from disk) and the atomic writer."""

from __future__ import annotations

import os

import pytest

from notebase.model import EntryType
from notebase.render.urls import absolute, entry_path, month_path, output_file, page_path, relative, root_prefix, tag_path
from notebase.site.writer import UnsafePath, Writer, safe_join


@pytest.mark.parametrize(("src", "dst", "href"), [
    ("", "tags/", "tags/"),
    ("", "", "./"),
    ("papers/simclr/", "", "../../"),
    ("papers/simclr/", "tags/딥러닝/", "../../tags/%EB%94%A5%EB%9F%AC%EB%8B%9D/"),
    ("tags/a/page/2/", "tags/a/", "../../"),
    ("tags/a/", "feed.xml", "../../feed.xml"),
    ("feed.xml", "papers/x/", "papers/x/"),
    ("archive/2022/05/", "archive/2022/", "../"),
    ("404.html", "static/style.css", "static/style.css"),
])
def test_relative_links(src, dst, href):
    assert relative(src, dst) == href


@pytest.mark.parametrize(("base", "path", "url"), [
    ("/", "papers/x/", "/papers/x/"),
    ("/notes/", "tags/태그/", "/notes/tags/%ED%83%9C%EA%B7%B8/"),
    ("/notes", "", "/notes/"),
    ("https://example.org/kb/", "feed.xml", "https://example.org/kb/feed.xml"),
])
def test_absolute_urls(base, path, url):
    assert absolute(base, path) == url


def test_site_paths():
    assert entry_path("대조-학습", EntryType.PAPER) == "papers/대조-학습/"
    assert entry_path("page", EntryType.TIP) == "tips/page-entry/"  # never collides with pagination
    assert tag_path("gan") == "tags/gan/"
    assert month_path(2021, 4) == "archive/2021/04/"
    assert page_path("tags/gan/", 1) == "tags/gan/" and page_path("tags/gan/", 3) == "tags/gan/page/3/"
    assert output_file("") == "index.html" and output_file("a/b/") == "a/b/index.html" and output_file("x.xml") == "x.xml"
    assert root_prefix("") == "" and root_prefix("tags/a/page/2/") == "../../../../"


@pytest.mark.parametrize("rel", ["../x", "a/../../x", "/etc/passwd", "a\\..\\b", "", "a//b", "./a", "C:/x", "a\x00b"])
def test_safe_join_refuses_escapes(tmp_path, rel):
    with pytest.raises(UnsafePath):
        safe_join(tmp_path, rel)


def test_safe_join_keeps_hangul(tmp_path):
    assert safe_join(tmp_path, "tags/딥러닝/index.html") == tmp_path / "tags" / "딥러닝" / "index.html"


def _build(tmp_path, files: dict[str, bytes], fail: bool = False) -> Writer:
    writer = Writer(tmp_path / "site", tmp_path / ".cache")
    writer.start()
    for rel, data in files.items():
        writer.write(rel, data)
    if fail:
        writer.abort()
    else:
        writer.commit()
    return writer


def test_unchanged_files_are_kept_not_rewritten(tmp_path):
    _build(tmp_path, {"index.html": b"home", "a/index.html": b"a"})
    before = {p: os.stat(tmp_path / "site" / p) for p in ("index.html", "a/index.html")}
    writer = _build(tmp_path, {"index.html": b"home", "a/index.html": b"a changed", "b.xml": b"new"})
    assert writer.rewritten == 2
    after = {p: os.stat(tmp_path / "site" / p) for p in ("index.html", "a/index.html")}
    assert after["index.html"].st_ino == before["index.html"].st_ino  # the same file, not rewritten
    assert after["index.html"].st_mtime_ns == before["index.html"].st_mtime_ns
    assert after["a/index.html"].st_ino != before["a/index.html"].st_ino
    assert (tmp_path / "site" / "a" / "index.html").read_bytes() == b"a changed"


def test_a_removed_output_disappears(tmp_path):
    _build(tmp_path, {"index.html": b"home", "old/index.html": b"gone soon"})
    _build(tmp_path, {"index.html": b"home"})
    assert not (tmp_path / "site" / "old").exists()


def test_a_failed_build_leaves_the_old_site(tmp_path):
    _build(tmp_path, {"index.html": b"home"})
    _build(tmp_path, {"index.html": b"half-built"}, fail=True)
    assert (tmp_path / "site" / "index.html").read_bytes() == b"home"
    assert not (tmp_path / ".site.staging").exists()


def test_an_interrupted_build_is_cleared_by_the_next(tmp_path):
    _build(tmp_path, {"index.html": b"home"})
    (tmp_path / ".site.staging" / "junk").mkdir(parents=True)  # as a killed build leaves it
    _build(tmp_path, {"index.html": b"home 2"})
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["index.html"]
    assert not (tmp_path / ".site.staging").exists()
