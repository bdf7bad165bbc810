"""The page tour: every page, as everyone who sees it, at two widths, in both languages.

Each page of ``tests/browser/tour.PAGES`` is opened by each of its personas (logged out, an
ordinary user with ratings, reviews, a guestbook and friends, a chat-room owner, staff) at
1280×800 and 390×844, in Korean and in English, from an ASGI server sending the production
Content-Security-Policy (config/settings/base.py: the same policy everywhere). On every visit:

- the page answers 2xx;
- axe-core reports no serious or critical violation (colour contrast included);
- nothing scrolls sideways: ``document.documentElement.scrollWidth <= innerWidth``;
- at 390 px, every control is a touch target of at least 44×44 px (``TOUCH_TARGETS``);
- no console error and no uncaught exception;
- the strict CSP header is sent, and no CSP violation happens (``securitypolicyviolation`` events,
  recorded from before the first byte);
- nothing is fetched from anywhere but Moochu's own server (the API docs' Swagger UI included:
  pages work offline);
- on English pages, no Hangul outside titles and names. The rule: text inside an element
  marked as a title or a name is exempt, i.e. inside ``[lang]`` other than English (a Korean
  title should carry ``lang="ko"`` anyway, WCAG 3.1.2), ``.title-name``, ``[data-name]``
  (nicknames, titles, people, providers), ``[data-user-text]`` or ``.ugc`` (what people wrote:
  reviews, guestbook, chat, board, a search query; ``.ugc`` is the design system's class for
  user-written text, docs/design-system.md), and form fields (they hold what people typed).
  Visible text nodes are checked, and the ``aria-label``, ``placeholder``, ``title`` and
  ``alt`` attributes.

Modes (``MOOCHU_TOUR``): ``full`` (default) visits every width × language in the dark default
scheme, and every width in Korean in the light scheme (contrast does not depend on the language);
``fast`` visits each page once per persona, at 390 px in English (where most faults show). One browser
serves the whole tour, with one context (and page) per persona × language × width, reused.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from tests.browser.tour import ANON
from tests.browser.tour import LANGUAGES
from tests.browser.tour import NOT_PAGE_SUFFIXES
from tests.browser.tour import NOT_PAGES
from tests.browser.tour import PAGES
from tests.browser.tour import SCHEMES
from tests.browser.tour import WIDTHS
from tests.browser.tour import Page
from tests.browser.tour import World
from tests.browser.tour import named_urls
from tests.browser.tour import session_cookie
from tests.browser.tour import visits
from tests.browser.tour import world_build

MODE = os.environ.get("MOOCHU_TOUR", "full")
# Contrast does not depend on the language: the dark default runs in both languages, the light
# scheme in Korean only (the default language; English-only faults, Hangul left on an English page,
# do not change with the scheme). 6 visits per page and persona instead of 8.
COMBOS = (
    [("mobile", "en", "dark"), ("mobile", "ko", "light")]
    if MODE == "fast"
    else [(w, lang, SCHEMES[0]) for w in WIDTHS for lang in LANGUAGES]
    + [(w, LANGUAGES[0], scheme) for w in WIDTHS for scheme in SCHEMES[1:]]
)
SERIOUS = {"serious", "critical"}

# Runs before any page script: records CSP violations (inline styles are reported while the
# HTML is parsed, before any script of ours could listen).
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
    (e.sourceFile ? ' at ' + e.sourceFile + ':' + e.lineNumber : '') +
    (e.sample ? ' (' + e.sample.slice(0, 60) + ')' : ''));
});
"""

# Hangul outside titles and names (see the module docstring for the rule).
HANGUL_OUTSIDE_NAMES = r"""
() => {
  const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;
  const EXEMPT = '[lang]:not([lang|="en"]), .title-name, [data-name], [data-user-text], .ugc, ' +
    'textarea, input, select, script, style, template';
  const found = [];
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none' && (box.width > 0 || box.height > 0);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !HANGUL.test(node.textContent) || el.closest(EXEMPT)) continue;
    if (!visible(el)) continue;
    found.push(el.tagName.toLowerCase() + ': ' + node.textContent.trim().slice(0, 60));
  }
  for (const el of document.body.querySelectorAll('[aria-label], [placeholder], [title], img[alt]')) {
    if (el.closest(EXEMPT)) continue;
    for (const attr of ['aria-label', 'placeholder', 'title', 'alt']) {
      const value = el.getAttribute(attr);
      if (value && HANGUL.test(value)) {
        found.push(el.tagName.toLowerCase() + '[' + attr + ']: ' + value.slice(0, 60));
      }
    }
  }
  return found.slice(0, 15);
}
"""


