"""'Last confirmed' was two things: staff accepting a proposal and a municipality's editor saying
"still correct". The dated field keeps the municipality's meaning under a name that says so
(0010 moves the agency's entries to agency_checked_*)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_start_year_range")]

    operations = [
        migrations.RenameField("partnership", "last_confirmed_at", "municipality_confirmed_at"),
        migrations.RenameField("partnership", "last_confirmed_by", "municipality_confirmed_by"),
        migrations.RenameField(
            "historicalpartnership", "last_confirmed_at", "municipality_confirmed_at"
        ),
        migrations.RenameField(
            "historicalpartnership", "last_confirmed_by", "municipality_confirmed_by"
        ),
    ]
