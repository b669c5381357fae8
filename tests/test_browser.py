"""The built site in a real browser (Debian's Chromium through Playwright): links, keyboard, 404, from disk,
in-page search, light/dark, and axe-core's accessibility rules.

The sample notes are built twice per module: at "/" (Korean interface) and under "/notes/" (English),
each served from loopback; the first is also opened from disk. Without chromium or playwright the module
is skipped, unless CI is set: then it fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from browser import IN_CI, Server, axe_script, build_site, chromium, missing_browser

_why = missing_browser()
if _why and not IN_CI:
    pytest.skip(_why, allow_module_level=True)
if not _why:  # (in CI without them, every test fails in the browser fixture)
    from playwright.sync_api import expect

TAG = "contrastive-learning"
SIMCLR = "SimCLR: 대조 학습으로 배우는 시각 표현"
SIMCLR_PATH = "papers/simclr/"
MOCO = "MoCo: Momentum Contrast for Unsupervised Visual Representation Learning"
TIP_WITH_CODE = "tips/git-bisect/"
CONFERENCE = "conferences/kcc-2024-참관기/"


@dataclass(frozen=True)
class Where:
    """One way of reaching a built site: its root URL and the words its interface uses."""

    base: str  # the site root, ending in "/"
    title: str
    archive: str  # the archive's nav label and heading
    march_2024: str  # the label of the archive's 2024-03 link
    home: str
    search: str  # the search page's heading
    from_disk: bool = False

    def url(self, path: str = "") -> str:
        """The URL the browser shows for a site path (a folder page's index.html when opened from disk)."""
        quoted = quote(path, safe="/")
        if self.from_disk and (path == "" or path.endswith("/")):
            quoted += "index.html"
        return self.base + quoted


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample notes built at "/" (Korean labels) and under "/notes/" (English, into www/notes)."""
    root = build_site(tmp_path_factory.mktemp("site-root"))
    sub = build_site(tmp_path_factory.mktemp("site-sub"),
                     "base_url: /notes/\noutput_dir: www/notes\nlanguage: en\ntitle: Lab notes\n")
    return root, sub


@pytest.fixture(scope="module")
def hosted(built):
    server = Server(built[0])
    yield Where(server.url, "notebase", "날짜별", "2024년 3월", "홈", "검색")
    server.close()


@pytest.fixture(scope="module")
def hosted_sub(built):
    server = Server(built[1].parent, "/notes/")  # the parent is served: the site answers at /notes/
    yield Where(server.url, "Lab notes", "Archive", "March 2024", "Home", "Search")
    server.close()


@pytest.fixture(scope="module")
def from_disk(built):
    return Where(built[0].as_uri() + "/", "notebase", "날짜별", "2024년 3월", "홈", "검색", from_disk=True)


@pytest.fixture(scope="module")
def browser():
    with chromium(_why) as launched:
        yield launched


class Tab:
    """A page in a fresh browser context that records console errors, uncaught exceptions and CSP reports."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(**options)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.expected_404: set[str] = set()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def _console(self, message) -> None:
        if message.type != "error":
            return
        where = (message.location or {}).get("url", "")
        if "404" in message.text and (where in self.expected_404 or where.endswith("/favicon.ico")):
            return  # the browser logs the 404 document itself, and its own request for a favicon
        self.errors.append(f"{message.text} ({where})")

    def h1(self):
        return self.page.locator("main h1")


@pytest.fixture
def tab(browser):
    """Open Tabs with tab(**context options); all are closed after the test."""
    opened: list[Tab] = []

    def open_tab(**options) -> Tab:
        opened.append(Tab(browser, **options))
        return opened[-1]

    yield open_tab
    for t in opened:
        t.context.close()


def styled(page) -> bool:
    """Whether the theme's stylesheet applies (the browser's default is an 8px margin and a serif font)."""
    return page.evaluate("""() => { const s = getComputedStyle(document.body);
        return s.marginTop === '0px' && s.fontFamily.includes('Pretendard'); }""")


def walk(tab: Tab, where: Where) -> None:
    """Home → a tag (from the tag cloud) → the archive → March 2024 → an entry → home, by clicking."""
    page = tab.page
    page.goto(where.url())
    expect(tab.h1()).to_have_text(where.title)
    assert styled(page)
    tag = page.locator(".tag-cloud a", has_text=re.compile(rf"^#{TAG}\s+\d+$"))
    if where.from_disk:  # site.js points folder links at their index.html
        expect(tag).to_have_attribute("href", f"tags/{TAG}/index.html")
    tag.click()
    expect(page).to_have_url(where.url(f"tags/{TAG}/"))
    expect(tab.h1()).to_contain_text(f"#{TAG}")
    expect(page.locator(".entry-link", has_text=SIMCLR)).to_have_count(1)
    assert styled(page)

    page.locator(".site-nav a", has_text=where.archive).click()
    expect(page).to_have_url(where.url("archive/"))
    expect(tab.h1()).to_have_text(where.archive)
    page.locator(".archive-year .month-list a", has_text=where.march_2024).click()
    expect(page).to_have_url(where.url("archive/2024/03/"))
    expect(tab.h1()).to_contain_text(where.march_2024)
    expect(page.locator(".entry-link", has_text=MOCO)).to_have_count(1)

    page.locator(".entry-link", has_text=SIMCLR).click()
    expect(page).to_have_url(where.url(SIMCLR_PATH))
    expect(tab.h1()).to_have_text(SIMCLR)
    expect(page.locator(".paper-card")).to_contain_text("Ting Chen")
    expect(page.locator(".paper-card")).to_contain_text("ICML 2020")
    assert styled(page)

    page.locator(".entry-head .tags a", has_text=f"#{TAG}").click()  # two levels up and down again
    expect(page).to_have_url(where.url(f"tags/{TAG}/"))
    page.locator("a.brand").click()
    expect(page).to_have_url(where.url())
    expect(tab.h1()).to_have_text(where.title)


# 1. hosted at "/"

def test_hosted_walk_by_clicking_tag_archive_month_and_entry(tab, hosted):
    t = tab()
    walk(t, hosted)
    assert t.errors == []


def test_tab_reaches_the_skip_link_first_and_it_focuses_main(tab, hosted):
    t = tab()
    page = t.page
    page.goto(hosted.url(SIMCLR_PATH))
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("본문으로 건너뛰기")
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is off screen"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    assert page.url.endswith("#main")
    page.keyboard.press("Tab")  # the next stop is inside main, past the header's links
    assert page.evaluate("document.activeElement.closest('main') !== null")


# 2. under a sub-path

def test_sub_path_walk_by_clicking(tab, hosted_sub):
    assert hosted_sub.base.endswith("/notes/")
    t = tab()
    walk(t, hosted_sub)
    expect(t.page.locator("html")).to_have_attribute("lang", "en")
    assert t.errors == []


def test_sub_path_missing_page_gets_a_styled_404_whose_links_work(tab, hosted_sub):
    t = tab()
    page = t.page
    for missing in ("papers/no-such-paper/", "a/b/c/deep.html"):
        url = hosted_sub.base + missing
        t.expected_404.add(url)
        response = page.goto(url)
        assert response.status == 404
        expect(t.h1()).to_have_text("Page not found")
        assert styled(page), f"404 page at {missing} is unstyled"
        expect(page.locator("[data-theme-toggle]")).to_have_attribute("aria-pressed", re.compile("true|false"))
    page.locator("main a", has_text=hosted_sub.home).click()
    expect(page).to_have_url(hosted_sub.url())
    expect(t.h1()).to_have_text("Lab notes")

    page.goto(hosted_sub.base + "a/b/c/deep.html")
    page.locator(".site-nav a", has_text="Tags").click()
    expect(page).to_have_url(hosted_sub.url("tags/"))
    expect(t.h1()).to_contain_text("All tags")

    page.goto(hosted_sub.base + "papers/no-such-paper/")
    page.locator("main input[name=q]").fill("diffusion")
    page.locator("main input[name=q]").press("Enter")
    expect(page).to_have_url(hosted_sub.url("search/") + "?q=diffusion")
    assert t.errors == []


# 3. from disk

def test_from_disk_links_work_and_the_csp_lets_our_scripts_run(tab, from_disk):
    t = tab()
    page = t.page
    page.goto(from_disk.url())
    assert t.errors == [], "console errors on opening index.html (a CSP refusal shows here)"
    walk(t, from_disk)
    expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).to_have_count(1)
    expect(page.locator("[data-theme-toggle]")).to_have_attribute("aria-pressed", re.compile("true|false"))
    assert t.errors == [], "console errors (a CSP refusal shows here)"


