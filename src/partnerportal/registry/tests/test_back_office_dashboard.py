"""The back office (Wagtail): the registry's to-do panel on the dashboard, yes/no in words, one
name per menu entry; and dates in the portal's time zone wherever they are written."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from wagtail.admin.menu import admin_menu

from partnerportal.accounts.tests.factories import MunicipalityFactory, UserFactory
from partnerportal.registry.tests.factories import (
    ImportRunFactory,
    PartnershipFactory,
    ReviewItemFactory,
)

pytestmark = pytest.mark.django_db


def test_the_dashboard_counts_the_review_queue_and_the_stale_entries(client, site):
    ReviewItemFactory.create_batch(3)
    ReviewItemFactory(dismissed=True)
    PartnershipFactory.create_batch(2, stale=True)
    client.force_login(UserFactory(agency_staff=True))
    html = client.get("/admin/").content.decode()
    panel = html.split("Register: zu erledigen")[1]
    assert "Importzeilen, die auf Prüfung warten" in panel
    assert "<strong>3</strong>" in panel and "<strong>2</strong>" in panel
    assert f'href="{reverse("registry:review_list")}"' in panel
    assert f'href="{reverse("registry:stale_list")}"' in panel


def test_yes_and_no_in_words_in_the_back_office(client, site):
    municipality = MunicipalityFactory(verified=True)
    client.force_login(UserFactory(agency_staff=True))
    html = client.get("/admin/snippets/registry/municipality/").content.decode()
    assert "ja" in html and "True" not in html
    html = client.get(
        f"/admin/snippets/registry/municipality/inspect/{municipality.pk}/"
    ).content.decode()
    assert "True" not in html and "ja" in html


def _labels(items, request) -> list[str]:
    labels = []
    for item in items:
        labels.append(str(item.label))
        if hasattr(item, "menu"):
            labels += _labels(item.menu.menu_items_for_request(request), request)
    return labels


def test_no_two_menu_entries_share_a_name(rf):
    request = rf.get("/admin/")
    request.user = UserFactory(agency_admin=True)
    for language in ("de", "en"):
        with translation.override(language):
            labels = _labels(admin_menu.menu_items_for_request(request), request)
            duplicates = {label for label in labels if labels.count(label) > 1}
            assert not duplicates, (language, duplicates)


def test_dates_are_written_in_the_portals_time_zone():
    late = dt.datetime(2026, 11, 22, 23, 30, tzinfo=dt.UTC)  # already the 23rd in Berlin
    template = Template(
        "{% load partnerportal %}{{ when|local_date:'short' }}|{{ when|local_datetime }}"
        "|{{ when|iso_datetime }}"
    )
    with translation.override("de"):
        assert template.render(Context({"when": late})) == (
            "23.11.2026|23.11.2026, 00:30|2026-11-23T00:30+01:00"
        )
    with translation.override("en"):
        assert template.render(Context({"when": late})).startswith("Nov 23, 2026|Nov 23, 2026")
    run = ImportRunFactory()
    run.started_at = late
    assert str(run).endswith("(23.11.2026)")
