"""The build state keeps its long texts apart from its rows and reads them only when one is read.

Loading the state reads the rows (every entry's fields); a body, plain text, summary or search row
is read from the `texts` table when a page or search chunk needs it. What these tests hold to:
the texts are really apart, a lost one means a full build, a row written again takes its texts
along, and a server, which lives on while other builds drop rows, holds every text it may need.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from test_engine import _text, _write, assert_same, files, fresh_build, make_kb, run_build

from notebase.config import load_config
from notebase.load.loader import load
from notebase.model import Entry
from notebase.site.engine import load_state, scan_sources
from notebase.site.state_rows import ROWS

MARK = "긴 문단을 따로 두는지 보려는 표시 문장이다"  # long enough that every body holding it is kept apart


FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Long feed</title><link>https://lab.example.org/</link><description>d</description>
<item><title>First item</title><link>https://lab.example.org/1/</link>
<pubDate>Thu, 09 Mar 2023 18:00:00 +0900</pubDate><description>{0} 첫째.</description></item>
<item><title>Second item</title><link>https://lab.example.org/2/</link>
<pubDate>Fri, 10 Mar 2023 18:00:00 +0900</pubDate><description>{0} 둘째.</description></item>
</channel></rss>
"""


def _kb(root: Path) -> Path:
    make_kb(root)
    _write(root, "notes/tips/long.md", "---\ntitle: 긴 메모\ndate: 2024-01-03\n---\n\n" + f"{MARK}. " * 8)
    _write(root, "notes/feeds/long.xml", FEED.format(f"{MARK}. " * 4))
    run_build(root)
    return root


def _db(root: Path) -> sqlite3.Connection:
    return sqlite3.connect(root / ".notebase" / ROWS)


def _state(root: Path):
    config = load_config(root)
    return load_state(config, scan_sources(config).settings)


def test_the_rows_hold_no_long_text_and_the_state_reads_one_only_when_asked(tmp_path):
    root = _kb(tmp_path / "kb")
    mark = MARK.encode("utf-8")
    db = _db(root)
    assert not any(mark in data for (data,) in db.execute("SELECT data FROM rows"))
    assert any(mark in data for (data,) in db.execute("SELECT data FROM texts"))
    live = _state(root)
    entry = live.site.by_id["long"]
    assert "body" not in vars(entry)
    db.execute("DELETE FROM texts")  # gone after loading: only a text read now would miss it
    db.commit()
    assert live.site.by_id["bert"].title == "BERT 요약"  # the fields came with the rows
    try:
        entry.body
    except LookupError:
        pass
    else:
        raise AssertionError("the body was read at load, not when asked")
    assert _state(root) is None  # texts lost: no state, the next build starts from scratch
    _write(root, "notes/tips/long.md", _text(root, "notes/tips/long.md") + "\n한 줄 더.\n")
    assert run_build(root).exit_code == 0
    assert_same(files(root / "site"), fresh_build(root, tmp_path / "ref"))


def test_a_row_written_again_takes_the_texts_it_never_read(tmp_path):
    from notebase.site.engine import save_engine

    root = _kb(tmp_path / "kb")
    config = load_config(root)
    settings = scan_sources(config).settings
    live = load_state(config, settings)
    key, objects, _ = live.rows["feeds/long.xml"]
    entries = [o for o in objects if isinstance(o, Entry)]  # and two search documents and two Refs: no text
    assert len(objects) == 6 and len(entries) == 2 and all(vars(o)["_pending"][2] for o in entries)  # unread
    live.rows["feeds/long.xml"] = (key, (), ())  # as if its objects had changed: the row is written again
    save_engine(live, settings)
    db = _db(root)
    db.execute("DELETE FROM texts WHERE key = ?", (key,))  # the old row's: the next save drops them
    db.commit()
    live = load_state(config, settings)
    assert live.rows["feeds/long.xml"][0] != key
    fresh = {e.id: e for e in load(config).entries}
    items = [e for e in live.site.entries if e.source.path == "feeds/long.xml"]
    assert len(items) == 2 and all("body" not in vars(e) for e in items)  # kept apart in the new row
    assert all(e.body == fresh[e.id].body and e.text == fresh[e.id].text and MARK in e.body for e in items)
    docs = [d for d in live.search.documents() if d.entry.source.path == "feeds/long.xml"]
    assert len(docs) == 2 and all(MARK in str(d.row) for d in docs)
    _write(root, "notes/tips/long.md", _text(root, "notes/tips/long.md") + "\n한 줄 더.\n")
    assert run_build(root).exit_code == 0
    assert_same(files(root / "site"), fresh_build(root, tmp_path / "ref"))


