"""Live updates (what `notebase serve` does after an edit) leave the site exactly as a full build would.

Each step edits the copied sample notes on disk, runs one update, then builds the same notes from
scratch in another folder and compares every file: a page the update forgot, or one it wrote
wrong, fails the comparison. Small edits must also write only a few files.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from notebase.build import build
from notebase.config import load_config
from notebase.serve.live import LiveSite
from notebase.site.redirects import write_history

TIP = "notes/tips/git-bisect.md"
TIP_PAGE = "tips/git-bisect/index.html"


@pytest.fixture
def live(tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(REPO / "notes", root / "notes")
    site = LiveSite(load_config(root), jobs=1)
    site.start()
    return site


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def assert_same_as_full_build(live: LiveSite, tmp_path: Path) -> None:
    """The live site equals a fresh build of the same notes (copied images may linger, nothing else).

    The fresh build is given the pages the live site remembers, so it leaves the same redirects.
    """
    ref = tmp_path / f"ref-{len(list(tmp_path.iterdir()))}"
    shutil.copytree(live.config.root / "notes", ref / "notes")  # copy2 keeps mtimes: same inferred dates
    write_history(ref / ".notebase", live.moved)
    for name in ("notebase.yaml", "templates"):
        source = live.config.root / name
        if source.is_file():
            shutil.copy2(source, ref / name)
        elif source.is_dir():
            shutil.copytree(source, ref / name)
    build(load_config(ref), index=False)
    got, want = _files(live.config.output_path), _files(ref / "site")
    assert sorted(set(want) - set(got)) == []
    assert sorted(f for f in set(got) - set(want) if not f.startswith("media/")) == []
    assert sorted(f for f in want if got[f] != want[f]) == []


def edit(live: LiveSite, rel: str, text: str | None) -> object:
    """Write (or with None delete) a file under the root and run one update for it."""
    path = live.config.root / rel
    if text is None:
        path.unlink()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return live.update({path})


def test_a_body_edit_rewrites_its_page_and_a_few_search_files_only(live, tmp_path):
    before = (live.config.root / TIP).read_text(encoding="utf-8")
    update = edit(live, TIP, before + "\n\n한 문단을 더했다: bisect는 빠르다.\n")
    assert TIP_PAGE in update.written
    assert "한 문단을 더했다" in (live.config.output_path / TIP_PAGE).read_text(encoding="utf-8")
    assert update.removed == ()
    assert len(update.written) <= 8, update.written  # the page, a text chunk, a few search files
    assert "tips/git-bisect/" in update.pages
    # The note's entry before the edit is forgotten: one final form for each entry the files give now.
    assert len(live.final) == sum(len(f.entries) for f in live.loads.values())
    assert_same_as_full_build(live, tmp_path)


def test_a_body_edit_keeps_the_keys_of_the_listing_pages_that_do_not_show_the_note(live, tmp_path):
    """A server keeps every page's key; after a body edit the listings without the note keep theirs as
    they are (not worked out again), those with it get new ones, and the site equals a full build."""
    before_keys = dict(live.page_keys)
    text = (live.config.root / TIP).read_text(encoding="utf-8")
    edit(live, TIP, text.replace("title:", "summary: 두 갈래로 나누어 찾는다.\ntitle:", 1))
    note = next(e for e in live.site.entries if e.source.path == TIP.removeprefix("notes/"))
    listings = [rel for rel, key in before_keys.items() if key[0] == "list.html"]
    values = {rel: live.page_keys[rel][1] for rel in listings}  # a listing's values, key after key
    showing = {rel for rel in listings if any(item is note for item in values[rel][values[rel].index("items") + 1])}
    assert showing and len(showing) < len(listings)
    assert all(live.page_keys[rel] is before_keys[rel] for rel in listings if rel not in showing)
    assert all(live.page_keys[rel] != before_keys[rel] for rel in showing)
    assert_same_as_full_build(live, tmp_path)


def test_retitle_add_link_delete_and_rename_match_a_full_build(live, tmp_path):
    tip = live.config.root / TIP
    edit(live, TIP, tip.read_text(encoding="utf-8").replace("title: ", "title: Renamed ", 1))
    assert_same_as_full_build(live, tmp_path)
    new = ("---\ntitle: A brand new tip\ndate: 2031-02-03\ntype: tip\ntags: [git, 새태그]\n---\n"
           "See [[SimCLR: 대조 학습으로 배우는 시각 표현]] and ![[diagram.png]].\n")
    update = edit(live, "notes/tips/brand-new.md", new)
    assert "tags/새태그/index.html" in update.written and "archive/2031/02/index.html" in update.written
    assert_same_as_full_build(live, tmp_path)  # the SimCLR page now lists it as a backlink
    os.rename(live.config.root / "notes/tips/brand-new.md", live.config.root / "notes/brand-moved.md")
    update = live.update({live.config.root / "notes/tips/brand-new.md", live.config.root / "notes/brand-moved.md"})
    # The open page at the old address reloads into a redirect to the new one.
    assert "tips/brand-new/" in update.pages and "tips/brand-moved/" in update.pages
    assert 'content="0; url=../brand-moved/"' in (live.config.output_path / "tips/brand-new/index.html").read_text("utf-8")
    assert_same_as_full_build(live, tmp_path)
    update = edit(live, "notes/brand-moved.md", None)
    assert "tags/새태그/index.html" in update.removed and "archive/2031/index.html" in update.removed
    assert "tips/brand-new/index.html" in update.removed  # nowhere to send a reader: no redirect
    assert not (live.config.output_path / "tags/새태그").exists()
    assert_same_as_full_build(live, tmp_path)


def test_a_date_change_moves_the_entry_between_archives(live, tmp_path):
    text = (live.config.root / TIP).read_text(encoding="utf-8")
    assert "date: " in text
    lines = [("date: 2019-07-08" if line.startswith("date: ") else line) for line in text.splitlines()]
    update = edit(live, TIP, "\n".join(lines) + "\n")
    assert "archive/2019/07/index.html" in update.written
    assert_same_as_full_build(live, tmp_path)


def test_an_image_added_later_resolves_on_the_page_that_embeds_it(live, tmp_path):
    edit(live, "notes/tips/uses-image.md", "---\ntitle: Uses an image\ndate: 2024-02-02\ntype: tip\n---\n"
                                           "![plot](later.png)\n")
    problems = [str(p) for p in live._problems()]
    assert any("later.png" in p for p in problems)
    image = live.config.root / "notes/tips/later.png"
    shutil.copy(REPO / "notes/obsidian/diagram.png", image)
    update = live.update({image})
    assert "media/tips/later.png" in update.written
    assert not any("later.png" in str(p) for p in update.problems)
    assert_same_as_full_build(live, tmp_path)


def test_a_broken_note_is_reported_and_the_rest_stays_current(live, tmp_path):
    update = edit(live, "notes/tips/broken.md", "---\ntitle: [unclosed\n---\nbody\n")
    errors = [str(p) for p in update.problems if p.severity.value == "error"]
    assert any(e.startswith("tips/broken.md:") and "YAML" in e for e in errors)
    assert_same_as_full_build(live, tmp_path)
    update = edit(live, "notes/tips/broken.md", "---\ntitle: fixed now\ndate: 2024-05-05\ntype: tip\n---\nbody\n")
    assert not [p for p in update.problems if p.severity.value == "error"]
    assert_same_as_full_build(live, tmp_path)


def test_feed_settings_and_templates_are_followed(live, tmp_path):
    sidecar = live.config.root / "notes/feeds/lab-blog.yaml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8") + "\ntags: [sidecar-tag]\n", encoding="utf-8")
    update = live.update({sidecar})
    assert "tags/sidecar-tag/index.html" in update.written
    assert_same_as_full_build(live, tmp_path)
    custom = live.config.root / "templates" / "tip.html"
    custom.parent.mkdir()
    custom.write_text('{% extends "default:tip.html" %}{% block title %}TIP! {{ super() }}{% endblock %}', "utf-8")
    update = live.update({custom})
    assert update.full
    assert "<title>TIP! " in (live.config.output_path / TIP_PAGE).read_text(encoding="utf-8")
    assert_same_as_full_build(live, tmp_path)


def test_save_lets_the_next_build_find_nothing_to_do(live):
    update = edit(live, TIP, (live.config.root / TIP).read_text(encoding="utf-8") + "\nmore\n")
    live.save(update.problems)
    report = build(live.config, index=False)
    assert report.up_to_date


def test_an_edit_that_keeps_every_name_and_word_rewrites_the_pages_that_show_the_entry(live, tmp_path):
    from notebase.serve.live_plan import stale_entries

    edit(live, "notes/tips/embeds-bisect.md", "---\ntitle: 임베드한 노트\n---\n앞 문단.\n\n![[git-bisect]]\n")
    edit(live, "notes/tips/links-bisect.md", "---\ntitle: 링크한 노트\n---\n[[git-bisect]] 참고.\n")
    before = (live.config.root / TIP).read_text(encoding="utf-8")
    assert "." in before
    old = live.site
    # Full stops become exclamation marks: the same words, topics and related entries, new text.
    update = edit(live, TIP, before.replace(".", "!"))
    stale = stale_entries(live.site, old)
    assert stale is not None  # nothing but the entry changed: only pages showing it were looked at
    tip, host, linker = (next(e.id for e in live.site.entries if e.source.path == p)
                         for p in ("tips/git-bisect.md", "tips/embeds-bisect.md", "tips/links-bisect.md"))
    assert {tip, host, linker} <= stale and len(stale) < len(live.site.entries) // 2
    assert TIP_PAGE in update.written and "tips/embeds-bisect/index.html" in update.written
    assert "!" in (live.config.output_path / "tips/embeds-bisect/index.html").read_text(encoding="utf-8")
    assert_same_as_full_build(live, tmp_path)


def test_a_note_renamed_after_an_edit_of_its_text_alone_is_still_found_by_its_text(live, tmp_path):
    tip = live.config.root / TIP
    edit(live, TIP, tip.read_text(encoding="utf-8").replace(".", "!"))  # no page moves: the plan stands
    moved = live.config.root / "notes/bisect-moved.md"
    os.rename(tip, moved)
    update = live.update({tip, moved})
    # Found by the edited text's digest (the file name and folder both changed): the old page redirects.
    assert "tips/git-bisect/" in update.pages
    page = (live.config.output_path / TIP_PAGE).read_text("utf-8")
    assert 'content="0; url=../bisect-moved/"' in page
    assert_same_as_full_build(live, tmp_path)


def test_new_words_in_one_note_rerank_its_kin_and_rewrite_their_pages(live, tmp_path):
    from notebase.serve.live_plan import stale_entries

    edit(live, "notes/tips/zebra-a.md", "---\ntitle: 얼룩말 하나\n---\nquagga zebroid 이야기.\n")
    edit(live, "notes/tips/zebra-b.md", "---\ntitle: 얼룩말 둘\n---\nokapi giraffid 이야기.\n")
    old = live.site
    a = next(e.id for e in old.entries if e.source.path == "tips/zebra-a.md")
    tip = next(e.id for e in old.entries if e.source.path == "tips/git-bisect.md")
    assert tip not in {r.id for r in old.related.get(a, ())}
    before = (live.config.root / TIP).read_text(encoding="utf-8")
    update = edit(live, TIP, before + "\nquagga zebroid 비유.\n")  # now it shares two rare words with zebra-a
    assert stale_entries(live.site, old) is not None  # no name, tag or topic changed
    assert tip in {r.id for r in live.site.related[a]}
    assert "tips/zebra-a/index.html" in update.written
    assert_same_as_full_build(live, tmp_path)
    update = edit(live, TIP, before)  # the words go again: zebra-a's page no longer lists the tip
    assert tip not in {r.id for r in live.site.related.get(a, ())}
    assert "tips/zebra-a/index.html" in update.written
    assert_same_as_full_build(live, tmp_path)


@pytest.fixture
def unrelated(tmp_path):
    """A server of the sample notes with no related entries: an edit's other pages change for one reason only."""
    root = tmp_path / "kb"
    shutil.copytree(REPO / "notes", root / "notes")
    (root / "notebase.yaml").write_text("related: 0\n", encoding="utf-8")
    site = LiveSite(load_config(root), jobs=1)
    site.start()
    return site


