from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.social.models import Profile
from apps.social.models import Rating
from apps.social.models import WatchlistItem
from apps.social.selectors import onboarding_grid
from apps.social.services import onboarding_complete
from apps.social.services import user_avatar_set
from config.exceptions import ApplicationError
from tests.factories import GenreFactory
from tests.factories import ProviderFactory
from tests.factories import TitleFactory

pytestmark = pytest.mark.django_db


def _png(size=(800, 600)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (255, 120, 0)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_avatar_is_verified_and_stored_as_a_bounded_thumbnail(alice):
    user_avatar_set(user=alice, upload=SimpleUploadedFile("me.png", _png(), content_type="image/png"))
    alice.refresh_from_db()
    with alice.avatar.open("rb") as stored:
        image = Image.open(stored)
        assert max(image.size) == 512


def test_avatar_rejects_a_non_image_with_a_clear_error(alice):
    upload = SimpleUploadedFile("evil.png", b"<?php echo 'hi'; ?>", content_type="image/png")
    with pytest.raises(ApplicationError, match="not a picture"):
        user_avatar_set(user=alice, upload=upload)
    alice.refresh_from_db()
    assert not alice.avatar


def test_avatar_rejects_50_megabytes_before_decoding(alice):
    big = SimpleUploadedFile("big.png", _png() + b"\0" * (50 * 1024 * 1024), content_type="image/png")
    with pytest.raises(ApplicationError, match="too large"):
        user_avatar_set(user=alice, upload=big)
    alice.refresh_from_db()
    assert not alice.avatar


def test_avatar_page_shows_the_error(alice):
    from django.urls import reverse

    from tests.social.conftest import client_for

    upload = SimpleUploadedFile("notes.txt", b"just text", content_type="text/plain")
    response = client_for(alice).post(reverse("social:avatar"), {"avatar": upload}, follow=True)
    assert "not a picture" in response.content.decode()


def test_onboarding_grid_spreads_over_genres():
    drama, action = GenreFactory(slug="drama"), GenreFactory(slug="action")
    for i in range(10):
        TitleFactory(popularity=1000 - i).genres.add(drama)
    action_title = TitleFactory(popularity=1)
    action_title.genres.add(action)
    grid = onboarding_grid(size=6)
    assert action_title in grid  # the least popular title makes it in for its genre
    assert len(grid) == 6


def test_onboarding_needs_five_titles_and_saves_nothing_otherwise(alice):
    genre, provider = GenreFactory(), ProviderFactory()
    titles = [TitleFactory() for _ in range(5)]
    with pytest.raises(ApplicationError, match="at least 5"):
        onboarding_complete(
            user=alice,
            genre_ids=[genre.pk],
            provider_ids=[provider.pk],
            ratings={titles[0].pk: 4},
            watchlist_ids=[t.pk for t in titles[1:4]],
        )
    assert not alice.favourite_genres.exists()
    assert not Rating.objects.exists()

    onboarding_complete(
        user=alice,
        genre_ids=[genre.pk],
        provider_ids=[provider.pk],
        ratings={titles[0].pk: 4, titles[1].pk: 2.5},
        watchlist_ids=[t.pk for t in titles[2:]],
    )
    assert list(alice.my_services.all()) == [provider]
    assert Rating.objects.filter(user=alice).count() == 2
    assert WatchlistItem.objects.filter(user=alice).count() == 3
    assert Profile.objects.get(user=alice).onboarded_at is not None


def test_onboarding_bad_star_value_rolls_back_everything(alice):
    genre = GenreFactory()
    titles = [TitleFactory() for _ in range(5)]
    with pytest.raises(ApplicationError):
        onboarding_complete(
            user=alice,
            genre_ids=[genre.pk],
            provider_ids=[],
            ratings={t.pk: (4 if i < 4 else 9) for i, t in enumerate(titles)},
            watchlist_ids=[],
        )
    assert not Rating.objects.exists()
    assert not alice.favourite_genres.exists()
