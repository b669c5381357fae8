"""The site's in-page search (templates/static/*.js) against the Python it ports, run under node.

1. Tokens: the JS analyzer gives Python's tokens for every sample and seed entry and a table of
   tricky strings, and folds every code point as Python's Unicode does.
2. Same hits: every judged query (and more: phrases, exclusions, filters, glossary) gives the CLI's
   top ten in order, with its scores, totals, snippets and glossary notes.
3. The data files load in a real page opened from disk (Chromium through Playwright).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import REPO, SHARED
from notebase.config import load_config
from notebase.site.emitters import search_data
from notebase.site.emitters.search_data import fnv1a, search_files, term_counts
from notebase.load.loader import load
from notebase.search.analysis import STOP_WORDS, normalise, spans, terms
from notebase.search.engine import ensure_index, open_searcher, search
from notebase.search.plan import build_plan
from notebase.search.glossary import PARTICLES, load_glossary, squash
from notebase.search.parse import Filter, QueryError, parse
from notebase.search.schema import to_document
from notebase.search.vocabulary import one_edit
from notebase.search.snippet import make_snippet

STATIC = REPO / "templates" / "static"
JS = REPO / "tests" / "js"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

TRICKY = [
    "학회에서 발표를 들었다", "Transformer기반 모델을 fine-tuning했다", "ＧＰＴ－４와 ＢＥＲＴ를 비교", "ㄱㅏ나 ㅎㅏㄴ글 자모",
    "한\u1100\u1161글 조합형", "e\u0301cole na\u0308ive cafe\u0301", "😀학습😀 emoji🙂test 🇰🇷 국기", "v1.2.3 3.14 1,000 2023-11-24",
    "① ⑵ ㈜ ㉿ ½ ™ ℃ ㎏", "İstanbul ΣΟΦΟΣ straße ﬁne ﬂow", "\u00a0\u3000\t탭\n줄\u2028끝", "𜳖𜳗 outlined 𝐁𝐨𝐥𝐝",
    "a b c 가 나 다", "", "!!! ... ---", "\ud800x lone", "the and of 을 를 에서 으로", "ABC가나다DEF라 마", "x86_64 C++ C# node.js",
    "\uac00\ud7a3\ud7a4 끝", "데이\u200b터 da\u00adta", "ＡＢＣ　ｄｅｆ１２３", "Ⅻ장 ⅷ ﹏ ︵", "3D-CNN을 쓴 ResNet50은", "Σ ς σ",
]


def node(script: str, payload: dict):
    """Run a tests/js script with JSON on stdin and return its JSON answer."""
    done = subprocess.run([NODE, str(JS / script)], input=json.dumps({"static": str(STATIC), **payload}),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def call(*calls):
    """Call JS functions: call(("analysis", "terms", "text"), ...) returns their results."""
    return node("call.js", {"calls": [list(c) for c in calls]})


def write_data(entries, config, out: Path) -> Path:
    """Write the search data files under out and return the data folder."""
    for rel, data in search_files(entries, config).items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return out / search_data.FOLDER


def seed_kb(root: Path) -> Path:
    """The seeds copied into notes/ as test_seeds.py does."""
    (root / "notes").mkdir()
    for path in (SHARED / "seeds").glob("*.txt"):
        shutil.copy(path, root / "notes" / (path.stem + ".md"))
    shutil.copy(SHARED / "seeds" / "003_feed_extracted.xml", root / "notes" / "003_feed_extracted.xml")
    return root


@dataclasses.dataclass
class KB:
    config: object
    entries: list
    data: Path


def make_kb(root: Path) -> KB:
    """Load the notes under root and write their search data into root/site."""
    config = load_config(root)
    entries = load(config).entries
    return KB(config, entries, write_data(entries, config, root / "site"))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    root = tmp_path_factory.mktemp("jssample")
    shutil.copytree(REPO / "notes", root / "notes")
    shutil.copytree(REPO / "tests" / "relevance" / "notes", root / "notes" / "relevance")  # what the judged queries run on
    return make_kb(root)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    if not (SHARED / "seeds").is_dir():
        pytest.skip("../shared/seeds is not beside the repo")
    return make_kb(seed_kb(tmp_path_factory.mktemp("jsseeds")))


# 1. tokens ---------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["sample", "seeds"])
def test_js_tokens_equal_python_for_every_entry(request, which):
    kb = request.getfixturevalue(which)
    texts = [doc[f] for doc in map(to_document, kb.entries) for f in ("head", "body")]
    assert len(texts) > 40
    got = call(*[("analysis", "terms", t) for t in texts])
    bad = [(t[:60], terms(t), g) for t, g in zip(texts, got) if g != terms(t)]
    assert not bad, bad[:3]
    assert all(term_counts(t) == Counter(terms(t)) for t in texts)  # how search_data counts them


def test_tricky_strings_give_the_same_terms_spans_and_normal_form():
    got = call(*[c for t in TRICKY for c in (("analysis", "terms", t), ("analysis", "spans", t),
                                              ("analysis", "normalise", t))])
    for n, text in enumerate(TRICKY):
        norm, offsets = normalise(text)
        assert got[3 * n] == terms(text), text
        assert got[3 * n + 1] == [list(s) for s in spans(text)], text
        assert got[3 * n + 2] == [norm, offsets], text


def test_counting_terms_for_the_data_equals_counting_the_token_list():
    for text in TRICKY + ["가나다라 마바 사 아자차카타 " * 3]:
        assert term_counts(text) == Counter(terms(text)), text


def test_every_code_point_folds_as_pythons_unicode_does():
    changed = {}
    for cp in range(0x110000):
        if not 0xD800 <= cp < 0xE000:
            folded = unicodedata.normalize("NFKC", chr(cp)).lower()
            if folded != chr(cp):
                changed[cp] = folded
    done = subprocess.run([NODE, str(JS / "fold.js"), str(STATIC / "analysis.js")], input=json.dumps(changed),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_word_lists_and_whitespace_match_python():
    stop, particles, space = call(("analysis", "STOP_WORDS"), ("query", "PARTICLES"), ("analysis", "SPACE_CHARS"))
    assert set(stop) == set(STOP_WORDS)
    assert particles == list(PARTICLES)
    assert space == "".join(chr(c) for c in range(0x110000) if chr(c).isspace())


# 2. query language, glossary, hashing ---------------------------------------------------------

PARSE_CASES = [
    "대조 학습", '"data augmentation" -gan -"style transfer"', "type:paper tag:GAN lang:ko", "type:논문 type:tip",
    "year:2022 date:2022-05 date:2021..2022-06 date:2023-11-24 date:2022..", "-tag:draft 학회", 'tag:"machine learning"',
    'date:"2023년 11월 24일"', 'date:"Nov 24, 2023"', "date:２０２３-０５", "http://example.com 링크", '"foo:bar"', "o\"clock",
    "-", "- 학회", '""', "   ", "", "the a", '"unbalanced phrase', "foo:bar", "type:", "type:xyz", "lang:fr", "year:22",
    "date:2023-13", "date:2023-02-30", "date:2024..2023", "date:yesterday", 'date:"1 .. "', "Year:2021 TYPE:Paper",
    "tag:##GAN -year:2020..2021", '-"대조 학습" 학습', "학회에서 들은 발표", "ＧＰＴ \"v1.2 release\"", "date:0000",
    "year:0000..2020", "date:0000-05", 'tag:"Knowledge Distillation"', "tag:knowledge_distillation", "tag:ML/Vision",
    'tag:" #A / b_c-/ "', "-tag:C++ c#",
]
TAGS = ["Knowledge Distillation", "knowledge-distillation", "KNOWLEDGE_distillation", "  #ML / Vision ", "a//b/",
        "a - b", "\u3000딥러닝\u00a0모델\t", "C++", "c#", "İstanbul ΣΟΦΟΣ", "---", "#", "x,y", "\u2028tab"]


def test_tag_keys_match_python():
    from notebase.site.tags import tag_key

    assert call(*[("query", "tagKey", tag) for tag in TAGS]) == [tag_key(tag) for tag in TAGS]


def py_query(text: str):
    try:
        q = parse(text)
    except QueryError as exc:
        return {"error": str(exc)}
    return {"clauses": [[c.text, list(c.terms), c.phrase, c.negated] for c in q.clauses],
            "filters": [[f.field, [[v[0].toordinal(), v[1].toordinal()] if isinstance(v, tuple) else v for v in f.values],
                         f.negated] for f in q.filters]}


def test_queries_parse_the_same_and_fail_with_the_same_messages(sample):
    aliases = json_data(sample.data / "manifest.js")["typeAliases"]
    got = call(*[("query", "parse", text, [], aliases) for text in PARSE_CASES])
    for text, g in zip(PARSE_CASES, got):
        want = py_query(text)
        if "error" in want:
            assert g.get("error") == want["error"] and g.get("queryError"), text
        else:
            assert [[c["text"], c["terms"], c["phrase"], c["negated"]] for c in g["clauses"]] == want["clauses"], text
            assert [[f["field"], f["values"], f["negated"]] for f in g["filters"]] == want["filters"], text


def json_data(path: Path):
    """The data a search data file hands to NotebaseSearch.add."""
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index(",", text.index(",") + 1) + 1:text.rindex(")")])


def test_glossary_expands_and_squashes_as_python(sample):
    concepts = json_data(sample.data / "manifest.js")["glossary"]
    glossary = load_glossary(sample.config.glossary)
    assert concepts == [list(c) for c in glossary.concepts if c]
    dictionary = json_data(sample.data / "manifest.js")["glossaryWords"]
    assert dictionary == {k: list(v) for k, v in glossary.words.items()}
    words = ["대조 학습을", "불확실성을 추정하는 방법", "Self-Attention 기반", "neural networks", "지식  증류", "GANs 잠재 공간",
             "data augmentation techniques", "강화학습으로", "contrastive learning 대조학습", "없는말", "few-shot 학습",
             "가중치 고정", "학습 데이터 추출", "랜덤 시드 고정", "백본 고정하고 파인튜닝", "학회에서 들은 발표", "추천", "모델 학습 방법",
             "zero-shot 분류 모델", "learning 학습"]
    got = call(*[("glossary", concepts, w.split(), dictionary, method) for w in words for method in ("expand", "expandAll")])
    for n, w in enumerate(words):
        for g, found in zip(got[2 * n:2 * n + 2], (glossary.expand(w.split()), glossary.expand_all(w.split()))):
            want = [[s, e, {"matched": x.matched, "alternatives": list(x.alternatives), "kind": x.kind}] for s, e, x in found]
            assert g == want, w
    every = [t for c in concepts for t in c]
    assert call(*[("query", "squash", t) for t in every]) == [squash(t) for t in every]


def test_near_spellings_and_one_edit_match_python(sample):
    concepts = json_data(sample.data / "manifest.js")["glossary"]
    glossary = load_glossary(sample.config.glossary)
    typos = ["트렌스포머", "트랜스포머", "머싱러닝", "확산모댈", "강하학습", "contrastve", "뇌", "퓨삿"]
    got = call(*[("glossary", concepts, w, {}, "nearSpellings") for w in typos])
    assert got == [list(glossary.near_spellings(w)) for w in typos]
    assert got[0] == ["트랜스포머"] and got[1] == []
    pairs = [("contrastve", "contrastive"), ("teh", "the"), ("abcd", "acbd"), ("abcd", "badc"), ("same", "same"),
             ("uncertainity", "uncertainty"), ("ab", "abcd"), ("a", ""), ("graph", "grpah")]
    assert call(*[("plan", "oneEdit", a, b) for a, b in pairs]) == [one_edit(a, b) for a, b in pairs]


def test_term_hash_matches_python():
    words = ["학회", "contrastive", "a", "", "😀x", "가나다라마바사"]
    assert call(*[("search", "fnv1a", w) for w in words]) == [fnv1a(w) for w in words]


# 2. same hits ---------------------------------------------------------------------------------

SAMPLE_EXTRA = [
    '"data augmentation"', '"대조 학습"', '"학회 참관"', '-"대조 학습" 학습', "type:tip -git", "date:2023..2024 학회",
    "tag:contrastive-learning 학습", "대조 학습", "불확실성을 추정하는 방법", "zzzzqqq 없는단어", "-학회에서 학습", "type:paper",
    "lang:en transformer", '"learning representations" -moco', "year:2024 -type:conference", "지식 증류로 모델 압축하기",
    # issue 15: particles on excluded words, lone syllables with filters, typos next to phrases, common words
    "-학회에서 대조 학습을", "뇌 type:paper", '"data augmentation" augmentaion', "트렌스포머 -vit", "GNNs graph",
    "transfomers", "학습 데이터 추출", "모델들을 비교하는 방법", "few-shot 학습 프롬프트", "가중치를 고정하고 파인튜닝",
    "Networks", "contrastive losses", "영상 질의응답", "도메인 랜덤화", "뇌파 EEG", "ASR 모델 경량화",
]
SEED_EXTRA = ['"contrastive learning"', '-"contrastive learning" 학습', "type:paper 학회", '"대조 학습"', "year:2021 모델",
              "학회에서", "date:2023-11-24", "-type:paper -type:tip", "lang:en", '"batch size" 학습률', "tag:timeseries"]
UI_FILTERS = [("학습", [Filter("type", ("paper",))]), ("", [Filter("type", ("tip",))]), ("모델", [Filter("tag", ("ml library",))])]


def compare(kb: KB, cases: list[tuple[str, list]]) -> int:
    """Run each (query, UI filters) in JS and in the CLI; assert the same hits; return the hit count."""
    payload = [[q, [{"field": f.field, "values": list(f.values), "negated": f.negated} for f in fs]] for q, fs in cases]
    got = node("run_search.js", {"data": str(kb.data), "queries": payload})
    hits = 0
    for (text, filters), js in zip(cases, got):
        try:
            results, _ = search(kb.config, text, filters=tuple(filters))
        except QueryError as exc:
            assert js.get("error") == str(exc), text
            continue
        assert "error" not in js, (text, js)
        assert [h["id"] for h in js["hits"]] == [h.id for h in results.hits], text
        for h, j in zip(results.hits, js["hits"]):
            assert abs(h.score - j["score"]) < 1e-4, (text, h.id)
            assert (j["snippet"], j["highlights"], j["titleHighlights"]) == \
                (h.snippet, [list(s) for s in h.highlights], [list(s) for s in h.title_highlights]), (text, h.id)
            assert j["expansions"] == list(h.expansions), (text, h.id)
        assert (js["total"], js["exact"]) == (results.total, True), text
        assert js["expansions"] == [[x.matched, list(x.alternatives)] for x in results.expansions], text
        hits += len(js["hits"])
    return hits


def test_sample_queries_give_the_clis_hits(sample):
    judged = [c["query"] for c in yaml.safe_load((REPO / "tests/relevance/queries.yaml").read_text(encoding="utf-8"))]
    cases = [(q, []) for q in judged + SAMPLE_EXTRA + PARSE_CASES] + [(q, list(f)) for q, f in UI_FILTERS[:2]]
    assert compare(sample, cases) > 300


def test_seed_queries_give_the_clis_hits(seeds):
    judged = [c["query"] for c in yaml.safe_load((REPO / "tests/relevance/seed_queries.yaml").read_text(encoding="utf-8"))]
    assert compare(seeds, [(q, []) for q in judged + SEED_EXTRA] + [(q, list(f)) for q, f in UI_FILTERS]) > 150


def test_phrase_candidates_that_fail_are_rescored_as_the_cli_does(kb, tmp_path):
    # Many notes hold both words apart and score high on them; a few hold the phrase. The JS must
    # check the candidates and fall back to each one's score without the phrase, as Whoosh does.
    notes = {f"apart-{n}.md": f"---\ntitle: 측정 노트 {n}\ndate: 2024-01-{n + 1:02d}\n---\n" +
             "representation learning " * (n % 3) + "learning은 중요하다. " + "좋은 representation이 필요하다. " * (3 + n % 4)
             for n in range(14)}
    notes.update({f"close-{n}.md": f"---\ntitle: Close {n}\ndate: 2023-05-{n + 1:02d}\ntags: [x]\n---\n"
                  f"A note about representation learning{' and more' * n}. 표현 학습 이야기.\n" for n in range(4)})
    # Hangul phrases allow slop 2: 대조학습 (대조 조학 학습) and 대조를 학습 match "대조 학습", 대조 실험을 학습 does not.
    for n, text in enumerate(["대조학습 이야기", "대조를 학습했다", "대조 실험을 학습", "학습 대조"]):
        notes[f"hangul-{n}.md"] = f"---\ntitle: 한글 {n}\ndate: 2022-01-0{n + 1}\n---\n{text}\n"
    loaded = kb(notes, config="glossary:\n  - 측정 노트 = measurement memo\n")
    config = load_config(tmp_path)
    data = write_data(loaded.entries, config, tmp_path / "site")
    cases = [('"representation learning"', []), ('"representation learning" 중요', []), ('-"representation learning" learning', []),
             ('"learning representation"', []), ('"대조 학습"', []), ("측정 노트", []), ("measurement", [])]
    assert compare(KB(config, loaded.entries, data), cases) > 20


# data layout --------------------------------------------------------------------------------------

def test_data_is_deterministic_and_independent_of_entry_order(sample):
    first = search_files(sample.entries, sample.config)
    shuffled = list(sample.entries)
    random.Random(7).shuffle(shuffled)
    assert search_files(shuffled, sample.config) == first
    assert list(first) == sorted(first) and all(k.startswith("search/data/") and k.endswith(".js") for k in first)
    assert all(v.startswith(b"NotebaseSearch.add(") for v in first.values())


def test_parallel_tokenizing_gives_the_same_files(sample, monkeypatch):
    monkeypatch.setattr(search_data, "PARALLEL_DOCS", 10)
    assert search_files(sample.entries, sample.config, jobs=3) == search_files(sample.entries, sample.config, jobs=1)


def test_line_separators_and_lone_surrogates_stay_inside_strings(sample, tmp_path):
    # The loader splits lines at U+2028, so build the entry directly, as a reader might one day.
    entry = dataclasses.replace(sample.entries[0], id="sep", title="줄\u2028바꿈", text="본문\u2029끝 \udcff 학회 separator")
    files = search_files([entry], sample.config)
    assert not any("\u2028" in v.decode("utf-8") or "\u2029" in v.decode("utf-8") for v in files.values())
    data = write_data([entry], sample.config, tmp_path)
    got = node("run_search.js", {"data": str(data), "queries": [["separator", []]]})
    assert [h["id"] for h in got[0]["hits"]] == ["sep"]
    assert got[0]["hits"][0]["snippet"] == make_snippet(entry.text, {"separator"})[0] == "본문 끝 \udcff 학회 separator"


def test_a_query_loads_only_its_shards_and_the_chunks_of_its_hits(sample, tmp_path, monkeypatch):
    monkeypatch.setattr(search_data, "SHARD_BYTES", 2000)
    monkeypatch.setattr(search_data, "CHUNK_CHARS", 3000)
    data = write_data(sample.entries, sample.config, tmp_path)
    shards, chunks = len(list((data / "terms").iterdir())), len(list((data / "text").iterdir()))
    assert shards >= 64 and chunks >= 32
    got = node("run_search.js", {"data": str(data), "queries": [["대조 학습 contrastive", []]], "limit": 5, "cold": True})
    seen, count = got[0]["loaded"], len(got[0]["hits"])
    ensure_index(sample.config)
    with open_searcher(sample.config) as searcher:  # the plan's terms: typed words, synonyms and their parts
        plan = build_plan(parse("대조 학습 contrastive").positive, searcher.glossary, searcher._scorer)
    terms_needed = {t for g in plan.groups for t in g.terms}
    assert count == 5
    assert {"manifest.js", "docs.js"} <= set(seen) and "tags.js" not in seen
    assert sum(s.startswith("terms/") for s in seen) <= len(terms_needed)
    assert sum(s.startswith("text/") for s in seen) <= 5


def test_quantised_lengths_are_whooshs(sample):
    from whoosh.util.numeric import byte_to_length, length_to_byte

    docs = json_data(sample.data / "docs.js")
    manifest = json_data(sample.data / "manifest.js")
    ordered = sorted(sample.entries, key=lambda e: (-e.date.toordinal(), e.id), reverse=True)  # numbered oldest first
    for n, entry in enumerate(ordered[:20]):
        body = len(terms(entry.text))
        assert manifest["lengthTable"][int(docs["lens"][4 * n + 2:4 * n + 4], 16)] == byte_to_length(length_to_byte(body))
    assert manifest["count"] == len(ordered) and dt.date.fromordinal(docs["first"]) == ordered[0].date


# 3. in a real page, opened from disk -----------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
# A stand-in for the theme's base.html with the same strict policy: no inline script, scripts from files only.
STAND_IN = (JS / "stand_in_base.html").read_text(encoding="utf-8")


def render_search_page(config, site: Path) -> Path:
    """Write search/index.html (through the stand-in base) and the static scripts; return the page."""
    from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader, StrictUndefined

    from notebase.render.labels import labels
    from notebase.render.urls import relative

    env = Environment(loader=ChoiceLoader([DictLoader({"base.html": STAND_IN}), FileSystemLoader(str(REPO / "templates"))]),
                      autoescape=True, undefined=StrictUndefined)
    env.globals.update(t=labels(config.language), site=config, url=lambda to: relative("search/", to))
    page = site / "search" / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(env.get_template("search.html").render(root="../", page_path="search/"), encoding="utf-8")
    shutil.copytree(STATIC, site / "static")
    return page


def test_search_page_works_from_disk_in_chromium(sample, tmp_path):
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        pytest.skip("Python playwright is not installed")
    if not CHROMIUM.is_file():
        pytest.skip("no Chromium at /usr/bin/chromium")
    site = tmp_path / "site"
    write_data(sample.entries, sample.config, site)
    page_file = render_search_page(sample.config, site)
    from notebase.render.labels import labels

    t = labels(sample.config.language)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri())
            for query in ("학회에서", "contrastive learning"):
                expected, _ = search(sample.config, query, limit=20)
                box = page.get_by_label(t["search"], exact=True)
                box.fill(query)
                box.press("Enter")
                titles = page.locator("#search-results > li .entry-link")
                expect(titles).to_have_count(len(expected.hits))
                assert titles.all_text_contents() == [h.title for h in expected.hits]
                expect(page.locator("#search-status")).to_have_text(t["search_results"].replace("{n}", str(expected.total)))
            assert page.url.endswith("?q=contrastive+learning")  # kept in the address bar, to share or reload
            conference = page.locator("#search-results > li")
            # 학회에서 (with its particle) ranked the conference logs first; check it on the page too.
            box.fill("학회에서")
            box.press("Enter")
            expect(conference.first.locator(".badge")).to_have_text(t["conference"])
            expect(conference.nth(1).locator(".badge")).to_have_text(t["conference"])
            assert conference.first.locator("mark").count() > 0
            href = conference.first.locator(".entry-link").get_attribute("href")
            assert href.startswith("../conferences/") and href.endswith("/index.html")
            box.fill("")
            page.select_option("#search-type", "tip")  # a filter alone lists that type, newest first
            tips, _ = search(sample.config, "", filters=(Filter("type", ("tip",)),), limit=20)
            expect(page.locator("#search-status")).to_have_text(t["search_results"].replace("{n}", str(tips.total)))
            assert page.locator("#search-results .entry-link").all_text_contents() == [h.title for h in tips.hits]
            assert set(page.locator("#search-results .badge").all_text_contents()) == {t["tip"]}
            page.goto(page_file.as_uri() + "?q=%ED%95%99%EC%8A%B5&type=%EB%85%BC%EB%AC%B8")  # ?q=학습&type=논문
            papers, _ = search(sample.config, "학습", filters=(Filter("type", ("paper",)),), limit=20)
            expect(page.locator("#search-type")).to_have_value("paper")
            expect(page.locator("#search-status")).to_have_text(t["search_results"].replace("{n}", str(papers.total)))
            assert page.locator("#search-results .entry-link").all_text_contents() == [h.title for h in papers.hits]
            page.goto(page_file.as_uri() + "?q=" + "%22unbalanced")
            expect(page.locator("#search-error")).to_contain_text("unbalanced quote at column 1")
            assert page.locator("#search-status").get_attribute("aria-live") == "polite"
            assert errors == []
        finally:
            browser.close()