def test_a_new_tag_that_takes_another_s_page_moves_it_on_the_pages_of_its_notes(unrelated, tmp_path):
    """`C++` and `c` share the slug `c`: whichever sorts first takes `tags/c/`. A note tagged `c` that
    comes later moves `C++` to `tags/c-2/`, and the page of every note tagged `C++` must say so."""
    live = unrelated
    edit(live, "notes/tips/templates.md", "---\ntitle: Templates\ndate: 2023-03-03\ntags: [C++]\n---\n\nGenerics.\n")
    assert 'href="../../tags/c/"' in (live.config.output_path / "tips/templates/index.html").read_text("utf-8")
    update = edit(live, "notes/tips/pointers.md", "---\ntitle: Pointers\ndate: 2024-04-04\ntags: [c]\n---\n\nAddresses.\n")
    assert "tips/templates/index.html" in update.written
    assert 'href="../../tags/c-2/"' in (live.config.output_path / "tips/templates/index.html").read_text("utf-8")
    assert_same_as_full_build(live, tmp_path)
    edit(live, "notes/tips/pointers.md", None)
    assert_same_as_full_build(live, tmp_path)


def test_a_note_gone_from_an_embed_chain_leaves_every_page_that_showed_it(unrelated, tmp_path):
    """A embeds B, which embeds C: deleting C changes B's page and A's, which showed C through B."""
    live = unrelated
    for name, body in (("chain-c", "Innermost words."), ("chain-b", "Middle.\n\n![[chain-c]]"),
                       ("chain-a", "Outer.\n\n![[chain-b]]")):
        edit(live, f"notes/tips/{name}.md", f"---\ntitle: {name}\ndate: 2022-02-02\n---\n\n{body}\n")
    assert "Innermost words." in (live.config.output_path / "tips/chain-a/index.html").read_text("utf-8")
    update = edit(live, "notes/tips/chain-c.md", None)
    assert {"tips/chain-a/index.html", "tips/chain-b/index.html"} <= set(update.written)
    assert "Innermost words." not in (live.config.output_path / "tips/chain-a/index.html").read_text("utf-8")
    assert_same_as_full_build(live, tmp_path)


