"""Demo funding instruments for the two programmes the agency's pages describe: the expert fund
for municipal partnerships worldwide, and municipal cooperation with North Africa with its
travel costs of initiation and delegation trips and interpretation for video conferences.

Texts are our own summaries; rates, ceilings and documents are invented demo values, not the
programmes' real conditions. Safe to run again: an instrument that exists (by its short name)
is left as staff may have changed it. `demo_data` runs this command."""

from __future__ import annotations

from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction

from partnerportal.audit.services import attribute_change
from partnerportal.funding.actions import FundingAction
from partnerportal.funding.eligibility import rules_validate
from partnerportal.funding.models import CallMode, CostKind, FundingInstrument
from partnerportal.registry.models import Programme

GERMAN_APPLICANTS = ["gemeinde", "stadt", "kreisfreie_stadt", "kreis", "gemeindeverband"]
WITH_COMPANIES = [*GERMAN_APPLICANTS, "company"]
NORTH_AFRICA = ["EG", "DZ", "MA", "TN"]
ANY_STAGE = ["anbahnung", "aktiv", "reaktiviert"]

PROGRAMMES = {
    "fachkraeftefonds": "Fachkräftefonds für kommunale Partnerschaften weltweit",
    "nordafrika": "Kommunale Zusammenarbeit Nordafrika",
}


def _doc(key: str, de: str, en: str, required: bool = True) -> dict:
    return {"key": key, "label_de": de, "label_en": en, "required": required}


