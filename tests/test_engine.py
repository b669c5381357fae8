"""`notebase build` after an edit goes through the kept build state and still equals a fresh build.

Each case builds a small knowledge base through the CLI, edits it on disk, builds again (the
incremental path: only changed files are read, only changed pages written), then builds the same
notes from scratch with `--force` in another folder and compares every output file byte for byte.
A `notebase build` killed at random moments leaves the old or the new site, and the next build
finishes the job. The search index answers as a rebuilt one does.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from notebase.cli import cli
from notebase.site.engine import STATE
from notebase.site.journal import JOURNAL

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082")

NOTES = {
    "papers/bert.md": "---\ntitle: BERT 요약\ntype: paper\ndate: 2024-03-02\ntags: [nlp, 사전학습]\n---\n\n"
                      "# 목적\n\n양방향 인코더를 사전학습한다. [[transformer-notes]]를 참고.\n\n![그림](fig.png)\n",
    "papers/vit.md": "---\ntitle: Vision Transformer\ntype: paper\ndate: 2024-02-10\ntags: [vision]\n---\n\n"
                     "Patches of an image become tokens. See [[BERT 요약]].\n",
    "papers/fig.png": PNG,
    "tips/transformer-notes.md": "---\ntitle: Transformer notes\ndate: 2023-11-05\ntags: [nlp]\n---\n\n"
                                 "Attention weighs every token against every other.\n\n```python\nprint('qkv')\n```\n",
    "tips/git-팁.md": "---\ntitle: git 팁\ndate: 2023-08-01\ntags: [git]\n---\n\n`git bisect`로 회귀를 찾는다.\n",
    "logs/kcc.md": "---\ntitle: KCC 2024 참관기\ntype: conference\ndate: 2024-06-20\n---\n\n키노트와 포스터 세션.\n",
    "feeds/blog.xml": """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Our lab blog</title><link>https://lab.example.org/</link>
<description>notes</description>
<item><title>배치 크기 실험</title><link>https://lab.example.org/batch/</link>
<pubDate>Thu, 09 Mar 2023 18:00:00 +0900</pubDate><guid>https://lab.example.org/batch/</guid>
<description>&lt;p&gt;큰 배치가 도움이 된다.&lt;/p&gt;</description></item>
<item><title>Dropout under shift</title><link>https://lab.example.org/dropout/</link>
<pubDate>Wed, 21 Jun 2023 09:15:00 +0900</pubDate><guid>https://lab.example.org/dropout/</guid>
<description>&lt;p&gt;Ensembles hold up better.&lt;/p&gt;</description></item>
</channel></rss>
""",
    "feeds/blog.yaml": "tags: [lab-blog]\n",
}
CONFIG = "title: Engine test\nbase_url: https://example.org/kb/\n"


def _write(root: Path, rel: str, content: str | bytes | None) -> None:
    path = root / rel
    if content is None:
        path.unlink()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    # The stamp is size and mtime: an edit within the clock's grain must still count.
    later = time.time_ns() + 5_000_000_000
    os.utime(path, ns=(later, later))


def make_kb(root: Path) -> Path:
    """Write the knowledge base under root and return root."""
    for rel, content in NOTES.items():
        _write(root, f"notes/{rel}", content)
    (root / "notebase.yaml").write_text(CONFIG, encoding="utf-8")
    return root


def run_build(root: Path, *args: str):
    """Build through the CLI; return the result."""
    result = CliRunner().invoke(cli, ["--root", str(root), "build", *args])
    assert result.exit_code in (0, 1), result.output + repr(result.exception)
    return result


def files(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def fresh_build(root: Path, where: Path) -> dict[str, bytes]:
    """Build a copy of root's notes, settings, templates and page history from scratch; return its files."""
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(root / "notes", where / "notes")  # copy2 keeps mtimes: the same inferred dates
    for name in ("notebase.yaml", "templates"):
        if (root / name).is_file():
            shutil.copy2(root / name, where / name)
        elif (root / name).is_dir():
            shutil.copytree(root / name, where / name)
    (where / ".notebase").mkdir()
    shutil.copy2(root / ".notebase" / "urls.json", where / ".notebase" / "urls.json")  # the same redirects
    run_build(where, "--force")
    return files(where / "site")


