"""Bad input on every page (issue #13): what people write must wrap or truncate, never push a page sideways.

The tour's world is built again with ``tour.HOSTILE`` content: every nickname, title, list name and
note, guestbook entry, review, comment, board post and chat message is as long as its field allows,
in the shapes that break layouts (Korean without spaces, emoji runs with flags, skin tones and ZWJ
families, right-to-left Arabic and Hebrew, a 300-character URL), and the two most popular titles
have 300-character names and no poster (none at all, and a file that is gone).

Every page of the tour is then opened by each of its personas on narrow phones — 360 px in Korean
and 390 px in English — and must:

- not scroll sideways (``document.scrollingElement.scrollWidth <= innerWidth``), and have no
  element reaching past the viewport's edges unless a box that stays on screen clips or scrolls it
  (a poster row that scrolls sideways on purpose);
- show no broken image on screen (a missing poster falls back to the generated placeholder).

A newcomer (an account with nothing yet) also opens every page of their own: each empty state there
must offer a next step (a link or a button), as the design brief asks ("empty states teach").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from tests.browser.test_page_tour import CSP_RECORDER
from tests.browser.test_page_tour import _flush
from tests.browser.test_page_tour import _in_a_thread
from tests.browser.test_page_tour import world_served
from tests.browser.tour import ANON
from tests.browser.tour import HOSTILE
from tests.browser.tour import SIGNED_IN
from tests.browser.tour import Page
from tests.browser.tour import World
from tests.browser.tour import session_cookie
from tests.browser.tour import visits
from tests.browser.tour import world_build

# (width, height, language): the narrowest common phone in Korean, the tour's phone in English.
PHONES = [(360, 740, "ko"), (390, 844, "en")]
NEWCOMER = "newcomer"
# Pages with no user-written content on them.
WITHOUT_CONTENT = {"api-docs"}

# Sideways overflow: the page, and any element past either edge that no on-screen box clips.
OVERFLOW = r"""
() => {
  const width = window.innerWidth;
  const found = [];
  const page = document.scrollingElement.scrollWidth;
  if (page > width) found.push(`the page is ${page}px wide`);
  const clippedOnScreen = (el) => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.overflowX === 'visible' && style.overflow !== 'hidden' && style.overflow !== 'clip') continue;
      const rect = box.getBoundingClientRect();
      if (rect.left >= -1 && rect.right <= width + 1) return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    if (rect.left >= -1 && rect.right <= width + 1) continue;
    if (getComputedStyle(el).position === 'fixed' || el.closest('.visually-hidden, .skip-link')) continue;
    if (clippedOnScreen(el)) continue;
    const name = el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\s+/).join('.') : '');
    found.push(`${name} spans ${Math.round(rect.left)}..${Math.round(rect.right)}px`);
  }
  return found.slice(0, 8);
}
"""

# Images on screen that failed to load and were not replaced by a placeholder.
BROKEN_IMAGES = r"""
() => Array.from(document.images).filter((img) => {
  const rect = img.getBoundingClientRect();
  const onScreen = rect.width > 0 && rect.bottom > 0 && rect.top < window.innerHeight;
  return onScreen && img.complete && img.naturalWidth === 0;
}).map((img) => img.currentSrc || img.src)
"""

# Empty states that do not offer a next step (the outermost .empty of each).
EMPTY_WITHOUT_NEXT_STEP = r"""
() => Array.from(document.querySelectorAll('.empty'))
  .filter((el) => !el.parentElement.closest('.empty'))
  .filter((el) => el.getBoundingClientRect().height > 0 && !el.querySelector('a[href], button'))
  .map((el) => el.textContent.trim().replace(/\s+/g, ' ').slice(0, 80))