def _rendered_after_body_edit(live: LiveSite) -> tuple[set[str], set[str]]:
    """Append a paragraph to the tip (its summary stays) in one update; return the files rendered and the lists."""
    from notebase.serve.live import LiveWriter

    lists = {rel for rel, key in live.page_keys.items() if key[0] == "list.html"}
    path = live.config.root / TIP
    path.write_text(path.read_text(encoding="utf-8") + "\n\n끝에 한 문단을 더했다.\n", encoding="utf-8")
    writer = LiveWriter(live.config.output_path, live.digests)
    live.update({path}, writer)
    return set(writer.written), lists


def test_a_body_edit_that_keeps_the_summary_renders_no_list(live, tmp_path, monkeypatch):
    # The shipped lists show a note's type, date, language, title and summary, not its body: no list
    # is even gone through, and the lists, the sitemap and the topic data keep their keys as they were.
    from notebase.serve import live_plan
    from notebase.site.emitters import listings

    before, made, listing = dict(live.page_keys), [], listings.listing
    monkeypatch.setattr(listings, "listing", lambda site, path, *args, **values: made.append(path) or listing(
        site, path, *args, **values))
    placed, output_file = [], live_plan.output_file  # every entry in its place: only the stale are placed
    monkeypatch.setattr(live_plan, "output_file", lambda path: placed.append(path) or output_file(path))
    rendered, lists = _rendered_after_body_edit(live)
    assert TIP_PAGE in rendered and lists and not rendered & lists
    assert not made and all(live.page_keys[rel] is before[rel] for rel in [*lists, "sitemap.xml", "search/data/topics.js"])
    assert len(placed) < len(live.site.entries) / 2
    monkeypatch.undo()
    assert_same_as_full_build(live, tmp_path)