def assert_same(got: dict[str, bytes], want: dict[str, bytes]) -> None:
    """The same files with the same bytes."""
    assert sorted(set(want) - set(got)) == []
    assert sorted(set(got) - set(want)) == []
    assert sorted(f for f in want if got[f] != want[f]) == []


def _text(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


EDITS = {
    "body": lambda r: _write(r, "notes/tips/git-팁.md", _text(r, "notes/tips/git-팁.md") + "\n한 문단 더: `git log -S`.\n"),
    "retitle": lambda r: _write(r, "notes/tips/transformer-notes.md",
                                _text(r, "notes/tips/transformer-notes.md").replace("Transformer notes", "어텐션 정리")),
    "retitle linked": lambda r: _write(r, "notes/papers/bert.md",  # vit's [[BERT 요약]] leads nowhere now
                                       _text(r, "notes/papers/bert.md").replace("BERT 요약", "BERT 정리")),
    "date move": lambda r: _write(r, "notes/papers/vit.md",
                                  _text(r, "notes/papers/vit.md").replace("2024-02-10", "2022-01-15")),
    # Only the sitemap's lastmod and the entry's own page show it: the site keeps its shape.
    "updated": lambda r: _write(r, "notes/tips/git-팁.md",
                                _text(r, "notes/tips/git-팁.md").replace("date: 2023-08-01\n", "date: 2023-08-01\nupdated: 2025-03-02\n")),
    "add": lambda r: _write(r, "notes/tips/new-tip.md",
                            "---\ntitle: A new tip\ndate: 2024-07-01\ntags: [git, nlp]\n---\n\nLinks [[git 팁]].\n"),
    "delete": lambda r: _write(r, "notes/logs/kcc.md", None),
    "rename": lambda r: os.replace(r / "notes/tips/git-팁.md", r / "notes/tips/git-tips.md"),
    "image": lambda r: _write(r, "notes/papers/fig.png", PNG + b"\x00"),
    "image gone": lambda r: _write(r, "notes/papers/fig.png", None),
    "template": lambda r: _write(r, "templates/tip.html",
                                 '{% extends "default:tip.html" %}{% block title %}팁: {{ super() }}{% endblock %}'),
    "config": lambda r: _write(r, "notebase.yaml", CONFIG.replace("Engine test", "엔진 시험")),
    "feed sidecar": lambda r: _write(r, "notes/feeds/blog.yaml", "tags: [lab-blog, 피드]\n"),
    "feed": lambda r: _write(r, "notes/feeds/blog.xml", NOTES["feeds/blog.xml"].replace("Ensembles hold", "Ensembles often hold")),
}


@pytest.fixture
def built(tmp_path):
    """A knowledge base built once through the CLI."""
    root = make_kb(tmp_path / "kb")
    run_build(root)
    assert (root / ".notebase" / STATE).is_file()
    return root


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_an_incremental_build_equals_a_fresh_one(built, tmp_path, kind):
    EDITS[kind](built)
    result = run_build(built)
    if kind not in ("template", "config"):  # those rebuild everything, as they must
        assert "changed" in result.output and "built site/" in result.output
        changed = int(result.output.split(" changed")[0].rsplit(", ", 1)[1])
        assert 0 < changed < len(files(built / "site")) // 2, result.output
    assert_same(files(built / "site"), fresh_build(built, tmp_path / "ref"))
    assert not (built / ".notebase" / JOURNAL).exists()
    again = run_build(built)
    assert "up to date" in again.output


def test_edits_in_a_row_stay_equal_to_a_fresh_build(built, tmp_path):
    for kind in ("add", "body", "retitle", "rename", "date move", "delete", "feed sidecar"):
        EDITS[kind](built)
        run_build(built)
    assert_same(files(built / "site"), fresh_build(built, tmp_path / "ref"))


def test_a_body_edit_reads_one_file_and_rewrites_few(built):
    before = files(built / "site")
    EDITS["body"](built)
    result = run_build(built)
    after = files(built / "site")
    changed = sorted(f for f in after if before.get(f) != after[f])
    assert any(f.endswith("index.html") and "git" in f for f in changed), changed
    assert not any(f.startswith(("papers/", "tips/transformer")) for f in changed), changed  # unrelated pages
    assert set(after) == set(before)
    assert "search index updated: 0 added, 1 changed, 0 removed" in result.output


def test_a_damaged_state_means_a_full_build(built, tmp_path):
    (built / ".notebase" / STATE).write_bytes(b"not a pickle")
    EDITS["body"](built)
    result = run_build(built)
    assert result.exit_code == 0, result.output
    assert_same(files(built / "site"), fresh_build(built, tmp_path / "ref"))


def _rows(root: Path) -> set[int]:
    import sqlite3

    from notebase.site.state_rows import ROWS

    db = sqlite3.connect(root / ".notebase" / ROWS)
    try:
        return {key for (key,) in db.execute("SELECT key FROM rows")}
    finally:
        db.close()


def test_a_body_edit_rewrites_one_row_of_the_state(built):
    first = _rows(built)
    assert len(first) == len([n for n in NOTES if n.endswith((".md", ".xml"))])  # one row per note file
    EDITS["body"](built)
    run_build(built)
    second = _rows(built)
    assert len(second - first) == 1  # the edited file's row, written anew
    EDITS["body"](built)
    run_build(built)
    # The row the last state named stays until a newer state is in place; older ones are dropped.
    assert len(_rows(built) - second) == 1 and len(second - _rows(built)) <= 1


def test_a_lost_row_means_a_full_build(built, tmp_path):
    import sqlite3

    from notebase.site.state_rows import ROWS

    db = sqlite3.connect(built / ".notebase" / ROWS)
    db.execute("DELETE FROM rows WHERE key = (SELECT min(key) FROM rows)")
    db.commit()
    db.close()
    EDITS["body"](built)
    result = run_build(built)
    assert result.exit_code == 0, result.output
    assert_same(files(built / "site"), fresh_build(built, tmp_path / "ref"))


def test_the_vocabulary_is_kept_and_a_damaged_one_is_built_again(built, tmp_path):
    from notebase.config import load_config
    from notebase.site.vocab_cache import FORMAT, VOCABULARY, read_vocabulary, vocabulary_key

    path = built / ".notebase" / VOCABULARY
    key = vocabulary_key(load_config(built))
    found, vocab = read_vocabulary(path.parent, key)
    assert found and vocab.topics_of is not None
    assert FORMAT in key and not read_vocabulary(path.parent, tuple(FORMAT - 1 if k == FORMAT else k for k in key))[0]
    path.write_bytes(b"\x80\x05 cut short")
    EDITS["retitle"](built)
    run_build(built)
    assert_same(files(built / "site"), fresh_build(built, tmp_path / "ref"))
    assert read_vocabulary(path.parent, vocabulary_key(load_config(built)))[0]  # written again


def test_the_index_answers_as_a_rebuilt_one(built, tmp_path):
    from notebase.config import load_config
    from notebase.search.engine import search

    for kind in ("add", "retitle", "delete", "body"):
        EDITS[kind](built)
        run_build(built)
    ref = tmp_path / "ref"
    fresh_build(built, ref)
    for query in ("git", "어텐션", "image tokens", "배치", "tip"):
        got = search(load_config(built), query, refresh=False)[0]
        want = search(load_config(ref), query, refresh=False)[0]
        assert [(h.id, h.title) for h in got.hits] == [(h.id, h.title) for h in want.hits], query
        assert got.total == want.total


def test_serve_and_build_share_the_state(built, tmp_path):
    from notebase.config import load_config
    from notebase.serve.live import LiveSite

    live = LiveSite(load_config(built), jobs=1)
    live.start()  # from the kept state: nothing is built again
    EDITS["add"](built)
    live.update({built / "notes/tips/new-tip.md"})
    live.save(live.problems())
    result = run_build(built)
    assert "up to date" in result.output  # serve recorded what it did
    EDITS["body"](built)
    run_build(built)
    assert_same(files(built / "site"), fresh_build(built, tmp_path / "ref"))


KILLED_BUILD = """
import sys
from notebase.build import build
from notebase.config import load_config
build(load_config(sys.argv[1]), jobs=1)
"""


def test_a_killed_build_leaves_the_old_or_the_new_site(built, tmp_path):
    old = files(built / "site")
    EDITS["add"](built)
    EDITS["retitle"](built)
    new = fresh_build(built, tmp_path / "ref")
    rng = random.Random(16)
    outcomes = set()
    for attempt in range(5):
        proc = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(built)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        site = files(built / "site")
        journal = (built / ".notebase" / JOURNAL / "plan.json").exists()
        if site == new:
            outcomes.add("new")
            break
        # Either nothing was moved yet, or a plan is written that the next build finishes.
        assert site == old or journal
        outcomes.add("journal" if journal else "old")
    run_build(built)
    assert_same(files(built / "site"), new)
    assert not (built / ".notebase" / JOURNAL).exists()


def test_a_plan_left_behind_is_rolled_forward(built, tmp_path):
    """A build killed between its plan and its last move: the next build finishes moving, then goes on."""
    from notebase.config import load_config
    from notebase.site import journal

    EDITS["retitle"](built)
    real = journal.roll_forward
    journal.roll_forward = lambda output, cache: False  # the plan is written, nothing is moved
    try:
        run_build(built)
    finally:
        journal.roll_forward = real
    assert (built / ".notebase" / JOURNAL / "plan.json").exists()
    assert load_config(built)  # the settings are untouched
    run_build(built)
    assert_same(files(built / "site"), fresh_build(built, tmp_path / "ref"))


def test_the_state_pickles_long_texts_without_keeping_utf8_copies_of_them(tmp_path):
    """Pickling a non-ASCII str makes CPython keep its UTF-8 form inside it (170 MB at 10,000 notes)."""
    import io
    import pickle

    from notebase.config import load_config as config_of
    from notebase.load.loader import load
    from notebase.model import replaced
    from notebase.site.engine import state_pickler

    (tmp_path / "notes").mkdir()
    body = "대조 학습은 같은 이미지의 두 view를 가깝게 당긴다. " * 200
    (tmp_path / "notes" / "note.md").write_text(f"---\ntitle: 긴 노트\n---\n{body}\n", encoding="utf-8")
    entry, = load(config_of(tmp_path)).entries
    entry = replaced(entry, body=entry.body, text=entry.text)  # held as strs, as once read from the state
    sizes = {name: sys.getsizeof(getattr(entry, name)) for name in ("body", "text")}
    buffer = io.BytesIO()
    state_pickler(buffer).dump([entry, entry])
    assert {name: sys.getsizeof(getattr(entry, name)) for name in sizes} == sizes  # no UTF-8 copy kept
    again = pickle.loads(buffer.getvalue())
    assert again == [entry, entry] and again[0] is again[1] and type(again[0]) is type(entry)
    plain = io.BytesIO()
    pickle.dump(entry, plain)  # what pickle does by itself: the copy the state avoids
    assert sys.getsizeof(entry.body) > sizes["body"]


def test_the_state_gives_long_texts_back_decoded_only_when_read(tmp_path):
    """Loading the state leaves every long text encoded; an edit decodes those of the pages it renders."""
    from notebase.config import load_config as config_of
    from notebase.load.loader import load
    from notebase.model import unsqueezed
    from notebase.site.engine import load_state, scan_sources

    para = "대조 학습은 같은 이미지의 두 view를 가깝게 당기고 다른 이미지는 밀어낸다. " * 30
    notes = {f"notes/tips/팁-{n}.md": f"---\ntitle: 팁 {n}\ndate: 2024-01-0{n + 1}\n---\n\n{para}\n" for n in range(4)}
    other = "확산 모델은 잡음을 조금씩 걷어 내며 표본을 만든다. " * 30  # nothing in common with the tips
    notes["notes/papers/ddpm.md"] = ("---\ntitle: DDPM 요약\ntype: paper\ndate: 2021-05-01\n---\n\n"
                                     f"## 목적\n\n{other}\n\n## 방법\n\n{other}\n")
    for rel, content in notes.items():
        _write(tmp_path, rel, content)
    run_build(tmp_path)
    config = config_of(tmp_path)
    fresh = {e.id: e for e in load(config).entries}
    live = load_state(config, scan_sources(config).settings)
    entries = {e.id: e for e in live.site.entries}
    paper = next(e for e in entries.values() if e.type.value == "paper")
    for entry in entries.values():
        assert {"body", "text"} <= set(vars(entry)["_pending"][2]) and "body" not in vars(entry)
    # Looked for, a text stays encoded: found exactly where the text has it.
    assert paper.holds("body", "잡음을 조금씩") and not paper.holds("body", "대조 학습") and paper.holds("text", "표본")
    assert "body" in vars(paper)["_pending"][2]
    # Read, a text is what the note holds, and stays decoded.
    assert entries == fresh and paper.sections[0].text == fresh[paper.id].sections[0].text
    assert "body" in vars(paper) and "body" not in vars(paper)["_pending"][2]
    # A search document's row comes from its entry (the very object the site holds): it keeps no text of its own.
    assert all(doc.entry is entries[doc.entry.id] and doc.row[8] == fresh[doc.entry.id].text
               for doc in live.search.documents())

    live = load_state(config, scan_sources(config).settings)
    _write(tmp_path, "notes/tips/팁-3.md", notes["notes/tips/팁-3.md"] + "\n한 문단 더.\n")
    live.update({tmp_path / "notes/tips/팁-3.md"})
    # The paper's page shows nothing of the tip (not related, not a neighbour): its body stays encoded.
    # (Its plain text is read: the search data's one text chunk, which holds both, is written again.)
    paper = live.site.by_id[paper.id]
    assert "body" in vars(paper)["_pending"][2]
    tip = live.site.by_id["팁-3"]  # read again from its file: its texts kept compressed
    assert vars(tip)["_pending"][0] is unsqueezed and {"body", "text"} <= set(vars(tip)["_pending"][2])
    assert tip.body.endswith("한 문단 더.") and tip.text.endswith("한 문단 더.")


def test_compiled_templates_are_kept_and_an_edited_one_is_compiled_again(built):
    from notebase.render.templates import TEMPLATE_CACHE

    kept = list((built / ".notebase" / TEMPLATE_CACHE).glob("*.cache"))
    assert kept  # the theme's templates, compiled once
    _write(built, "templates/tip.html", '{% extends "default:tip.html" %}{% block title %}팁 하나{% endblock %}')
    run_build(built)
    assert "<title>팁 하나</title>" in _text(built, "site/tips/git-팁/index.html")
    _write(built, "templates/tip.html", '{% extends "default:tip.html" %}{% block title %}팁 둘{% endblock %}')
    run_build(built)
    assert "<title>팁 둘</title>" in _text(built, "site/tips/git-팁/index.html")


def test_an_index_update_whose_process_dies_is_done_again_in_the_build(built, tmp_path, monkeypatch):
    """The index is updated in a forked process while the site is: if that process dies, the build does it."""
    import notebase.build as build_module
    from notebase.config import load_config
    from notebase.search.engine import search

    parent, inline = os.getpid(), build_module._update_index

    def dies_when_forked(config, loaded, topics=None):
        if os.getpid() != parent:
            os._exit(1)  # as if killed: the pool is broken
        return inline(config, loaded, topics)

    monkeypatch.setattr(build_module, "_update_index", dies_when_forked)
    EDITS["retitle"](built)
    result = run_build(built)
    assert result.exit_code == 0, result.output
    assert [h.title for h in search(load_config(built), "어텐션 정리", refresh=False)[0].hits][:1] == ["어텐션 정리"]


@pytest.mark.parametrize("kind", ["retitle", "body"])
def test_an_edit_that_keeps_tags_and_dates_keeps_the_taxonomies_and_the_ranking(built, kind):
    """Only the parts of the site whose fields changed are worked out again (assemble keeps the others)."""
    from notebase.config import load_config
    from notebase.site.engine import load_state, scan_sources

    config = load_config(built)
    live = load_state(config, scan_sources(config).settings)
    site, ranking = live.site, live.memo["shape"][6]
    note = "notes/tips/git-팁.md"
    if kind == "retitle":  # a title naming the same topic: only names and links change
        _write(built, note, _text(built, note).replace("title: git 팁", "title: git 요령"))
    else:
        EDITS[kind](built)
    live.update({built / note})
    assert live.site.tags is site.tags and live.site.years is site.years and live.site.topics is site.topics
    assert live.memo["shape"][6].groups is ranking.groups  # re-ranked from the kept ranking, not ranked anew
    if kind == "retitle":
        assert live.site.targets is not site.targets and "git 요령" in live.site.targets
    else:  # the same names and links: the link graph and the papers are kept too
        assert live.site.targets is site.targets and live.site.links is site.links and live.site.papers is site.papers


@pytest.mark.parametrize("count", range(0, 23))
def test_listing_pages_are_counted_from_the_oldest_entry(count):
    """Every page but the first holds PAGE_SIZE entries counted from the oldest; the first the rest."""
    from notebase.site.emitters.listings import page_bounds

    bounds = page_bounds(count, 4)
    assert bounds[0][0] == 0 and bounds[-1][1] == count
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))  # one after another, nothing left out
    assert all(end - start == 4 for start, end in bounds[1:])
    assert 4 <= bounds[0][1] < 8 if count >= 4 else bounds == [(0, count)]
    newer = page_bounds(count + 1, 4)  # a note added, the newest: the older pages hold what they held
    if len(newer) == len(bounds):
        assert [(s + 1, e + 1) for s, e in bounds[1:]] == newer[1:]


