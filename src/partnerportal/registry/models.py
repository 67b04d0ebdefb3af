"""The registry: municipalities (German ones by their AGS from the Destatis Gemeindeverzeichnis,
foreign ones from the GeoNames gazetteer or created by staff) and the partnerships between them,
with their status history, themes, programmes, actors, contacts and provenance."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerportal.core.concurrency import VersionedModel
from partnerportal.core.dates import display_date
from partnerportal.core.i18n import localized_name
from partnerportal.core.mercator import web_mercator
from partnerportal.core.text import fold

from .validators import validate_start_year

#: Fields that save() derives from others (see Municipality.refresh_derived_fields).
DERIVED_FIELDS = ("search_name", "map_x", "map_y")
# --- Municipalities ---------------------------------------------------------------------------


class MunicipalityQuerySet(models.QuerySet):
    def german(self):
        return self.filter(country_id="DE")

    def search(self, query: str):
        """Name search that ignores case, accents, umlauts and ß ("Koln" finds Köln)."""
        folded = fold(query)
        if not folded:
            return self.none()
        return self.filter(
            Q(search_name__startswith=folded) | Q(search_name__contains=f" {folded}")
        )


SEARCH_NAME_LENGTH = 200


class Municipality(VersionedModel):
    #: Wagtail's reference index would record each saved place's country and parent (a task per
    #: save) for the back office's "usage" of a country: places imported in bulk never reach it,
    #: so it named a handful of Germany's 11,000 municipalities. Pages name places through
    #: many-to-many fields, which the index does not follow either way.
    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        GEMEINDE = "gemeinde", _("municipality")
        STADT = "stadt", _("town")
        KREISFREIE_STADT = "kreisfreie_stadt", _("district-free city")
        KREIS = "kreis", _("district")
        GEMEINDEVERBAND = "gemeindeverband", _("association of municipalities")
        COMPANY = "company", _("municipal company")
        FOREIGN = "foreign", _("foreign municipality")

    class Source(models.TextChoices):
        DESTATIS = "destatis", _("Destatis Gemeindeverzeichnis")
        GEONAMES = "geonames", _("GeoNames gazetteer")
        IMPORT = "import", _("partnership import")
        STAFF = "staff", _("entered by staff")

    name = models.CharField(_("name"), max_length=200)
    name_suffix = models.CharField(
        _("name suffix"), max_length=80, blank=True, help_text=_('e.g. "Stadt", "Hansestadt"')
    )
    search_name = models.CharField(max_length=SEARCH_NAME_LENGTH, db_index=True, editable=False)
    alternate_names = models.JSONField(_("alternate names"), default=list, blank=True)
    country = models.ForeignKey(
        "geo.Country",
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("country"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GEMEINDE)
    # German official data (Destatis)
    ags = models.CharField(
        _("official municipality key (AGS)"), max_length=8, unique=True, null=True, blank=True
    )
    state = models.CharField(_("federal state"), max_length=60, blank=True, db_index=True)
    administrative_district = models.CharField(
        _("administrative district"), max_length=120, blank=True
    )
    district = models.CharField(_("district"), max_length=120, blank=True)
    association = models.CharField(_("association of municipalities"), max_length=160, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("belongs to"),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # The position on a Web Mercator map (0…1 from west to east and north to south), derived from
    # the coordinates: the atlas groups places into grid cells of this plane in SQL.
    map_x = models.FloatField(null=True, blank=True, editable=False)
    map_y = models.FloatField(null=True, blank=True, editable=False)
    # Gazetteer and provenance
    geonames_id = models.PositiveIntegerField(_("GeoNames ID"), unique=True, null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.STAFF
    )
    verified = models.BooleanField(
        _("verified"), default=True, help_text=_("False for places created from an import row.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_name", "map_x", "map_y", "updated_at"])

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["country", "search_name"]),
            models.Index(fields=["map_x", "map_y"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.refresh_derived_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *DERIVED_FIELDS}
        super().save(*args, **kwargs)

    def refresh_derived_fields(self) -> None:
        """Search name and map position follow name and coordinates; bulk writers (the importers)
        call this themselves because bulk_create() skips save()."""
        # Folding can lengthen a name (ß becomes ss): the search name is cut to its field.
        self.search_name = fold(self.name)[:SEARCH_NAME_LENGTH]
        if self.latitude is None or self.longitude is None:
            self.map_x = self.map_y = None
        else:
            self.map_x, self.map_y = web_mercator(self.latitude, self.longitude)

    def clean(self) -> None:
        """Coordinates must lie in the country (geo.outlines, with a tolerance for coasts and
        islands): every edit form (back office, review queue) refuses a point abroad. Checked
        only when latitude, longitude or country change (a place the outlines doubt, like
        Borkum, stays editable), and coordinates staff kept in the review queue are accepted."""
        from .coordinate_rules import coordinates_kept, coordinates_refusal

        super().clean()
        if self.pk is not None:
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values_list("latitude", "longitude", "country_id")
                .first()
            )
            if stored == (self.latitude, self.longitude, self.country_id):
                return
        error = coordinates_refusal(
            latitude=self.latitude, longitude=self.longitude, country_id=self.country_id or ""
        )
        if error is not None and not coordinates_kept(self.pk, self.latitude, self.longitude):
            raise ValidationError({"latitude": error})

    @property
    def official_name(self) -> str:
        return f"{self.name}, {self.name_suffix}" if self.name_suffix else self.name


# --- Reference lists: themes and programmes --------------------------------------------------


class Theme(models.Model):
    """The 17 Sustainable Development Goals and the municipal fields of work."""

    class Kind(models.TextChoices):
        SDG = "sdg", _("Sustainable Development Goal")
        FIELD = "field", _("municipal field")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    name_de = models.CharField(_("name (German)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["kind", "number", "name_de"]

    def __str__(self) -> str:
        return localized_name(self)


class Programme(VersionedModel):
    """A funding or support programme (of the agency or others) that supports partnerships."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web address"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# --- Partnerships ----------------------------------------------------------------------------


