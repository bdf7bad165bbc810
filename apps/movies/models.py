"""Moochu's catalog: titles, genres, people, providers, availabilities and provenance."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.common.models import TimeStampedModel

# Bits of the denormalised masks below. 63 usable bits in a signed bigint.
MAX_MASK_BITS = 63


class MediaType(models.TextChoices):
    MOVIE = "movie", _("Movie")
    TV = "tv", _("TV show")


class AgeRating(models.TextChoices):
    ALL = "ALL", _("All ages")
    AGE_12 = "12", _("12+")
    AGE_15 = "15", _("15+")
    AGE_18 = "18", _("18+")
    UNKNOWN = "UNKNOWN", _("Unrated")


class OfferType(models.TextChoices):
    STREAM = "stream", _("Stream")
    RENT = "rent", _("Rent")
    BUY = "buy", _("Buy")
    NOW_SHOWING = "now_showing", _("Now showing")
    COMING_SOON = "coming_soon", _("Coming soon")
    # Appended, never inserted: an offer type's bit in Title.offer_mask is its position.
    FREE = "free", _("Free")
    ADS = "ads", _("Free with ads")


# Stable bit per offer type for Title.offer_mask.
OFFER_TYPE_BITS: dict[str, int] = {value: index for index, value in enumerate(OfferType.values)}


def _localised(*, ko: str, en: str) -> str:
    korean = (get_language() or settings.LANGUAGE_CODE).startswith("ko")
    return (ko or en) if korean else (en or ko)


class Genre(models.Model):
    slug = models.SlugField(max_length=40, unique=True)
    name_ko = models.CharField(max_length=40)
    name_en = models.CharField(max_length=40)
    # Position in Title.genre_mask; assigned once, never reused.
    bit = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        verbose_name = _("genre")
        verbose_name_plural = _("genres")
        ordering = ["name_en"]
        constraints = [
            models.CheckConstraint(condition=Q(bit__lt=MAX_MASK_BITS), name="genre_bit_in_range"),
        ]

    def __str__(self) -> str:
        return self.name_en

    @property
    def display_name(self) -> str:
        """The name in the active language (Korean UI: Korean name; English UI: English)."""
        return _localised(ko=self.name_ko, en=self.name_en)


class Person(models.Model):
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    tmdb_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    kobis_code = models.CharField(max_length=20, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        indexes = [models.Index(Lower("name"), name="person_name_lower")]

    def __str__(self) -> str:
        return self.name


class ProviderKind(models.TextChoices):
    OTT = "ott", _("Streaming service")
    CINEMA = "cinema", _("Cinema chain")


class Provider(models.Model):
    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    name_ko = models.CharField(max_length=80, blank=True)
    kind = models.CharField(max_length=10, choices=ProviderKind.choices)
    homepage = models.URLField(blank=True)
    logo = models.ImageField(upload_to="providers/", blank=True)
    # Brand colour for the generated logo badge when no logo file is stored.
    color = models.CharField(max_length=7, default="#444444")
    display_priority = models.PositiveSmallIntegerField(default=100)
    tmdb_provider_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    # Position in Title.provider_mask; assigned once, never reused.
    bit = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["display_priority", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(bit__lt=MAX_MASK_BITS), name="provider_bit_in_range"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language; `name` is the brand's international name."""
        return _localised(ko=self.name_ko, en=self.name)