def test_a_new_newest_note_rewrites_the_first_page_of_a_listing_only(built, tmp_path, monkeypatch):
    """An older listing page keeps its entries, and its bytes, when a newer note is added (until there
    are enough entries for one more page); the site still equals a fresh build after each edit."""
    from notebase.site.emitters import listings

    monkeypatch.setattr(listings, "PAGE_SIZE", 2)
    run_build(built, "--force")
    older = built / "site" / "archive" / "2024" / "page" / "2" / "index.html"
    assert not older.exists()  # 2024 holds three notes: one page
    new = "---\ntitle: Note {n}\ndate: 2024-07-0{n}\ntags: [nlp]\n---\n\nA line of note {n}.\n"
    _write(built, "notes/tips/new-1.md", new.format(n=1))
    run_build(built)
    assert_same(files(built / "site"), fresh_build(built, tmp_path / "ref"))
    kept = older.read_bytes()  # four notes: two pages
    _write(built, "notes/tips/new-2.md", new.format(n=2))
    run_build(built)
    assert older.read_bytes() == kept and "Note 2" not in kept.decode()
    first = (built / "site" / "archive" / "2024" / "index.html").read_text(encoding="utf-8")
    assert first.count('class="entry-item"') == 3 and "Note 2" in first
    assert_same(files(built / "site"), fresh_build(built, tmp_path / "ref"))
    _write(built, "notes/tips/new-2.md", None)  # the newest deleted again
    run_build(built)
    assert older.read_bytes() == kept
    assert_same(files(built / "site"), fresh_build(built, tmp_path / "ref"))


