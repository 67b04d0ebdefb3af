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
