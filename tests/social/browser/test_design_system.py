"""The design system in a real browser: phone navigation, readable mini-homepage, toasts, chat layout.

Each check measures what a person would see (sizes, positions, computed colours), with bad input
on the page: a long nickname, Korean without spaces, emoji and right-to-left text.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client
from playwright.sync_api import expect

from apps.chat.services import message_create
from apps.chat.services import room_create
from apps.social.services import profile_update
from apps.social.services.friends import _friendship_make
from apps.social.services.homepage import guestbook_entry_create
from apps.social.services.homepage import guestbook_entry_reply
from tests.factories import TitleFactory
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
LONG_NICK = "아주아주긴닉네임이름이에요정말로길어"
NO_SPACES = "띄어쓰기없이아주길게쓴방명록입니다" * 12
RTL = "مرحبا بالعالم هذا نص عربي طويل 🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉"

# WCAG contrast of an element's text against the first opaque background behind it.
CONTRAST_JS = """
(el) => {
  const rgb = (s) => {
    const m = s.match(/[\\d.]+/g).map(Number);
    return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1};
  };
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const lum = (c) => 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  let node = el, bg = null;
  while (node && node.nodeType === 1) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.a > 0.9) { bg = c; break; }
    node = node.parentElement;
  }
  bg = bg || {r: 255, g: 255, b: 255};
  const fg = rgb(getComputedStyle(el).color);
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}
"""


def _off_loop(fn):
    """Run ``fn`` in a worker thread: Playwright's event loop owns this one, and the services'
    after-commit broadcasts use async_to_sync."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn).result()


