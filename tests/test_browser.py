"""The built site in a real headless Chromium (Debian's package, driven by Playwright):
pages load from file:// with no console error and no request outside the site, charts draw,
the customer filter works, and the language switch shows translated text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO
from sitegen.cli import main

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():  # .ci/run installs it; a developer without it is told, not silently skipped
    pytest.fail(f"Debian's chromium is needed for the browser tests ({CHROMIUM} not found); run: apt-get install chromium",
                pytrace=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("browser") / "site"
    assert main(["build", str(REPO), "-o", str(output), "--as-of", "2026-11-27"]) == 0
    return output


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


class PageWatch:
    """Opens pages and records console errors, page errors and any request leaving the site."""

    def __init__(self, browser, site: Path) -> None:
        self.site = site.resolve()
        self.page = browser.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.errors.append("dialog: " + d.message), d.dismiss()))
        self.page.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith("file://") and Path(url[7:].split("?")[0].split("#")[0]).resolve().is_relative_to(self.site):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def open(self, relative: str) -> None:
        self.page.goto((self.site / relative).as_uri())
        self.page.wait_for_load_state("load")

    def charts_drawn(self) -> list[int]:
        self.page.wait_for_function("Array.from(document.querySelectorAll('.chart')).every(c => c.dataset.drawn)", timeout=15000)
        return self.page.evaluate("Array.from(document.querySelectorAll('.chart')).map(c => c.dataset.drawn === 'true' ? "
                                  "c.querySelectorAll('svg .mark-line path, svg .mark-rect path, svg .mark-rule line, svg .mark-tick path, svg path').length : -1)")


def test_every_page_loads_cleanly(browser, site):
    """The pages of the primary locale — all of the few-of-a-kind, every second customer, plan and
    meeting day, every eighth report (they share their templates, and their content is checked
    elsewhere) — and every top-level page of the second locale. Opening all 2,433 would take
    minutes of a ten-minute budget."""
    watch = PageWatch(browser, site)
    other_languages = ("en/", "zh-Hans/")  # their page kinds are opened by the axe test below
    primary = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                     if not p.relative_to(site).as_posix().startswith(other_languages))
    reports = [p for p in primary if p.startswith("reports/")]
    # one of each two pages of the kinds there are many of (customers, plans, meeting days), one report in eight
    many = ("customers/", "plans/", "daily/")
    pages = ([p for p in primary if not p.startswith(("reports/", *many))] + [p for p in primary if p.startswith(many)][::2]
             + reports[::8])
    pages += sorted(p.relative_to(site).as_posix() for p in (site / "en").glob("*.html"))
    assert len(reports) > 400 and len(pages) > 150
    for relative in pages:
        watch.open(relative)
        if watch.page.query_selector(".chart"):
            assert all(count > 0 for count in watch.charts_drawn()), relative
        assert watch.errors == [], relative
    assert watch.outside == []


def test_goal_charts_draw_both_target_lines(browser, site):
    watch = PageWatch(browser, site)
    watch.open("goals/2026-11.html")
    watch.charts_drawn()
    rules = watch.page.evaluate("document.querySelectorAll('[data-spec=\"chart-burnup\"] svg .mark-rule.role-mark line').length")
    assert rules == 2
    lines = watch.page.evaluate("document.querySelectorAll('[data-spec=\"chart-burnup\"] svg .mark-line.role-mark path').length")
    assert lines == 3  # actual, must-achieve pace, challenge pace


def test_customer_filter_works_without_a_server(browser, site):
    watch = PageWatch(browser, site)
    watch.open("customers/index.html")
    rows = watch.page.locator("#customer-list tbody tr")
    total = rows.count()
    owners = watch.page.evaluate("Array.from(document.querySelectorAll('#customer-list tbody tr')).map(r => r.dataset.member)")
    member = owners[0]
    watch.page.select_option("#customer-filter select[name=member]", member)
    visible = watch.page.evaluate("Array.from(document.querySelectorAll('#customer-list tbody tr')).filter(r => !r.hidden).map(r => r.dataset.member)")
    assert visible and set(visible) == {member} and len(visible) == owners.count(member) < total
    watch.page.select_option("#customer-filter select[name=stars]", "5")
    stars = watch.page.evaluate("Array.from(document.querySelectorAll('#customer-list tbody tr')).filter(r => !r.hidden).map(r => r.dataset.stars)")
    assert set(stars) <= {"5"}
    assert watch.page.locator("#customer-count").inner_text() == str(len(stars))
    assert watch.errors == []


def test_language_switch_shows_translated_text(browser, site):
    watch = PageWatch(browser, site)
    watch.open("goals/2026-11.html")
    assert "必達目標" in watch.page.inner_text("main")
    watch.page.click("nav.locales a[hreflang=en]")
    watch.page.wait_for_load_state("load")
    assert watch.page.url.endswith("/en/goals/2026-11.html")
    text = watch.page.inner_text("main")
    assert "Must-achieve" in text and "必達目標" not in text
    watch.page.click("nav.locales a[hreflang=zh-Hant]")
    assert watch.page.url.endswith("/site/goals/2026-11.html")
    assert watch.errors == [] and watch.outside == []


def test_daily_meeting_page_shows_counts_against_target(browser, site):
    watch = PageWatch(browser, site)
    watch.open("daily/2026-11-26.html")
    cells = watch.page.locator("#daily-activity tbody tr").count()
    assert cells >= 8
    below = watch.page.locator("#daily-activity td.warn")
    assert below.count() > 0
    assert below.first.evaluate("cell => getComputedStyle(cell).color") == "rgb(194, 31, 42)"  # the stylesheet's red
    assert watch.page.locator("#not-reported").is_visible()


def test_search_finds_chinese_names_offline(browser, site):
    customer = sorted((REPO / "records/customers").glob("*.yaml"))[3]
    import yaml
    name = yaml.safe_load(customer.read_text(encoding="utf-8"))["name"]
    watch = PageWatch(browser, site)
    watch.open("search.html")
    watch.page.fill("#search-input", name[:3])  # part of a Chinese name, no word boundaries
    results = watch.page.locator("#search-results a")
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any(h.endswith(f"customers/{customer.stem}.html") for h in hrefs)
    # full-width digits (as a Chinese input method types them) find the same reports as ASCII ones
    watch.page.fill("#search-input", "2026-11-26")
    ascii_hits = watch.page.locator("#search-results a").count()
    watch.page.fill("#search-input", "２０２６－１１－２６")
    assert watch.page.locator("#search-results a").count() == ascii_hits > 0
    watch.page.fill("#search-input", "")
    assert watch.page.locator("#search-results li").count() == 0
    watch.page.fill("#search-input", name)
    watch.page.locator("#search-results a", has_text=name).first.click()
    watch.page.wait_for_load_state("load")
    assert watch.page.url.endswith(f"customers/{customer.stem}.html")
    assert watch.errors == [] and watch.outside == []


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory) -> Path:
    from xss import write_xss_team

    root = tmp_path_factory.mktemp("xss") / "team"
    write_xss_team(root)
    assert main(["build", str(root), "--as-of", "2026-11-20"]) == 0
    return root / "site"


INJECTED = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.toLowerCase().startsWith('on')) bad.push(el.tagName + ' ' + attr.name);
      if (/^\\s*(javascript|vbscript|data:text)/i.test(attr.value) && ['href', 'src', 'action', 'formaction'].includes(attr.name))
        bad.push(el.tagName + ' ' + attr.name + '=' + attr.value);
    }
  }
  for (const el of document.querySelectorAll('iframe, object, embed, base, frame, link:not([rel=stylesheet]), meta[http-equiv=refresh], style'))
    bad.push(el.outerHTML.slice(0, 80));
  for (const s of document.querySelectorAll('script')) {
    const src = s.getAttribute('src') || '';
    if (!(s.type === 'application/json' || /(assets\\/(vendor\\/)?[a-z.-]+\\.js|search-index\\.js)$/.test(src))) bad.push(s.outerHTML.slice(0, 80));
  }
  return bad;
}"""


