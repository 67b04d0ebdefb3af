import pytest
from django.urls import reverse

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.content.models import StandardPage


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["agency_admin", "agency_editor"])
def test_agency_staff_may_edit_the_legal_pages_in_the_back_office(client, site, role):
    imprint = StandardPage.objects.get(slug="impressum", locale__language_code="de")
    client.force_login(UserFactory(role=role, mfa=True))
    assert client.get(reverse("wagtailadmin_pages:edit", args=[imprint.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["reviewer", "expert", None])
def test_others_may_not_enter_the_page_editor(client, site, role):
    imprint = StandardPage.objects.get(slug="impressum", locale__language_code="de")
    client.force_login(UserFactory(role=role, mfa=role == "reviewer"))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[imprint.pk]))
    assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_the_back_office_speaks_the_persons_language(site):
    from wagtail.users.models import UserProfile

    person = UserFactory(role="agency_editor", language="en")
    assert UserProfile.get_for_user(person).preferred_language == "en"
    person.language = "de"
    person.save()
    assert UserProfile.get_for_user(person).preferred_language == "de"