"""


def _hostile_world_fresh() -> World:
    from django.contrib.auth import get_user_model

    from apps.social.services import user_nickname_set
    from tests.browser.tour import _email_verified

    _flush()
    world = world_build(content=HOSTILE)
    newcomer = get_user_model().objects.create_user(username="tour-newcomer", email="new@tour.example")
    user_nickname_set(user=newcomer, nickname="새내기")
    _email_verified(newcomer)
    world.users[NEWCOMER] = newcomer
    return world


@pytest.fixture(scope="module")
def hostile_world(django_db_setup, django_db_blocker) -> Iterator[tuple[World, str]]:
    """The hostile world in the test database, an ASGI server on it; the database emptied after."""
    yield from world_served(django_db_blocker, _hostile_world_fresh)


@pytest.fixture(scope="module")
def phone_tabs(hostile_world, browser) -> Iterator[Any]:
    """One reused page per (persona, width, language), opened on first use."""
    world, base_url = hostile_world
    opened: dict[tuple[str, int, str], Any] = {}

    class Tabs(dict):
        def __missing__(self, key: tuple[str, int, int, str]) -> Any:
            persona, width, height, lang = key
            context = browser.new_context(
                base_url=base_url,
                viewport={"width": width, "height": height},
                locale="ko-KR" if lang == "ko" else "en-US",
                reduced_motion="reduce",
                color_scheme="dark",
            )
            cookies = [{"name": "django_language", "value": lang, "url": base_url}]
            if persona != ANON:
                cookies.append({**_in_a_thread(session_cookie, world.users[persona]), "url": base_url})
            context.add_cookies(cookies)
            context.add_init_script(CSP_RECORDER)
            self[key] = opened[(persona, width, lang)] = context.new_page()
            return self[key]

    yield Tabs()
    for page in opened.values():
        page.context.close()


_PLAIN = Page("", ())  # a page whose URL takes no arguments and no query


def _newcomer_visits() -> list[tuple[Page, str]]:
    """The signed-in pages that need nothing of anyone's (no id in the URL), as a newcomer."""
    return [
        (page, NEWCOMER)
        for page, _ in visits(personas=SIGNED_IN)
        if page.kwargs is _PLAIN.kwargs and page.query is _PLAIN.query
    ]


def _open(tab: Any, url: str, tour_page: Page) -> None:
    response = tab.goto(url, wait_until="load")
    assert response is not None
    assert response.ok, f"{url}: HTTP {response.status}"
    if tour_page.ready:
        tab.locator(tour_page.ready).first.wait_for(timeout=15_000)


def _broken_images(tab: Any) -> list[str]:
    # A poster whose file is missing swaps to the placeholder after its error event: give it a moment.
    for _ in range(5):
        broken = tab.evaluate(BROKEN_IMAGES)
        if not broken:
            return []
        tab.wait_for_timeout(200)
    return broken


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("tour_page", "persona"),
    [(page, persona) for page, persona in visits() if page.slug not in WITHOUT_CONTENT],
    ids=lambda v: getattr(v, "slug", v),
)
def test_hostile_content_wraps_without_sideways_scroll(phone_tabs, hostile_world, tour_page, persona):
    world, _ = hostile_world
    url = tour_page.url(world)

    failures = []
    for width, height, lang in PHONES:
        tab = phone_tabs[(persona, width, height, lang)]
        _open(tab, url, tour_page)
        failures += [f"[{persona} {width}px {lang}] {problem}" for problem in tab.evaluate(OVERFLOW)]
        failures += [f"[{persona} {width}px {lang}] broken image {src}" for src in _broken_images(tab)]

    assert failures == [], f"{url}:\n" + "\n".join(failures)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize(("tour_page", "persona"), _newcomer_visits(), ids=lambda v: getattr(v, "slug", v))
def test_a_newcomers_empty_states_offer_a_next_step(phone_tabs, hostile_world, tour_page, persona):
    world, _ = hostile_world
    url = tour_page.url(world)
    width, height, lang = PHONES[0]
    tab = phone_tabs[(persona, width, height, lang)]

    _open(tab, url, tour_page)

    assert tab.evaluate(EMPTY_WITHOUT_NEXT_STEP) == [], f"{url}: empty states without a link or button"
    assert tab.evaluate(OVERFLOW) == [], url


@pytest.mark.browser
@pytest.mark.django_db
def test_review_comments_use_the_width_of_their_thread(phone_tabs, hostile_world):
    # given: the review page, whose comments are 1,000 characters of Korean without spaces
    world, _ = hostile_world
    width, height, lang = PHONES[0]
    tab = phone_tabs[(ANON, width, height, lang)]

    # when
    tab.goto(reverse("social:review-detail", kwargs={"review_id": world.review_id}), wait_until="load")

    # then: each comment's text spans its thread (the board's flex .comment row once squeezed it
    # into a column a syllable wide)
    ratios = tab.evaluate(
        """() => Array.from(document.querySelectorAll('.thread > .comment > .comment__body')).map(
          (body) => body.offsetWidth / body.closest('.thread').offsetWidth)"""
    )
    assert len(ratios) >= 2
    assert min(ratios) > 0.8
