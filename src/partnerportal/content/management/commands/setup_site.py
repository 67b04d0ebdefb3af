from django.core.management.base import BaseCommand

from partnerportal.content.services import site_structure_ensure


class Command(BaseCommand):
    help = "Create the home page and the legal pages in German and English where they are missing."

    def handle(self, *args, **options) -> None:
        home = site_structure_ensure()
        self.stdout.write(self.style.SUCCESS(f"Site ready: {home.title} ({home.url_path})"))
