"""Every page of Moochu, who sees it, and a small world to show them with.

One list (``PAGES``) serves the page tour (tests/browser/test_page_tour.py), the screenshots
(``make shots`` → scripts/shots.py) and the page benchmark (benchmarks/pages.py).

Adding a page: give its URL a name, then add a ``Page`` here (or, for a URL that is not a
page a person looks at — a POST-only action, a redirect, an OAuth hop — a line in
``NOT_PAGES`` saying why). ``test_every_named_url_is_toured_or_excused`` walks the URL conf
and fails until one of the two is done, so no page escapes the tour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from urllib.parse import urlencode

# Who looks at a page. "owner" owns a chat room; "staff" moderates the board.
ANON = "anon"
USER = "user"
OWNER = "owner"
STAFF = "staff"
PERSONAS = (ANON, USER, OWNER, STAFF)

WIDTHS = {"desktop": (1280, 800), "mobile": (390, 844)}
LANGUAGES = ("ko", "en")
# Dark is the default theme; the light one applies when the OS asks (prefers-color-scheme).
# Headless Chromium asks for light unless told, so every check names its scheme.
SCHEMES = ("dark", "light")


@dataclass
class World:
    """Ids and names of what ``world_build`` made, for building page URLs."""

    title_id: int
    other_title_id: int
    room_id: int
    post_id: int
    hidden_post_id: int
    review_id: int
    diary_entry_id: int
    nicknames: dict[str, str]
    search_query: str
    import_batch_id: int = 0
    users: dict[str, Any] = field(default_factory=dict, repr=False)
    list_id: int = 0
    list_token: str = ""
    party_id: int = 0
    party_upcoming_id: int = 0
    party_ended_id: int = 0


@dataclass(frozen=True)
class Page:
    """One page: its URL name, how to fill its arguments, and who looks at it."""

    name: str
    personas: tuple[str, ...]
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}
    query: Callable[[World], str] = lambda world: ""
    # A short, file-name-safe label for screenshots and test ids.
    label: str = ""
    # Pages the benchmark's load mix uses (the ones people open most).
    main: bool = False
    # axe rules not applied to this page, each with its reason in a comment at the page.
    axe_skip: tuple[str, ...] = ()
    # A selector that shows the page has finished drawing what scripts fetch after "load".
    ready: str = ""

    @property
    def slug(self) -> str:
        return self.label or self.name.replace(":", "-").replace("_", "-")

    def url(self, world: World) -> str:
        from django.urls import reverse

        path = reverse(self.name, kwargs=self.kwargs(world))
        query = self.query(world)
        return f"{path}?{query}" if query else path


EVERYONE = (ANON, USER)
SIGNED_IN = (USER,)

# The tour: every page a person opens, with the personas that see something different.
# New pages from other branches are added here (the URL-conf test below says which).
PAGES: list[Page] = [
    # Catalog
    Page("movies:catalog", EVERYONE, label="front", main=True),
    # 예상 별점순: ranked for a person with ratings; a visitor gets popularity and the reason.
    Page("movies:catalog", EVERYONE, query=lambda w: "sort=predicted", label="catalog-predicted"),
    Page("movies:title-detail", EVERYONE, lambda w: {"title_id": w.title_id}, label="title", main=True),
    Page("movies:coming-soon", EVERYONE, label="coming-soon", main=True),
    Page(
        "search:page", EVERYONE, query=lambda w: urlencode({"q": w.search_query}), label="search", main=True
    ),
    Page("social:title", EVERYONE, lambda w: {"title_id": w.title_id}, label="title-social"),
    # The recommend dialog's friends as a page (the dialog fetches it; without JavaScript it opens).
    Page("social:recommend-friends", SIGNED_IN, lambda w: {"title_id": w.title_id}, label="recommend"),
    # Mini-homepages
    Page(
        "social:homepage",
        (ANON, USER, OWNER),
        lambda w: {"nickname": w.nicknames[USER]},
        label="homepage",
        main=True,
    ),
    # Me
    Page("social:profile-edit", SIGNED_IN, label="profile-edit"),
    Page("social:shelf-edit", SIGNED_IN, label="shelf-edit"),
    Page("social:onboarding", SIGNED_IN, label="onboarding"),
    Page("social:friends", SIGNED_IN, label="friends"),
    Page("social:inbox", SIGNED_IN, label="inbox"),
    Page("social:feed", SIGNED_IN, label="feed", main=True),
    Page("social:watchlist-page", SIGNED_IN, label="watchlist"),
    Page("social:diary-page", SIGNED_IN, label="diary"),
    Page("social:diary-edit", SIGNED_IN, lambda w: {"entry_id": w.diary_entry_id}, label="diary-edit"),
    Page("social:notifications", SIGNED_IN, label="notifications"),
    Page("social:picks", SIGNED_IN, label="picks"),
    Page("planner:planner", SIGNED_IN, label="planner"),
    Page("social:account", SIGNED_IN, label="account"),
    Page("social:account-delete", SIGNED_IN, label="account-delete"),
    Page("social:account-deleted", (ANON,), label="account-deleted"),
    Page("social:review-detail", EVERYONE, lambda w: {"review_id": w.review_id}, label="review"),
    Page("social:taste", EVERYONE, lambda w: {"nickname": w.nicknames[USER]}, label="taste"),
    Page(
        "yearly:year",
        (ANON, USER, OWNER),
        lambda w: {"nickname": w.nicknames[USER], "year": dt.date.today().year},
        label="year",
    ),
    # Board
    Page("social:board", (ANON, USER, STAFF), label="board", main=True),
    Page("social:board-new", SIGNED_IN, label="board-new"),
    Page("social:board-detail", (ANON, USER, STAFF), lambda w: {"post_id": w.post_id}, label="board-post"),
    Page(
        "social:board-detail",
        (STAFF,),
        lambda w: {"post_id": w.hidden_post_id},
        label="board-post-hidden",
    ),
    Page("social:board-edit", SIGNED_IN, lambda w: {"post_id": w.post_id}, label="board-edit"),
    # Lists (the user's public list, co-edited by the owner persona, a 일촌)
    Page("lists:mine", SIGNED_IN, label="lists-mine"),
    Page("lists:new", SIGNED_IN, label="list-new"),
    Page("lists:search", EVERYONE, query=lambda w: urlencode({"q": "영화"}), label="lists-search"),
    Page("lists:detail", (ANON, USER, OWNER), lambda w: {"list_id": w.list_id}, label="list"),
    Page("lists:shared", (ANON,), lambda w: {"token": w.list_token}, label="list-shared"),
    Page("lists:edit", SIGNED_IN, lambda w: {"list_id": w.list_id}, label="list-edit"),
    Page("lists:collaborators", (USER, OWNER), lambda w: {"list_id": w.list_id}, label="list-collaborators"),
    Page("lists:activity", EVERYONE, lambda w: {"list_id": w.list_id}, label="list-activity"),
    # Watch parties (#19): live (the user hosts, the owner persona is a 일촌 guest), waiting, ended.
    Page("parties:mine", SIGNED_IN, label="parties-mine"),
    Page("parties:new", SIGNED_IN, query=lambda w: urlencode({"title": w.title_id}), label="party-new"),
    Page("parties:detail", (USER, OWNER), lambda w: {"party_id": w.party_id}, label="party-live"),
    Page("parties:detail", (USER, OWNER), lambda w: {"party_id": w.party_upcoming_id}, label="party-waiting"),
    Page("parties:detail", (USER,), lambda w: {"party_id": w.party_ended_id}, label="party-ended"),
    Page("parties:timeline", (USER, OWNER), lambda w: {"party_id": w.party_ended_id}, label="party-timeline"),
    # Chat
    Page("chat:room_list", EVERYONE, label="chat", main=True),
    Page("chat:room", (ANON, USER, OWNER), lambda w: {"room_id": w.room_id}, label="chat-room"),
    Page("chat:room_moderation", (OWNER,), lambda w: {"room_id": w.room_id}, label="chat-room-moderation"),
    Page("chat:title_room", EVERYONE, lambda w: {"title_id": w.title_id}, label="chat-title-room"),
    # Accounts
    Page("account_login", (ANON,), label="login"),
    Page("account_signup", (ANON,), label="signup"),
    Page("account_reset_password", (ANON,), label="password-reset"),
    Page("account_reset_password_done", (ANON,), label="password-reset-done"),
    Page("account_email_verification_sent", (ANON,), label="verification-sent"),
    Page("account_logout", SIGNED_IN, label="logout"),
    Page("account_email", SIGNED_IN, label="account-email"),
    Page("account_change_password", SIGNED_IN, label="password-change"),
    Page("socialaccount_connections", SIGNED_IN, label="social-connections"),
    # Import my history (#19): the upload page, and a batch waiting for review.
    Page("imports:home", SIGNED_IN, label="import"),
    Page("imports:detail", SIGNED_IN, lambda w: {"batch_id": w.import_batch_id}, label="import-review"),
    # API docs
    # Swagger UI nests its operation controls in a button (its own markup, not ours).
    Page("api-docs", (ANON,), label="api-docs", axe_skip=("nested-interactive",), ready=".opblock"),
]

# Named URLs that are not pages a person looks at, and why.
NOT_PAGES: dict[str, str] = {
    "healthz": "probe",
    "readyz": "probe",
    "set_language": "POST: switches the language",
    "movies:home": "the same view as movies:catalog",
    "movies:my-services": "POST: saves my services",
    "movies:poster": "an SVG placeholder image",
    "chat:room_create": "POST: creates a room",
    "chat:room_moderation_action": "POST: a moderation action",
    "social:account-export": "a file download (JSON/CSV), not a page",
    "social:watch-alert-preference": "POST: watch-alert e-mail on/off",
    "social:diary-log": "POST: logs a viewing",
    "imports:row-choose": "POST: chooses an import row's title",
    "imports:row-skip": "POST: leaves an import row out",
    "imports:apply": "POST: applies an import",
    "social:diary-delete": "POST",
    "social:review-reply": "POST",
    "social:review-edit": "POST: edits a review (the form is on the review page)",
    "social:review-report": "POST",
    "social:review-comment-delete": "POST",
    "social:notifications-read-all": "POST",
    "social:notification-open": "POST: marks read and redirects to the target",
    "social:pick-dismiss": "POST",
    "social:pick-restore": "POST",
    "chat:health": "probe",
    "social:surf": "redirects to a friend's homepage",
    "social:homepage-visit": "POST: the anonymous mini-homepage's visit beacon (JSON)",
    "yearly:year-latest": "redirects to the newest year with activity",
    "yearly:year-card": "a PNG image (the shareable card), not a page",
    "social:avatar": "POST: avatar upload",
    "social:guestbook-create": "POST",
    "social:guestbook-reply": "POST",
    "social:guestbook-delete": "POST",
    "social:friend-request": "POST",
    "social:friend-request-answer": "POST",
    "social:relation": "POST: follow/block",
    "social:rate": "POST",
    "social:watchlist": "POST",
    "social:diary": "POST",
    "social:review": "POST",
    "social:recommend": "POST",
    "social:review-delete": "POST",
    "social:review-comment": "POST",
    "social:review-like": "POST",
    "social:notifications-read": "POST",
    "social:recommendation-answer": "POST",
    "social:board-delete": "POST",
    "social:board-moderate": "POST",
    "social:board-comment": "POST",
    "social:board-like": "POST",
    "account_inactive": "shown only to a deactivated account mid-login",
    "account_reauthenticate": "shown only mid-flow (sensitive change)",
    "account_set_password": "redirects unless the account has no password (social sign-up)",
    "account_confirm_login_code": "shown only mid-flow (login by code is off)",
    "account_confirm_email": "needs a mailed key",
    "account_reset_password_from_key": "needs a mailed key",
    "account_reset_password_from_key_done": "shown only after a mailed-key reset",
    "socialaccount_login_cancelled": "shown only after a cancelled provider login",
    "socialaccount_login_error": "shown only after a failed provider login",
    "socialaccount_signup": "shown only mid provider sign-up",
    "api-schema": "machine-readable schema",
    "parties:rsvp": "POST",
    "parties:invite": "POST",
    "parties:position": "POST (the party page's position form; with JavaScript it goes over the socket)",
    "parties:clock": "POST",
    "parties:end": "POST",
    "lists:entry-add": "POST",
    "lists:entry-move": "POST: reorders (the list page's up/down, drag and 'move to #')",
    "lists:entry-note": "POST",
    "lists:entry-remove": "POST",
    "lists:like": "POST",
    "lists:follow": "POST",
    "lists:invite": "POST",
    "lists:collaborator-remove": "POST",
    "lists:share-reset": "POST",
    "lists:delete": "POST",
}
# OAuth provider hops (redirects to Kakao, Naver, Google, OIDC) are not pages either.
NOT_PAGE_SUFFIXES = ("_login", "_callback", "_login_by_token")


def named_urls() -> Iterator[tuple[str, str]]:
    """(route, name) of every named URL outside the REST API and the admin."""
    from django.conf import settings
    from django.urls import URLResolver
    from django.urls import get_resolver

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield prefix + str(pattern.pattern), name

    for route, name in walk(get_resolver().url_patterns, "", None):
        if route.startswith(settings.ADMIN_URL) or (route.startswith("api/") and name != "api-docs"):
            continue
        yield route, name


def visits(*, personas: tuple[str, ...] = PERSONAS) -> list[tuple[Page, str]]:
    """Every (page, persona) pair of the tour."""
    return [(page, persona) for page in PAGES for persona in page.personas if persona in personas]


# -----------------------------------------------------------------------------
# The world: demo catalog (the Korean sample) plus a little of everything social
# -----------------------------------------------------------------------------
NICKNAMES = {USER: "영화광", OWNER: "방장님", STAFF: "운영자", "friend": "친구1"}
PASSWORD = "tour-pass-word-42"


@dataclass(frozen=True)
class Content:
    """What people wrote in the world: friendly by default, hostile in the bad-input variant."""

    nicknames: dict[str, str]
    mood: str = "설렘"
    intro: str = "주말마다 영화 한 편"
    review: str = "배우들의 연기가 정말 좋았어요. 두 번 봤습니다."
    other_review: str = "It made me cry twice."
    comment: str = "저도 두 번 봤어요!"
    reply: str = "반가워요"
    guestbook: tuple[str, str] = ("놀러 왔어요~ 추천 영화 있나요?", "Hello from the chat room!")
    friend_request: str = "일촌 해요!"
    staff_request: str = "반가워요"
    recommendation: str = "꼭 보세요"
    post_heading: str = "이번 주 개봉작 뭐 보세요?"
    post_body: str = "추천해 주세요."
    board_comment: str = "저는 이거 봐요"
    room_name: str = "금요일 밤 영화 모임"
    room_topic: str = "이번 주는 스릴러"
    messages: tuple[str, str, str] = ("다들 어서 오세요", "안녕하세요!", "8시에 시작해요")
    list_name: str = "금요일 영화의 밤"
    list_description: str = "같이 볼 영화를 모아요. 팝콘 필수!"
    private_list_name: str = "혼자 보는 영화"
    list_notes: tuple[str, ...] = (
        "첫 영화는 이걸로",
        "",
        "자막 버전으로 봐요",
        "A long note to check wrapping: " + "재밌어요 " * 12,
    )
    # Titles of the variant's own, first in every popularity list (None: the demo's titles only).
    title_names: tuple[str, str] | None = None


FRIENDLY = Content(nicknames=NICKNAMES)

# Bad input (issue #13): as long as each field allows, in the scripts and shapes that break layouts —
# Korean without spaces, emoji runs (flags, skin tones, ZWJ families), right-to-left Arabic and
# Hebrew, a 300-character URL — and a title with a 300-character name and no poster file.
KO_RUN = "띄어쓰기없이길게이어지는한국어문장입니다"
EMOJI_RUN = "🎬🍿😂👍🏽🇰🇷👨‍👩‍👧‍👦"
ARABIC = "هذا نص عربي طويل جدا عن فيلم رائع "
HEBREW = "זהו טקסט ארוך מאוד בעברית על סרט "
LONG_URL = "https://www.example.com/watch?title=" + "%EA%B8%B0%EC%83%9D%EC%B6%A9" * 9 + "&ref=" + "x" * 16


def _run(text: str, length: int) -> str:
    """``text`` repeated, cut to ``length`` characters."""
    return (text * (length // len(text) + 1))[:length]


HOSTILE = Content(
    nicknames={
        USER: _run("가나다라마바사아자차카타파하", 20),
        OWNER: _run("ابتثجحخدذرزسشصضطظعغ", 20),
        STAFF: _run("אבגדהוזחטיכלמנסעפצקר", 20),
        "friend": "W" * 20,
    },
    mood=_run(EMOJI_RUN, 30),
    intro=_run(KO_RUN, 120),
    review=" ".join([_run(KO_RUN, 1500), _run(EMOJI_RUN, 300), LONG_URL, _run(ARABIC, 600)]),
    other_review=_run(HEBREW, 2000),
    comment=_run(KO_RUN, 1000),
    reply=LONG_URL,
    guestbook=(_run(KO_RUN, 1000), _run(EMOJI_RUN, 300) + LONG_URL + _run(ARABIC, 300)),
    friend_request=_run(KO_RUN, 200),
    staff_request=LONG_URL[:200],
    recommendation=LONG_URL,
    post_heading=_run(KO_RUN, 120),
    post_body=_run(KO_RUN, 3000) + " " + LONG_URL,
    board_comment=_run(EMOJI_RUN, 1000),
    room_name=_run(KO_RUN, 100),
    room_topic=_run(ARABIC, 300),
    messages=(_run(KO_RUN, 2000), _run(EMOJI_RUN, 600) + LONG_URL, _run(HEBREW, 2000)),
    # (the lists search page looks for "영화")
    list_name=_run("영화" + KO_RUN, 100),
    private_list_name=_run("영화" + EMOJI_RUN, 100),
    list_description=_run(KO_RUN, 1000),
    list_notes=(_run(KO_RUN, 500), LONG_URL, _run(EMOJI_RUN, 500), _run(ARABIC, 500)),
    title_names=(_run("아주긴제목의영화" + KO_RUN, 300), "The " + "Longest" * 42),
)


def world_build(*, catalog: bool = True, content: Content = FRIENDLY) -> World:
    """Demo-like data every page has something to show with; call on an empty database
    (or, with ``catalog=False``, on one that already holds the demo catalog). ``content=HOSTILE``
    fills every text with bad input instead (tests/browser/test_hostile_content.py)."""
    from django.contrib.auth import get_user_model

    from apps.chat.services import message_create
    from apps.chat.services import room_create
    from apps.lists import services as lists
    from apps.movies.models import Title
    from apps.movies.search.sync import search_index_sync_all
    from apps.planner.services import plan_prices_load
    from apps.social import services as social
    from apps.social.services.demo import demo_load

    if catalog:
        demo_load(movielens=None, progress=False)
        search_index_sync_all()
    plan_prices_load()
    User = get_user_model()
    users = {}
    for persona, nickname in content.nicknames.items():
        user = User.objects.create_user(
            username=f"tour-{persona}",
            email=f"{persona}@tour.example",
            password=PASSWORD,
            is_staff=persona == STAFF,
        )
        social.user_nickname_set(user=user, nickname=nickname)
        _email_verified(user)
        users[persona] = user
    user, owner, staff, friend = users[USER], users[OWNER], users[STAFF], users["friend"]
    if content.title_names:
        _hostile_titles_add(content.title_names)
    titles = list(Title.objects.order_by("-popularity")[:24])
    title, other = titles[0], titles[1]

    # An ordinary user with ratings, a review, a diary, a shelf, friends and a guestbook.
    social.profile_update(user=user, data={"mood": content.mood, "intro": content.intro})
    for index, rated in enumerate(titles[:12]):
        social.rating_set(user=user, title=rated, stars=1 + (index % 9) / 2)
    for marked in titles[12:16]:
        social.watchlist_add(user=user, title=marked)
    review = social.review_upsert(user=user, title=title, body=content.review)
    watched_on = dt.date.today() - dt.timedelta(days=3)
    diary_entry = social.diary_entry_create(user=user, title=title, watched_on=watched_on)
    # A year of viewings for the year in review (연말결산): one a month so far this year.
    today = dt.date.today()
    for month, seen in zip(range(1, today.month + 1), titles[1:12], strict=False):
        day = dt.date(today.year, month, min(today.day, 28))
        social.diary_entry_create(user=user, title=seen, watched_on=day, stars=3 + (month % 5) / 2)
    social.shelf_set(user=user, title_ids=[t.pk for t in titles[:4]])
    for other_user in (friend, owner):
        request = social.friend_request_send(
            from_user=other_user, to_user=user, message=content.friend_request
        )
        social.friend_request_accept(user=user, request_id=request.pk)
    social.friend_request_send(from_user=staff, to_user=user, message=content.staff_request)
    social.rating_set(user=friend, title=other, stars=4.5)
    social.review_upsert(user=friend, title=other, body=content.other_review)
    comment = social.review_comment_create(user=friend, review_id=review.pk, body=content.comment)
    social.review_comment_create(user=user, review_id=review.pk, body=content.reply, parent_id=comment.pk)
    social.guestbook_entry_create(owner=user, author=friend, body=content.guestbook[0])
    social.guestbook_entry_create(owner=user, author=owner, body=content.guestbook[1])
    social.recommendation_send(
        sender=friend, receiver_ids=[user.pk], title=other, note=content.recommendation
    )
    social.pick_dismiss(user=user, title=titles[20])  # the picks page lists what it hid

    # The board: a post by the user (editable), and one that staff have hidden.
    post = social.board_post_create(
        author=user, heading=content.post_heading, body=content.post_body, title_ids=[title.pk]
    )
    social.board_comment_create(user=friend, post=post, body=content.board_comment)
    hidden = social.board_post_create(author=friend, heading="광고 글", body="광고", title_ids=[other.pk])
    social.board_post_moderate(user=staff, post_id=hidden.pk, hidden=True)

    # A chat room the owner runs, with a few messages.
    room = room_create(owner=owner, name=content.room_name, topic=content.room_topic)
    for author, body in zip((owner, user, owner), content.messages, strict=True):
        message_create(room_id=room.pk, author=author, body=body)

    # A list the user co-edits with a 일촌 (the owner persona): notes, a move, the activity log.
    movie_night = lists.list_create(
        owner=user,
        name=content.list_name,
        description=content.list_description,
        visibility="public",
    )
    lists.list_collaborator_invite(user=user, list_id=movie_night.pk, invitee=owner)
    notes = content.list_notes
    for index, listed in enumerate(titles[:8]):
        editor = owner if index % 2 else user
        lists.list_entry_add(user=editor, list_id=movie_night.pk, title_id=listed.pk, note=notes[index % 4])
    first = movie_night.entries.get(position=0)
    lists.list_entry_move(user=owner, entry_id=first.pk, position=2, expected_position=0)
    lists.list_like_set(user=friend, list_id=movie_night.pk, liked=True)
    lists.list_create(owner=user, name=content.private_list_name, visibility="private")
    import_batch = _import_batch_build(user, titles)
    parties = _parties_build(user, owner, titles)
    return World(
        title_id=title.pk,
        other_title_id=other.pk,
        room_id=room.pk,
        post_id=post.pk,
        hidden_post_id=hidden.pk,
        review_id=review.pk,
        diary_entry_id=diary_entry.pk,
        nicknames={persona: users[persona].nickname for persona in (USER, OWNER, STAFF)},
        search_query=title.title_ko[:2],
        import_batch_id=import_batch.pk,
        users=users,
        list_id=movie_night.pk,
        list_token=movie_night.share_token,
        party_id=parties[0].pk,
        party_upcoming_id=parties[1].pk,
        party_ended_id=parties[2].pk,
    )


def _hostile_titles_add(names: tuple[str, str]) -> None:
    """Two titles above every other in popularity: one with no poster at all, one whose poster file
    is gone (both must show the generated placeholder), each with a name as long as the field."""
    from apps.movies.models import Title
    from apps.movies.search.sync import search_index_sync_all
    from apps.movies.services import title_masks_refresh
    from tests.factories import TitleFactory

    top = (Title.objects.order_by("-popularity").values_list("popularity", flat=True).first() or 0) + 10
    korean, english = names
    made = [
        TitleFactory(title_ko=korean, title_en=english, title_original=english, popularity=top + 1),
        TitleFactory(title_ko=korean[::-1], title_en=english, poster="posters/gone.jpg", popularity=top),
    ]
    title_masks_refresh(title_ids=[t.pk for t in made])
    search_index_sync_all()


def _parties_build(host: Any, guest: Any, titles: list[Any]) -> list[Any]:
    """Three watch parties the user hosts with a 일촌 (the owner persona) invited: one live
    (the room open, messages from both at different positions, reactions), one waiting for
    its start, one ended (its timeline)."""
    from apps.chat.services import message_create
    from apps.chat.services import viewer_position_set
    from apps.parties import services as parties
    from apps.parties.models import Party

    soon = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    made = []
    for index, title in enumerate((titles[0], titles[1], titles[2])):
        party = parties.party_create(
            host=host, title_id=title.pk, starts_at=soon + dt.timedelta(days=2 * (index == 1))
        )
        parties.party_invite(user=host, party_id=party.pk, invitee=guest)
        parties.party_rsvp(user=guest, party_id=party.pk, answer="maybe" if index else "going")
        made.append(party)
    live, _waiting, ended = made
    now = dt.datetime.now(dt.UTC)
    Party.objects.filter(pk=live.pk).update(starts_at=now - dt.timedelta(minutes=20))
    # Long enough ago to be over by itself (runtime + 2 h; 3 h when the runtime is unknown).
    Party.objects.filter(pk=ended.pk).update(starts_at=now - dt.timedelta(hours=8))
    lines = (
        (host, 5 * 60, "시작했어요! 팝콘 준비 완료"),
        (guest, 7 * 60, "저는 조금 늦게 시작했어요"),
        (host, 18 * 60, "음악이 정말 좋네요"),
        (guest, 12 * 60, "😂"),
        (host, 15 * 60, "😱"),
        (host, 16 * 60, "🔥"),
    )
    for party in (live, ended):
        for author, seconds, body in lines:
            viewer_position_set(room_id=party.room_id, user=author, episode=None, position_s=seconds)
            kind = "reaction" if len(body) == 1 else "text"
            message_create(room_id=party.room_id, author=author, body=body, kind=kind)
        viewer_position_set(room_id=party.room_id, user=guest, episode=None, position_s=20 * 60)
    parties.party_clock_set(user=host, party_id=live.pk, action="seek", at_s=19 * 60)
    parties.party_clock_set(user=host, party_id=live.pk, action="start")
    return made


def _import_batch_build(user: Any, titles: list[Any]) -> Any:
    """A Letterboxd ratings.csv read and waiting for review: matched rows, one film the catalog
    lacks and one with an out-of-range rating."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.imports.services import import_batch_create
    from apps.imports.services import import_batch_read
    from apps.imports.tasks import import_batch_read_task

    lines = ["Date,Name,Year,Letterboxd URI,Rating"]
    for index, t in enumerate(titles[:3]):
        lines.append(
            f"2024-01-0{index + 1},{t.title_en or t.title_ko},{t.year or ''},https://boxd.it/t{index},4"
        )
    lines.append("2024-02-01,A Film Nobody Catalogued,2001,https://boxd.it/zz01,3")
    lines.append("2024-02-02,Too Many Stars,2001,https://boxd.it/zz02,7")
    upload = SimpleUploadedFile("ratings.csv", "\n".join(lines).encode())
    batch = import_batch_create(user=user, upload=upload, enqueue_read=import_batch_read_task.delay)
    batch = import_batch_read(batch_id=batch.pk)
    assert batch.status == "review", f"the tour's import was not read: {batch.error}"
    return batch


def _email_verified(user: Any) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def session_cookie(user: Any) -> dict[str, str]:
    """A signed-in session for ``user`` (as Django's test client makes one)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
