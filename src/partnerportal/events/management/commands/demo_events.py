from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from partnerportal.events.demo import demo_events_load
from partnerportal.events.history import history_ensure


class Command(BaseCommand):
    help = (
        "Demo events with registration open (a regional conference, a round table, an online "
        "seminar), made by an agency administrator (idempotent; demo only; run after the "
        "registry's demo data, which `partnerportal demo_data` does)."
    )

    def handle(self, *args, **options) -> None:
        history_ensure()
        actor = (
            get_user_model()
            .objects.filter(groups__name="agency_admin", is_active=True)
            .order_by("pk")
            .first()
        )
        if actor is None:
            raise CommandError("No agency administrator: run `partnerportal demo_data` first.")
        created = demo_events_load(actor=actor)
        self.stdout.write(self.style.SUCCESS(f"Demo events ready: {created} created."))
