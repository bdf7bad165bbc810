from __future__ import annotations

import pytest

from apps.social.models import Follow
from apps.social.models import FriendRequest
from apps.social.models import Friendship
from apps.social.models import Notification
from apps.social.models import Recommendation
from apps.social.models import WatchlistItem
from apps.social.selectors import random_friend_of
from apps.social.selectors import recommendation_hit_rate
from apps.social.selectors import recommendations_sent
from apps.social.selectors import taste_match_percent
from apps.social.services import block_remove
from apps.social.services import block_set
from apps.social.services import friend_remove
from apps.social.services import friend_request_accept
from apps.social.services import friend_request_decline
from apps.social.services import friend_request_send
from apps.social.services import friend_request_withdraw
from apps.social.services import rating_set
from apps.social.services import recommendation_accept
from apps.social.services import recommendation_dismiss
from apps.social.services import recommendation_send
from config.exceptions import ApplicationError
from tests.factories import TitleFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_request_accept_makes_mutual_friends_and_notifies(alice, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = friend_request_send(from_user=alice, to_user=bob, message="일촌 해요")
        friend_request_accept(user=bob, request_id=request.pk)
    assert Friendship.objects.filter(user=alice, friend=bob).exists()
    assert Friendship.objects.filter(user=bob, friend=alice).exists()
    assert Follow.objects.filter(follower=bob, followee=alice).exists()
    kinds = set(Notification.objects.values_list("user__username", "kind"))
    assert kinds == {("bob", "friend_request"), ("alice", "friend_accepted")}


def test_duplicate_request_is_rejected(alice, bob):
    friend_request_send(from_user=alice, to_user=bob)
    with pytest.raises(ApplicationError, match="already sent"):
        friend_request_send(from_user=alice, to_user=bob)
    assert FriendRequest.objects.count() == 1


def test_asking_back_accepts_the_open_request(alice, bob):
    friend_request_send(from_user=alice, to_user=bob)
    friend_request_send(from_user=bob, to_user=alice)
    assert Friendship.objects.count() == 2
    assert FriendRequest.objects.get().status == "accepted"


def test_accepting_a_withdrawn_request_fails_clearly(alice, bob):
    request = friend_request_send(from_user=alice, to_user=bob)
    friend_request_withdraw(user=alice, request_id=request.pk)
    with pytest.raises(ApplicationError, match="withdrawn"):
        friend_request_accept(user=bob, request_id=request.pk)
    assert not Friendship.objects.exists()


def test_only_the_receiver_answers_a_request(alice, bob, carol):
    request = friend_request_send(from_user=alice, to_user=bob)
    with pytest.raises(ApplicationError, match="No such"):
        friend_request_accept(user=carol, request_id=request.pk)
    with pytest.raises(ApplicationError, match="No such"):
        friend_request_accept(user=alice, request_id=request.pk)
    friend_request_decline(user=bob, request_id=request.pk)
    assert FriendRequest.objects.get().status == "declined"


def test_self_and_blocked_requests_are_refused(alice, bob):
    with pytest.raises(ApplicationError, match="yourself"):
        friend_request_send(from_user=alice, to_user=alice)
    block_set(blocker=bob, blocked=alice)
    with pytest.raises(ApplicationError, match="cannot send"):
        friend_request_send(from_user=alice, to_user=bob)
    block_remove(blocker=bob, blocked=alice)
    friend_request_send(from_user=alice, to_user=bob)


def test_friend_requests_are_rate_limited(alice, settings):
    settings.SOCIAL_RATE_LIMITS = {"friend_request": (2, 3600)}
    friend_request_send(from_user=alice, to_user=UserFactory())
    friend_request_send(from_user=alice, to_user=UserFactory())
    with pytest.raises(ApplicationError, match="요청이 너무 많아요"):
        friend_request_send(from_user=alice, to_user=UserFactory())
    assert FriendRequest.objects.count() == 2


def test_block_cuts_friendship_and_remove_friend(alice, bob, carol, friends):
    block_set(blocker=alice, blocked=bob)
    assert not Friendship.objects.filter(user__in=[alice, bob]).exists()
    with pytest.raises(ApplicationError, match="not friends"):
        friend_remove(user=alice, friend=carol)


def test_surf_picks_a_friend(alice, bob, friends):
    assert random_friend_of(user=alice) == bob
    assert random_friend_of(user=alice, exclude_id=bob.pk) is None


def test_taste_match_from_common_ratings(alice, bob):
    titles = [TitleFactory() for _ in range(3)]
    assert taste_match_percent(a=alice, b=bob) is None
    for t in titles:
        rating_set(user=alice, title=t, stars=4)
        rating_set(user=bob, title=t, stars=4)
    assert taste_match_percent(a=alice, b=bob) == 100
    rating_set(user=bob, title=titles[0], stars=0.5)
    assert 0 < taste_match_percent(a=alice, b=bob) < 100


def test_recommendation_flow_accept_adds_to_watchlist_and_sender_sees_rating(alice, bob, friends, title):
    [rec] = recommendation_send(sender=alice, receiver_ids=[bob.pk], title=title, note="꼭 봐")
    recommendation_accept(user=bob, recommendation_id=rec.pk)
    assert WatchlistItem.objects.filter(user=bob, title=title).exists()
    rating_set(user=bob, title=title, stars=4.5)
    assert recommendations_sent(user=alice).get().friend_half_stars == 9
    assert recommendation_hit_rate(user=alice) == {"rated": 1, "hits": 1, "percent": 100}
    with pytest.raises(ApplicationError, match="already accepted"):
        recommendation_dismiss(user=bob, recommendation_id=rec.pk)


def test_recommendation_to_non_friend_or_self_saves_nothing(alice, bob, carol, friends, title):
    with pytest.raises(ApplicationError, match="only recommend titles to friends"):
        recommendation_send(sender=alice, receiver_ids=[bob.pk, carol.pk], title=title, note="hi")
    with pytest.raises(ApplicationError, match="yourself"):
        recommendation_send(sender=alice, receiver_ids=[alice.pk], title=title, note="hi")
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("note", ["", "  ", "x" * 301])
def test_recommendation_note_must_be_present_and_short(alice, bob, friends, title, note):
    with pytest.raises(ApplicationError, match="메모") as refused:
        recommendation_send(sender=alice, receiver_ids=[bob.pk], title=title, note=note)
    assert refused.value.extra["field"] == "note"
    assert not Recommendation.objects.exists()


def test_blocked_users_cannot_recommend_to_the_blocker(alice, bob, friends, title):
    block_set(blocker=bob, blocked=alice)
    with pytest.raises(ApplicationError):
        recommendation_send(sender=alice, receiver_ids=[bob.pk], title=title, note="hi")
    assert not Recommendation.objects.exists()


def test_recommendations_are_rate_limited(alice, bob, friends, settings):
    settings.SOCIAL_RATE_LIMITS = {"recommendation": (2, 3600)}
    recommendation_send(sender=alice, receiver_ids=[bob.pk], title=TitleFactory(), note="1")
    recommendation_send(sender=alice, receiver_ids=[bob.pk], title=TitleFactory(), note="2")
    with pytest.raises(ApplicationError, match="요청이 너무 많아요"):
        recommendation_send(sender=alice, receiver_ids=[bob.pk], title=TitleFactory(), note="3")
    assert Recommendation.objects.count() == 2


def test_duplicate_recommendation_is_refused(alice, bob, friends, title):
    recommendation_send(sender=alice, receiver_ids=[bob.pk], title=title, note="1")
    with pytest.raises(ApplicationError, match="already recommended"):
        recommendation_send(sender=alice, receiver_ids=[bob.pk], title=title, note="2")