def test_xss_corpus_in_every_field_runs_nothing(browser, xss_site):
    """Attack strings in every free-text field and Markdown body: on every page, no script runs,
    no dialog opens, no element or attribute is injected, and no request leaves the site."""
    pages = sorted(p.relative_to(xss_site).as_posix() for p in xss_site.rglob("*.html"))
    assert len(pages) >= 20
    watch = PageWatch(browser, xss_site)
    for relative in pages:
        watch.open(relative)
        if watch.page.locator(".chart").count():
            watch.charts_drawn()
        assert watch.page.evaluate(INJECTED) == [], relative
    watch.page.goto((xss_site / "search.html").as_uri() + "?q=%3Cscript")  # the search index holds the payloads too
    watch.page.wait_for_load_state("load")
    assert watch.page.input_value("#search-input") == "<script"
    watch.page.fill("#search-input", "<img")
    watch.page.fill("#search-input", "alert")
    assert watch.page.locator("#search-results a").count() > 0
    assert watch.page.evaluate(INJECTED) == []
    watch.open("reports/2026-11-03-bob.html")
    text = watch.page.inner_text("main")
    assert "<script>alert('xss-1')</script>" in text and "{{ 7*7 }}" in text  # shown as text, not run or evaluated
    assert watch.errors == [] and watch.outside == []


