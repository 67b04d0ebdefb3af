from django.core.management.base import BaseCommand

from partnerportal.advisory.demo import demo_cases_load


class Command(BaseCommand):
    help = (
        "Two demo advisory cases of the North Africa programme with log and action plan "
        "(idempotent; demo only; run after the registry's demo data)."
    )

    def handle(self, *args, **options) -> None:
        created = demo_cases_load()
        self.stdout.write(self.style.SUCCESS(f"Demo advisory cases ready: {created} created."))