INSTRUMENTS = [
    {
        "slug": "fachkraeftefonds-lokale-fachkraft",
        "programme": "fachkraeftefonds",
        "name": "Lokale Fachkraft in der Partnerkommune",
        "description": (
            "Eine Fachkraft aus dem Partnerland arbeitet für eine befristete Zeit in der "
            "Verwaltung der Partnerkommune an einem kommunalen Aufgabenfeld, etwa Abfall, "
            "Klimaschutz, Verkehr oder digitaler Verwaltung, und hilft, Vorhaben bis zur "
            "Finanzierungsreife zu bringen. Gefördert werden Partnerschaften mit Kommunen in "
            "Ländern der DAC-Liste."
        ),
        "cost_kinds": [CostKind.OTHER, CostKind.FLIGHT, CostKind.ACCOMMODATION, CostKind.PER_DIEM],
        "funding_rate_percent": Decimal("90"),
        "own_contribution_percent": Decimal("10"),
        "ceiling_eur": Decimal("60000"),
        "reference_prefix": "FK",
        "required_documents": [
            _doc(
                "absichtserklaerung",
                "Absichtserklärung der Partnerkommune",
                "Letter of intent of the partner municipality",
            ),
            _doc(
                "stellenprofil", "Aufgabenprofil der Fachkraft", "Terms of reference of the expert"
            ),
        ],
        "eligibility_rules": [
            {"rule": "applicant_kind", "kinds": GERMAN_APPLICANTS},
            {"rule": "applicant_country", "countries": ["DE"]},
            {"rule": "partnership", "statuses": ["aktiv", "reaktiviert"]},
            {"rule": "partner_oda"},
            {"rule": "amount_max"},
            {"rule": "start_not_past"},
            {"rule": "duration_max", "days": 730},
        ],
    },
    {
        "slug": "nordafrika-kleinprojekte",
        "programme": "nordafrika",
        "name": "Kleinprojekte deutsch-nordafrikanischer Partnerschaften",
        "description": (
            "Gemeinsame kleine Vorhaben deutscher Kommunen mit Partnern in Ägypten, Algerien, "
            "Marokko und Tunesien: nachhaltige Stadtplanung, Abfallwirtschaft, Umweltbildung, "
            "erneuerbare Energien, Katastrophenvorsorge und Anpassung an den Klimawandel. Auch "
            "kommunale Unternehmen und Partnerschaften im Aufbau können beantragen."
        ),
        "cost_kinds": list(CostKind.values),
        "funding_rate_percent": Decimal("90"),
        "own_contribution_percent": Decimal("10"),
        "ceiling_eur": Decimal("25000"),
        "reference_prefix": "NA",
        "required_documents": [
            _doc("projektskizze", "Projektskizze", "Project outline"),
            _doc(
                "partnerbrief",
                "Schreiben der Partnerkommune",
                "Letter of the partner municipality",
            ),
            _doc("ratsbeschluss", "Ratsbeschluss", "Council decision", required=False),
        ],
        "eligibility_rules": [
            {"rule": "applicant_kind", "kinds": WITH_COMPANIES},
            {"rule": "applicant_country", "countries": ["DE"]},
            {"rule": "partnership", "statuses": ANY_STAGE},
            {"rule": "partner_country", "countries": NORTH_AFRICA},
            {"rule": "amount_max"},
            {"rule": "start_not_past"},
            {"rule": "duration_max", "days": 365},
        ],
    },
    {
        "slug": "reisekosten-anbahnung-delegation",
        "programme": "nordafrika",
        "name": "Reisekosten für Anbahnungs- und Delegationsreisen",
        "description": (
            "Übernommen werden Flüge, Unterkunft und Tagegelder nach den Auslandssätzen des BMF "
            "für Reisen, die eine Partnerschaft mit einer Kommune in Nordafrika anbahnen oder "
            "vertiefen, in beide Richtungen."
        ),
        "cost_kinds": [CostKind.FLIGHT, CostKind.ACCOMMODATION, CostKind.PER_DIEM],
        "funding_rate_percent": Decimal("100"),
        "own_contribution_percent": Decimal("0"),
        "ceiling_eur": Decimal("8000"),
        "reference_prefix": "RK",
        "required_documents": [
            _doc("reiseprogramm", "Reiseprogramm", "Programme of the trip"),
        ],
        "eligibility_rules": [
            {"rule": "applicant_kind", "kinds": WITH_COMPANIES},
            {"rule": "partnership", "statuses": ANY_STAGE},
            {"rule": "partner_country", "countries": NORTH_AFRICA},
            {"rule": "amount_max"},
            {"rule": "start_min_days", "days": 21},
            {"rule": "duration_max", "days": 14},
        ],
    },
    {
        "slug": "verdolmetschung-videokonferenzen",
        "programme": "nordafrika",
        "name": "Verdolmetschung von Videokonferenzen",
        "description": (
            "Dolmetschen (Arabisch, Französisch, Deutsch) für digitale Treffen der Partner, "
            "damit der fachliche Austausch zwischen den Reisen weitergeht."
        ),
        "cost_kinds": [CostKind.INTERPRETATION],
        "funding_rate_percent": Decimal("100"),
        "own_contribution_percent": Decimal("0"),
        "ceiling_eur": Decimal("3000"),
        "reference_prefix": "VD",
        "call_mode": CallMode.ROLLING,
        "required_documents": [],
        "eligibility_rules": [
            {"rule": "applicant_kind", "kinds": WITH_COMPANIES},
            {"rule": "partnership", "statuses": ANY_STAGE},
            {"rule": "partner_country", "countries": NORTH_AFRICA},
            {"rule": "amount_max"},
            {"rule": "start_not_past"},
        ],
    },
]


class Command(BaseCommand):
    help = "Create the demo funding instruments (idempotent; demo only)."

    def handle(self, *args, **options):
        created = 0
        with transaction.atomic():
            programmes = {}
            for slug, name in PROGRAMMES.items():
                programmes[slug], _created = Programme.objects.get_or_create(
                    slug=slug, defaults={"name": name}
                )
            for spec in INSTRUMENTS:
                spec = dict(spec)
                problems = rules_validate(spec["eligibility_rules"])
                if problems:  # a typo here would otherwise surface only in the finder
                    raise ValueError(f"{spec['slug']}: {problems}")
                slug = spec.pop("slug")
                spec["programme"] = programmes[spec["programme"]]
                if FundingInstrument.objects.filter(slug=slug).exists():
                    continue
                instrument = FundingInstrument(slug=slug, **spec)
                attribute_change(instrument, actor=None, action=FundingAction.INSTRUMENT_CREATED)
                instrument.save()
                created += 1
        self.stdout.write(
            f"  {created} funding instruments created, {FundingInstrument.objects.count()} in all"
        )
