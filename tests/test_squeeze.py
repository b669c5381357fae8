"""Long bodies and plain texts kept compressed from load to the end of a build (model.squeeze), and records replaced with them."""

from __future__ import annotations

import io
import pickle
import sys

import pytest

from notebase.config import load_config
from notebase.load.loader import load
from notebase.model import SQUEEZE_FROM, replaced, unsqueezed

LONG = "대조 학습은 같은 이미지의 두 view를 [가깝게](other.md) 당긴다.\n\n" * 40


@pytest.fixture
def notes(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "long.md").write_text(f"---\ntitle: 긴 노트\ndate: 2024-01-02\n---\n{LONG}", "utf-8")
    (tmp_path / "notes" / "short.md").write_text("---\ntitle: 짧은 노트\ndate: 2024-01-01\n---\n짧다.\n", "utf-8")
    return tmp_path


def _entries(root):
    return {e.id: e for e in load(load_config(root), jobs=1).entries}


def test_a_long_body_and_text_are_held_compressed_and_read_whole_each_time(notes):
    long, short = _entries(notes)["long"], _entries(notes)["short"]
    assert len(LONG) >= SQUEEZE_FROM
    data = vars(long)["_pending"][2]["body"]
    assert "body" not in vars(long) and sys.getsizeof(data) < sys.getsizeof(LONG) / 3
    assert long.body == LONG.strip("\n") and "body" not in vars(long)  # read, not kept
    assert long.holds("body", "(other.md)") and not long.holds("body", "확산 모델")
    assert "_pending" not in vars(short) and short.body == "짧다."  # too short to pay for it
    # Equal to the same entry with its body as a str, and rendered from it.
    plain = replaced(long, body=long.body, text=long.text)
    assert "_pending" not in vars(plain) or not vars(plain)["_pending"][2]
    assert plain == long and long.text.startswith("대조 학습은") and "text" not in vars(long)


def test_a_squeezed_entry_crosses_a_pickle_and_a_process_whole(notes):
    long = _entries(notes)["long"]
    again = pickle.loads(pickle.dumps(long))
    assert again == long and vars(again)["_pending"][0] is unsqueezed
    from notebase.site.engine import state_pickler

    buffer = io.BytesIO()
    state_pickler(buffer).dump(long)  # the state keeps the body as a text of its own, not compressed
    assert pickle.loads(buffer.getvalue()).body == long.body


def test_replaced_keeps_pending_texts_and_refuses_unknown_fields(notes):
    long = _entries(notes)["long"]
    moved = replaced(long, id="elsewhere", title="다른 제목")
    assert (moved.id, moved.title, moved.body) == ("elsewhere", "다른 제목", long.body)
    assert "body" not in vars(moved) and vars(moved)["_pending"][2] is not vars(long)["_pending"][2]
    assert (long.id, long.title) == ("long", "긴 노트")
    rebodied = replaced(long, body="새 본문")
    assert rebodied.body == "새 본문" and "body" not in vars(rebodied)["_pending"][2]
    with pytest.raises(TypeError, match="nonsense"):
        replaced(long, nonsense=1)


def test_a_built_site_shows_the_squeezed_body(notes):
    from notebase.build import build

    report = build(load_config(notes), index=False)
    assert not report.errors
    page = (notes / "site" / "tips" / "long" / "index.html").read_text("utf-8")
    assert page.count("<p>대조 학습은 같은 이미지의 두 view를") == 40  # every paragraph of the body


def test_a_server_started_by_a_full_build_holds_its_texts_decompressed(notes):
    # A server asks every body whether it names a note that came or went: not 10,000 decompressions each time.
    from notebase.serve.live import LiveSite

    live = LiveSite(load_config(notes), 1)
    live.start()
    long = live.site.by_id["long"]
    assert "_pending" not in vars(long) and vars(long)["body"] == LONG.strip("\n")
    assert vars(long)["text"].startswith("대조 학습은")