class Title(TimeStampedModel):
    # No index here: nothing lists titles by when we first stored them.
    created_at = models.DateTimeField(auto_now_add=True)
    media_type = models.CharField(max_length=5, choices=MediaType.choices, default=MediaType.MOVIE)
    title_ko = models.CharField(max_length=300, blank=True)
    title_original = models.CharField(max_length=300, blank=True)
    title_en = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    release_date = models.DateField(null=True, blank=True)
    runtime_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    # Series only (TMDB): how many seasons and episodes have aired or been announced.
    season_count = models.PositiveSmallIntegerField(null=True, blank=True)
    episode_count = models.PositiveIntegerField(null=True, blank=True)
    # Admissions in Korean cinemas since opening (KOBIS), a popularity input.
    box_office_audience = models.PositiveIntegerField(null=True, blank=True)
    age_rating = models.CharField(max_length=7, choices=AgeRating.choices, default=AgeRating.UNKNOWN)
    overview = models.TextField(blank=True)
    genres = models.ManyToManyField(Genre, related_name="titles", blank=True)
    people = models.ManyToManyField(Person, through="Credit", related_name="titles", blank=True)
    poster = models.ImageField(upload_to="posters/", blank=True)
    # Where the poster came from; copied once into `poster` by the ingestion pipeline.
    poster_source_url = models.URLField(max_length=500, blank=True)

    movielens_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    tmdb_id = models.PositiveIntegerField(null=True, blank=True)
    kobis_code = models.CharField(max_length=20, null=True, blank=True, unique=True)

    # Popularity drives default ordering; rating_* are site-wide aggregates.
    popularity = models.FloatField(default=0.0)
    rating_avg = models.FloatField(default=0.0)
    rating_count = models.PositiveIntegerField(default=0)
    # "평점순": the average damped towards the site mean (apps/movies/ratings.py); 0 below the
    # minimum number of ratings (a ranked title is always >= 0.5), so one 5-star rating never
    # tops the list. Not nullable: a plain descending index serves the sort on SQLite too.
    rating_weighted = models.FloatField(default=0.0)

    # Denormalised bitmasks for catalog filtering. One indexed scan in popularity
    # order answers "any of these genres on any of these providers" without joins.
    # Maintained by apps.movies.services.catalog.title_masks_refresh.
    genre_mask = models.BigIntegerField(default=0)
    provider_mask = models.BigIntegerField(default=0)
    offer_mask = models.BigIntegerField(default=0)

    search_index_dirty = models.BooleanField(default=True)
    # Folded search keys, written by apps.movies.search.indexing.title_search_fields_refresh
    # (see apps/movies/search/text.py). PostgreSQL indexes them with GIN trigram indexes.
    # Database defaults too, so bulk COPY loaders may leave them out.
    search_titles = models.TextField(blank=True, default="", db_default="", editable=False)
    search_compact = models.TextField(blank=True, default="", db_default="", editable=False)
    search_jamo = models.TextField(blank=True, default="", db_default="", editable=False)
    search_choseong = models.TextField(blank=True, default="", db_default="", editable=False)
    search_document = models.TextField(blank=True, default="", db_default="", editable=False)

    class Meta:
        verbose_name = _("title")
        verbose_name_plural = _("titles")
        ordering = ["-popularity", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["media_type", "tmdb_id"],
                condition=Q(tmdb_id__isnull=False),
                name="title_unique_tmdb_id_per_media_type",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1870, year__lte=2100),
                name="title_year_plausible",
            ),
            models.CheckConstraint(
                condition=~Q(title_ko="", title_original="", title_en=""),
                name="title_has_a_name",
            ),
        ]
        indexes = [
            models.Index(fields=["-popularity", "id"], name="title_popularity"),
            models.Index(fields=["-release_date", "id"], name="title_newest"),
            models.Index(fields=["-rating_avg", "id"], name="title_rating"),
            models.Index(fields=["-rating_weighted", "id"], name="title_rating_weighted"),
            models.Index(fields=["media_type", "-popularity", "id"], name="title_type_popularity"),
            models.Index(fields=["year"], name="title_year"),
            models.Index(fields=["age_rating"], name="title_age_rating"),
            models.Index(fields=["id"], condition=Q(search_index_dirty=True), name="title_search_dirty"),
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("movies:title-detail", kwargs={"title_id": self.pk})

    @property
    def display_title(self) -> str:
        return self.title_ko or self.title_en or self.title_original

    @property
    def secondary_title(self) -> str:
        """The other-language name shown under the main one, if it differs."""
        for candidate in (self.title_en, self.title_original):
            if candidate and candidate != self.display_title:
                return candidate
        return ""


class CreditRole(models.TextChoices):
    DIRECTOR = "director", _("Director")
    CAST = "cast", _("Cast")
    WRITER = "writer", _("Writer")


class Credit(models.Model):
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credits")
    role = models.CharField(max_length=10, choices=CreditRole.choices)
    character = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        ordering = ["role", "order"]
        constraints = [
            models.UniqueConstraint(fields=["title", "person", "role"], name="credit_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.role}) in {self.title}"


class Availability(TimeStampedModel):
    created_at = models.DateTimeField(auto_now_add=True)  # no index, as for Title
    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="availabilities")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="availabilities")
    offer_type = models.CharField(max_length=12, choices=OfferType.choices)
    region = models.CharField(max_length=2, default="KR")
    link = models.URLField(max_length=500, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    # Set when no source reports the offer any more: closed, never deleted.
    ends_on = models.DateField(null=True, blank=True)
    # When the data was true; curated snapshots carry their own date.
    observed_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")
        ordering = ["provider__display_priority", "offer_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["title", "provider", "offer_type", "region"], name="availability_unique_offer"
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "offer_type"], name="availability_provider_offer"),
            models.Index(fields=["offer_type", "starts_on"], name="availability_offer_starts"),
        ]

    def __str__(self) -> str:
        return f"{self.title} on {self.provider} ({self.offer_type})"

    @property
    def is_open(self) -> bool:
        return self.ends_on is None