def test_a_theme_of_ones_own_has_its_lists_rendered_again_after_a_body_edit(tmp_path):
    # Its lists may show more of a note than the shipped ones do: here the length of its text.
    root = tmp_path / "kb"
    shutil.copytree(REPO / "notes", root / "notes")
    (root / "templates").mkdir()
    macros = (REPO / "templates" / "_macros.html").read_text(encoding="utf-8")
    (root / "templates" / "_macros.html").write_text(
        macros.replace("{{ entry.title }}</a>", "{{ entry.title }}</a> ({{ entry.text | length }})"), encoding="utf-8")
    live = LiveSite(load_config(root), jobs=1)
    live.start()
    rendered, lists = _rendered_after_body_edit(live)
    assert rendered & lists
    assert_same_as_full_build(live, tmp_path)


def test_a_body_edit_to_a_note_sharing_its_name_keeps_its_longer_id(live, tmp_path):
    # Two notes want the id `same`: neither keeps it. An edit that changes no id key gives the edited
    # note's new entry the longer id it had, not the one it asked for.
    for folder in ("a", "b"):
        edit(live, f"notes/tips/{folder}/same.md", f"---\ntitle: Same {folder}\ndate: 2022-03-03\n---\n\nText {folder}.\n")
    ids = {e.id for e in live.site.entries if e.source.path.endswith("/same.md")}
    assert len(ids) == 2 and "same" not in ids
    edit(live, "notes/tips/a/same.md", "---\ntitle: Same a\ndate: 2022-03-03\n---\n\nText a, and one more line.\n")
    assert {e.id for e in live.site.entries if e.source.path.endswith("/same.md")} == ids
    assert_same_as_full_build(live, tmp_path)