def test_search_matches_simplified_and_traditional_chinese(browser, site):
    """A reader typing Simplified finds records written in Traditional, and the other way round."""
    watch = PageWatch(browser, site)
    watch.open("search.html")
    hits = {}
    for query in ("阿里山餐酒館", "阿里山餐酒馆"):  # 館 (Traditional) / 馆 (Simplified)
        watch.page.fill("#search-input", query)
        results = watch.page.locator("#search-results a")
        hits[query] = sorted(results.nth(i).get_attribute("href") for i in range(results.count()))
    assert hits["阿里山餐酒館"] and hits["阿里山餐酒館"] == hits["阿里山餐酒馆"]
    assert any(h.endswith("customers/alishan-bistro.html") for h in hits["阿里山餐酒馆"])
    assert watch.errors == [] and watch.outside == []


# ---------------------------------------------------------------------------------------------
# issue 16: accessibility, phones, tables, the home page's first screen

AXE = REPO / "tests/data/axe-core/axe.min.js"  # vendored: see tests/data/README.md
ARTIFACTS = REPO / "test-artifacts/screenshots"
SIZES = {"desktop": (1440, 1000), "phone": (390, 844)}


def page_kinds(site: Path) -> list[str]:
    """One page of every kind (every template), in the site's primary language."""
    def first(folder: str, pattern: str) -> str:
        return next(p for p in sorted((site / folder).glob(pattern)) if p.stem != "index").relative_to(site).as_posix()

    return ["index.html", "customers/index.html", first("customers", "*.html"), "goals/index.html", "goals/2026-11.html",
            "plans/index.html", first("plans", "*-week.html"), "daily/index.html", "daily/2026-11-26.html",
            first("reports", "2026-11-26-*.html"), first("reports", "*-review.html"), first("reports", "*-training.html"),
            "activity.html", "members/index.html", first("members", "*.html"),
            "capability.html", "standards.html", "problems.html", "search.html", "reviews.html"]


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_kind_in_every_language_passes_axe_and_fits_the_screen(browser, site, size):
    """axe-core finds no serious or critical violation, and nothing is wider than the window (a
    390 px phone included), on every page kind in zh-Hant, English and zh-Hans; each view's
    screenshot is kept in test-artifacts/screenshots for a person to look at."""
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height}, bypass_csp=True)  # to inject axe
    axe = AXE.read_text(encoding="utf-8")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    kinds = page_kinds(site)
    assert len(set(kinds)) == 20
    failures = []
    for prefix in ("", "en/", "zh-Hans/"):
        for relative in kinds:
            page.goto((site / prefix / relative).as_uri())
            if page.query_selector(".chart"):
                page.wait_for_function("Array.from(document.querySelectorAll('.chart')).every(c => c.dataset.drawn)", timeout=15000)
            page.evaluate(axe)
            found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))""")
            wide = page.evaluate("document.documentElement.scrollWidth")
            if found or wide > width:
                failures.append((prefix + relative, wide, found))
            page.screenshot(path=str(ARTIFACTS / f"{size}-{(prefix + relative).replace('/', '_')}.png"), full_page=False)
    page.close()
    assert failures == []


def test_every_table_sorts_by_its_values(browser, site):
    """A click on a column's header orders the rows by the cells' raw values (not their look), and a
    second click reverses them; empty cells stay last."""
    watch = PageWatch(browser, site)
    watch.open("customers/index.html")
    header = watch.page.locator("#customer-list th[data-col] button").nth(8)  # expected to close: money
    header.click()
    values = watch.page.evaluate("Array.from(document.querySelectorAll('#customer-list tbody tr')).map(r => r.cells[8].dataset.sort)")
    filled = [float(v) for v in values if v]
    assert len(filled) >= 3 and filled == sorted(filled) and values[len(filled):] == [""] * (len(values) - len(filled))
    header.click()
    again = watch.page.evaluate("Array.from(document.querySelectorAll('#customer-list tbody tr')).map(r => r.cells[8].dataset.sort)")
    assert [float(v) for v in again if v] == sorted(filled, reverse=True)
    assert watch.page.locator("#customer-list th[data-col='8']").get_attribute("aria-sort") == "descending"
    names = watch.page.locator("#customer-list th[data-col] button").first
    names.press("Enter")  # a keyboard user sorts too
    assert watch.page.locator("#customer-list th[data-col='0']").get_attribute("aria-sort") == "ascending"
    assert watch.errors == []


def test_the_home_page_answers_on_a_phone_without_scrolling(browser, site):
    """On a 390 × 844 phone the goal's state and who needs attention are on the first screen."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto((site / "en/index.html").as_uri())
    status = page.locator("#goal-status")
    assert status.inner_text() == "50% of must-achieve, 95% of working days gone, forecast 56%"
    first = page.locator("#attention li").first
    assert first.bounding_box()["y"] + first.bounding_box()["height"] <= 844
    assert status.bounding_box()["y"] < 844
    assert page.locator("#today-heading .status").inner_text() == "behind pace"
    page.close()


