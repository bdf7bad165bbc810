"""Watchlist alerts, end to end: a crawl opens offers, watchers on those services hear once."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import translation

from apps.movies.models import Availability
from apps.movies.models import Title
from apps.movies.services.crawl_runs import crawl_run_execute
from apps.movies.services.ingestion import providers_ensure
from apps.social.models import Notification
from apps.social.models import NotificationKind
from apps.social.models import WatchAlert
from apps.social.services import watch_alerts as watch_alerts_module
from apps.social.services.watch_alerts import watch_alert_preference_set
from apps.social.services.watch_alerts import watch_alerts_create
from tests.factories import TitleFactory
from tests.factories import UserFactory
from tests.factories import WatchlistItemFactory
from tests.movies.crawlers.recordings import replay_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(monkeypatch):
    """Live events the alerts push (broadcast_many itself is tested below, on a real layer)."""
    sent: list[tuple[int, dict]] = []
    monkeypatch.setattr(watch_alerts_module, "broadcast_many", sent.extend)
    return sent


def _watcher(title: Title, *services: str, email: bool = False):
    user = UserFactory()
    WatchlistItemFactory(user=user, title=title)
    ids = providers_ensure(slugs=services)
    user.my_services.set(ids.values())
    if email:
        watch_alert_preference_set(user=user, email=True)
    return user


def _crawl(source: str, capture, fixture: str | None = None):
    with capture(execute=True):
        return crawl_run_execute(source=source, client=replay_client(fixture or source)[0])


def test_a_run_opening_an_offer_alerts_each_watcher_on_that_service_once(
    django_capture_on_commit_callbacks, live
):
    # given 위키드 is on three watchlists; only two of the watchers use Lotte Cinema
    wicked = TitleFactory(title_ko="위키드", title_en="Wicked", year=2024)
    fan = _watcher(wicked, "lotte-cinema", "netflix")
    mailer = _watcher(wicked, "lotte-cinema", email=True)
    elsewhere = _watcher(wicked, "netflix")

    # when Lotte Cinema starts showing it
    run = _crawl("lotte", django_capture_on_commit_callbacks)

    # then each Lotte watcher gets one in-app alert, live, and the opted-in one an e-mail
    assert run.opened_count == 5
    alerts = WatchAlert.objects.filter(title=wicked)
    assert sorted(a.user_id for a in alerts) == sorted([fan.id, mailer.id])
    assert not Notification.objects.filter(user=elsewhere).exists()
    note = Notification.objects.get(user=fan)
    assert note.kind == NotificationKind.WATCH_ALERT
    assert note.url == wicked.get_absolute_url()
    assert "위키드" in note.text
    assert "롯데시네마" in note.text
    with translation.override("en"):  # worded again for a reader of the English pages
        assert note.display_text == "Wicked from your watchlist is now on Lotte Cinema"
    assert sorted(user_id for user_id, _ in live) == sorted([fan.id, mailer.id])
    assert live[0][1]["notification"]["kind"] == "watch_alert"
    assert [m.to for m in mail.outbox] == [[mailer.email]]
    assert wicked.get_absolute_url() in mail.outbox[0].body


def test_rerunning_a_source_alerts_nobody_again(django_capture_on_commit_callbacks, live):
    wicked = TitleFactory(title_ko="위키드", title_en="Wicked", year=2024)
    _watcher(wicked, "lotte-cinema", email=True)
    _crawl("lotte", django_capture_on_commit_callbacks)
    live.clear()
    mail.outbox.clear()

    again = _crawl("lotte", django_capture_on_commit_callbacks)

    assert (again.new_count, again.updated_count, again.closed_count, again.opened_count) == (0, 0, 0, 0)
    assert WatchAlert.objects.count() == 1
    assert Notification.objects.count() == 1
    assert live == []
    assert mail.outbox == []


def test_an_offer_that_closes_and_reopens_alerts_nobody_twice(django_capture_on_commit_callbacks, live):
    wicked = TitleFactory(title_ko="위키드", title_en="Wicked", year=2024)
    _watcher(wicked, "lotte-cinema")
    _crawl("lotte", django_capture_on_commit_callbacks)
    offer = Availability.objects.get(title=wicked, provider__slug="lotte-cinema")
    Availability.objects.filter(id=offer.id).update(ends_on=datetime.date(2024, 12, 1))

    created = watch_alerts_create(availability_ids=[offer.id])  # closed: nothing
    Availability.objects.filter(id=offer.id).update(ends_on=None)
    reopened = watch_alerts_create(availability_ids=[offer.id])  # reopened: already told

    assert (created, reopened) == ([], [])
    assert WatchAlert.objects.count() == 1


def test_coming_soon_is_not_an_alert(django_capture_on_commit_callbacks, live):
    # 소방관 is only "coming soon" at Lotte Cinema in the recording
    firefighters = TitleFactory(title_ko="소방관", title_en="Firefighters", year=2024)
    _watcher(firefighters, "lotte-cinema")

    _crawl("lotte", django_capture_on_commit_callbacks)

    assert not WatchAlert.objects.exists()


def test_alert_preference_is_kept_per_user():
    user = UserFactory()

    watch_alert_preference_set(user=user, email=True)
    watch_alert_preference_set(user=user, email=False)

    user.refresh_from_db()
    assert user.watch_alert_preference.email is False


@pytest.mark.parametrize("source", ["megabox", "lotte", "kobis", "tmdb"])
def test_rerunning_any_source_changes_zero_rows_and_sends_zero_alerts(
    source, settings, django_capture_on_commit_callbacks, live
):
    settings.TMDB_API_KEY = settings.KOBIS_API_KEY = "test-key"
    first = _crawl(source, django_capture_on_commit_callbacks)
    assert first.status in {"succeeded", "partial"}
    titles = Title.objects.count()
    for title in Title.objects.all():
        _watcher(title, *title.availabilities.values_list("provider__slug", flat=True))
    stamps = list(Availability.objects.order_by("id").values_list("id", "updated_at"))

    again = _crawl(source, django_capture_on_commit_callbacks)

    assert (again.new_count, again.updated_count, again.closed_count, again.opened_count) == (0, 0, 0, 0)
    assert Title.objects.count() == titles
    assert list(Availability.objects.order_by("id").values_list("id", "updated_at")) == stamps
    assert WatchAlert.objects.count() == 0
    assert live == []


def test_alert_email_opt_in_is_saved_from_the_coming_soon_page(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post("/me/watch-alerts/", {"email": "1"}, follow=True)

    assert response.redirect_chain[-1][0] == "/coming-soon/"
    user.refresh_from_db()
    assert user.watch_alert_preference.email is True
    assert 'name="email" value="1" checked' in response.content.decode()
    client.post("/me/watch-alerts/", {})
    user.refresh_from_db()
    assert user.watch_alert_preference.email is False


def test_alert_email_opt_in_needs_a_signed_in_user(client):
    response = client.post("/me/watch-alerts/", {"email": "1"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "login" in response["Location"]


def test_broadcast_many_reaches_each_users_notification_group(settings):
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    from config.realtime import user_notify_group

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(user_notify_group(42), channel)
    event = {"type": "notify.message", "notification": {"id": 1, "kind": "watch_alert"}, "unread": 1}

    watch_alerts_module.broadcast_many([(42, event), (43, event)])

    assert async_to_sync(layer.receive)(channel) == event