class SourceRecord(models.Model):
    """One record as a source reported it: provenance for every title."""

    source = models.CharField(max_length=40)
    external_id = models.CharField(max_length=120)
    title = models.ForeignKey(
        Title, on_delete=models.SET_NULL, null=True, blank=True, related_name="source_records"
    )
    payload_hash = models.CharField(max_length=64)
    fetched_at = models.DateTimeField()
    first_seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("source record")
        verbose_name_plural = _("source records")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="source_record_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"


# -----------------------------------------------------------------------------
# Ingestion: crawl runs, match keys, offer provenance, raw payloads
# -----------------------------------------------------------------------------
class CrawlRunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    PARTIAL = "partial", _("Succeeded with record errors")
    FAILED = "failed", _("Failed")


class CrawlRun(models.Model):
    """One crawl of one source: when, what happened, and every per-record error."""

    source = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=CrawlRunStatus.choices, default=CrawlRunStatus.RUNNING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    new_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    closed_count = models.PositiveIntegerField(default=0)
    # False when the source was read only in part (a page limit, an empty list that
    # should not be): such a run closes no offers.
    complete = models.BooleanField(default=True)
    # Why this run needs a person's eyes (failed, 0 records, most failing, a sudden
    # drop); posted to Slack and shown in the admin. Empty when all is well.
    alert = models.CharField(max_length=300, blank=True, default="")
    # Offers this run opened (new or reopened): what watchlist alerts are built from.
    opened_count = models.PositiveIntegerField(default=0)
    # [{"external_id": "…" | null, "message": "…"}, …]; a run-level failure has no id.
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("crawl run")
        verbose_name_plural = _("crawl runs")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["source", "-started_at"], name="crawl_run_source_started")]

    def __str__(self) -> str:
        return f"{self.source} @ {self.started_at:%Y-%m-%d %H:%M} ({self.status})"


class TitleMatchKey(models.Model):
    """A normalised name of a title, looked up in bulk when sources are merged.

    ``is_main`` keys are the name without its subtitle ("미션 임파서블" for
    "미션 임파서블: 폴아웃"); see apps.movies.matching.
    """

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="match_keys")
    key = models.CharField(max_length=300)
    is_main = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("title match key")
        verbose_name_plural = _("title match keys")
        constraints = [
            models.UniqueConstraint(fields=["title", "key", "is_main"], name="title_match_key_unique"),
        ]
        indexes = [models.Index(fields=["key"], name="title_match_key_key")]

    def __str__(self) -> str:
        return self.key


class SourceOffer(models.Model):
    """Which source record reports which availability.

    An availability stays open while at least one source record still reports it.
    """

    source_record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="offers")
    availability = models.ForeignKey(Availability, on_delete=models.CASCADE, related_name="source_offers")

    class Meta:
        verbose_name = _("source offer")
        verbose_name_plural = _("source offers")
        constraints = [
            models.UniqueConstraint(fields=["source_record", "availability"], name="source_offer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source_record} → {self.availability_id}"


class RawPayload(models.Model):
    """A source response as fetched, kept by the database payload store (apps.movies.raw_store)."""

    source = models.CharField(max_length=40)
    external_id = models.CharField(max_length=120)
    payload_hash = models.CharField(max_length=64)
    payload = models.JSONField()
    fetched_at = models.DateTimeField()

    class Meta:
        verbose_name = _("raw payload")
        verbose_name_plural = _("raw payloads")
        ordering = ["-fetched_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id", "payload_hash"], name="raw_payload_unique_version"
            ),
        ]
        indexes = [models.Index(fields=["source", "external_id", "-fetched_at"], name="raw_payload_latest")]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id} ({self.payload_hash[:8]})"
