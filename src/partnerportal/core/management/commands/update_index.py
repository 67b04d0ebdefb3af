"""`partnerportal update_index`: the search documents anew from every source, then Wagtail's
own rebuild of the search index (pages for the back office's search, and our documents)."""

from wagtail.search.management.commands.update_index import Command as WagtailUpdateIndex

from partnerportal.core.search.services import search_rebuild


class Command(WagtailUpdateIndex):
    help = "Rebuild the search documents of every source and the search index."

    def handle(self, **options):
        if options.get("verbosity", 1):
            self.stdout.write("Search documents:")
        for type_, count in search_rebuild().items():
            if options.get("verbosity", 1):
                self.stdout.write(f"  {type_}: {count}")
        return super().handle(**options)