@pytest.mark.parametrize("title, letter", [
    ("Attention is all you need", "a"), ("\"Émergence\" of skills", "e"), ("3D Gaussian splatting", "#"),
    ("대조 학습 정리", "ㄷ"), ("딥러닝 기초", "ㄷ"), ("ㅆ으로 시작", "ㅅ"), ("(BERT) revisited", "b"), ("学習", "#"),
    ("", "#"),
])
def test_the_papers_index_files_a_title_under_its_first_letter(title, letter):
    from notebase.site.papers import LETTERS, initial

    assert initial(title) == letter and letter in LETTERS


def test_a_long_papers_index_has_a_page_a_letter_and_a_new_paper_changes_its_letter_only(built, tmp_path, monkeypatch):
    """Past PER_PAGE papers the index lists the letters with their counts, each letter on a page of its
    own, and a summary links to its paper there; a paper added changes its own letter's page."""
    from notebase.site import papers

    monkeypatch.setattr(papers, "PER_PAGE", 1)
    run_build(built, "--force")
    site = built / "site"
    index = (site / "paper-index" / "index.html").read_text(encoding="utf-8")
    assert 'href="b/"' in index and 'href="v/"' in index and "Vision Transformer" not in index
    b_page = site / "paper-index" / "b" / "index.html"
    assert "BERT" in b_page.read_text(encoding="utf-8") and 'href="../v/"' in b_page.read_text(encoding="utf-8")
    kept = b_page.read_bytes()
    _write(built, "notes/papers/vit-2.md", "---\ntitle: ViT, read again\ntype: paper\ndate: 2024-08-01\n"
                                           "paper_title: Vision Transformer\n---\n\nSecond reading.\n")
    run_build(built)
    assert b_page.read_bytes() == kept  # another letter's paper: this page is as it was
    v_page = (site / "paper-index" / "v" / "index.html").read_text(encoding="utf-8")
    assert "ViT, read again" in v_page and '<span class="count">2 요약</span>' in v_page
    summaries = [p.read_text(encoding="utf-8") for p in (site / "papers").rglob("index.html")]
    assert sum('paper-index/v/#p-vision-transformer"' in page for page in summaries) == 2  # each summary links there
    assert_same(files(site), fresh_build(built, tmp_path / "ref"))