class PartnershipType(models.TextChoices):
    PARTNERSCHAFT = "partnerschaft", _("Partnership")
    FREUNDSCHAFT = "freundschaft", _("Friendship")
    KONTAKT = "kontakt", _("Contact")
    PROJEKT = "projektpartnerschaft", _("Project partnership")
    KLIMA = "klimapartnerschaft", _("Climate partnership")
    NACHHALTIGKEIT = "nachhaltigkeitspartnerschaft", _("Sustainability partnership")
    BETREIBER = "betreiberpartnerschaft", _("Operator partnership")


class PartnershipStatus(models.TextChoices):
    INITIATION = "anbahnung", _("Initiation")
    ACTIVE = "aktiv", _("Active")
    DORMANT = "ruhend", _("Dormant")
    REACTIVATED = "reaktiviert", _("Reactivated")
    ENDED = "beendet", _("Ended")


class PartnershipQuerySet(models.QuerySet):
    def involving(self, municipality):
        return self.filter(Q(municipality_a=municipality) | Q(municipality_b=municipality))

    def public(self):
        return self.filter(is_confirmed=True)


class Partnership(VersionedModel):
    """Two municipalities joined by a partnership. A–B and B–A are one partnership: the pair is
    stored in a fixed order (the smaller id first), which a constraint enforces."""

    municipality_a = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="partnerships_as_a",
        verbose_name=_("municipality"),
    )
    municipality_b = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="partnerships_as_b",
        verbose_name=_("partner"),
    )
    type = models.CharField(
        _("type"),
        max_length=40,
        choices=PartnershipType.choices,
        default=PartnershipType.PARTNERSCHAFT,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.ACTIVE,
        help_text=_("The latest entry of the status history."),
    )
    start_year = models.PositiveSmallIntegerField(
        _("start year"), null=True, blank=True, validators=[validate_start_year]
    )
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="partnerships", verbose_name=_("themes")
    )
    programmes = models.ManyToManyField(
        Programme, blank=True, related_name="partnerships", verbose_name=_("programmes")
    )
    is_confirmed = models.BooleanField(
        _("published"),
        default=True,
        help_text=_(
            "A partnership proposed by a municipal editor is public once staff accept the proposal."
        ),
    )
    # Two different things, kept apart in words and data (issue 10): the agency checked the
    # entry (staff accepted a proposal or an import row, or verified the entry), and the
    # municipality confirmed it is still current (one of its editors said so or saved it).
    # Only the municipality's confirmation keeps an entry off the stale list.
    agency_checked_at = models.DateTimeField(
        _("checked by the agency"), null=True, blank=True, db_index=True
    )
    agency_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    municipality_confirmed_at = models.DateTimeField(
        _("confirmed current by the municipality"), null=True, blank=True, db_index=True
    )
    municipality_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    last_reminded_at = models.DateTimeField(
        _("last reminded"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the editors were last asked to confirm the entry."),
    )
    # Provenance: which import and row, or which person.
    import_run = models.ForeignKey(
        "registry.ImportRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnerships",
        verbose_name=_("import"),
    )
    import_row = models.PositiveIntegerField(_("import row"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(
        m2m_fields=[themes, programmes], excluded_fields=["updated_at", "last_reminded_at"]
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["municipality_a__name", "municipality_b__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality_a", "municipality_b"], name="unique_partnership_pair"
            ),
            models.CheckConstraint(
                condition=Q(municipality_a__lt=models.F("municipality_b")),
                name="partnership_pair_ordered",
            ),
        ]
        indexes = [models.Index(fields=["type", "status"]), models.Index(fields=["start_year"])]

    def __str__(self) -> str:
        return f"{self.municipality_a} – {self.municipality_b}"

    @staticmethod
    def ordered_pair(
        first: Municipality, second: Municipality
    ) -> tuple[Municipality, Municipality]:
        return (first, second) if first.pk < second.pk else (second, first)


class PartnershipStatusChangeQuerySet(models.QuerySet):
    def in_history_order(self):
        """Oldest first, by the date it took effect, then as entered."""
        return self.order_by("valid_from", "created_at", "pk")


class PartnershipStatusChange(models.Model):
    """One entry of a partnership's status history: what the status became, from when."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("partnership"),
    )
    status = models.CharField(_("status"), max_length=20, choices=PartnershipStatus.choices)
    valid_from = models.DateField(_("since"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    objects = PartnershipStatusChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["partnership", "created_at"]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.get_status_display()}"


class Actor(models.Model):
    """Who carries a partnership besides the administration: associations, schools, churches..."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("association")
        SCHOOL = "school", _("school")
        CHURCH = "church", _("church")
        COMPANY = "company", _("company")
        OTHER = "other", _("other")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="actors", verbose_name=_("partnership")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("side")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.ASSOCIATION
    )
    url = models.URLField(_("web address"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContactPerson(models.Model):
    """A contact for one side of a partnership. Personal data: visible to the public only where
    the person agreed, otherwise to editors of both sides and to staff."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("everyone")
        EDITORS = "editors", _("editors of both sides and agency staff")
        STAFF = "staff", _("agency staff only")

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("partnership"),
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("side")
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("function"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.EDITORS
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# --- Imports and their review queue ----------------------------------------------------------


class ImportRun(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITIES = "municipalities", _("Destatis Gemeindeverzeichnis")
        TWINNINGS = "twinnings", _("twin towns list")
        COORDINATES = "coordinates", _("coordinate check")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        # The local date (core.dates), as every page shows it; not the UTC one stored.
        started = display_date(self.started_at, "short")
        return f"{self.get_kind_display()} {self.file_name} ({started})"


class ReviewItem(models.Model):
    """An import row whose place could not be resolved without guessing: staff pick the right
    municipality (or create one) and the partnership is then recorded.

    Kind "coordinates": a municipality whose coordinates lie outside its country's outline
    (registry/services/coordinates.py). `municipality` is the place, `raw` holds what was
    found: name, country, latitude, longitude (the coordinates as they were), distance_km
    (how far outside; None when over 500 km) and lies_in (the ISO code of the country they
    lie in, or "")."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("resolved")
        DISMISSED = "dismissed", _("dismissed")

    class Kind(models.TextChoices):
        PLACE = "place", _("place not found")
        COORDINATES = "coordinates", _("coordinates outside the country")

    import_run = models.ForeignKey(
        ImportRun, on_delete=models.CASCADE, related_name="review_items", verbose_name=_("import")
    )
    row_number = models.PositiveIntegerField(_("row"))
    raw = models.JSONField(_("original row"))
    side = models.CharField(_("side"), max_length=1, help_text=_("1 or 2: the side that failed"))
    reason = models.CharField(_("reason"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PLACE)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality to check"),
    )
    candidates = models.JSONField(_("candidates"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    resolved_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chosen municipality"),
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    #: The unresolved place and its pair (importers.twinnings.review_key): one item however
    #: often the pair comes back, in this file or a later one. Empty for items kept only as a
    #: record (duplicates from before the key existed, see migration 0005).
    key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    occurrences = models.PositiveIntegerField(
        _("lines"), default=1, help_text=_("How many lines of imports named this pair")
    )

    class Meta:
        verbose_name = _("review item")
        verbose_name_plural = _("review queue")
        ordering = ["status", "import_run", "row_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["import_run", "row_number", "side"], name="unique_review_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.import_run} #{self.row_number}/{self.side}: {self.reason}"


# --- Keeping the registry current -----------------------------------------------------------


class ReminderRoundQuerySet(models.QuerySet):
    def running(self):
        return self.filter(ended_at__isnull=True)


class ReminderRound(models.Model):
    """Staff work through the entries no municipality has confirmed lately, in batches: a round
    covers a Land, one municipality or everything, and each run of the daily job asks each
    municipality's editors about at most `per_municipality` entries, oldest first, so that
    nobody receives hundreds of requests at once (selectors.freshness, services.freshness)."""

    state = models.CharField(_("federal state"), max_length=60, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    per_municipality = models.PositiveSmallIntegerField(
        _("entries per municipality and run"), default=20
    )
    #: The stale entries in scope when the round started: the "of" in "1,200 of 21,371 asked".
    total = models.PositiveIntegerField(_("entries at the start"), default=0)
    asked = models.PositiveIntegerField(_("entries asked about"), default=0)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    objects = ReminderRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder round")
        verbose_name_plural = _("reminder rounds")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return self.scope_label

    @property
    def scope_label(self) -> str:
        if self.municipality_id:
            return str(self.municipality)
        return self.state or str(_("all partnerships"))
