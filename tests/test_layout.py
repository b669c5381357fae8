"""The sample site laid out in Chromium at 1280 px and on a 390 px phone: the header is one row (no
wrap with an English title; one compact row on the phone), no page is wider than the phone, the
search page counts its results by type, year and tag, and axe-core finds nothing serious on a phone.

Skipped without Chromium or playwright (failing instead when CI is set), as tests/test_browser.py.
"""

from __future__ import annotations

import pytest
from browser import IN_CI, Server, axe_script, build_site, chromium, missing_browser

from conftest import record_figure
from sitecheck import is_redirect

_why = missing_browser()
if _why and not IN_CI:
    pytest.skip(_why, allow_module_level=True)

TITLE = "Research notes of the vision lab"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
HEADER_PAGES = ["", "papers/simclr/", "tips/pytorch-reproducibility/", "tags/", "search/?q=contrastive", "404.html"]
# The header's parts as boxes: the page says whether they share one row and fit in the window.
ROW = """() => {
  const bar = document.querySelector('.site-header .bar'), header = document.querySelector('.site-header');
  const parts = [...bar.children].filter(e => getComputedStyle(e).display !== 'none').map(e => e.getBoundingClientRect());
  const middles = parts.map(r => r.top + r.height / 2);
  const brand = document.querySelector('.brand');
  return {height: header.getBoundingClientRect().height, spread: Math.max(...middles) - Math.min(...middles),
          right: Math.max(...parts.map(r => r.right)), width: document.documentElement.clientWidth,
          brandCut: brand.scrollWidth > brand.clientWidth, count: parts.length};
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    output = build_site(tmp_path_factory.mktemp("layout"), f"title: {TITLE}\nlanguage: en\n")
    server = Server(output)
    yield server, output
    server.close()


@pytest.fixture(scope="module")
def browser():
    with chromium(_why) as launched:
        yield launched


def open_page(browser, viewport):
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def test_the_header_is_one_row_at_1280_px_with_an_english_title(browser, site):
    server, _ = site
    context, page = open_page(browser, DESKTOP)
    try:
        for path in HEADER_PAGES:
            page.goto(server.url + path)
            row = page.evaluate(ROW)
            assert row["spread"] <= 4 and row["height"] <= 70, (path, row)
            assert not row["brandCut"], (path, row)  # the whole title shows
            assert row["right"] <= row["width"], (path, row)
        record_figure(f"header at 1280 px: {row['height']:.0f} px, one row")
    finally:
        context.close()


def test_the_header_is_one_compact_row_on_a_phone(browser, site):
    server, _ = site
    context, page = open_page(browser, PHONE)
    try:
        heights = []
        for path in HEADER_PAGES:
            page.goto(server.url + path)
            row = page.evaluate(ROW)
            heights.append(row["height"])
            assert row["spread"] <= 4 and row["height"] <= 64, (path, row)
            assert row["right"] <= row["width"] and row["count"] >= 3, (path, row)  # brand, links, toggle at least
        toggle = page.locator(".theme-toggle").bounding_box()
        assert toggle["x"] + toggle["width"] <= PHONE["width"] and toggle["y"] < 40
        # The links scroll inside the header; the last is reachable there, not by widening the page.
        page.goto(server.url)
        page.locator(".site-nav a", has_text="Archive").click()
        assert page.url.endswith("/archive/")
        record_figure(f"header on a 390 px phone: {min(heights):.0f}–{max(heights):.0f} px, one row")
    finally:
        context.close()


def test_no_page_of_the_sample_site_is_wider_than_a_phone(browser, site):
    server, output = site
    context, page = open_page(browser, PHONE)
    pages = sorted(p for p in output.rglob("*.html") if not is_redirect(p))
    wide = []
    try:
        for path in pages:
            rel = path.relative_to(output).as_posix()
            page.goto(server.url + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
            width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            if width[0] > width[1]:
                wide.append(f"{rel}: {width[0]} px")
    finally:
        context.close()
    record_figure(f"pages checked for overflow at 390 px: {len(pages)}, wider than the phone: {len(wide)}")
    assert len(pages) > 100 and wide == []


def test_search_results_are_counted_by_type_year_and_tag(browser, site):
    server, _ = site
    context, page = open_page(browser, DESKTOP)
    try:
        page.goto(server.url + "search/?q=contrastive")
        facets = page.locator("#search-facets")
        facets.wait_for(state="visible")
        total = int(page.inner_text("#search-status").split()[0])
        types = page.locator("#search-facets .facet-group").filter(has_text="Types").locator(".facet")
        counts = [int(types.nth(i).locator(".count").inner_text()) for i in range(types.count())]
        assert len(counts) >= 2 and sum(counts) == total
        years = page.locator("#search-facets .facet-group").filter(has_text="Year").locator(".facet")
        assert sum(int(years.nth(i).locator(".count").inner_text()) for i in range(years.count())) == total
        tag = page.locator("#search-facets .facet", has_text="#self-supervised")
        wanted = int(tag.locator(".count").inner_text())
        tag.click()
        page.wait_for_function(f"() => document.getElementById('search-status').textContent.startsWith('{wanted} ')")
        assert page.input_value("#search-tag") == "self-supervised" and "tag=self-supervised" in page.url
        paper = page.locator("#search-facets .facet", has_text="Paper summary")
        wanted = int(paper.locator(".count").inner_text())
        paper.click()
        page.wait_for_function(f"() => document.getElementById('search-status').textContent.startsWith('{wanted} ')")
        assert page.input_value("#search-type") == "paper"
        years = page.locator("#search-facets .facet-group").filter(has_text="Year").locator(".facet")
        if years.count() > 1:  # a year narrows through the query, as `year:` would be typed
            year = years.first.inner_text().split()[0]
            years.first.click()
            page.wait_for_function(f"() => document.getElementById('search-q').value.endsWith('year:{year}')")
    finally:
        context.close()


def test_no_serious_accessibility_violations_on_a_phone(browser, site):
    axe = axe_script()
    if axe is None:
        if IN_CI:
            pytest.fail("axe-core not found", pytrace=False)
        pytest.skip("axe-core not found: run .ci/run, or set NOTEBASE_AXE to axe.min.js")
    server, _ = site
    context, page = open_page(browser, PHONE)
    context.add_init_script(path=str(axe))
    found = []
    try:
        for path in ["", "papers/simclr/", "search/?q=contrastive"]:
            page.goto(server.url + path)
            if path.startswith("search/"):
                page.locator("#search-facets").wait_for(state="visible")
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            found += [f"/{path} {v['id']}: {v['help']} {[n['html'][:200] for n in v['nodes']]}" for v in result['violations']
                      if v["impact"] in ("serious", "critical")]
    finally:
        context.close()
    assert found == []
