"""The static site built from the sample notes: pages by content, links, feeds, rebuilds."""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from conftest import REPO
from notebase.build import build
from notebase.cli import cli
from notebase.config import load_config
from notebase.load.loader import load
from sitecheck import broken_links, is_redirect, live_content, pages


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample notes built once into a site."""
    root = tmp_path_factory.mktemp("sitekb")
    shutil.copytree(REPO / "notes", root / "notes")
    config = load_config(root)
    report = build(config)
    return root, config, report


def read(root: Path, rel: str) -> str:
    return (root / "site" / rel).read_text(encoding="utf-8")


def test_every_entry_has_a_page_and_every_link_resolves(built):
    root, config, report = built
    entries = load(config).entries
    assert report.entries == len(entries) > 50
    for entry in entries:
        folder = {"paper": "papers", "conference": "conferences", "tip": "tips"}[entry.type.value]
        page = root / "site" / folder / entry.id / "index.html"
        assert page.is_file(), entry.id
    assert broken_links(root / "site") == []
    assert live_content(root / "site") == []


def test_home_shows_recent_entries_counts_tags_and_archives(built):
    root, config, _ = built
    home = read(root, "index.html")
    entries = load(config).entries
    newest = min((e for e in entries if not e.date_inferred), key=lambda e: (-e.date.toordinal(), e.id))
    assert f"/{quote(newest.id)}/" in home
    # A note dated only by its file's time is newer than all, yet never pushes a dated note off the home page.
    guessed = [e for e in entries if e.date_inferred]
    assert guessed and all(f"/{quote(e.id)}/" not in home for e in guessed)
    assert 'href="papers/"' in home and 'href="tags/"' in home and 'href="archive/"' in home
    assert 'href="archive/2024/"' in home
    assert '<html lang="ko">' in home  # the site language, from the config default


def test_paper_page_has_its_card_sections_tags_and_source(built):
    root, _, _ = built
    page = read(root, "papers/simclr/index.html")
    assert "A Simple Framework for Contrastive Learning of Visual Representations" in page
    assert "Ting Chen" in page and "ICML 2020" in page and "김하늘" in page
    assert 'href="https://arxiv.org/abs/2002.05709"' in page
    assert 'href="../../tags/contrastive-learning/"' in page
    assert "papers/simclr.md:1" in page
    assert '<html lang="ko">' in page
    assert 'id="목적"' in page  # heading anchors keep Hangul


def test_conference_page_shows_event_and_talks(built):
    root, config, _ = built
    conference = next(e for e in load(config).entries if e.type.value == "conference" and e.talks)
    page = read(root, f"conferences/{conference.id}/index.html")
    assert conference.event in page.replace("&#39;", "'")
    assert 'class="talks"' in page


def test_english_entries_declare_their_language(built):
    root, config, _ = built
    english = next(e for e in load(config).entries if e.lang == "en")
    page = read(root, f"{english.type.value}s/{english.id}/index.html")
    assert '<html lang="en">' in page


def test_wikilinks_resolve_and_make_backlinks(built):
    root, _, _ = built
    overview = next((root / "site" / "tips").glob("*/index.html"), None)
    assert overview is not None
    linking = [p for p in (root / "site").rglob("index.html") if 'class="wikilink"' in p.read_text(encoding="utf-8")]
    assert linking, "no page has a resolved wikilink"
    with_backlinks = [p for p in (root / "site").rglob("index.html") if 'class="backlinks"' in p.read_text(encoding="utf-8")]
    assert with_backlinks, "no page lists backlinks"
    # A wikilink inside code stays literal text.
    pandas = next(p for p in (root / "site").rglob("index.html") if "typing <code>[[x]]</code>" in p.read_text(encoding="utf-8"))
    assert pandas


def test_tag_month_year_and_type_pages_list_their_entries(built):
    root, config, _ = built
    entries = load(config).entries
    tagged = [e for e in entries if any(t.casefold() == "contrastive-learning" for t in e.tags)]
    tag_page = read(root, "tags/contrastive-learning/index.html")
    assert tagged and all(f"/{quote(e.id)}/" in tag_page for e in tagged)
    assert (root / "site" / "tags" / "contrastive-learning" / "feed.xml").is_file()
    may = [e for e in entries if e.date.strftime("%Y-%m") == "2024-03"]
    month_page = read(root, "archive/2024/03/index.html")
    assert may and all(f"/{quote(e.id)}/" in month_page for e in may)
    assert "2024년 3월" in month_page
    year_page = read(root, "archive/2024/index.html")
    assert 'href="03/"' in year_page
    tips = read(root, "tips/index.html")
    assert sum(1 for e in entries if e.type.value == "tip") == tips.count('class="entry-item"') or "page/2/" in tips
    assert "#contrastive-learning" in read(root, "tags/index.html")


def test_feeds_and_sitemap_are_valid_and_absolute(built):
    root, _, report = built
    rss = ET.parse(root / "site" / "feed.xml").getroot()
    items = rss.findall("./channel/item")
    assert 1 <= len(items) <= 20
    assert all(i.findtext("link").startswith("/") for i in items)
    atom = ET.parse(root / "site" / "atom.xml").getroot()
    assert len(atom.findall("{http://www.w3.org/2005/Atom}entry")) == len(items)
    sitemap = ET.parse(root / "site" / "sitemap.xml").getroot()
    locs = [u.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc") for u in sitemap]
    assert len(locs) == len([p for p in pages(root / "site") if p.name == "index.html" and "static" not in p.parts
                             and not is_redirect(p)])  # a redirect page is no page of its own to index
    assert (root / "site" / "404.html").is_file()


def test_a_rebuild_with_nothing_changed_renders_nothing(built):
    root, config, first = built
    again = build(config)
    assert again.up_to_date and again.rewritten == 0 and again.entries == first.entries


def test_a_page_deleted_or_a_file_added_in_the_site_folder_is_noticed(built):
    """Nothing changed in the notes, but the site folder did: the build puts it back as it should be."""
    root, config, first = built
    page = next(p for p in (root / "site" / "tips").rglob("index.html"))
    kept = page.read_bytes()
    page.unlink()
    again = build(config)
    assert not again.up_to_date and page.read_bytes() == kept
    stray = root / "site" / "tags" / "stray.html"
    stray.write_text("left here", encoding="utf-8")
    again = build(config)
    assert not again.up_to_date and not stray.exists()
    assert build(config).up_to_date


def test_folder_stamps_after_an_update_are_those_a_full_stamping_gives(tmp_path):
    """Stamping only the folders an update touched (and their parents, whose times a folder made or
    removed moves) gives what stamping every folder gives: else the next check finds a false change."""
    from notebase.build import folder_stamps

    out = tmp_path / "site"
    files = ["index.html", "a/x.html", "a/b/c/page.html", "d/page.html"]
    for rel in files:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(rel, encoding="utf-8")
    kept = folder_stamps(out, files)
    os.utime(out / "a", ns=(1, 1))  # so that any change of its time shows, whatever the clock's grain
    kept["a"] = 1
    (out / "a" / "new").mkdir()
    (out / "a" / "new" / "page.html").write_text("new", encoding="utf-8")  # moves a's time: a holds no touched file
    shutil.rmtree(out / "d")  # moves the top folder's time
    files = [f for f in files if not f.startswith("d/")] + ["a/new/page.html"]
    after = folder_stamps(out, ["a/new/page.html", "d/page.html"], kept)
    full = folder_stamps(out, files)
    assert {rel: after[rel] for rel in full} == full and "d" not in after


def test_the_site_folders_an_update_made_or_removed_are_watched_too(tmp_path):
    """An update stamps again only the folders it touched: a page deleted from a folder it made, or a
    stray file left where it removed one, is still noticed by the next no-change check."""
    shutil.copytree(REPO / "notes", tmp_path / "notes")
    config = load_config(tmp_path)
    build(config, index=False)
    note = tmp_path / "notes" / "a-fresh-note.md"
    note.write_text("---\ntitle: A fresh note\ntype: tip\n---\nSomething learned today.\n", encoding="utf-8")
    added = build(config, index=False)
    assert not added.up_to_date and added.rewritten < added.files  # an update, not a full build
    page = next(p for p in (tmp_path / "site").rglob("index.html") if "fresh" in p.parent.name)
    kept = page.read_bytes()
    page.unlink()
    again = build(config, index=False)
    assert not again.up_to_date and page.read_bytes() == kept
    assert build(config, index=False).up_to_date
    note.unlink()
    gone = build(config, index=False)
    assert not gone.up_to_date and not page.parent.exists()
    stray = page.parent.parent / "stray.html"
    stray.write_text("left here", encoding="utf-8")
    again = build(config, index=False)
    assert not again.up_to_date and not stray.exists()
    assert build(config, index=False).up_to_date


def test_an_edit_rewrites_only_what_it_changes(tmp_path):
    shutil.copytree(REPO / "notes", tmp_path / "notes")
    config = load_config(tmp_path)
    first = build(config, index=False)
    home = tmp_path / "site" / "index.html"
    stat = os.stat(home)
    note = tmp_path / "notes" / "tips" / "git-bisect.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n\n추가한 문단 하나.\n", encoding="utf-8")
    second = build(config, index=False)
    assert not second.up_to_date
    assert 0 < second.rewritten < first.files / 4
    assert os.stat(home).st_ino == stat.st_ino  # untouched pages keep their file
    assert "추가한 문단 하나" in next(p.read_text(encoding="utf-8") for p in (tmp_path / "site" / "tips").rglob("index.html")
                                 if "추가한 문단 하나" in p.read_text(encoding="utf-8"))


def test_a_sub_path_site_links_within_itself(tmp_path):
    shutil.copytree(REPO / "notes", tmp_path / "notes")
    (tmp_path / "notebase.yaml").write_text("base_url: /notes/\nlanguage: en\ntitle: Lab notes\n", encoding="utf-8")
    build(load_config(tmp_path), index=False)
    site = tmp_path / "site"
    assert broken_links(site, base_path="/notes/") == []
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert 'href="/notes/static/style.css"' in not_found and 'action="/notes/search/"' in not_found
    assert "<loc>/notes/" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert ">Conferences</a>" in (site / "index.html").read_text(encoding="utf-8")  # English labels


def test_a_failing_template_leaves_the_previous_site(tmp_path):
    shutil.copytree(REPO / "notes", tmp_path / "notes")
    config = load_config(tmp_path)
    build(config, index=False)
    before = (tmp_path / "site" / "index.html").read_bytes()
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "tip.html").write_text("{% extends 'default:entry.html' %}{% block card %}{{ nope.x }}{% endblock %}",
                                                    encoding="utf-8")
    with pytest.raises(Exception):
        build(load_config(tmp_path), index=False)
    assert (tmp_path / "site" / "index.html").read_bytes() == before
    assert not (tmp_path / ".site.staging").exists()


def test_a_user_template_overrides_one_page_and_extends_the_default(tmp_path):
    shutil.copytree(REPO / "notes", tmp_path / "notes")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "tip.html").write_text(
        "{% extends 'default:tip.html' %}{% block card %}<p class=\"mine\">MY TIP</p>{{ super() }}{% endblock %}",
        encoding="utf-8")
    build(load_config(tmp_path), index=False)
    tip_pages = [p for p in (tmp_path / "site" / "tips").glob("*/index.html") if not is_redirect(p)]
    assert tip_pages and all("MY TIP" in p.read_text(encoding="utf-8") for p in tip_pages)
    assert "MY TIP" not in next((tmp_path / "site" / "papers").glob("*/index.html")).read_text(encoding="utf-8")


def test_the_output_folder_may_not_swallow_the_notes(tmp_path):
    shutil.copytree(REPO / "notes", tmp_path / "notes")
    (tmp_path / "notebase.yaml").write_text("output_dir: notes\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "build"])
    assert result.exit_code == 1 and "would replace notes" in result.output
    assert (tmp_path / "notes" / "papers" / "simclr.md").is_file()


def test_cli_build_reports_problems_and_still_builds_the_rest(tmp_path):
    shutil.copytree(REPO / "notes", tmp_path / "notes")
    (tmp_path / "notes" / "broken.md").write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "build"])
    assert result.exit_code == 1
    assert "broken.md:3: invalid YAML" in result.output
    assert "built site/ from" in result.output and "; 1 error, " in result.output
    assert (tmp_path / "site" / "papers").is_dir()
    again = CliRunner().invoke(cli, ["--root", str(tmp_path), "build"])
    assert again.exit_code == 1 and "broken.md:3:" in again.output and "up to date" in again.output


SEEDS = REPO.parent / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repo")
def test_the_seeds_build_into_a_complete_site(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    for path in SEEDS.glob("*.txt"):  # loaded as the loader issue describes: text notes as .md, the feed as .xml
        shutil.copy(path, notes / (path.stem + ".md"))
    shutil.copy(SEEDS / "003_feed_extracted.xml", notes / "003_feed_extracted.xml")
    config = load_config(tmp_path)
    report = build(config, index=False)
    entries = load(config).entries
    assert report.errors == [] and report.entries == len(entries) > 100
    for entry in entries:
        assert (tmp_path / "site" / f"{entry.type.value}s" / entry.id / "index.html").is_file(), entry.id
    assert broken_links(tmp_path / "site") == []
    assert live_content(tmp_path / "site") == []


def test_pages_rendered_by_several_processes_equal_those_of_one(tmp_path, monkeypatch):
    """Entry pages shared between a forked worker and this process (which writes the listings first,
    then takes the shares no worker has started) give the very files one process gives."""
    import time

    import notebase.site.emitters.pages as pages

    here, render_share, mine = os.getpid(), pages._render_share, []

    def share(site, env, writer, start, stop):
        if os.getpid() == here:
            mine.append(start)
        else:  # a slow worker: this process must take some shares
            time.sleep(0.05)
        return render_share(site, env, writer, start, stop)

    monkeypatch.setattr(pages, "_render_share", share)
    monkeypatch.setattr(pages, "PARALLEL_PAGES", 10)  # the sample notes are fewer than a real share
    sites = {}
    for jobs in (1, 2):
        root = tmp_path / f"jobs{jobs}"
        shutil.copytree(REPO / "notes", root / "notes")
        mine.clear()
        seen: list[tuple[str, int, int]] = []
        report = build(load_config(root), jobs=jobs, progress=lambda stage, done, total: seen.append((stage, done, total)))
        assert not report.errors
        done = [d for stage, d, total in seen if stage == "pages"]
        assert done == sorted(done) and done[-1] == report.entries  # every share counted once
        sites[jobs] = {p.relative_to(root / "site").as_posix(): p.read_bytes()
                       for p in (root / "site").rglob("*") if p.is_file()}
    assert len(mine) > 1 and 0 not in mine  # this process took shares from the end, the worker the first
    assert sites[1].keys() == sites[2].keys() and len(sites[1]) > 300
    assert [rel for rel in sites[1] if sites[1][rel] != sites[2][rel]] == []