def _context(browser, server: str, user, viewport, lang: str = "ko"):
    context = browser.new_context(viewport=viewport)
    cookies = [{"name": "django_language", "value": lang, "url": server}]
    if user is not None:
        client = Client()
        _off_loop(lambda: client.force_login(user))
        cookies.append({"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server})
    context.add_cookies(cookies)
    return context


@pytest.fixture
def hompy(transactional_db):
    def make():
        owner = UserFactory(username="owner", nickname=LONG_NICK)
        visitor = UserFactory(username="visitor", nickname="방문자")
        _friendship_make(owner, visitor)
        profile_update(user=owner, data={"mood": "😴" * 10, "intro": "소개" * 60})
        guestbook_entry_create(owner=owner, author=visitor, body=NO_SPACES)
        entry = guestbook_entry_create(owner=owner, author=visitor, body=RTL)
        guestbook_entry_reply(owner=owner, entry_id=entry.pk, reply="ㅋ" * 300)
        return owner, visitor

    return _off_loop(make)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_phone_tab_bar_fits_and_the_mini_homepage_is_readable(browser, asgi_server, hompy, lang):
    owner, visitor = hompy
    context = _context(browser, asgi_server, visitor, PHONE, lang)
    page = context.new_page()
    page.goto(f"{asgi_server}/@{owner.nickname}/")

    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 80, "the phone header stays one slim row"
    assert page.locator(".site-nav").is_hidden()

    tabs = page.locator(".tabbar a")
    expect(tabs).to_have_count(5)
    for i in range(5):
        box = tabs.nth(i).bounding_box()
        assert box["height"] >= 44
        assert box["width"] >= 44
        assert box["y"] + box["height"] <= PHONE["height"] + 1, "the tab bar sits at the bottom of the screen"
        label = tabs.nth(i).locator("span").last
        lines = label.evaluate(
            "e => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight || 14)"
        )
        assert lines < 1.6, f"tab label {label.inner_text()!r} wraps"

    # One consistent light frame with dark text: every text passes WCAG AA.
    texts = [".hompy-name", ".hompy-intro", ".hompy-counter", ".tabs__tab", ".gb-entry__body"]
    texts += [".gb-entry__author", ".gb-reply", ".hompy-section h2", ".field__counter", ".btn--danger"]
    for selector in texts:
        for element in page.locator(f".minihompy {selector}").all():
            ratio = element.evaluate(CONTRAST_JS)
            assert ratio >= 4.5, f"{selector}: contrast {ratio:.2f}"
    # Bad input wraps inside its column instead of widening the page.
    for selector in [".hompy-name", ".gb-entry__body", ".gb-reply"]:
        box = page.locator(selector).first.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]
    context.close()


def test_desktop_nav_flash_message_once_and_toast_overlay(browser, asgi_server, hompy):
    owner, _ = hompy
    context = _context(browser, asgi_server, owner, DESKTOP, "en")
    page = context.new_page()
    page.goto(f"{asgi_server}/me/profile/")
    assert page.locator(".tabbar").is_hidden()
    expect(page.locator(".site-nav a")).to_have_count(5)

    page.fill("input[name=mood]", "좋아요")
    page.click("form.profile-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("body").inner_text().count("Profile saved.") == 1

    region = page.locator("[data-toasts]")
    assert region.get_attribute("aria-live") == "polite"
    layout = (
        "[document.querySelector('main').getBoundingClientRect().top,"
        " document.querySelector('header').offsetHeight]"
    )
    before = page.evaluate(layout)
    page.evaluate("window.Moochu.toast('새 알림 ' + 'ㅎ'.repeat(200), {url: '/inbox/'})")
    toast = region.locator(".toast")
    expect(toast).to_have_count(1)
    assert toast.evaluate("e => getComputedStyle(e.parentElement).position") == "fixed"
    after = page.evaluate(layout)
    assert before == after, "a toast never moves the layout"
    box = toast.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= DESKTOP["width"]
    context.close()


def test_chat_groups_by_author_keeps_the_composer_visible_and_lists_members(browser, asgi_server, hompy):
    owner, visitor = hompy

    def make():
        room = room_create(owner=owner, name="금요일 영화의 밤 " + "방" * 80)
        message_create(room_id=room.pk, author=visitor, body="첫 메시지")
        message_create(room_id=room.pk, author=visitor, body=NO_SPACES)
        message_create(room_id=room.pk, author=owner, body=RTL)
        return room

    room = _off_loop(make)
    context = _context(browser, asgi_server, owner, PHONE)
    page = context.new_page()
    page.goto(f"{asgi_server}/chat/rooms/{room.pk}/")
    expect(page.locator('[data-role="state"]')).to_have_attribute("data-state", "connected", timeout=15000)

    messages = page.locator(".mc-msg")
    expect(messages).to_have_count(3)
    expect(messages.nth(1)).to_have_class("mc-msg mc-msg--cont")
    assert "mc-msg--cont" not in messages.nth(2).get_attribute("class")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")

    composer = page.locator(".mc-chat__form").bounding_box()
    tabbar = page.locator(".tabbar").bounding_box()
    assert composer["y"] >= 0
    assert composer["y"] + composer["height"] <= tabbar["y"] + 1, "the composer sits above the tab bar"
    send = page.locator('[data-role="send"]').bounding_box()
    assert send["height"] >= 44

    assert page.locator(".mc-chat__members").is_hidden()
    page.click('[data-role="presence"]')
    members = page.locator('[data-role="member-list"]')
    expect(members).to_be_visible()
    expect(members).to_contain_text(LONG_NICK)
    context.close()


def test_the_chat_composer_stays_above_the_tab_bar_and_above_a_keyboard(browser, asgi_server, hompy):
    # given: a room whose bar above the chat is tall (a long topic and a watch night), on a phone
    owner, visitor = hompy

    def make():
        import datetime as dt

        from django.utils import timezone

        when = timezone.now() + dt.timedelta(days=1)
        room = room_create(owner=owner, name="주말 영화", topic="이번 주는 스릴러 " * 12, scheduled_at=when)
        for index in range(30):
            message_create(room_id=room.pk, author=visitor, body=f"메시지 {index} " + NO_SPACES[:40])
        return room

    room = _off_loop(make)
    context = _context(browser, asgi_server, owner, PHONE)
    page = context.new_page()
    page.goto(f"{asgi_server}/chat/rooms/{room.pk}/")
    expect(page.locator('[data-role="state"]')).to_have_attribute("data-state", "connected", timeout=15000)

    # then: the page itself does not scroll; the composer sits whole above the tab bar
    assert page.evaluate("document.scrollingElement.scrollHeight <= innerHeight + 1")
    composer = page.locator(".mc-chat__form").bounding_box()
    tabbar = page.locator(".tabbar").bounding_box()
    assert composer["y"] >= 0
    assert composer["y"] + composer["height"] <= tabbar["y"] + 1

    # when: an on-screen keyboard takes the lower half of the screen (Chromium resizes the page,
    # as Android does with interactive-widget=resizes-content)
    page.locator('[data-role="input"]').focus()
    page.set_viewport_size({"width": 390, "height": 420})
    # Polled with evaluate: wait_for_function's predicate runs through eval, which the CSP forbids.
    app_height = "getComputedStyle(document.documentElement).getPropertyValue('--app-height')"
    for _attempt in range(50):
        if page.evaluate(app_height).strip() == "420px":
            break
        page.wait_for_timeout(100)
    assert page.evaluate(app_height).strip() == "420px"

    # then: the room page follows the visible height and the composer is still in view
    composer = page.locator(".mc-chat__form").bounding_box()
    visible = page.evaluate("visualViewport.height")
    assert composer["y"] >= 0
    assert composer["y"] + composer["height"] <= visible + 1
    expect(page.locator('[data-role="input"]')).to_be_in_viewport()
    context.close()


def test_a_missing_poster_file_shows_the_generated_placeholder(browser, asgi_server):
    title = _off_loop(
        lambda: TitleFactory(title_ko="포스터 없는 영화", poster="posters/gone.jpg", popularity=999)
    )
    context = _context(browser, asgi_server, None, DESKTOP)
    page = context.new_page()
    page.goto(f"{asgi_server}/")
    image = page.locator(f'.card img[data-fallback$="/posters/{title.pk}.svg"]').first
    expect(image).to_have_attribute("src", re.compile(rf"/posters/{title.pk}\.svg$"))
    # The poster is lazy and may sit below the fold: bring it into view, as a reader scrolling
    # would, and wait for the placeholder to finish loading (checking at once raced the load).
    image.scroll_into_view_if_needed()
    loaded = image.evaluate(
        """img => img.complete ? img.naturalWidth > 0 : new Promise((resolve) => {
             img.addEventListener("load", () => resolve(img.naturalWidth > 0), {once: true});
             img.addEventListener("error", () => resolve(false), {once: true});
           })"""
    )
    assert loaded
    context.close()


def test_chat_offers_a_jump_to_new_messages_when_scrolled_up(browser, asgi_server, hompy):
    owner, visitor = hompy

    def make():
        room = room_create(owner=owner, name="긴 대화")
        for i in range(40):
            message_create(room_id=room.pk, author=visitor if i % 3 else owner, body=f"메시지 {i}")
        return room

    room = _off_loop(make)
    context = _context(browser, asgi_server, owner, PHONE)
    page = context.new_page()
    page.goto(f"{asgi_server}/chat/rooms/{room.pk}/")
    expect(page.locator('[data-role="state"]')).to_have_attribute("data-state", "connected", timeout=15000)
    jump = page.locator('[data-role="jump"]')
    expect(jump).to_be_hidden()

    page.locator('[data-role="messages"]').evaluate("list => { list.scrollTop = 0; }")
    _off_loop(lambda: message_create(room_id=room.pk, author=visitor, body="방금 온 메시지"))
    expect(jump).to_be_visible(timeout=10000)
    jump.click()
    expect(jump).to_be_hidden()
    expect(page.locator(".mc-msg").last).to_be_in_viewport()
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_a_review_thread_reads_top_to_bottom_with_replies_under_their_comment(browser, asgi_server, viewport):
    # A board rule once laid every .comment out as a row: the body, the tools and the replies
    # stood side by side and "Delete" wrapped a letter per line on a phone.
    from apps.social.services.ratings import review_comment_create
    from apps.social.services.ratings import review_upsert

    def make():
        author, friend = UserFactory(nickname="작성자"), UserFactory(nickname="친구")
        review = review_upsert(user=author, title=TitleFactory(title_ko="괴물"), body="한강에 가면 생각나요.")
        comment = review_comment_create(user=friend, review_id=review.pk, body="저도 두 번 봤어요!")
        review_comment_create(user=author, review_id=review.pk, body="반가워요", parent_id=comment.pk)
        return author, review, comment

    author, review, comment = _off_loop(make)
    context = _context(browser, asgi_server, author, viewport)
    page = context.new_page()
    page.goto(f"{asgi_server}/reviews/{review.pk}/")
    parent = page.locator(f"#comment-{comment.pk}")
    head, body = parent.locator("> .comment__head"), parent.locator("> .comment__body")
    tools, reply = parent.locator("> .comment__tools"), parent.locator(".thread > .comment")
    expect(reply).to_have_count(1)
    boxes = {name: el.bounding_box() for name, el in (("head", head), ("body", body), ("tools", tools))}
    boxes["reply"] = reply.bounding_box()
    # each part starts below the one before it, and the reply is indented under its comment
    assert boxes["head"]["y"] < boxes["body"]["y"] < boxes["tools"]["y"] < boxes["reply"]["y"]
    assert boxes["reply"]["x"] > boxes["body"]["x"]
    assert boxes["body"]["width"] > viewport["width"] / 2 - 100
    # the reply's own "delete" is one line of text, not a column of letters
    delete = reply.get_by_role("button", name="삭제")
    assert delete.bounding_box()["height"] < 48
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    context.close()


def test_a_chip_with_a_marked_name_is_one_pill(browser, asgi_server):
    # Onboarding's service chips mark the provider name in a nested span (the tour's
    # untranslated-text check skips names); only the label's own span may draw the pill.
    from tests.factories import ProviderFactory

    def make():
        ProviderFactory(slug="watcha", name="Watcha", name_ko="왓챠")
        return UserFactory()

    user = _off_loop(make)
    context = _context(browser, asgi_server, user, PHONE)
    page = context.new_page()
    page.goto(f"{asgi_server}/me/onboarding/?step=taste")
    chip = page.locator("label.chip", has_text="왓챠")
    expect(chip).to_be_visible()
    pill, name = chip.locator("> span"), chip.locator("> span > span")
    assert pill.evaluate("el => getComputedStyle(el).borderTopWidth") == "1px"
    assert name.evaluate("el => getComputedStyle(el).borderTopWidth") == "0px"
    assert name.evaluate("el => getComputedStyle(el).paddingLeft") == "0px"
    context.close()