def test_a_server_holds_its_texts_when_another_build_drops_their_rows(tmp_path):
    from notebase.serve.live import LiveSite

    root = _kb(tmp_path / "kb")
    live = LiveSite(load_config(root), jobs=1)
    live.start()  # nothing changed: from the state
    assert "body" not in vars(live.site.by_id["long"])
    assert run_build(root, "--force").exit_code == 0  # a fresh rows file: the server's rows are gone
    (root / ".notebase" / ROWS).unlink()
    _write(root, "notes/tips/git-팁.md", _text(root, "notes/tips/git-팁.md") + "\n[[긴 메모]]를 보라.\n")
    live.update({root / "notes/tips/git-팁.md"})  # the long note's page shows the new backlink
    assert MARK in _text(root, "site/tips/long/index.html")
    assert_same(files(root / "site"), fresh_build(root, tmp_path / "ref"))


def test_a_damaged_text_means_a_full_build_through_the_cli_and_a_server(tmp_path):
    from notebase.serve.live import LiveSite

    root = _kb(tmp_path / "kb")
    db = _db(root)
    db.execute("UPDATE texts SET data = x'80059500'")  # every text of the state cut short
    db.commit()
    # A new note linking to the long one: its page, whose body is in the state, shows the backlink.
    _write(root, "notes/tips/linker.md", "---\ntitle: 링커\ndate: 2024-02-02\n---\n\n[[긴 메모]]를 보라.\n")
    result = run_build(root)
    assert result.exit_code == 0, result.output
    assert "링커" in _text(root, "site/tips/long/index.html")
    assert_same(files(root / "site"), fresh_build(root, tmp_path / "ref"))
    db = _db(root)  # the full build wrote a new rows file
    db.execute("UPDATE texts SET data = x'80059500'")
    db.commit()
    live = LiveSite(load_config(root), jobs=1)
    live.start()  # the state's texts cannot be read: built afresh
    assert MARK in live.site.by_id["long"].body
    _write(root, "notes/tips/linker.md", None)
    live.update({root / "notes/tips/linker.md"})
    assert_same(files(root / "site"), fresh_build(root, tmp_path / "ref"))


def test_which_bodies_name_a_file_is_asked_of_the_table_not_of_every_row(tmp_path):
    """A new or deleted file makes every page ask whether its body names the file: one scan of the
    texts finds the rows that may, and only their texts are read."""
    from notebase.serve.live_plan import _touched_by

    root = _kb(tmp_path / "kb")
    _write(root, "notes/tips/pointer.md", "---\ntitle: 가리키기\ndate: 2024-02-02\n---\n\n"
                                         + f"{MARK}. " * 3 + "[긴 메모](long.md)를 보라.\n")
    run_build(root)
    live = _state(root)
    read = []
    fetch = live.texts.texts
    live.texts.texts = lambda key: read.append(key) or fetch(key)
    entries = live.site.entries
    assert not any(_touched_by(e, set(), {"tips/nowhere.md"}) for e in entries) and read == []
    touched = [e.id for e in entries if _touched_by(e, set(), {"tips/long.md"})]
    assert touched == ["pointer"] and len(read) == 1
    assert [e.id for e in entries if _touched_by(e, set(), {"papers/fig.png"})] == ["bert"]  # its ![그림](fig.png)


def test_the_state_gives_back_each_entrys_memo_as_assembled(tmp_path):
    """The rows hold each entry's reading and related entries; the loader puts the site's related
    entries, the ranking and assemble's memo together again, equal to what the build made."""
    from notebase.build import build_live
    from notebase.site.topics import vocabulary

    root = _kb(tmp_path / "kb")
    for n in range(6):  # a word in six notes is too common to rank by: these are matched by it only (needy)
        _write(root, f"notes/tips/word-{n}.md", f"# 메모 {n}\n\nzorblax quennik{n} vashtor{n}.\n")
    config = load_config(root)
    built = build_live(config, index=False, force=True)[1]
    live = _state(root)
    assert live is not None and live.site.related and dict(live.site.related) == dict(built.site.related)
    assert list(live.site.related) == list(built.site.related)  # in rank's order, the needy last
    shape, was = live.memo["shape"], built.memo["shape"]
    assert shape[2:5] == was[2:5] and shape[5] is live.site.related  # topics, profiles: the same
    ranking, ranked = shape[6], was[6]
    assert vars(ranking) == vars(ranked) and ranking.profiles is shape[4]
    needy = {e.id for n, e in enumerate(live.site.entries) if n in ranking.needy}
    assert any(i in live.site.related for i in needy) and all(ranking.ranked[n] is live.site.related[e.id]  # one object, as rank left it
                         for n, e in enumerate(live.site.entries) if e.id not in needy and e.id in live.site.related)
    by_id = {value[0].id: value[1:3] for key, value in built.memo.items() if key != "shape"}
    memo = {value[0].id: value[1:3] for key, value in live.memo.items() if key != "shape"}
    assert memo == by_id and len(memo) == len(live.site.entries)
    assert all(live.memo[id(e)][0] is e for e in live.site.entries)
    assert all(live.memo[id(e)][3] is vocabulary(config) for e in live.site.entries)  # what assemble compares
