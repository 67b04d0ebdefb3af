"""factory_boy factories of advisory cases (the cases part of issue 14), a trait per state."""

import factory
from django.utils import timezone

from partnerportal.advisory.models import ActionPlan, Case, CaseNote, CaseState, Measure


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    requester_name = factory.Sequence(lambda n: f"Anfragende Person {n}")
    requester_email = factory.Sequence(lambda n: f"requester{n}@example.org")
    need = "Wir suchen Beratung zu einem Aktionsplan."
    reference = factory.Sequence(lambda n: f"B-TEST-{n:05d}")

    class Params:
        clarifying = factory.Trait(state=CaseState.CLARIFYING)
        advising = factory.Trait(state=CaseState.ADVISING)
        action_plan = factory.Trait(state=CaseState.ACTION_PLAN)
        implementation = factory.Trait(state=CaseState.IMPLEMENTATION)
        dormant = factory.Trait(state=CaseState.DORMANT)
        closed = factory.Trait(state=CaseState.CLOSED, closed_at=factory.LazyFunction(timezone.now))


class CaseNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseNote

    case = factory.SubFactory(CaseFactory)
    kind = CaseNote.Kind.CALL
    participants = "Frau Beispiel, Herr Muster"
    text = "Vertrauliche Notiz: Haushaltslage schwierig."


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure
        skip_postgeneration_save = True

    plan = factory.LazyAttribute(lambda o: ActionPlan.objects.get_or_create(case=o.case)[0])
    goal = factory.Sequence(lambda n: f"Maßnahme {n}")

    class Params:
        case = factory.SubFactory(CaseFactory)