# Controls smaller than a fingertip on a phone (the design system's --tap, 44 px on each side).
# A control is a button, field, select, summary, tab, or a link drawn as a control (.btn, a chip,
# a tab, a menu item, the tab bar); a visually hidden radio or checkbox is measured by its label
# (chips, segmented controls, stars), and a half star by its star (two halves). Text links in
# sentences and lists are exempt (WCAG 2.5.8's inline exception), and so are the stars under a
# poster card (five 44 px stars are wider than a card of a two-column grid at 360 px).
TOUCH_TARGETS = r"""
() => {
  const MIN = 44;
  const CONTROLS = 'button, input:not([type="hidden"]), select, textarea, summary, [role="button"], ' +
    '[role="tab"], a.btn, a.chip-link, a.tabs__tab, .segmented a, a.menu__item, .tabbar a, ' +
    'a.header-icon, a.brand, .pager a';
  const shown = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    const box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) return false;
    if (el.closest('.visually-hidden, .swagger-ui')) return false;
    if (style.clipPath && style.clipPath !== 'none') return false;
    for (let d = el.closest('details'); d; d = d.parentElement && d.parentElement.closest('details')) {
      if (!d.open && !el.closest('summary')) return false;
    }
    return true;
  };
  const small = [];
  const seen = new Set();
  for (const el of document.querySelectorAll(CONTROLS)) {
    let target = el;
    const box = el.getBoundingClientRect();
    const hidden = el.matches('input') && (getComputedStyle(el).opacity === '0' || box.width <= 1);
    if (hidden || el.matches('input[type="checkbox"], input[type="radio"]')) {
      target = el.closest('label') || (el.labels && el.labels[0]) || el;
    }
    if (seen.has(target)) continue;
    seen.add(target);
    if (!shown(target) || target.matches('.card .star-input__half')) continue;
    const r = target.getBoundingClientRect();
    const width = target.matches('.star-input__half') ? r.width * 2 : r.width;
    if (r.height < MIN - 0.5 || width < MIN - 0.5) {
      const name = (target.getAttribute('aria-label') || target.textContent || target.value || '')
        .trim().replace(/\s+/g, ' ').slice(0, 30);
      const cls = typeof target.className === 'string' && target.className.trim()
        ? '.' + target.className.trim().split(/\s+/).join('.') : '';
      const size = `${Math.round(width)}x${Math.round(r.height)}`;
      small.push(`${target.tagName.toLowerCase()}${cls} ${size} "${name}"`);
    }
  }
  return small.slice(0, 10);
}
"""


# -----------------------------------------------------------------------------
# Unit checks (no browser): the list covers the URL conf; the Korean catalogue is complete
# -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_every_named_url_is_toured_or_excused():
    toured = {page.name for page in PAGES}

    missing = [
        f"{name} ({route})"
        for route, name in named_urls()
        if name not in toured and name not in NOT_PAGES and not name.endswith(NOT_PAGE_SUFFIXES)
    ]

    assert missing == [], "add these to tests/browser/tour.PAGES, or to NOT_PAGES with a reason"
    assert {name for name in NOT_PAGES if name in toured} == set()


def test_the_korean_catalogue_has_no_untranslated_or_fuzzy_entries():
    import polib
    from django.conf import settings

    catalogue = polib.pofile(str(settings.BASE_DIR / "locale" / "ko" / "LC_MESSAGES" / "django.po"))

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries() if not entry.obsolete]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


# -----------------------------------------------------------------------------
# The tour
# -----------------------------------------------------------------------------
@dataclass
class Tab:
    """One browser context (persona × language × width) and its page, reused across pages."""

    page: Any
    errors: list[str] = field(default_factory=list)
    # Requests to anywhere but our own server: a page must work offline (no CDN, no fonts).
    outside: list[str] = field(default_factory=list)


