"""The translation report: per page and language missing / out of date / current, generic over
page types, and who may see it."""

import pytest
from django.urls import reverse
from wagtail.models import Locale, Page

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.core.translations import (
    TranslationState,
    translation_locales_ensure,
    translation_report,
)

REPORT = "partnerportal_translation_report"


@pytest.fixture
def locales(site):
    translation_locales_ensure()
    return {locale.language_code: locale for locale in Locale.objects.all()}


@pytest.fixture
def source(site):
    """A plain Wagtail page under the home page: the report must not depend on page types."""
    page = site.add_child(instance=Page(title="Partnerschaft mit Kidira", slug="kidira"))
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _row(page_id, **filters):
    report = translation_report(**filters)
    return next((row for row in report.rows if row.page_id == page_id), None)


def _states(page_id):
    return {cell.locale.language_code: cell.state for cell in _row(page_id).cells}


@pytest.mark.django_db
def test_every_content_language_gets_a_locale_after_migrate():
    codes = set(Locale.objects.values_list("language_code", flat=True))
    assert {"de", "en", "fr", "es", "ar", "uk"} <= codes


@pytest.mark.django_db
def test_a_page_without_translations_is_missing_in_every_other_language(locales, source):
    assert _states(source.pk) == dict.fromkeys(
        ["en", "fr", "es", "ar", "uk"], TranslationState.MISSING
    )


@pytest.mark.django_db
def test_translate_then_change_the_source_makes_the_translation_out_of_date(locales, source):
    french = source.copy_for_translation(locales["fr"], copy_parents=True)
    french.title = "Partenariat avec Kidira"
    french.save_revision().publish()
    assert _states(source.pk)["fr"] == TranslationState.CURRENT
    assert _states(source.pk)["ar"] == TranslationState.MISSING

    source.refresh_from_db()
    source.title = "Partnerschaft mit Kidira (Senegal)"
    source.save_revision()  # a draft is a change the translator should know about
    assert _states(source.pk)["fr"] == TranslationState.OUTDATED

    french.refresh_from_db()
    french.title = "Partenariat avec Kidira (Sénégal)"
    french.save_revision().publish()
    assert _states(source.pk)["fr"] == TranslationState.CURRENT


@pytest.mark.django_db
def test_wagtail_localize_sync_brings_a_translation_up_to_date(locales, source):
    from wagtail_localize.models import Translation, TranslationSource
    from wagtail_localize.operations import TranslationCreator

    user = UserFactory(role="agency_editor", mfa=True)
    TranslationCreator(user, [locales["uk"]]).create_translations(source)
    assert _states(source.pk)["uk"] == TranslationState.CURRENT

    source.refresh_from_db()
    source.title = "Partnerschaft mit Kidira, Senegal"
    source.save_revision().publish()
    assert _states(source.pk)["uk"] == TranslationState.OUTDATED

    # "Sync translated pages": the source's strings are read again and the translation saved.
    translation_source, _created = TranslationSource.update_or_create_from_instance(source)
    translation = Translation.objects.get(source=translation_source, target_locale=locales["uk"])
    translation.save_target(user=user, publish=True)
    assert _states(source.pk)["uk"] == TranslationState.CURRENT


@pytest.mark.django_db
def test_an_alias_in_another_language_counts_as_missing(locales, source):
    source.copy_for_translation(locales["es"], copy_parents=True, alias=True)
    assert _states(source.pk)["es"] == TranslationState.MISSING


@pytest.mark.django_db
def test_the_state_filter_and_the_title_search(locales, source):
    source.copy_for_translation(locales["fr"], copy_parents=True).save_revision().publish()
    other = site_child(source, "Impressum-Test")
    assert _row(source.pk, state="current") is not None
    assert _row(other.pk, state="current") is None
    assert _row(other.pk, state="missing") is not None
    assert _row(source.pk, search="kidira") is not None
    assert _row(other.pk, search="kidira") is None


def site_child(page, title):
    slug = title.lower().replace(" ", "-")
    child = page.get_parent().add_child(instance=Page(title=title, slug=slug))
    child.save_revision().publish()
    return child


@pytest.mark.django_db
def test_the_report_page_lists_the_states_in_a_bounded_number_of_queries(
    client, locales, source, django_assert_max_num_queries
):
    source.copy_for_translation(locales["fr"], copy_parents=True).save_revision().publish()
    for number in range(5):
        site_child(source, f"Seite {number}")
    client.force_login(UserFactory(role="agency_editor", mfa=True))
    with django_assert_max_num_queries(30):
        response = client.get(reverse(REPORT))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-page="{source.pk}"' in html
    assert 'data-locale="fr" data-state="current"' in html
    assert 'data-locale="ar" data-state="missing"' in html
    # Six more pages add no query: the report reads all pages at once.
    for number in range(5, 11):
        site_child(source, f"Seite {number}")
    with django_assert_max_num_queries(30):
        assert client.get(reverse(REPORT), {"state": "missing"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("agency_admin", True),
        ("agency_editor", True),
        ("reviewer", False),
        ("expert", False),
        (None, False),
    ],
)
def test_who_may_see_the_translation_report(client, site, role, allowed):
    user = UserFactory(role=role, mfa=role in ("agency_admin", "agency_editor", "reviewer"))
    client.force_login(user)
    response = client.get(reverse(REPORT))
    if allowed:
        assert response.status_code == 200
        assert b"translation-report" in response.content or b"No page matches" in response.content
    else:
        assert response.status_code in (302, 403)
        assert b"translation-report" not in response.content


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login(client, site):
    response = client.get(reverse(REPORT))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.django_db
def test_the_report_shows_in_the_reports_menu_for_page_editors(client, locales, source):
    client.force_login(UserFactory(role="agency_editor", mfa=True))
    assert reverse(REPORT).encode() in client.get(reverse("wagtailadmin_home")).content


@pytest.mark.django_db
def test_staff_reach_wagtail_localizes_translate_form_and_editor(client, locales, source):
    """The report's "Translate this page" link and the translation editor answer for staff."""
    from wagtail_localize.operations import TranslationCreator

    editor = UserFactory(role="agency_editor", mfa=True)
    client.force_login(editor)
    html = client.get(reverse(REPORT)).content.decode()
    translate_url = reverse("wagtail_localize:submit_page_translation", args=[source.pk])
    assert translate_url in html
    assert client.get(translate_url).status_code == 200

    TranslationCreator(editor, [locales["ar"]]).create_translations(source)
    arabic = source.get_translation(locales["ar"])
    response = client.get(reverse("wagtailadmin_pages:edit", args=[arabic.pk]))
    assert response.status_code == 200
    assert b"translation-editor" in response.content or b"wagtail-localize" in response.content
