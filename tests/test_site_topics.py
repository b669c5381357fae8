"""The site's new ways to browse: topic and folder pages, related entries with reasons, one paper's
summaries linked together with a papers index, and the inline SVG graphs; then the seeds."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import REPO, SHARED, write_notes
from notebase.build import build
from notebase.config import load_config
from notebase.load.loader import load
from notebase.site.assemble import assemble
from sitecheck import broken_links, live_content

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("topicsite")
    shutil.copytree(REPO / "notes", root / "notes")
    write_notes(root, {
        "_posts/Python-Pytorch/2024-05-01-dataloader.md": "---\ntitle: DataLoader 팁\ndate: 2024-05-01\n---\n"
                                                        "PyTorch DataLoader의 num_workers와 pin_memory를 정리했다.\n",
        "reading/resnet-a.md": "---\ntitle: ResNet 첫 번째 요약\ntype: paper\ndate: 2024-01-02\n"
                               "arxiv: \"1512.03385\"\n---\n## 목적\n잔차 연결로 깊은 망을 학습한다. residual connection.\n",
        "reading/resnet-b.md": "---\ntitle: Deep Residual Learning 다시 읽기\ntype: paper\ndate: 2024-02-03\n"
                               "paper_title: Deep Residual Learning for Image Recognition\n"
                               "pdf: https://arxiv.org/pdf/1512.03385v1\n---\n## 목적\n잔차 연결과 residual connection.\n",
        "reading/resnet-c.md": "---\ntitle: 세 번째 ResNet 노트\ntype: paper\ndate: 2024-03-04\n"
                               "paper_title: \"Deep residual learning for image recognition.\"\n---\n## 목적\n깊은 망.\n",
    })
    config = load_config(root)
    build(config, index=False)
    site = assemble(load(config).entries, config)
    return config.output_path, site


def html(out: Path, path: str) -> str:
    """A page's HTML with its links' percent-escapes undone, so Hangul ids read as written."""
    return unquote((out / unquote(path) / "index.html").read_text(encoding="utf-8"))


def test_topic_pages_list_their_entries_with_feeds_and_counts(built):
    out, site = built
    assert len(site.topics.terms) >= 15
    term = site.topics.term("contrastive-learning")
    assert term.label == "대조 학습" and term.path == "topics/contrastive-learning/"
    page = html(out, term.path)
    assert f'<h1>대조 학습 <span class="count">{len(term.ids)}</span></h1>' in page
    assert "contrastive learning" in page  # its other names
    for entry_id in term.ids:
        assert site.paths[entry_id].split("/")[1] in page
    feed = ET.parse(out / term.path / "feed.xml").getroot()
    linked = {unquote(i.findtext("link")).rstrip("/").rsplit("/", 1)[1] for i in feed.iter("item")}
    assert linked == set(term.ids[:20])  # its newest entries
    assert ET.parse(out / term.path / "atom.xml").getroot().tag.endswith("feed")
    index = html(out, "topics/")
    assert index.count('<li><a href="') >= len(site.topics.terms)
    assert "글 내용에서 찾은 연구 주제" in index  # told apart from the authors' tags
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="topics/"' in home


def test_entry_pages_show_topics_apart_from_tags(built):
    out, site = built
    simclr = next(e for e in site.entries if e.source.path == "papers/simclr.md")
    page = html(out, site.paths[simclr.id])
    tags = page.split('<ul class="tags"', 1)[1].split("</ul>", 1)[0]
    topics = page.split('<ul class="topics"', 1)[1].split("</ul>", 1)[0]
    assert "#contrastive-learning" in tags and "#data-augmentation" in tags  # the author's tags, as written
    assert "대조 학습" in topics and "../../topics/contrastive-learning/" in topics and "#" not in topics


def test_folder_pages(built):
    out, site = built
    obsidian, ml = site.folders.term("obsidian"), site.folders.term("obsidian/ml")
    assert ml.path == "folders/obsidian/ml/" and len(ml.ids) == 1
    assert len(obsidian.ids) == 3 and not set(ml.ids) & set(obsidian.ids) and obsidian.children == (ml,)
    page = html(out, obsidian.path)
    assert 'href="ml/"' in page and all(site.paths[i].split("/")[1] in page for i in obsidian.ids)
    assert "▸ obsidian <span class=\"count\">4</span>" in html(out, "folders/")  # its subfolder's too
    reviews = site.folders.term("reviews")  # only folders inside: a page linking them
    assert reviews.ids == () and 'href="vision/"' in html(out, reviews.path)
    jekyll = site.folders.term("Python-Pytorch")  # a Jekyll _posts/ is no category of its own
    assert jekyll is not None and site.folders.term("_posts") is None
    assert (out / "folders/python-pytorch/index.html").is_file()
    assert "Python-Pytorch" in html(out, "folders/")
    entry = site.entry(jekyll.ids[0])
    assert 'href="../../folders/python-pytorch/"' in html(out, site.paths[entry.id])


def test_related_entries_give_their_reason(built):
    out, site = built
    moco = next(e for e in site.entries if e.source.path == "papers/moco.md")
    related = site.related[moco.id]
    assert 1 <= len(related) <= 5 and len({r.id for r in related}) == len(related)
    assert related[0].reason == "tag" and "contrastive-learning" in related[0].shared
    page = html(out, site.paths[moco.id])
    section = page.split('<section class="related"', 1)[1].split("</section>", 1)[0]
    assert section.count("<li>") == len(related)
    assert '같은 태그: <a href="../../tags/contrastive-learning/">#contrastive-learning</a>' in section
    reasons = {r.reason for rs in site.related.values() for r in rs}
    assert reasons == {"tag", "topic", "text"}
    text = next(r for rs in site.related.values() for r in rs if r.reason == "text")
    assert text.shared  # the rare words the two share
    with_text = [e for e in site.entries if e.text.strip()]
    assert all(site.related.get(e.id) for e in with_text)  # every entry with any content
    again = assemble(load(site.config).entries, site.config)
    assert again.related == site.related  # deterministic


@pytest.mark.parametrize("kin", ["tags and topics", "words alone"])
def test_ranking_again_after_words_change_gives_what_ranking_afresh_gives(built, kin):
    import random

    from notebase.site.related import rank, rerank
    from notebase.site.taxonomy import Taxonomy

    out, site = built
    entries = site.entries
    if kin == "words alone":  # no tag or topic fills the lists up: rare words and the needy decide
        args = (Taxonomy("tags", ()), Taxonomy("topics", ()), {})
    else:
        args = (site.tags, site.topics, site.topic_of)
    rng = random.Random(7)
    vocabulary = [f"w{n}" for n in range(150)]  # a word is in a few entries: counts cross the rare-word bound
    profiles = [tuple(rng.sample(vocabulary, rng.randint(0, 12))) for _ in entries]
    related, ranking = rank(entries, *args, profiles, site.same_paper)
    for _ in range(60):  # chained: each re-ranking starts from the last
        for n in rng.sample(range(len(entries)), rng.choice((1, 1, 2, 5))):
            profiles[n] = tuple(rng.sample(vocabulary, rng.randint(0, 12)))
        related, ranking = rerank(ranking, entries, profiles)
        fresh, again = rank(entries, *args, profiles, site.same_paper)
        assert related == fresh and list(related) == list(fresh)
        assert (ranking.words, ranking.postings, ranking.needy, +ranking.df) == (again.words, again.postings,
                                                                               again.needy, +again.df)
    reasons = {r.reason for rs in related.values() for r in rs}
    assert "text" in reasons and (kin == "words alone" or "tag" in reasons)


@pytest.mark.parametrize("kin", ["tags and topics", "words alone"])
def test_ranking_after_notes_come_go_and_change_gives_what_ranking_afresh_gives(built, kin):
    import random
    from dataclasses import replace

    from notebase.site.categories import topic_taxonomy
    from notebase.site.papers import group_papers
    from notebase.site.related import rank, rank_after
    from notebase.site.taxonomy import Taxonomy, tag_taxonomy
    from notebase.site.topics import vocabulary

    out, site = built
    rng = random.Random(11)
    order = [e.id for e in site.entries]  # newest first, as assemble orders them
    notes = {e.id: e for e in site.entries}
    vocabulary_words = [f"w{n}" for n in range(150)]
    profile_of = {i: tuple(rng.sample(vocabulary_words, rng.randint(0, 12))) for i in order}
    shown = {i for i in order if rng.random() < 0.7}

    def arguments(entries):
        if kin == "words alone":
            return Taxonomy("tags", ()), Taxonomy("topics", ()), {}, [profile_of[e.id] for e in entries], {}
        topic_of = {e.id: site.topic_of.get(e.id, ()) for e in entries}
        return (tag_taxonomy(entries)[0], topic_taxonomy(entries, topic_of, vocabulary(site.config), "ko"), topic_of,
                [profile_of[e.id] for e in entries], group_papers(entries)[1])

    current = [notes[i] for i in order if i in shown]
    related, ranking = rank(current, *arguments(current))
    for _ in range(80):  # chained: each ranking starts from the last
        kind = rng.choice(("add", "remove", "retag", "words", "several"))
        for _ in range(3 if kind == "several" else 1):
            if kind in ("add", "several") and len(shown) < len(order):
                shown.add(rng.choice([i for i in order if i not in shown]))
            if kind in ("remove", "several") and len(shown) > 5:
                shown.discard(rng.choice(sorted(shown)))
            if kind in ("retag", "several"):
                i = rng.choice(sorted(shown))
                notes[i] = replace(notes[i], tags=tuple(rng.sample(["nlp", "vision", "rl", "git", "nlp/bert"], 2)))
            if kind in ("words", "several"):
                profile_of[rng.choice(sorted(shown))] = tuple(rng.sample(vocabulary_words, rng.randint(0, 12)))
        current = [notes[i] for i in order if i in shown]
        args = arguments(current)
        found = rank_after(ranking, current, *args)
        fresh, again = rank(current, *args)
        assert found is not None
        related, ranking = found
        assert related == fresh and list(related) == list(fresh), kind
        assert (ranking.words, ranking.postings, ranking.needy, +ranking.df, ranking.ranked) == (
            again.words, again.postings, again.needy, +again.df, again.ranked), kind
    reasons = {r.reason for rs in related.values() for r in rs}
    assert "text" in reasons and (kin == "words alone" or "tag" in reasons)


def test_the_number_of_related_entries_is_a_setting_and_zero_turns_them_off(built, tmp_path):
    from dataclasses import replace

    from notebase.errors import ConfigError

    out, site = built
    entries = load(site.config).entries
    two = assemble(entries, replace(site.config, related=2))
    assert {len(r) for r in two.related.values()} <= {1, 2} and max(map(len, two.related.values())) == 2
    # The two are the best two of the five, in the same order.
    assert all(r == site.related[i][:len(r)] for i, r in two.related.items())
    off = assemble(entries, replace(site.config, related=0))
    assert not off.related and off.topic_of == site.topic_of  # topics are read as before
    (tmp_path / "notebase.yaml").write_text("related: 0\n", encoding="utf-8")
    shutil.copytree(REPO / "notes", tmp_path / "notes")
    config = load_config(tmp_path)
    build(config, index=False)
    moco = next(e for e in off.entries if e.source.path == "papers/moco.md")
    assert '<section class="related"' not in html(config.output_path, off.paths[moco.id])
    (tmp_path / "notebase.yaml").write_text("title: 노트\nrelated: 21\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    problem, = caught.value.problems
    assert (problem.line, problem.message) == (2, "related: 21 is out of range")


def test_summaries_of_one_paper_link_to_each_other_and_the_papers_index(built):
    out, site = built
    ids = {e.source.path: e.id for e in site.entries}
    a, b, c = ids["reading/resnet-a.md"], ids["reading/resnet-b.md"], ids["reading/resnet-c.md"]
    # a and b share the arXiv id, b and c the paper title: one paper through b
    assert set(site.same_paper[a]) == {b, c} and set(site.same_paper[c]) == {a, b}
    page = html(out, site.paths[a])
    assert "같은 논문의 다른 요약 2개" in page
    for other in (b, c):
        assert "../" + site.paths[other].split("/", 1)[1] in page.split('class="same-paper"', 1)[1]
    moco = ids["papers/moco.md"]
    digest = next(e.id for e in site.entries if e.source.path == "digests/seminar-digest.md" and e.source.line == 9)
    assert site.same_paper[moco] == (digest,)  # the same paper title, in different notes
    paper = site.paper_of[a]
    index = html(out, "paper-index/")
    assert index.count(f'id="{paper.anchor}"') == 1 and '<span class="count">3 요약</span>' in index
    titles = [p.title for p in site.papers]
    assert len(titles) == len(set(p.ids for p in site.papers)) and len(site.papers) < sum(
        1 for e in site.entries if e.type.value == "paper")  # each paper once
    assert f'paper-index/#{paper.anchor}' in page


def test_graphs_are_wellformed_svg_whose_links_resolve_without_script(built):
    out, site = built
    drawn = 0
    for entry in site.entries:
        page = html(out, site.paths[entry.id])
        if "<svg" not in page:
            continue
        drawn += 1
        svg = ET.fromstring(page[page.index("<svg"):page.index("</svg>") + 6])
        assert svg.get("aria-label") and svg.get("role") == "group"
        links = list(svg.iter(SVG + "a"))
        assert links and all(a.get("aria-label") for a in links)  # every link has a name
        for a in links:
            target = (out / site.paths[entry.id] / unquote(a.get("href"))).resolve()
            assert (target / "index.html").is_file(), a.get("href")
        assert not list(svg.iter(SVG + "script"))
        assert not any(k.startswith("on") for el in svg.iter() for k in el.attrib)
    assert drawn >= len(site.entries) * 0.9
    home = (out / "index.html").read_text(encoding="utf-8")
    topic_map = ET.fromstring(home[home.index('<svg class="topic-map"'):home.index("</svg>") + 6])
    assert len(list(topic_map.iter(SVG + "a"))) == min(40, len(site.topics.terms))
    assert broken_links(out) == [] and live_content(out) == []


def test_hostile_titles_stay_text_in_the_graphs(tmp_path):
    write_notes(tmp_path, {
        "a.md": "---\ntitle: '<script>alert(1)</script> \"quoted\" & <b>bold</b>'\ndate: 2024-01-01\ntags: [x]\n---\n"
                "대조 학습 contrastive learning [[b]]\n",
        "b.md": "---\ntitle: '</svg><img src=x onerror=alert(1)>'\ndate: 2024-01-02\ntags: [x]\n---\n대조 학습 [[a]]\n",
    })
    config = load_config(tmp_path)
    build(config, index=False)
    titles = []
    for page in (config.output_path / "tips").glob("*/index.html"):
        text = page.read_text(encoding="utf-8")
        svg = ET.fromstring(text[text.index("<svg"):text.index("</svg>") + 6])  # still well-formed
        assert {el.tag.removeprefix(SVG) for el in svg.iter()} <= {"svg", "g", "line", "circle", "text", "a", "title"}
        assert not any(k.startswith("on") for el in svg.iter() for k in el.attrib)
        titles += [a.get("aria-label") for a in svg.iter(SVG + "a")]
    assert any(t.startswith("<script>alert(1)</script>") for t in titles)  # as text
    assert any(t.startswith("</svg><img src=x onerror=alert(1)>") for t in titles)
    assert live_content(config.output_path) == []
    # The related lists (made in Python, not by the template) show the titles as text too.
    page = next(p for p in (config.output_path / "tips").glob("*/index.html") if "onerror=alert(1)&gt;</a>" not in
                p.read_text(encoding="utf-8").split('<section class="related"', 1)[1])
    related = page.read_text(encoding="utf-8").split('<section class="related"', 1)[1].split("</section>", 1)[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#34;quoted&#34; &amp; &lt;b&gt;bold&lt;/b&gt;</a>" in related
    assert '같은 태그: <a href="../../tags/x/">#x</a>' in related


SEEDS = SHARED / "seeds"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the repo")
    root = tmp_path_factory.mktemp("seedtopics")
    (root / "notes").mkdir()
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, root / "notes" / (path.stem + ".md"))
    shutil.copy(SEEDS / "003_feed_extracted.xml", root / "notes" / "003_feed_extracted.xml")
    config = load_config(root)
    build(config, index=False)
    return config.output_path, assemble(load(config).entries, config)


def test_seeds_most_entries_have_a_topic_and_every_page_with_text_related(seeds):
    out, site = seeds
    with_topic = sum(1 for e in site.entries if site.topic_of[e.id])
    assert with_topic / len(site.entries) >= 0.9, f"{with_topic} of {len(site.entries)}"
    for entry in site.entries:
        if entry.text.strip():
            assert '<section class="related"' in html(out, site.paths[entry.id]), entry.id


def test_seeds_decision_transformer_summaries_link_to_each_other(seeds):
    out, site = seeds
    dt = [e for e in site.entries if e.type.value == "paper" and e.source.path.startswith("001")
          and (e.paper_title or "").startswith("Decision Transformer")]
    assert len(dt) == 3
    for entry in dt:
        assert set(site.same_paper[entry.id]) == {e.id for e in dt} - {entry.id}
        page = html(out, site.paths[entry.id])
        same = page.split('class="same-paper"', 1)[1].split("</section>", 1)[0]
        assert "같은 논문의 다른 요약 2개" in same
        assert all(site.paths[o.id].split("/")[1] in unquote(same) for o in dt if o is not entry)
