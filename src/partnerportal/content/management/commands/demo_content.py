from django.core.management.base import BaseCommand

from partnerportal.content.demo.load import demo_content_load


class Command(BaseCommand):
    help = (
        "Demo news, interviews, practice examples, programme and format pages in German and "
        "English (idempotent; demo only; run after setup_site and the registry's demo data)."
    )

    def handle(self, *args, **options) -> None:
        created = demo_content_load()
        self.stdout.write(self.style.SUCCESS(f"Demo content ready: {created} pages created."))