# 4. in-page search, hosted, under a sub-path and from disk

KCC = "2024 한국컴퓨터종합학술대회 참관기"
NEURIPS = "NeurIPS 2023 trip notes"
WHERES = ["hosted", "hosted_sub", "from_disk"]


def results(tab: Tab) -> tuple[int, list]:
    """Wait for the search to finish; return the count its status line gives and the hits shown."""
    status = tab.page.locator("#search-status")
    expect(status).to_have_text(re.compile(r"^\d+"))
    return int(re.match(r"\d+", status.inner_text()).group()), tab.page.locator("#search-results .search-hit").all()


def titles(hits) -> list[str]:
    return [hit.locator(".entry-link").inner_text() for hit in hits]


@pytest.mark.parametrize("where_name", WHERES)
def test_search_finds_korean_with_a_particle_and_english_through_the_glossary(tab, request, where_name):
    where: Where = request.getfixturevalue(where_name)
    t = tab()
    page, box = t.page, t.page.locator("#search-q")
    page.goto(where.url("search/"))
    expect(t.h1()).to_have_text(where.search)
    box.fill("학회에서")
    box.press("Enter")
    _, hits = results(t)
    assert {KCC, NEURIPS} <= set(titles(hits[:3])), titles(hits)
    expect(page).to_have_url(where.url("search/") + "?q=" + quote("학회에서"))

    box.fill("")
    box.press_sequentially("contrastive learning")  # searched as you type, after a pause
    expect(page).to_have_url(re.compile(r"\?q=contrastive\+learning$"))
    total, hits = results(t)
    top = titles(hits[:10])
    assert SIMCLR in top and MOCO in top, top
    assert total >= 10 and len(hits) >= 10
    expect(page.locator("#search-results mark").first).to_be_visible()

    page.locator("#search-results .entry-link", has_text=SIMCLR).click()  # the hit's link works here too
    expect(page).to_have_url(where.url(SIMCLR_PATH))
    expect(t.h1()).to_have_text(SIMCLR)
    page.go_back()  # the query is in the address, so Back shows the same results again
    expect(page.locator("#search-q")).to_have_value("contrastive learning")
    _, hits = results(t)
    assert SIMCLR in titles(hits[:10])
    assert t.errors == []


