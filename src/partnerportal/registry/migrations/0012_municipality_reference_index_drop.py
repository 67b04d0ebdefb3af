"""Municipalities leave Wagtail's reference index (Municipality.wagtail_reference_index_ignore):
the rows their saves wrote go, so that no usage view names places the index no longer follows."""

from django.db import migrations


def references_of_municipalities_drop(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    content_type = ContentType.objects.filter(app_label="registry", model="municipality").first()
    if content_type is not None:
        ReferenceIndex.objects.filter(base_content_type=content_type).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0011_merge_confirmation_and_coordinates"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    operations = [
        migrations.RunPython(references_of_municipalities_drop, migrations.RunPython.noop),
    ]
