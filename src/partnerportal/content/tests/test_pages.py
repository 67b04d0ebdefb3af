import pytest


@pytest.mark.django_db
def test_home_page_answers_in_german_and_english(client, site):
    response = client.get("/de/")
    assert response.status_code == 200
    assert '<html lang="de"' in response.content.decode()
    response = client.get("/en/")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_footer_links_the_legal_pages_in_the_active_language(client, site):
    html = client.get("/en/").content.decode()
    assert "/en/impressum/" in html
    assert "/en/datenschutz/" in html
    assert "/en/barrierefreiheit/" in html


@pytest.mark.django_db
def test_footer_links_are_cached_until_pages_or_the_setting_change(
    client, site, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Page

    from partnerportal.content.models import LegalPages

    client.get("/de/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/de/")
    assert not any("contentlegalpages" in q["sql"].lower() for q in warm.captured_queries)

    # Unpublishing the imprint takes its link out of every footer at once.
    imprint = Page.objects.get(url_path__endswith="/impressum/", locale__language_code="de")
    # The layout's version moves when the change commits (core/versions.py).
    with django_capture_on_commit_callbacks(execute=True):
        imprint.unpublish()
    assert "/de/impressum/" not in client.get("/de/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        imprint.specific.save_revision().publish()
    assert "/de/impressum/" in client.get("/de/").content.decode()

    # Pointing the footer elsewhere in the back office is seen on the next page.
    legal = LegalPages.objects.get()
    legal.imprint_page = Page.objects.get(
        url_path__endswith="/datenschutz/", locale__language_code="de"
    )
    with django_capture_on_commit_callbacks(execute=True):
        legal.save()
    html = client.get("/de/").content.decode()
    assert html.count("/de/datenschutz/") >= 2
