"""Two demo cases of the North Africa programme (written for the demo; no text of the agency's
pages), loaded by `partnerportal demo_advisory_cases` after the registry's demo data. Safe to run
again: each case is found by its demo reference and left as it is."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from partnerportal.accounts.models import User
from partnerportal.audit.services import attribute_change
from partnerportal.registry.models import Municipality, Partnership, Programme, Theme

from .actions import AdvisoryAction
from .cases import case_country_id
from .models import ActionPlan, Case, CaseNote, Measure, PlanComment

PROGRAMME = ("nordafrika", "Kommunale Zusammenarbeit Nordafrika")
DEMO_DOMAIN = "demo.partnerportal.invalid"

CASES = [
    {
        "reference": "B-DEMO-0001",
        "german": "Sindelfingen",
        "partner": "Annaba",
        "state": "action_plan",
        "requester_name": "Petra Beispiel (Demo)",
        "requester_email": f"anfrage-sindelfingen@{DEMO_DOMAIN}",
        "language": "de",
        "topics": ("abfallwirtschaft", "sdg-11", "sdg-12"),
        "need": (
            "Unsere Zusammenarbeit mit Annaba lief bisher vor allem über das gemeinsame "
            "Geodatenprojekt. Beide Verwaltungen möchten nun auch bei der Sammlung von "
            "Wertstoffen voneinander lernen. Wir brauchen Hilfe, daraus einen Arbeitsplan für "
            "zwei Jahre zu machen und die passende Finanzierung zu finden."
        ),
        "public_summary": (
            "Die Agentur begleitet Sindelfingen und Annaba bei einem gemeinsamen Arbeitsplan "
            "zur getrennten Sammlung von Wertstoffen, aufbauend auf ihrer Geodaten-Kooperation."
        ),
        "days_ago": 120,
        "due_in": 10,
        "notes": [
            (
                "call",
                115,
                "Umweltamt Sindelfingen, Beraterin der Agentur",
                "Erstgespräch: Ziele geklärt, Ansprechperson in Annaba benannt. Nächster Schritt: "
                "gemeinsame Videokonferenz mit Verdolmetschung.",
            ),
            (
                "meeting",
                60,
                "Delegationen beider Städte, Dolmetscherin",
                "Videokonferenz: Annaba stellt die Sammelstellen im Stadtzentrum vor; beide Seiten "
                "einigen sich auf drei Arbeitspakete.",
            ),
        ],
        "goal": (
            "Bis Ende 2027 ist in zwei Stadtvierteln Annabas eine getrennte Wertstoffsammlung "
            "erprobt, und beide Verwaltungen haben ihre Erfahrungen dokumentiert."
        ),
        "measures": [
            (
                "Bestandsaufnahme der Sammelstellen mit dem gemeinsamen Geodatensystem",
                "Kartierung der Standorte, Abgleich mit Einwohnerzahlen",
                "both",
                0,
                4,
                "in_progress",
                "4000",
            ),
            (
                "Fachaustausch der Abfallbetriebe in Sindelfingen",
                "Arbeitsbesuch von vier Fachleuten aus Annaba, eine Woche",
                "german",
                5,
                6,
                "planned",
                "18500",
            ),
            (
                "Pilotbetrieb in zwei Vierteln",
                "Behälter, Informationskampagne an Schulen, monatliche Auswertung",
                "partner",
                7,
                18,
                "planned",
                "42000",
            ),
        ],
        "comment": "Wir schlagen vor, die Schulen schon in der Bestandsaufnahme einzubeziehen.",
        "editor_of": None,
    },
    {
        "reference": "B-DEMO-0002",
        "german": "Köln",
        "partner": None,
        "state": "advising",
        "requester_name": "Jonas Muster (Demo)",
        "requester_email": f"anfrage-koeln@{DEMO_DOMAIN}",
        "language": "de",
        "topics": ("klimaanpassung", "sdg-13"),
        "municipality_text": "Köln, Interesse an einer Küstenstadt in Tunesien",
        "need": (
            "Der Rat hat beschlossen, eine Projektpartnerschaft in Nordafrika zum Schutz vor "
            "Hitze in dicht bebauten Vierteln zu prüfen. Wir kennen noch keine Partnerstadt und "
            "möchten wissen, wie eine Anbahnungsreise vorbereitet und finanziert werden kann."
        ),
        "public_summary": "",
        "days_ago": 25,
        "due_in": -3,
        "notes": [
            (
                "email",
                24,
                "Büro für internationale Angelegenheiten",
                "Anfrage bestätigt, Unterlagen zu Anbahnungsreisen und Verdolmetschung geschickt.",
            ),
        ],
        "goal": "Eine tragfähige Anbahnung mit einer tunesischen Stadt bis Mitte 2027.",
        "measures": [
            (
                "Digitales Kennenlernen mit zwei möglichen Partnerstädten",
                "Zwei Videokonferenzen mit Verdolmetschung Arabisch/Französisch",
                "agency",
                1,
                3,
                "planned",
                "1200",
            ),
        ],
        "comment": "",
        "editor_of": "Köln",
    },
]


def _date(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def demo_cases_load() -> int:
    """Create the demo cases that are missing; returns how many were created."""
    programme, _created = Programme.objects.get_or_create(
        slug=PROGRAMME[0], defaults={"name": PROGRAMME[1]}
    )
    advisor = User.objects.filter(email=f"redaktion@{DEMO_DOMAIN}").first()
    themes = {t.code: t for t in Theme.objects.all()}
    created = 0
    for spec in CASES:
        if Case.objects.filter(reference=spec["reference"]).exists():
            continue
        german = Municipality.objects.filter(name=spec["german"], country_id="DE").first()
        if german is None:
            continue
        partnership = None
        if spec["partner"]:
            partner = (
                Municipality.objects.exclude(country_id="DE").filter(name=spec["partner"]).first()
            )
            if partner is not None:
                first, second = Partnership.ordered_pair(german, partner)
                partnership = Partnership.objects.filter(
                    municipality_a=first, municipality_b=second
                ).first()
        with transaction.atomic():
            opened = timezone.now() - dt.timedelta(days=spec["days_ago"])
            case = Case(
                reference=spec["reference"],
                state=spec["state"],
                requester_name=spec["requester_name"],
                requester_email=spec["requester_email"],
                language=spec["language"],
                municipality=german,
                municipality_text=spec.get("municipality_text", ""),
                partnership=partnership,
                programme=programme,
                need=spec["need"],
                public_summary=spec["public_summary"],
                advisor=advisor,
                due_on=_date(spec["due_in"]),
                opened_at=opened,
            )
            case.country_id = case_country_id(case)
            attribute_change(case, actor=None, action=AdvisoryAction.CASE_OPENED)
            case.save()
            case.topics.set([themes[c] for c in spec["topics"] if c in themes])
            for kind, days_ago, participants, text in spec["notes"]:
                CaseNote.objects.create(
                    case=case,
                    kind=kind,
                    date=_date(-days_ago),
                    participants=participants,
                    text=text,
                    author=advisor,
                )
            plan = ActionPlan.objects.create(case=case, goal=spec["goal"])
            for goal, activities, side, start, end, status, cost in spec["measures"]:
                measure = Measure.objects.create(
                    plan=plan,
                    goal=goal,
                    activities=activities,
                    responsible=side,
                    starts_on=_date(start * 30),
                    ends_on=_date(end * 30),
                    status=status,
                    estimated_cost=Decimal(cost),
                )
                measure.themes.set([themes[c] for c in spec["topics"][:1] if c in themes])
            if spec["comment"]:
                PlanComment.objects.create(plan=plan, text=spec["comment"], author=advisor)
        created += 1
    return created