def world_served(django_db_blocker: Any, build: Any) -> Iterator[tuple[World, str]]:
    """The world ``build`` makes in the test database, an ASGI server on it; the database
    emptied after (the body of a module-scoped fixture)."""
    from tests.chat.servers import start_servers

    with django_db_blocker.unblock():
        world = _in_a_thread(build)
        servers = start_servers(1)
        try:
            yield world, servers[0].http
        finally:
            for server in servers:
                server.stop()
            _in_a_thread(_flush)


@pytest.fixture(scope="module")
def tour_world(django_db_setup, django_db_blocker) -> Iterator[tuple[World, str]]:
    """The world in the test database, an ASGI server on it; the database emptied after."""
    yield from world_served(django_db_blocker, _world_fresh)


def _flush() -> None:
    call_command("flush", interactive=False, verbosity=0)


def _world_fresh() -> World:
    _flush()
    return world_build()


def _in_a_thread(function: Any, *args: Any) -> Any:
    """Run database work off this thread: Playwright's event loop runs here (services
    broadcast after commit through async_to_sync, which refuses a thread with a loop, and
    connections made here inside the loop's context may not be the test database's)."""
    from django.db import connections

    def work() -> Any:
        try:
            return function(*args)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


@pytest.fixture(scope="module")
def tabs(tour_world, browser) -> Iterator[dict[tuple[str, str, str, str], Tab]]:
    world, base_url = tour_world
    opened: dict[tuple[str, str, str, str], Tab] = {}

    class Tabs(dict):
        def __missing__(self, key: tuple[str, str, str, str]) -> Tab:
            persona, width, lang, scheme = key
            w, h = WIDTHS[width]
            context = browser.new_context(
                base_url=base_url,
                viewport={"width": w, "height": h},
                locale="ko-KR" if lang == "ko" else "en-US",
                reduced_motion="reduce",
                color_scheme=scheme,
            )
            cookies = [{"name": "django_language", "value": lang, "url": base_url}]
            if persona != ANON:
                # (tour_world keeps the database open to this module while it runs)
                cookies.append({**_in_a_thread(session_cookie, world.users[persona]), "url": base_url})
            context.add_cookies(cookies)
            context.add_init_script(CSP_RECORDER)
            tab = Tab(page=context.new_page())
            tab.page.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
            tab.page.on("pageerror", lambda e: tab.errors.append(f"uncaught: {e}"))
            own = urlsplit(base_url).netloc
            tab.page.on(
                "request",
                lambda r: tab.outside.append(r.url) if urlsplit(r.url).netloc not in ("", own) else None,
            )
            self[key] = tab
            opened[key] = tab
            return tab

    yield Tabs()
    for tab in opened.values():
        tab.page.context.close()


AXE = Axe()


