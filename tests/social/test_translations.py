"""Every string in the reader's language: notifications (rendered when shown), admin names,
genre and provider names."""

from __future__ import annotations

import re

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.apps import apps
from django.test import Client
from django.utils import translation

from apps.social.models import Notification
from apps.social.notification_text import notification_html
from apps.social.notification_text import scope_language
from apps.social.services import guestbook_entry_create
from apps.social.services.recommendations import recommendation_send
from config.asgi import application
from tests.factories import GenreFactory
from tests.factories import NotificationFactory
from tests.factories import ProviderFactory
from tests.factories import ReviewFactory
from tests.factories import TitleFactory
from tests.factories import UserFactory
from tests.social.conftest import client_for
from tests.social.test_consumers import _session_cookie_for

pytestmark = pytest.mark.django_db


def _recommend(alice, bob) -> Notification:
    title = TitleFactory(title_ko="살인의 추억", title_en="Memories of Murder", title_original="살인의 추억")
    recommendation_send(sender=alice, receiver_ids=[bob.pk], title=title, note="꼭 봐")
    return Notification.objects.get(user=bob)


def test_recommendation_notification_reads_in_the_readers_language_at_display_time(friends):
    alice, bob = friends
    with translation.override("en"):  # written while the sender browsed in English
        notification = _recommend(alice, bob)

    with translation.override("ko"):
        assert notification.display_text == "앨리스님의 추천: 살인의 추억"
    with translation.override("en"):
        assert notification.display_text == "앨리스 recommended Memories of Murder"


def test_inbox_page_and_api_show_notifications_in_the_page_language(friends):
    alice, bob = friends
    _recommend(alice, bob)
    guestbook_entry_create(owner=bob, author=alice, body="hi")
    client = client_for(bob)

    korean = _text(client.get("/inbox/").content.decode())
    assert "앨리스님의 추천: 살인의 추억" in korean
    assert "앨리스님이 방명록에 글을 남겼어요" in korean
    assert "recommended" not in korean
    assert "wrote in your guestbook" not in korean

    client.cookies["django_language"] = "en"
    english = _text(client.get("/inbox/").content.decode())
    assert "앨리스 wrote in your guestbook" in english
    api = client.get("/api/social/notifications/").json()
    texts = [row["text"] for row in api["results"]]
    assert "앨리스 recommended Memories of Murder" in texts


def _text(html: str) -> str:
    """A page's words without its tags (names and titles sit in their own marked elements)."""
    return re.sub(r"<[^>]+>", "", html)


def test_notification_html_marks_the_name_and_the_title_and_escapes_them(friends):
    alice, bob = friends
    title = TitleFactory(title_ko="살인의 <추억>", title_en="", title_original="")
    recommendation_send(sender=alice, receiver_ids=[bob.pk], title=title, note="꼭 봐")
    notification = Notification.objects.get(user=bob)

    with translation.override("en"):
        html = notification.display_html

    assert html == (
        f'<span data-name dir="auto">{alice.display_name}</span> recommended '
        '<span class="title-name" dir="auto">살인의 &lt;추억&gt;</span>'
    )


def test_notification_html_marks_a_list_name_as_what_its_owner_wrote():
    with translation.override("en"):
        html = notification_html(kind="list_like", params={"actor": "친구1", "list": "금요일 <밤>"})

    assert html == (
        '<span data-name dir="auto">친구1</span> liked your list '
        '<span class="ugc" dir="auto">금요일 &lt;밤&gt;</span>'
    )


def test_notification_html_of_an_old_notification_is_its_escaped_text(bob):
    old = NotificationFactory(user=bob, kind="mention", text="<b>legacy</b>")

    assert old.display_html == "&lt;b&gt;legacy&lt;/b&gt;"


def test_notifications_stored_before_params_existed_keep_their_text(bob):
    old = NotificationFactory(user=bob, kind="mention", text="legacy words")

    with translation.override("ko"):
        assert old.display_text == "legacy words"


def test_socket_language_comes_from_the_cookie_then_accept_language():
    assert scope_language({"cookies": {"django_language": "en"}, "headers": []}) == "en"
    assert scope_language({"cookies": {}, "headers": [(b"accept-language", b"en-US,en;q=0.9")]}) == "en"
    assert scope_language({"cookies": {"django_language": "xx"}, "headers": []}) == "ko"
    assert scope_language({}) == "ko"


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_live_push_is_rendered_in_the_sockets_language():
    alice = await sync_to_async(UserFactory)(nickname="앨리스")
    bob = await sync_to_async(UserFactory)(nickname="bobby")
    session = await _session_cookie_for(bob)
    headers = [
        (b"origin", b"http://localhost"),
        (b"cookie", f"sessionid={session}; django_language=en".encode()),
    ]
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    await communicator.receive_json_from()  # unread badge

    with translation.override("ko"):  # the writer browses in Korean
        await sync_to_async(guestbook_entry_create)(owner=bob, author=alice, body="안녕")
    event = await communicator.receive_json_from(timeout=5)

    assert event["notification"]["text"] == "앨리스 wrote in your guestbook"
    await communicator.disconnect()


def test_admin_plural_names_are_english_plurals_and_translated():
    wrong = [
        f"{model._meta.label}: {model._meta.verbose_name_plural}"
        for model in apps.get_models()
        if str(model._meta.verbose_name_plural).endswith(("ys", "sss"))
        and not str(model._meta.verbose_name_plural).endswith(("ays", "eys", "oys"))
    ]
    assert wrong == []
    model = apps.get_model("social", "GuestbookEntry")
    with translation.override("en"):
        assert str(model._meta.verbose_name_plural) == "guestbook entries"
    with translation.override("ko"):
        assert str(model._meta.verbose_name_plural) == "방명록 글"


def test_admin_changelist_title_says_guestbook_entries(client: Client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.cookies["django_language"] = "en"

    page = client.get("/admin/social/").content.decode()

    assert "Guestbook entries" in page
    assert "entrys" not in page


def test_genre_and_provider_names_follow_the_language():
    genre = GenreFactory(slug="drama-x", name_ko="드라마", name_en="Drama")
    provider = ProviderFactory(slug="tving-x", name="TVING", name_ko="티빙")

    with translation.override("en"):
        assert (genre.display_name, provider.display_name) == ("Drama", "TVING")
    with translation.override("ko"):
        assert (genre.display_name, provider.display_name) == ("드라마", "티빙")


def test_review_like_and_comment_notifications_read_in_the_readers_language(friends):
    from apps.social.services.ratings import review_comment_create
    from apps.social.services.ratings import review_like_set

    alice, bob = friends
    title = TitleFactory(title_ko="살인의 추억", title_en="Memories of Murder", title_original="살인의 추억")
    review = ReviewFactory(user=bob, title=title, body="걸작")
    with translation.override("ko"):  # written while alice browsed in Korean
        review_like_set(user=alice, review=review, liked=True)
        review_comment_create(user=alice, review_id=review.pk, body="동감")

    texts = {n.kind: n for n in Notification.objects.filter(user=bob)}
    with translation.override("en"):
        assert texts["review_like"].display_text == "앨리스 liked your review of Memories of Murder"
        assert texts["review_comment"].display_text == "앨리스 commented on your review of Memories of Murder"
    with translation.override("ko"):
        assert "살인의 추억" in texts["review_like"].display_text
        assert "liked" not in texts["review_like"].display_text