def test_the_customer_list_filters_what_needs_doing_and_says_when_nothing_matches(browser, site):
    watch = PageWatch(browser, site)
    watch.open("en/customers/index.html")
    expected = watch.page.evaluate("Array.from(document.querySelectorAll('#customer-list tbody tr'))"
                                   ".filter(r => r.dataset.attention.split(' ').includes('overdue')).length")
    watch.page.select_option("#customer-filter select[name=attention]", "overdue")
    shown = watch.page.evaluate("Array.from(document.querySelectorAll('#customer-list tbody tr')).filter(r => !r.hidden)"
                                ".map(r => r.cells[7].textContent.trim())")
    assert expected >= 3 and len(shown) == expected and all(days.replace("▲", "").strip().isdigit() for days in shown)
    assert "attention=overdue" in watch.page.url
    watch.page.select_option("#customer-filter select[name=status]", "lost")  # lost customers are never overdue
    assert watch.page.locator("#customer-list tr.empty-state").inner_text() == "No customer matches these filters."
    assert watch.page.locator("#customer-count").inner_text() == "0"
    assert watch.errors == []


def test_search_says_how_many_it_shows_and_tells_results_apart(browser, site):
    """A broad query shows the first 100 'of' all it found, with a button for the rest; each result
    carries whose it is (a customer's owner and trade, a report's first words); the query is in the
    address; and the header's search box on any page leads there."""
    import yaml

    reports = sum(1 for p in (REPO / "records/reports").rglob("2026-11-*.md")
                  if yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1]).get("kind", "daily") not in ("review", "coaching"))
    watch = PageWatch(browser, site)
    watch.open("en/index.html")
    watch.page.fill("#site-search-q", "2026-11")
    watch.page.press("#site-search-q", "Enter")
    watch.page.wait_for_load_state("load")
    assert watch.page.url.endswith("/en/search.html?q=2026-11")
    found = int(watch.page.evaluate("window.SITEGEN_SEARCH.filter(e => (e.t + ' ' + e.x).includes('2026-11')).length"))
    assert found >= reports > 100
    assert watch.page.locator("#search-count").inner_text() == f"100 of {found}"
    assert watch.page.locator("#search-results a").count() == 100
    watch.page.click("#search-more")
    assert watch.page.locator("#search-results a").count() == found
    assert watch.page.locator("#search-count").inner_text() == str(found)
    details = watch.page.locator("#search-results li .small")
    assert details.count() >= reports and details.first.inner_text()
    assert watch.errors == [] and watch.outside == []


def test_a_count_in_the_customer_matrix_opens_the_customers_it_counts(browser, site):
    watch = PageWatch(browser, site)
    watch.open("en/customers/index.html")
    link = watch.page.locator("#customer-matrix tbody tr td a[href*='stars=3']").first
    count = int(link.inner_text())
    link.click()
    watch.page.wait_for_load_state("load")
    assert "stars=3" in watch.page.url
    shown = watch.page.evaluate("Array.from(document.querySelectorAll('#customer-list tbody tr')).filter(r => !r.hidden).length")
    assert shown == count > 0 and watch.page.locator("#customer-count").inner_text() == str(count)
    assert watch.errors == []


def test_the_language_switch_keeps_the_filters_and_the_meeting_calendar_links_every_day(browser, site):
    watch = PageWatch(browser, site)
    watch.open("customers/index.html")
    watch.page.select_option("#customer-filter select[name=stars]", "4")
    shown = watch.page.locator("#customer-count").inner_text()
    watch.page.click("nav.locales a[hreflang=en]")
    watch.page.wait_for_load_state("load")
    assert watch.page.url.endswith("/en/customers/index.html?stars=4")
    assert watch.page.locator("#customer-count").inner_text() == shown
    watch.open("en/daily/index.html")
    days = sorted(p.stem for p in (site / "daily").glob("20*.html"))
    linked = watch.page.evaluate("Array.from(document.querySelectorAll('table.calendar a')).map(a => a.getAttribute('href'))")
    assert sorted(h.rsplit("/", 1)[1][:-5] for h in linked) == days
    assert watch.errors == []
