"""Demo data of the expert fund: the two deployments the agency's pages tell of, in our own words,
with the partnerships they need. Safe to run again: it only adds what is missing. Called by the
registry's `demo_data` (after the partnerships and logins exist); runs on its own too.

- A local expert in the Rhineland-Palatinate–Rwanda administrative exchange since December 2020,
  helping Rwandan local administrations build up their staff's skills. The exchange is one of the
  Land with Rwanda's local governments; the registry knows municipalities only, so the demo
  records it between a record for the Land and Kigali and says so in the description.
- An expert in Köln's climate partnership with Yarinacocha (Peru), working on health care there,
  traditional indigenous knowledge of healing included.

The pages give no end dates and (for Köln) no start date: the demo assumes two years from the
start, and September 2023 (the month of the interview) for Köln. The experts' names are left
out: a demo profile is made public by nobody. The demo expert login (fachkraft@…) holds the
Köln profile, so that its expert page shows something."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction

from partnerportal.accounts.models import User
from partnerportal.audit.services import attribute_change
from partnerportal.geo.services import country_ensure
from partnerportal.registry.models import (
    Municipality,
    Partnership,
    PartnershipStatus,
    PartnershipType,
    Programme,
    Theme,
)
from partnerportal.registry.services.partnerships import PartnershipSource, partnership_create

from ...actions import AdvisoryAction
from ...deployment_reports import reports_schedule
from ...deployments import DeploymentInput, deployment_create
from ...models import Deployment, DeploymentState, ExpertKind, ExpertLanguage, ExpertProfile

DEMO_EXPERT_EMAIL = "fachkraft@demo.partnerportal.invalid"
PROGRAMME = ("fachkraeftefonds", "Fachkräftefonds für kommunale Partnerschaften weltweit")


class Command(BaseCommand):
    help = "Create the demo deployments of the expert fund (idempotent; demo only)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            programme, _created = Programme.objects.get_or_create(
                slug=PROGRAMME[0], defaults={"name": PROGRAMME[1]}
            )
            made = self._rhineland_palatinate_rwanda(programme)
            made += self._koeln_yarinacocha(programme)
        self.stdout.write(f"  {made} deployments created, {Deployment.objects.count()} in all")

    # --- Rhineland-Palatinate – Rwanda ------------------------------------------------------

    def _rhineland_palatinate_rwanda(self, programme: Programme) -> int:
        land, _created = Municipality.objects.get_or_create(
            ags="07000000",
            defaults={
                "name": "Rheinland-Pfalz",
                "country": country_ensure("DE"),
                "kind": Municipality.Kind.GEMEINDEVERBAND,
                "state": "Rheinland-Pfalz",
                "source": Municipality.Source.STAFF,
            },
        )
        kigali = Municipality.objects.filter(
            country_id="RW", name="Kigali"
        ).first() or Municipality.objects.create(
            name="Kigali", country=country_ensure("RW"), kind=Municipality.Kind.FOREIGN
        )
        partnership = self._partnership(
            land,
            kigali,
            description=(
                "Demo: steht für den kommunalen Verwaltungsaustausch des Landes Rheinland-Pfalz "
                "mit den Lokalverwaltungen in Ruanda, der im Register nur zwischen zwei Orten "
                "verzeichnet werden kann. Eine einheimische Fachkraft stärkt dort seit Dezember "
                "2020 die fachlichen Kompetenzen der Verwaltungsmitarbeitenden."
            ),
            programme=programme,
        )
        expert = self._expert(
            name="Einheimische Fachkraft Ruanda (Demo)",
            kind=ExpertKind.LOCAL_EXPERT,
            countries=["RW"],
            languages=[("rw", "native"), ("fr", "C1"), ("en", "C1")],
            cv=(
                "Demo: Fachkraft aus Ruanda, die im Verwaltungsaustausch mit Rheinland-Pfalz "
                "Fortbildungen für Mitarbeitende der Lokalverwaltungen plant und begleitet."
            ),
        )
        return self._deployment(
            expert=expert,
            partner=kigali,
            partnership=partnership,
            kind=ExpertKind.LOCAL_EXPERT,
            starts_on=dt.date(2020, 12, 1),
            ends_on=dt.date(2022, 11, 30),
            host_institution="Lokalverwaltungen in Ruanda",
            goals=(
                "Die fachlichen Kompetenzen der Mitarbeitenden in den Lokalverwaltungen sind "
                "gestärkt.\nDie Lokalverwaltungen haben eigene Kapazitäten für gute "
                "Regierungsführung aufgebaut."
            ),
            fields=[],
            programme=programme,
        )

    # --- Köln – Yarinacocha -----------------------------------------------------------------

    def _koeln_yarinacocha(self, programme: Programme) -> int:
        koeln = Municipality.objects.filter(country_id="DE", name="Köln").first()
        yarinacocha = Municipality.objects.filter(country_id="PE", name="Yarinacocha").first()
        if koeln is None or yarinacocha is None:
            self.stdout.write("  Köln or Yarinacocha missing: run demo_data first.")
            return 0
        partnership = self._partnership(
            koeln,
            yarinacocha,
            type=PartnershipType.KLIMA,
            start_year=2017,
            since=dt.date(2017, 10, 1),
            description=(
                "Klimapartnerschaft seit Oktober 2017 mit der Stadt im peruanischen "
                "Amazonasgebiet am Río Ucayali."
            ),
            programme=programme,
        )
        expert = self._expert(
            name="Fachkraft Yarinacocha (Demo)",
            kind=ExpertKind.INTEGRATED_EXPERT,
            countries=["PE"],
            languages=[("de", "native"), ("es", "C1")],
            cv=(
                "Demo: Fachkraft in der Stadtverwaltung von Yarinacocha, zuständig für die "
                "Gesundheitsversorgung, die auch traditionelles indigenes Heilwissen einbezieht."
            ),
            fields=["gesundheit"],
            user_email=DEMO_EXPERT_EMAIL,
        )
        return self._deployment(
            expert=expert,
            partner=yarinacocha,
            partnership=partnership,
            kind=ExpertKind.INTEGRATED_EXPERT,
            starts_on=dt.date(2023, 9, 1),
            ends_on=dt.date(2025, 8, 31),
            host_institution="Stadtverwaltung Yarinacocha",
            goals=(
                "Die Gesundheitsversorgung in Yarinacocha ist verbessert.\n"
                "Traditionelles indigenes Heilwissen ist in die Versorgung einbezogen."
            ),
            fields=["gesundheit", "klimaanpassung"],
            programme=programme,
        )

    # --- Helpers ----------------------------------------------------------------------------

    def _partnership(self, german, partner, *, programme, **values) -> Partnership:
        first, second = Partnership.ordered_pair(german, partner)
        partnership = Partnership.objects.filter(
            municipality_a=first, municipality_b=second
        ).first()
        if partnership is None:
            partnership = partnership_create(
                actor=None,
                source=PartnershipSource.DEMO,
                municipality=german,
                partner=partner,
                type=values.get("type", PartnershipType.PARTNERSCHAFT),
                status=PartnershipStatus.ACTIVE,
                start_year=values.get("start_year"),
                since=values.get("since"),
                description=values.get("description", ""),
                programmes=[programme],
            )
        return partnership

    def _expert(self, *, name, kind, countries, languages, cv, fields=(), user_email=None):
        profile = ExpertProfile.objects.filter(name=name).first()
        if profile is not None:
            return profile
        user = User.objects.filter(email__iexact=user_email).first() if user_email else None
        if user is not None and ExpertProfile.objects.filter(user=user).exists():
            user = None
        profile = ExpertProfile(name=name, kind=kind, cv=cv, user=user)
        attribute_change(profile, actor=None, action=AdvisoryAction.EXPERT_PROFILE_CREATED)
        profile.save()
        profile.countries.set([country_ensure(code) for code in countries])
        profile.fields.set(Theme.objects.filter(code__in=fields))
        for code, level in languages:
            ExpertLanguage.objects.create(profile=profile, language=code, level=level)
        return profile

    def _deployment(self, *, expert, partner, partnership, fields, **values) -> int:
        if Deployment.objects.filter(expert=expert, partner_municipality=partner).exists():
            return 0
        deployment = deployment_create(
            actor=None,
            check_permission=False,
            data=DeploymentInput(
                partner_municipality=partner,
                partnership=partnership,
                expert=expert,
                fields=tuple(Theme.objects.filter(code__in=fields)),
                **values,
            ),
        )
        reports_schedule(deployment)
        deployment.state = DeploymentState.ENDED
        attribute_change(deployment, actor=None, action=AdvisoryAction.DEPLOYMENT_TRANSITION)
        deployment.save()
        # The demo's reports: handed in, but for the final one of Köln (a missing report to see).
        for report in deployment.reports.all():
            if report.kind == report.Kind.FINAL and partner.name == "Yarinacocha":
                continue
            report.text = "Demo: Bericht über den Stand der Arbeit."
            report.submitted_at = dt.datetime.combine(report.due_on, dt.time(12), tzinfo=dt.UTC)
            report.save()
        return 1