def test_the_state_keeps_no_page_keys_and_a_body_edit_works_out_a_few(built):
    """The kept state leaves the pages' keys out (the old site gives them back): an edit that changes one
    note's body works out the keys of the entry pages it may change, not of every page."""
    from notebase.config import load_config
    from notebase.serve.live_plan import SiteKeys
    from notebase.site.engine import load_state, scan_sources

    config = load_config(built)
    live = load_state(config, scan_sources(config).settings)
    assert live.page_keys is None
    EDITS["body"](built)
    live.update({built / "notes/tips/git-팁.md"})
    assert isinstance(live.page_keys, SiteKeys)
    assert 0 < len(live.page_keys.entries) <= 3 < len(live.site.entries)  # the note and its neighbours
    site_files = {p.relative_to(built / "site").as_posix() for p in (built / "site").rglob("*.html")}
    assert {rel for rel in live.page_keys if rel.endswith(".html")} <= site_files  # every page it names exists


def test_a_full_build_writes_the_state_rows_into_a_fresh_file(built):
    """A full build writes every row anew: the rows file holds them alone, not them and the freed old ones."""
    from notebase.site.state_rows import ROWS

    rows = built / ".notebase" / ROWS
    first = rows.stat().st_size
    for _ in range(3):
        run_build(built, "--force")
    count = len([rel for rel in NOTES if rel.endswith((".md", ".xml"))])  # a row a note or feed
    assert _rows(built) == set(range(1, count + 1))  # numbered from 1 again: a new file
    assert rows.stat().st_size <= first * 1.2


def test_a_page_moved_by_its_id_moves_the_relative_links_to_it(built, tmp_path):
    """A note's `id:` changed moves its page; a note elsewhere whose body links to its file (a relative
    .md link by reference, no wikilink, not its neighbour) shows the new address after the incremental build."""
    # A reference-style link: the link graph does not see it, the renderer resolves it.
    _write(built, "notes/tips/links-out.md", "---\ntitle: Links out\ndate: 2020-01-01\n---\n\n"
                                             "다른 글은 [여기][x]에 있다.\n\n[x]: ../papers/vit.md\n")
    run_build(built)
    page = next((built / "site").rglob("links-out/index.html"))
    assert 'href="../../papers/vit/"' in page.read_text(encoding="utf-8")
    _write(built, "notes/papers/vit.md", _text(built, "notes/papers/vit.md").replace("type: paper", "type: paper\nid: vit-2020"))
    run_build(built)
    assert 'href="../../papers/vit-2020/"' in page.read_text(encoding="utf-8")
    assert_same(files(built / "site"), fresh_build(built, tmp_path / "ref"))
