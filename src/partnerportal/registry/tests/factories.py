"""factory_boy factories for the registry: German municipalities, foreign places, partnerships
with a trait per workflow state, import runs and review items.

    koeln = MunicipalityFactory(name="Köln", state="Nordrhein-Westfalen")
    lima = ForeignMunicipalityFactory(name="Lima", iso2="PE")
    PartnershipFactory(between=(koeln, lima), dormant=True, themes=["klimaschutz"])
    PartnershipFactory(proposed=True)   # two new places, a proposal the public does not see

A partnership stores its pair in a fixed order (the smaller id first); `between=` takes the two
places in any order, as people name them. The factories add nothing a test did not ask for: no
status history, no themes, no confirmation date (a trait sets the fields of its state only)."""

from datetime import timedelta

import factory
from django.utils import timezone

from partnerportal.geo.services import country_ensure
from partnerportal.registry.models import (
    ImportRun,
    Municipality,
    Partnership,
    PartnershipStatus,
    ReviewItem,
    Theme,
)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    """A German municipality (Destatis' kind of place) with an AGS of its own."""

    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Musterstadt {n}")
    country = factory.LazyFunction(lambda: country_ensure("DE"))
    ags = factory.Sequence(lambda n: f"{9000000 + n:08d}")

    class Params:
        #: As the Gemeindeverzeichnis import writes them.
        destatis = factory.Trait(source=Municipality.Source.DESTATIS, kind=Municipality.Kind.STADT)


class ForeignMunicipalityFactory(MunicipalityFactory):
    """A place abroad: ForeignMunicipalityFactory(name="Lima", iso2="PE"). No AGS."""

    country = factory.LazyAttribute(lambda o: country_ensure(o.iso2))
    ags = None
    kind = Municipality.Kind.FOREIGN

    class Params:
        iso2 = "FR"
        #: As the twin towns import writes a place it found in the gazetteer.
        geonames = factory.Trait(source=Municipality.Source.GEONAMES)


def _ordered(partnership, index: int) -> Municipality:
    return Partnership.ordered_pair(*partnership.between)[index]


class PartnershipFactory(factory.django.DjangoModelFactory):
    """PartnershipFactory(between=(a, b), **fields); a trait per state of the workflow
    (initiation, active, dormant, reactivated, ended) and proposed (hidden: not yet confirmed by
    staff) and stale (confirmed longer ago than the reminder's twelve months)."""

    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    municipality_a = factory.Maybe(
        "between",
        yes_declaration=factory.LazyAttribute(lambda o: _ordered(o, 0)),
        no_declaration=factory.SubFactory(MunicipalityFactory),
    )
    municipality_b = factory.Maybe(
        "between",
        yes_declaration=factory.LazyAttribute(lambda o: _ordered(o, 1)),
        no_declaration=factory.SubFactory(ForeignMunicipalityFactory),
    )

    class Params:
        between = None
        initiation = factory.Trait(status=PartnershipStatus.INITIATION)
        active = factory.Trait(status=PartnershipStatus.ACTIVE)
        dormant = factory.Trait(status=PartnershipStatus.DORMANT)
        reactivated = factory.Trait(status=PartnershipStatus.REACTIVATED)
        ended = factory.Trait(status=PartnershipStatus.ENDED)
        proposed = factory.Trait(is_confirmed=False)
        hidden = factory.Trait(proposed=True)
        #: The municipality confirmed it over a year ago (a partnership nobody ever confirmed,
        #: the default, is stale too).
        stale = factory.Trait(
            municipality_confirmed_at=factory.LazyFunction(
                lambda: timezone.now() - timedelta(days=400)
            )
        )
        #: Confirmed as current by its municipality today.
        fresh = factory.Trait(municipality_confirmed_at=factory.LazyFunction(timezone.now))
        #: Checked by the agency today (not the municipality's confirmation).
        agency_checked = factory.Trait(agency_checked_at=factory.LazyFunction(timezone.now))

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        """themes=["klimaschutz", "sdg-13"] (codes) or Theme objects."""
        if create and extracted:
            codes = [item for item in extracted if isinstance(item, str)]
            obj.themes.set(
                [item for item in extracted if not isinstance(item, str)]
                + list(Theme.objects.filter(code__in=codes))
            )


class ImportRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportRun

    kind = ImportRun.Kind.TWINNINGS
    file_name = "twin_cities.csv"


class ReviewItemFactory(factory.django.DjangoModelFactory):
    """An import row the twin towns import could not resolve; traits resolved and dismissed."""

    class Meta:
        model = ReviewItem

    import_run = factory.SubFactory(ImportRunFactory)
    row_number = factory.Sequence(lambda n: n + 2)
    raw = factory.LazyFunction(
        lambda: {"city1": "Neustadt", "country1": "Germany", "city2": "Lamia", "country2": "Greece"}
    )
    side = "1"
    reason = "Several places of that name."

    class Params:
        resolved = factory.Trait(status=ReviewItem.Status.RESOLVED)
        dismissed = factory.Trait(status=ReviewItem.Status.DISMISSED)