@pytest.mark.parametrize("where_name", WHERES)
def test_search_type_and_tag_filters_narrow_the_results(tab, request, where_name):
    where: Where = request.getfixturevalue(where_name)
    t = tab()
    page = t.page
    page.goto(where.url("search/") + "?q=" + quote("contrastive learning"))
    expect(page.locator("#search-q")).to_have_value("contrastive learning")
    everything, hits = results(t)
    kinds = {hit.locator(".badge").get_attribute("class") for hit in hits}
    assert len(kinds) > 1, "the unfiltered results should mix types"

    page.locator("#search-type").select_option("tip")
    expect(page).to_have_url(re.compile(r"&type=tip$"))
    tips, hits = results(t)
    assert 0 < tips < everything
    assert all(hit.locator(".badge").get_attribute("class") == "badge badge-tip" for hit in hits)

    page.locator("#search-type").select_option("")
    page.locator("#search-tag").select_option("self-supervised")
    expect(page).to_have_url(re.compile(r"&tag=self-supervised$"))
    tagged, hits = results(t)
    assert 0 < tagged < everything
    shown = titles(hits)
    assert SIMCLR in shown and MOCO in shown
    for hit in hits:
        assert "#self-supervised" in hit.locator(".search-tags").inner_text().casefold().split(), titles([hit])

    page.locator("#search-type").select_option("conference")  # both filters: nothing left
    expect(page.locator("#search-status")).to_have_text(re.compile("결과가 없습니다|No results"))
    expect(page.locator("#search-results .search-hit")).to_have_count(0)
    assert t.errors == []


@pytest.mark.parametrize("where_name", WHERES)
def test_header_search_box_submits_to_the_search_page(tab, request, where_name):
    where: Where = request.getfixturevalue(where_name)
    t = tab()
    page = t.page
    page.goto(where.url(f"tags/{TAG}/"))
    box = page.locator(".site-header .quick-search input[name=q]")
    box.fill("대조 학습")
    box.press("Enter")
    expect(page).to_have_url(where.url("search/") + "?q=" + quote("대조") + "+" + quote("학습"))
    expect(page.locator("#search-q")).to_have_value("대조 학습")
    _, hits = results(t)
    assert SIMCLR in titles(hits[:5])
    expect(page.locator(".site-header .quick-search")).to_have_count(0)  # the search page has its own box
    assert t.errors == []


# 6. light and dark

