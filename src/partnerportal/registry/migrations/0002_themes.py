"""The themes partnerships are tagged with: the 17 Sustainable Development Goals (official German
titles of the Federal Government's translation) and the municipal fields of work."""

from django.db import migrations

SDGS = [
    (1, "Keine Armut", "No poverty"),
    (2, "Kein Hunger", "Zero hunger"),
    (3, "Gesundheit und Wohlergehen", "Good health and well-being"),
    (4, "Hochwertige Bildung", "Quality education"),
    (5, "Geschlechtergleichheit", "Gender equality"),
    (6, "Sauberes Wasser und Sanitäreinrichtungen", "Clean water and sanitation"),
    (7, "Bezahlbare und saubere Energie", "Affordable and clean energy"),
    (8, "Menschenwürdige Arbeit und Wirtschaftswachstum", "Decent work and economic growth"),
    (9, "Industrie, Innovation und Infrastruktur", "Industry, innovation and infrastructure"),
    (10, "Weniger Ungleichheiten", "Reduced inequalities"),
    (11, "Nachhaltige Städte und Gemeinden", "Sustainable cities and communities"),
    (12, "Nachhaltige/r Konsum und Produktion", "Responsible consumption and production"),
    (13, "Maßnahmen zum Klimaschutz", "Climate action"),
    (14, "Leben unter Wasser", "Life below water"),
    (15, "Leben an Land", "Life on land"),
    (16, "Frieden, Gerechtigkeit und starke Institutionen", "Peace, justice and strong institutions"),
    (17, "Partnerschaften zur Erreichung der Ziele", "Partnerships for the goals"),
]

FIELDS = [
    ("abfallwirtschaft", "Abfallwirtschaft", "Waste management"),
    ("klimaschutz", "Klimaschutz", "Climate protection"),
    ("klimaanpassung", "Klimaanpassung", "Climate adaptation"),
    ("wasser-abwasser", "Wasser und Abwasser", "Water and wastewater"),
    ("energie", "Energie", "Energy"),
    ("gesundheit", "Gesundheit", "Health"),
    ("bildung", "Bildung", "Education"),
    ("e-governance", "E-Governance", "E-governance"),
    ("stadtentwicklung", "Stadtentwicklung", "Urban development"),
    ("mobilitaet", "Mobilität", "Mobility"),
    ("kultur", "Kultur", "Culture"),
    ("wirtschaft", "Wirtschaft", "Economy"),
]


def create_themes(apps, schema_editor):
    Theme = apps.get_model("registry", "Theme")
    for number, name_de, name_en in SDGS:
        Theme.objects.update_or_create(
            code=f"sdg-{number}",
            defaults={"kind": "sdg", "number": number, "name_de": name_de, "name_en": name_en},
        )
    for position, (code, name_de, name_en) in enumerate(FIELDS, start=1):
        Theme.objects.update_or_create(
            code=code,
            defaults={"kind": "field", "number": position, "name_de": name_de, "name_en": name_en},
        )


def remove_themes(apps, schema_editor):
    codes = [f"sdg-{n}" for n, _, _ in SDGS] + [code for code, _, _ in FIELDS]
    apps.get_model("registry", "Theme").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(create_themes, remove_themes)]
