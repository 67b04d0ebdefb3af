"""Staff create municipal companies and municipalities that no gazetteer lists."""

import pytest
from django.urls import reverse

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.geo.services import country_ensure
from partnerportal.registry.models import Municipality


@pytest.mark.django_db
def test_agency_staff_create_a_municipal_company_in_the_back_office(client, site):
    country_ensure("DE")
    editor = UserFactory(role="agency_editor", mfa=True)
    client.force_login(editor)
    url = reverse("wagtailsnippets_registry_municipality:add")
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "name": "Stadtentwässerung Musterstadt",
            "name_suffix": "",
            "country": "DE",
            "kind": Municipality.Kind.COMPANY,
            "verified": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    company = Municipality.objects.get(name="Stadtentwässerung Musterstadt")
    assert company.kind == Municipality.Kind.COMPANY
    assert company.search_name == "stadtentwasserung musterstadt"
    assert company.history.latest().history_user == editor


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["reviewer", "expert", None])
def test_others_may_not_create_municipalities(client, site, role):
    client.force_login(UserFactory(role=role, mfa=role == "reviewer"))
    response = client.get(reverse("wagtailsnippets_registry_municipality:add"))
    assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_saving_a_place_leaves_no_row_in_wagtails_reference_index():
    """Municipalities are outside Wagtail's reference index: a save enqueues no task and writes
    no row (imported places never reached it, so a country's usage counted only some)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    from partnerportal.registry.tests.factories import MunicipalityFactory

    place = MunicipalityFactory()
    place.name = "Neuer Name"
    place.save()

    municipality = ContentType.objects.get_for_model(Municipality)
    assert not ReferenceIndex.objects.filter(base_content_type=municipality).exists()
    assert not ReferenceIndex.is_indexed(Municipality)


@pytest.mark.django_db
def test_migration_0012_drops_the_rows_places_wrote_and_keeps_the_pages(site):
    """What a municipality's save wrote before goes; a page's references stay."""
    import uuid
    from importlib import import_module

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, ReferenceIndex

    from partnerportal.geo.models import Country
    from partnerportal.registry.tests.factories import MunicipalityFactory

    migration = import_module(
        "partnerportal.registry.migrations.0012_municipality_reference_index_drop"
    )
    place = MunicipalityFactory()
    municipality = ContentType.objects.get_for_model(Municipality)
    page = ContentType.objects.get_for_model(Page)
    common = {"model_path": "country", "content_path": "country"}
    ReferenceIndex.objects.create(
        content_type=municipality,
        base_content_type=municipality,
        object_id=str(place.pk),
        to_content_type=ContentType.objects.get_for_model(Country),
        to_object_id=str(place.country_id),
        content_path_hash=uuid.uuid4(),
        **common,
    )
    kept = ReferenceIndex.objects.create(
        content_type=page,
        base_content_type=page,
        object_id=str(site.pk),
        to_content_type=municipality,
        to_object_id=str(place.pk),
        content_path_hash=uuid.uuid4(),
        **common,
    )

    migration.references_of_municipalities_drop(apps, None)

    assert not ReferenceIndex.objects.filter(base_content_type=municipality).exists()
    assert ReferenceIndex.objects.filter(pk=kept.pk).exists()
