"""Case documents and the internal log are the agency's: a municipal editor (even of the case's
own partnership, who sees its action plan) never gets one, not by a link on a page they may see
and not by a guessed address (the document's, another case's, the stored file's): 403 or 404,
and the answer never carries the file."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from partnerportal.advisory.cases import measure_create
from partnerportal.advisory.models import CaseDocument

from .case_factories import CaseFactory

pytestmark = pytest.mark.django_db

SECRET_FILE = b"Vertrauliches Protokoll der Agentur"


def _document(case, title="Gespraechsprotokoll") -> CaseDocument:
    document = CaseDocument(case=case, title=title, mime="text/plain", size=len(SECRET_FILE))
    document.file.save("protokoll.txt", ContentFile(SECRET_FILE), save=True)
    return document


@pytest.mark.parametrize("who", ["german_editor", "partner_editor", "third_editor", "requester"])
def test_municipal_editors_never_get_a_case_document_or_the_log(client, case_world, who):
    case = case_world.case
    document = _document(case)
    other_case = CaseFactory(municipality=case_world.third)
    other_document = _document(other_case, title="Anderes Protokoll")
    measure_create(case=case, actor=case_world.advisor, goal="Abfall", responsible="both")
    client.force_login(getattr(case_world, who))

    guessed = [
        reverse("advisory:case_document", kwargs={"pk": case.pk, "document": document.pk}),
        # the right document under another case, another case's document, one that is not there
        reverse("advisory:case_document", kwargs={"pk": other_case.pk, "document": document.pk}),
        reverse(
            "advisory:case_document", kwargs={"pk": other_case.pk, "document": other_document.pk}
        ),
        reverse("advisory:case_document", kwargs={"pk": case.pk, "document": document.pk + 99}),
        reverse("advisory:case_document", kwargs={"pk": 999_999, "document": document.pk}),
        # the stored file itself (a random name; media is not served outside DEBUG)
        f"/media/{document.file.name}",
        # the case page with its log and document list, and a log entry added by a POST
        reverse("advisory:case_detail", kwargs={"pk": case.pk}),
    ]
    for url in guessed:
        response = client.get(url)
        assert response.status_code in (403, 404), (url, response.status_code)
        assert SECRET_FILE not in response.content, url
    response = client.post(
        reverse("advisory:case_note_add", kwargs={"pk": case.pk}),
        {"kind": "call", "date": "2026-11-30", "text": "Eingeschleust"},
    )
    assert response.status_code in (403, 404)
    assert not case.notes.filter(text="Eingeschleust").exists()

    # What they may see (the plan, its exports, their list of plans) shows neither.
    pages = [
        reverse("advisory:plan_detail", kwargs={"pk": case.pk}),
        reverse("advisory:plan_pdf", kwargs={"pk": case.pk}),
        reverse("advisory:plan_xlsx", kwargs={"pk": case.pk}),
        reverse("advisory:my_plans"),
    ]
    document_url = reverse("advisory:case_document", kwargs={"pk": case.pk, "document": 0})[:-2]
    for url in pages:
        response = client.get(url)
        if response.status_code != 200:
            assert response.status_code == 404 and who in ("third_editor", "requester"), url
            continue
        body = response.content
        assert SECRET_FILE not in body
        assert b"Vertrauliche Notiz" not in body  # the internal log entry of case_world
        assert b"Gespraechsprotokoll" not in body
        assert document_url.encode() not in body


def test_staff_get_the_document(client, case_world):
    document = _document(case_world.case)
    client.force_login(case_world.other_staff)
    url = reverse(
        "advisory:case_document", kwargs={"pk": case_world.case.pk, "document": document.pk}
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == SECRET_FILE
    assert response["Cache-Control"] == "private, no-store"
    body = client.get(reverse("advisory:case_detail", kwargs={"pk": case_world.case.pk}))
    assert url in body.content.decode()