def test_theme_toggle_switches_and_is_kept_across_reloads(tab, hosted):
    t = tab(color_scheme="light")
    page = t.page
    html, toggle = page.locator("html"), page.locator("[data-theme-toggle]")
    background = "() => getComputedStyle(document.body).backgroundColor"
    light, dark = "rgb(253, 253, 252)", "rgb(22, 24, 27)"
    page.goto(hosted.url())
    assert page.evaluate("document.documentElement.getAttribute('data-theme')") is None
    assert page.evaluate(background) == light
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(html).to_have_attribute("data-theme", "dark")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(background) == dark
    page.reload()
    expect(html).to_have_attribute("data-theme", "dark")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(background) == dark
    page.goto(hosted.url(SIMCLR_PATH))  # kept on other pages too
    assert page.evaluate(background) == dark
    page.locator("[data-theme-toggle]").click()
    expect(html).to_have_attribute("data-theme", "light")
    page.reload()
    expect(html).to_have_attribute("data-theme", "light")
    assert page.evaluate(background) == light

    d = tab(color_scheme="dark")  # a fresh visitor whose system is dark starts dark; one click makes it light
    d.page.goto(hosted.url())
    assert d.page.evaluate(background) == dark
    expect(d.page.locator("[data-theme-toggle]")).to_have_attribute("aria-pressed", "true")
    d.page.locator("[data-theme-toggle]").click()
    expect(d.page.locator("html")).to_have_attribute("data-theme", "light")
    assert d.page.evaluate(background) == light
    assert t.errors == [] and d.errors == []


# 5. accessibility

@pytest.fixture(scope="module")
def axe():
    path = axe_script()
    if path is None:
        message = "axe-core not found: run .ci/run, or set NOTEBASE_AXE to axe.min.js"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


AXE_PAGES = ["", SIMCLR_PATH, TIP_WITH_CODE, CONFERENCE, f"tags/{TAG}/", "archive/", "search/?q=학회에서",
             "topics/", "topics/contrastive-learning/", "folders/", "folders/obsidian/", "paper-index/"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(tab, hosted, axe, scheme):
    t = tab(color_scheme=scheme)
    t.context.add_init_script(path=str(axe))  # through the debugger, so the page's CSP does not apply
    found = []
    for path in AXE_PAGES:
        t.page.goto(hosted.base + quote(path, safe="/?="))
        if path.startswith("search/"):
            results(t)
        result = t.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        assert result["passes"] or result["violations"], "axe ran no rules"
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
                found.append(f"/{path} [{scheme}] {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    assert found == []


# 7. the search page: every hit, paged, and the keyboard

def test_search_shows_every_hit_a_page_at_a_time(tab, hosted):
    t = tab()
    page = t.page
    page.goto(hosted.url("search/") + "?q=type:paper")
    total, hits = results(t)
    assert total > 20 and len(hits) == 20
    more = page.locator("#search-more")
    expect(more).to_be_visible()
    expect(more).to_have_text(f"결과 {min(20, total - 20)}개 더 보기")
    more.click()
    expect(page.locator("#search-results .search-hit")).to_have_count(min(40, total))
    expect(page.locator("#search-results .entry-link").nth(20)).to_be_focused()  # the first new hit
    shown = titles(page.locator("#search-results .search-hit").all())
    assert len(set(shown)) == len(shown) == min(40, total)  # the first page again, then the rest, no repeats
    if total <= 40:
        expect(more).to_be_hidden()
    page.locator("#search-q").fill("대조 학습")
    page.locator("#search-q").press("Enter")  # a new query starts at its first page again
    _, hits = results(t)
    assert len(hits) <= 20
    assert t.errors == []


def test_slash_focuses_the_search_box_and_arrows_walk_the_results(tab, hosted):
    t = tab()
    page = t.page
    page.goto(hosted.url(f"tags/{TAG}/"))
    page.keyboard.press("/")
    header_box = page.locator(".site-header .quick-search input[name=q]")
    expect(header_box).to_be_focused()
    page.keyboard.type("대조/학습")  # inside the box "/" is just a character
    expect(header_box).to_have_value("대조/학습")

    page.goto(hosted.url("search/") + "?q=" + quote("contrastive learning"))
    _, hits = results(t)
    page.locator("main h1").click()  # focus elsewhere, then "/" comes back to the box
    page.keyboard.press("/")
    box = page.locator("#search-q")
    expect(box).to_be_focused()
    links = page.locator("#search-results .entry-link")
    page.keyboard.press("ArrowDown")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = links.nth(1).inner_text()
    page.keyboard.press("Enter")
    expect(t.h1()).to_have_text(second)
    assert t.errors == []
