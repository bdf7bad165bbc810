"""Rules across pages and API: ownership, no IDOR, no leaks, escaping, CSRF, bounded queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.social.models import BoardPost
from apps.social.models import GuestbookEntry
from apps.social.models import Profile
from apps.social.selectors import GUESTBOOK_PAGE
from apps.social.services import board_post_create
from apps.social.services import guestbook_entry_create
from apps.social.services import profile_update
from apps.social.services import rating_set
from apps.social.services import review_upsert
from apps.social.services import shelf_set
from apps.social.services.friends import _friendship_make
from apps.social.services.homepage import SECTIONS
from tests.factories import TitleFactory
from tests.factories import UserFactory
from tests.social.conftest import client_for

pytestmark = pytest.mark.django_db


def _home(user) -> str:
    return reverse("social:homepage", kwargs={"nickname": user.nickname})


def test_homepage_escapes_all_user_text(alice, bob):
    profile_update(user=alice, data={"mood": "<b>x</b>", "intro": '<img src=x onerror="alert(1)">'})
    guestbook_entry_create(owner=alice, author=bob, body="<script>alert('gb')</script>")
    html = Client().get(_home(alice)).content.decode()
    assert "<script>alert('gb')</script>" not in html
    assert "&lt;script&gt;" in html
    assert '<img src=x onerror="alert(1)">' not in html
    assert "<b>x</b>" not in html


def test_secret_entries_never_leak_through_page_or_api(alice, bob, carol):
    guestbook_entry_create(owner=alice, author=bob, body="SECRET-TEXT", is_secret=True)
    guestbook_entry_create(owner=alice, author=bob, body="public hello")
    api = reverse("social-api:guestbook", kwargs={"nickname": alice.nickname})
    for client in (Client(), client_for(carol)):
        assert "SECRET-TEXT" not in client.get(_home(alice)).content.decode()
        body = client.get(api).content.decode()
        assert "SECRET-TEXT" not in body
        assert "public hello" in body
    assert "SECRET-TEXT" in client_for(bob).get(api).content.decode()
    assert "SECRET-TEXT" in client_for(alice).get(_home(alice)).content.decode()
    # nor through notifications
    assert "SECRET-TEXT" not in client_for(alice).get(reverse("social-api:notifications")).content.decode()


def test_guestbook_delete_by_id_is_no_idor_in_pages_or_api(alice, bob, carol):
    entry = guestbook_entry_create(owner=alice, author=bob, body="keep me")
    page = client_for(carol).post(reverse("social:guestbook-delete", args=[entry.pk]))
    api = client_for(carol).delete(reverse("social-api:guestbook-delete", args=[entry.pk]))
    assert page.status_code == 302
    assert api.status_code == 404  # not hers to delete looks like not there
    assert GuestbookEntry.objects.filter(pk=entry.pk).exists()
    assert client_for(bob).delete(reverse("social-api:guestbook-delete", args=[entry.pk])).status_code == 204


def test_only_owner_edits_a_homepage(alice, bob):
    # profile endpoints only ever address the caller: bob's edit changes bob, never alice
    client_for(bob).patch(reverse("social-api:profile-update"), {"mood": "hacked"}, "application/json")
    client_for(bob).post(
        reverse("social:profile-edit"),
        {
            "nickname": "bob",
            "mood": "bob's mood",
            "intro": "",
            **{f"visibility_{s}": "public" for s in SECTIONS},
        },
    )
    assert Profile.objects.filter(user=alice, mood__in=["hacked", "bob's mood"]).count() == 0
    assert Profile.objects.get(user=bob).mood == "bob's mood"
    assert (
        Client().patch(reverse("social-api:profile-update"), {"mood": "x"}, "application/json").status_code
        == 403
    )


def test_private_sections_hidden_in_api_and_feed(alice, bob, carol, friends):
    title = TitleFactory(title_ko="비밀영화")
    rating_set(user=alice, title=title, stars=5)
    review_upsert(user=alice, title=title, body="private thoughts")
    shelf_set(user=alice, title_ids=[title.pk])
    profile_update(user=alice, data={"visibility_ratings": "private", "visibility_shelf": "friends"})
    data = Client().get(reverse("social-api:homepage", kwargs={"nickname": alice.nickname})).json()
    assert data["recent_ratings"] is None
    assert data["shelf"] is None
    friend_view = (
        client_for(bob).get(reverse("social-api:homepage", kwargs={"nickname": alice.nickname})).json()
    )
    assert friend_view["shelf"][0]["title"]["id"] == title.pk
    assert friend_view["recent_ratings"] is None
    feed = client_for(bob).get(reverse("social-api:feed")).json()
    assert {item["verb"] for item in feed["results"]} == {"shelved"}
    reviews = Client().get(reverse("social-api:review-list", args=[title.pk])).json()
    assert reviews["count"] == 0
    assert "private thoughts" not in client_for(bob).get(reverse("social:feed")).content.decode()


def test_feed_pages_friends_activity(alice, bob, carol, friends):
    for _ in range(25):
        rating_set(user=bob, title=TitleFactory(), stars=3)
    rating_set(user=carol, title=TitleFactory(), stars=3)  # not a friend
    first = client_for(alice).get(reverse("social-api:feed"), {"limit": 20}).json()
    assert first["count"] == 25
    assert len(first["results"]) == 20
    page2 = client_for(alice).get(reverse("social:feed"), {"page": 2})
    assert page2.status_code == 200
    assert page2.content.decode().count('<li class="list__item feed-item">') == 5


def test_guestbook_form_requires_csrf(alice, bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    response = client.post(reverse("social:guestbook-create", args=[alice.nickname]), {"body": "hi"})
    assert response.status_code == 403
    assert not GuestbookEntry.objects.exists()


def test_api_writes_require_csrf_for_session_users(alice, bob):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    response = client.post(
        reverse("social-api:guestbook-create", args=[alice.nickname]), {"body": "hi"}, "application/json"
    )
    assert response.status_code == 403
    assert not GuestbookEntry.objects.exists()


def test_blocked_user_gets_a_clear_error_on_the_page(alice, bob):
    client_for(alice).post(reverse("social:relation", args=[bob.nickname, "block"]))
    response = client_for(bob).post(
        reverse("social:guestbook-create", args=[alice.nickname]), {"body": "hello?"}, follow=True
    )
    assert "cannot write in this guestbook" in response.content.decode()
    assert not GuestbookEntry.objects.exists()


def test_homepage_query_count_does_not_grow_with_data(alice, django_assert_max_num_queries):
    def build(n: int) -> None:
        titles = [TitleFactory() for _ in range(n)]
        for t in titles:
            rating_set(user=alice, title=t, stars=4)
        for _ in range(n):
            friend = UserFactory()
            _friendship_make(alice, friend)
            guestbook_entry_create(owner=alice, author=friend, body="hi")
        shelf_set(user=alice, title_ids=[t.pk for t in titles[:5]])

    viewer = UserFactory()
    build(5)
    client = client_for(viewer)
    client.get(_home(alice))
    with CaptureQueriesContext(connection) as small:
        client.get(_home(alice))
    build(30)
    with CaptureQueriesContext(connection) as large:
        client.get(_home(alice))
    assert len(large) == len(small)
    assert 5 < len(large) <= 16


def test_surf_redirects_to_a_friends_page(alice, bob, friends):
    response = Client().get(reverse("social:surf", args=[alice.nickname]))
    assert response["Location"] == _home(bob)


def test_openapi_schema_documents_the_social_api():
    schema = (
        Client().get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").content.decode()
    )
    for path in (
        "/api/social/users/{nickname}/guestbook/",
        "/api/social/recommendations/",
        "/api/social/board/",
    ):
        assert path in schema


def test_board_pages_round_trip(alice, bob, title):
    client = client_for(alice)
    response = client.post(
        reverse("social:board-new"),
        {"heading": "주말 추천", "body": "<b>재밌어요</b>", "title_ids": [str(title.pk)]},
    )
    assert response.status_code == 302
    detail = client_for(bob).get(response["Location"]).content.decode()
    assert "&lt;b&gt;재밌어요&lt;/b&gt;" in detail
    listing = Client().get(reverse("social:board") + f"?title={title.pk}&sort=hot").content.decode()
    assert "주말 추천" in listing
    bad = client.post(reverse("social:board-new"), {"heading": "x", "body": "y", "title_ids": "abc"})
    assert bad.status_code == 200
    assert "추천 목록에서 작품을 고르세요" in bad.content.decode()  # "Pick titles from the suggestions."


def test_user_search_finds_by_folded_nickname_and_exposes_identity_only(alice, bob, carol):
    from apps.social.services import block_set
    from apps.social.services import user_nickname_set

    user_nickname_set(user=alice, nickname="MovieQueen")
    profile_update(user=alice, data={"mood": "secret mood", "visibility_ratings": "private"})
    guestbook_entry_create(owner=alice, author=bob, body="SECRET-GB", is_secret=True)
    results = Client().get(reverse("social-api:user-search"), {"q": "ｍｏｖｉｅ"}).json()
    assert [r["nickname"] for r in results] == ["MovieQueen"]
    assert set(results[0]) == {"id", "nickname", "avatar"}
    page = client_for(carol).get(reverse("social:friends"), {"q": "movie"}).content.decode()
    assert "MovieQueen" in page
    assert "SECRET-GB" not in page
    assert "secret mood" not in page
    # people who blocked you do not show up
    block_set(blocker=alice, blocked=carol)
    assert client_for(carol).get(reverse("social-api:user-search"), {"q": "movie"}).json() == []


def test_sender_sees_how_the_friend_rated_and_receiver_accepts_from_inbox(alice, bob, friends, title):
    from apps.social.models import WatchlistItem
    from apps.social.services import recommendation_send

    [rec] = recommendation_send(sender=alice, receiver_ids=[bob.pk], title=title, note="<i>봐봐</i>")
    inbox = client_for(bob).get(reverse("social:inbox")).content.decode()
    assert "&lt;i&gt;봐봐&lt;/i&gt;" in inbox
    client_for(bob).post(reverse("social:recommendation-answer", args=[rec.pk, "accept"]))
    assert WatchlistItem.objects.filter(user=bob, title=title).exists()
    rating_set(user=bob, title=title, stars=3.5)
    sent = client_for(alice).get(reverse("social:inbox")).content.decode()
    assert "★★★½" in sent
    api = client_for(alice).get(reverse("social-api:recommendation-sent")).json()
    assert api["results"][0]["friend_stars"] == 3.5
    hit = client_for(UserFactory()).get(_home(alice)).content.decode()
    assert "100%" in hit


def test_inbox_names_the_sender_in_each_language(alice, bob, friends, title):
    from apps.social.services import recommendation_send

    recommendation_send(sender=alice, receiver_ids=[bob.pk], title=title, note="꼭 봐")
    korean = client_for(bob).get(reverse("social:inbox"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    english = client_for(bob).get(reverse("social:inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    # (the name sits in its own data-name element inside the sentence)
    assert f'<span data-name dir="auto">{alice.display_name}</span>님의 추천' in korean
    assert f'recommended by <span data-name dir="auto">{alice.display_name}</span>' in english
    assert "“꼭 봐”" in korean


def test_taste_match_is_hidden_when_ratings_are_private(alice, bob):
    titles = [TitleFactory() for _ in range(3)]
    for t in titles:
        rating_set(user=alice, title=t, stars=4)
        rating_set(user=bob, title=t, stars=4)
    url = reverse("social-api:taste-match", kwargs={"nickname": alice.nickname})
    assert client_for(bob).get(url).json() == {"percent": 100}
    profile_update(user=alice, data={"visibility_ratings": "private"})
    assert client_for(bob).get(url).status_code == 400
    assert (
        client_for(bob)
        .get(reverse("social-api:homepage", kwargs={"nickname": alice.nickname}))
        .json()["taste_match"]
        is None
    )


def test_owners_see_their_own_review_and_its_comments_when_their_ratings_are_private(alice, bob, title):
    from apps.social.selectors import title_social_get
    from apps.social.services import review_comment_create

    # given alice reviewed a title, got a comment, then made her ratings private
    review = review_upsert(user=alice, title=title, body="두 번 봤다", has_spoilers=False)
    review_comment_create(user=bob, review_id=review.pk, body="동감")
    profile_update(user=alice, data={"visibility_ratings": "private"})
    mine, theirs = client_for(alice), client_for(bob)

    # then she still sees both, in the API and on the title page's data
    listed = mine.get(f"/api/social/titles/{title.pk}/reviews/").json()
    assert [item["id"] for item in listed["results"]] == [review.pk]
    comments = mine.get(f"/api/social/reviews/{review.pk}/comments/")
    assert comments.status_code == 200
    assert [c["body"] for c in comments.json()["results"]] == ["동감"]
    assert [r.pk for r in title_social_get(title=title, viewer=alice).reviews] == [review.pk]
    reply = mine.post(f"/api/social/reviews/{review.pk}/comments/create/", {"body": "고마워"})
    assert reply.status_code == 201

    # and others still do not
    assert theirs.get(f"/api/social/titles/{title.pk}/reviews/").json()["results"] == []
    assert theirs.get(f"/api/social/reviews/{review.pk}/comments/").status_code == 404
    assert theirs.post(f"/api/social/reviews/{review.pk}/comments/create/", {"body": "?"}).status_code == 404
    assert title_social_get(title=title, viewer=bob).reviews == []
    assert Client().get(f"/api/social/reviews/{review.pk}/comments/").status_code == 404


def test_feed_rows_link_the_actor_and_what_they_did(alice, bob, friends):
    # given: bob rated one title and posted about another on the board
    rated = TitleFactory(title_ko="평가한 영화")
    posted_about = TitleFactory(title_ko="글 쓴 영화")
    rating_set(user=bob, title=rated, stars=4)
    post = board_post_create(author=bob, heading="같이 봐요", body="좋아요", title_ids=[posted_about.pk])

    # when
    html = client_for(alice).get(reverse("social:feed")).content.decode()

    # then: each row links bob's page (avatar and name), a rating links its title (name and
    # poster), a post links the post and shows no poster
    rows = html.split('<li class="list__item feed-item">')[1:]
    assert len(rows) == 2
    home = reverse("social:homepage", args=[bob.nickname])
    post_row = next(row for row in rows if "글 쓴 영화" in row)
    rating_row = next(row for row in rows if "평가한 영화" in row)
    for row in rows:
        assert row.count(f'href="{home}"') == 2
    assert rating_row.count(f'href="{reverse("social:title", args=[rated.pk])}"') == 2
    assert 'class="list__media"' in rating_row
    assert f'href="{reverse("social:board-detail", args=[post.pk])}"' in post_row
    assert 'class="list__media"' not in post_row
    assert reverse("social:title", args=[posted_about.pk]) not in post_row


@pytest.mark.parametrize("sort", ["new", "hot"])
def test_board_page_rows_show_author_titles_and_counts_in_fixed_queries(alice, bob, sort):
    # given: two posts by bob, one about two titles, and one of alice's that a moderator hid
    first = TitleFactory(title_ko="첫째 영화")
    second = TitleFactory(title_ko="", title_en="Second Film")
    body = "본문은 목록에 없어요"
    board_post_create(author=bob, heading="두 편 추천", body=body, title_ids=[first.pk, second.pk])
    board_post_create(author=bob, heading="한 편 추천", body="짧은 글", title_ids=[first.pk])
    hidden = board_post_create(author=alice, heading="숨긴 글", body="x", title_ids=[first.pk])
    BoardPost.objects.filter(pk=hidden.pk).update(is_hidden=True, like_count=7)
    path = reverse("social:board") + f"?sort={sort}"
    client = client_for(alice)
    client.get(path)
    with CaptureQueriesContext(connection) as few:
        client.get(path)

    # when: more posts
    for n in range(5):
        board_post_create(author=bob, heading=f"더 {n}", body="y", title_ids=[first.pk, second.pk])
    with CaptureQueriesContext(connection) as more:
        html = client.get(path).content.decode()

    # then: the same queries, each row as before, and the hidden post for its author only
    assert len(more) == len(few)
    assert "두 편 추천" in html
    name = '<span class="title-name" dir="auto">{}</span>'
    names = f"{name.format('첫째 영화')}, {name.format('Second Film')}"
    assert names in html
    assert f'<span data-name dir="auto">{bob.nickname}</span>' in html
    assert "본문은 목록에 없어요" not in html
    assert "숨긴 글" in html
    assert "hidden-post" in html
    assert "숨긴 글" not in client_for(bob).get(path).content.decode()
    # The API's list is not the page's rows: it still carries each post's body.
    api = Client().get(reverse("social-api:board-list"), {"sort": sort}).json()
    assert "본문은 목록에 없어요" in {post["body"] for post in api["results"]}


def test_guestbook_pages_show_each_reader_what_they_may_read_on_every_owners_page(alice, bob, carol):
    # given: on alice's and on carol's page, bob's secret entry, carol's secret entry on alice's,
    # and enough public ones for a second page (the first page's statement is compiled once per
    # kind of reader and process, then run for any owner and viewer)
    # (rows made directly: the service limits how fast one person writes)
    for n in range(GUESTBOOK_PAGE + 2):
        GuestbookEntry.objects.create(owner=alice, author=carol, body=f"public {n}")
    GuestbookEntry.objects.create(owner=alice, author=bob, body="BOB-SECRET-FOR-ALICE", is_secret=True)
    GuestbookEntry.objects.create(owner=alice, author=carol, body="CAROL-SECRET-FOR-ALICE", is_secret=True)
    GuestbookEntry.objects.create(owner=carol, author=bob, body="BOB-SECRET-FOR-CAROL", is_secret=True)
    # The oldest public entry is on the second page (newest first).
    assert GuestbookEntry.objects.filter(owner=alice).order_by("created_at", "id").first().body == "public 0"

    def pages(client: Client, owner) -> tuple[str, str]:
        first = client.get(_home(owner)).content.decode()
        second = client.get(_home(owner) + f"?gb={GUESTBOOK_PAGE}").content.decode()
        return first, second

    # when / then: anonymous reads no secret anywhere
    first, second = pages(Client(), alice)
    assert "SECRET" not in first + second
    assert "public 0" in second
    # bob, a visitor, reads his own secret on each page it is on, never carol's
    first, second = pages(client_for(bob), alice)
    assert "BOB-SECRET-FOR-ALICE" in first + second
    assert "CAROL-SECRET-FOR-ALICE" not in first + second
    assert "BOB-SECRET-FOR-CAROL" in "".join(pages(client_for(bob), carol))
    # alice, the owner, reads every entry of her page and none of carol's
    first, second = pages(client_for(alice), alice)
    assert "BOB-SECRET-FOR-ALICE" in first
    assert "CAROL-SECRET-FOR-ALICE" in first
    assert "public 0" in second
    assert "BOB-SECRET-FOR-CAROL" not in "".join(pages(client_for(alice), carol))
    # carol, the owner of hers, reads bob's secret there; on alice's, only her own
    assert "BOB-SECRET-FOR-CAROL" in "".join(pages(client_for(carol), carol))
    first, second = pages(client_for(carol), alice)
    assert "CAROL-SECRET-FOR-ALICE" in first + second
    assert "BOB-SECRET-FOR-ALICE" not in first + second
    # each entry names its author and links their page
    assert f'href="{_home(carol)}"' in first
    assert f'<span data-name dir="auto">{carol.nickname}</span>' in first