def _visit(tab: Tab, url: str, width: str, lang: str, tour_page: Page) -> list[str]:
    """Open ``url`` in ``tab``; return what is wrong with it (empty when nothing)."""
    tab.errors.clear()
    tab.outside.clear()
    page = tab.page
    response = page.goto(url, wait_until="load")
    if tour_page.ready:
        page.locator(tour_page.ready).first.wait_for(timeout=15_000)
    problems = []
    if response is None or not response.ok:
        problems.append(f"HTTP {response.status if response else 'no response'}")
    elif "style-src 'self'" not in response.headers.get("content-security-policy", ""):
        problems.append("no strict Content-Security-Policy header")
    if "/chat/" in url:
        page.wait_for_timeout(300)  # the socket opens after load; let a failure show up
    options = {
        "resultTypes": ["violations"],
        "performanceTimer": False,
        "rules": {rule: {"enabled": False} for rule in tour_page.axe_skip},
    }
    results = AXE.run(page, options=options)
    for violation in results.response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [" ".join(node["target"][:1]) for node in violation["nodes"][:3]]
            problems.append(f"axe {violation['impact']} {violation['id']}: {targets}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        problems.append(f"scrolls sideways by {overflow}px")
    if width == "mobile":
        problems += [f"touch target under 44px: {t}" for t in page.evaluate(TOUCH_TARGETS)]
    problems += [f"CSP: {v}" for v in page.evaluate("window.__cspViolations || []")]
    problems += [f"asks the internet for {u[:120]}" for u in tab.outside]
    problems += [f"console: {e[:200]}" for e in tab.errors if "Content Security Policy" not in e]
    if lang == "en":
        problems += [f"Hangul on an English page: {t}" for t in page.evaluate(HANGUL_OUTSIDE_NAMES)]
    return problems


@pytest.mark.browser
@pytest.mark.slow
# (The world is committed once for the module by tour_world; the mark only makes
# pytest-django set the test database up when the tour runs alone.)
@pytest.mark.django_db
@pytest.mark.parametrize(("tour_page", "persona"), visits(), ids=lambda v: getattr(v, "slug", v))
def test_page_tour(tabs, tour_world, tour_page: Page, persona: str):
    world, _ = tour_world
    url = tour_page.url(world)

    failures = []
    for width, lang, scheme in COMBOS:
        problems = _visit(tabs[(persona, width, lang, scheme)], url, width, lang, tour_page)
        failures += [f"[{persona} {width} {lang} {scheme}] {problem}" for problem in problems]

    assert failures == [], f"{url}:\n" + "\n".join(failures)


# -----------------------------------------------------------------------------
# Keyboard focus and reduced motion, on the tour's world
# -----------------------------------------------------------------------------
# The focused element, a box around it (a card or row drawn with :focus-within) or, for a hidden
# radio or checkbox, what draws it shows an outline or a ring; returns a description of the
# element when nothing shows.
FOCUS_UNSEEN = r"""
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const shows = (node) => {
    const style = getComputedStyle(node);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    return outline || (style.boxShadow && style.boxShadow !== 'none');
  };
  for (let node = el, depth = 0; node && depth < 4; node = node.parentElement, depth++) {
    if (shows(node)) return null;
  }
  // A visually hidden radio or checkbox shows its focus on what draws it: its label, the next box.
  const drawn = [el.nextElementSibling, ...(el.labels || [])];
  if (drawn.some((node) => node && shows(node))) return null;
  const text = (el.textContent || '').trim().slice(0, 30);
  return el.tagName.toLowerCase() + '.' + String(el.className) + ' "' + text + '"';
}
"""
FOCUS_PAGES = ["front", "title", "homepage", "chat-room", "list", "review", "watchlist", "board"]


@pytest.mark.browser
@pytest.mark.django_db
@pytest.mark.parametrize("slug", FOCUS_PAGES)
def test_every_keyboard_stop_shows_where_the_focus_is(tabs, tour_world, slug):
    # given: a page as the ordinary user, on a desktop (where people use a keyboard)
    world, _ = tour_world
    tour_page = next(page for page in PAGES if page.slug == slug)
    tab = tabs[("user" if "user" in tour_page.personas else ANON, "desktop", "en", "dark")].page
    tab.goto(tour_page.url(world), wait_until="load")

    # when: Tab walks through the first forty stops
    unseen = []
    for _ in range(40):
        tab.keyboard.press("Tab")
        found = tab.evaluate(FOCUS_UNSEEN)
        if found:
            unseen.append(found)

    # then
    assert unseen == []


@pytest.mark.browser
@pytest.mark.django_db
def test_reduced_motion_stops_transitions_and_animations(tour_world, browser):
    # given: the same page for someone who asks for reduced motion and someone who does not
    _, base_url = tour_world
    durations = {}
    for motion in ("reduce", "no-preference"):
        context = browser.new_context(base_url=base_url, reduced_motion=motion)
        page = context.new_page()
        page.goto("/", wait_until="load")
        durations[motion] = page.evaluate(
            """() => {
              const card = document.querySelector('.card__poster');
              const skeleton = document.createElement('span');
              skeleton.className = 'skeleton';
              document.body.appendChild(skeleton);
              return [getComputedStyle(card).transitionDuration, getComputedStyle(skeleton).animationName];
            }"""
        )
        context.close()

    # then: no motion when asked; the usual motion otherwise
    assert durations["reduce"] == ["0s", "none"]
    assert durations["no-preference"][0] != "0s"
    assert durations["no-preference"][1] == "skeleton"
