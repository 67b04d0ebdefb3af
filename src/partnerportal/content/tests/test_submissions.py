"""Municipal editors submit practice examples of their own partnerships: who may (the matrix),
what bad input does (nothing stored), what is created, and who is told."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import PageLogEntry

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.content.models import PracticeExample
from partnerportal.content.services import practice_example_submit
from partnerportal.notifications.models import Activity
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

from .helpers import png_bytes, upload

URL = "/de/beitraege/praxisbeispiel-einreichen/"


@pytest.fixture
def world(site):
    koeln = MunicipalityFactory(name="Köln")
    bonn = MunicipalityFactory(name="Bonn")
    own = PartnershipFactory(
        between=(koeln, ForeignMunicipalityFactory(name="Yarinacocha", iso2="PE")),
        themes=["gesundheit"],
    )
    other = PartnershipFactory(between=(bonn, ForeignMunicipalityFactory(iso2="UA")))
    return {
        "koeln": koeln,
        "own": own,
        "other": other,
        "editor": UserFactory(municipality=koeln, name="Kim Köln"),
        "bonn_editor": UserFactory(municipality=bonn),
        "staff": UserFactory(role="agency_editor", mfa=True),
    }


def _data(partnership_, **changes):
    data = {
        "partnership": partnership_.pk,
        "title": "Heilpflanzengarten am Gesundheitsposten",
        "teaser": "Wie ein Garten die Versorgung verbessert.",
        "body": "Erster Absatz.\n\nZweiter Absatz <script>alert(1)</script>.",
        "results": "Ein Garten.",
        "lessons": "Klein anfangen.",
        "image_alt": "",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "get_status", "post_stores"),
    [
        ("anonymous", 302, False),
        ("registered", 403, False),
        ("staff", 403, False),
        ("bonn_editor", 200, False),  # sees the form for their own partnerships only
        ("editor", 200, True),
    ],
)
def test_who_may_submit(client, world, who, get_status, post_stores):
    user = {
        "anonymous": None,
        "registered": UserFactory(),
        "staff": world["staff"],
        "bonn_editor": world["bonn_editor"],
        "editor": world["editor"],
    }[who]
    if user is not None:
        client.force_login(user)
    response = client.get(f"{URL}?partnership={world['own'].pk}")
    assert response.status_code == get_status
    if get_status == 302:
        assert "/konto/login/" in response["Location"]
    response = client.post(URL, _data(world["own"]))
    assert PracticeExample.objects.exists() is post_stores
    if post_stores:
        assert response.status_code == 302
    elif who == "bonn_editor":
        # Köln's partnership is no choice for Bonn's editor: the form says so, nothing stored.
        assert response.status_code == 200
        assert "Auswahl" in response.content.decode() or "choice" in response.content.decode()


@pytest.mark.django_db
def test_a_submission_is_a_draft_in_review_owned_by_the_editor_and_staff_are_told(client, world):
    editor = world["editor"]
    client.force_login(editor)
    response = client.post(
        URL,
        {**_data(world["own"], image_alt="Ein Beet mit Heilpflanzen"), "image": upload()},
    )
    assert response.status_code == 302
    page = PracticeExample.objects.get()
    assert not page.live and page.owner == editor and page.locale.language_code == "de"
    assert page.get_parent().specific.purpose == "practice_examples"
    assert page.current_workflow_task_state is not None
    assert page.workflow_states.get().requested_by == editor
    assert list(page.partnerships.all()) == [world["own"]]
    own = world["own"]
    assert set(page.municipalities.all()) == {own.municipality_a, own.municipality_b}
    assert [c.iso2 for c in page.countries.all()] == ["PE"]
    assert [t.code for t in page.themes.all()] == ["gesundheit"]
    assert "<script>" not in page.body and "&lt;script&gt;" in page.body
    assert page.body.count("<p>") == 2
    assert page.lead_image is not None and page.lead_image_alt == "Ein Beet mit Heilpflanzen"
    assert PageLogEntry.objects.filter(
        page=page, action="content.practice_example_submitted", user=editor
    ).exists()
    told = Activity.objects.filter(event="content.review_requested")
    assert set(told.values_list("recipient", flat=True)) == {world["staff"].pk}
    # The work page lists it with its state.
    html = client.get(reverse("registry:municipality_work", args=[world["koeln"].pk])).content
    html = html.decode()
    assert "Heilpflanzengarten am Gesundheitsposten" in html and "wartet auf Prüfung" in html


@pytest.mark.django_db
def test_the_submitter_is_told_when_it_is_sent_back_or_published(client, world):
    editor, staff = world["editor"], world["staff"]
    page = practice_example_submit(
        actor=editor, partnership=world["own"], title="Beispiel", teaser="Kurz.", body="Text."
    )
    task_state = page.current_workflow_task_state.specific
    task_state.task.specific.on_action(task_state, staff, "reject", comment="Bitte Fotos.")
    sent_back = Activity.objects.get(recipient=editor, event="content.sent_back")
    assert sent_back.context["comment"] == "Bitte Fotos."
    client.force_login(editor)
    html = client.get(reverse("registry:municipality_work", args=[world["koeln"].pk]))
    assert "Bitte Fotos." in html.content.decode()
    page.refresh_from_db()
    page.get_workflow()  # resubmitted after changes (in the back office, by staff)
    page.current_workflow_state.resume(user=editor)
    task_state = page.current_workflow_task_state.specific
    task_state.task.specific.on_action(task_state, staff, "approve")
    page.refresh_from_db()
    assert page.live
    assert Activity.objects.filter(recipient=editor, event="content.published").exists()


@pytest.mark.django_db
def test_a_forged_partnership_is_refused_by_the_service(world):
    with pytest.raises(PermissionDenied):
        practice_example_submit(
            actor=world["editor"], partnership=world["other"], title="T", teaser="T", body="B"
        )
    proposed = PartnershipFactory(
        between=(world["koeln"], ForeignMunicipalityFactory(iso2="SN")), proposed=True
    )
    with pytest.raises(PermissionDenied):  # not public yet
        practice_example_submit(
            actor=world["editor"], partnership=proposed, title="T", teaser="T", body="B"
        )
    assert not PracticeExample.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"image": "png", "image_alt": ""}, "image_alt", "Beschreiben Sie das Bild"),
        ({"image": "pdf", "image_alt": "Ein Bild"}, "image", "nicht hochgeladen werden"),
        ({"image": "renamed", "image_alt": "Ein Bild"}, "image", ".png"),
        ({"image": "big", "image_alt": "Ein Bild"}, "image", "zu groß"),
        ({"title": ""}, "title", "ausgefüllt"),
        ({"partnership": 999999}, "partnership", "Auswahl"),
    ],
)
@override_settings(PARTNERPORTAL_UPLOAD_MAX_BYTES=5_000)
def test_bad_input_is_explained_and_stores_nothing(client, world, changes, field, message):
    client.force_login(world["editor"])
    images = {
        "png": upload(),
        "pdf": upload("foto.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
        "renamed": upload("foto.jpg"),
        "big": upload("gross.png", png_bytes(400, 400) + b"\0" * 6000),
    }
    data = _data(world["own"], **{k: v for k, v in changes.items() if k != "image"})
    if "image" in changes:
        data["image"] = images[changes["image"]]
    response = client.post(URL, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field]), form.errors[field]
    assert not PracticeExample.objects.exists()
    assert not get_image_model().objects.exists()


@pytest.mark.django_db
def test_the_partnership_page_offers_the_form_to_its_editors_only(client, world):
    url = reverse("registry:partnership_detail", args=[world["own"].pk])
    link = f"{reverse('content:practice_example_submit')}?partnership={world['own'].pk}"
    client.force_login(world["editor"])
    assert link in client.get(url).content.decode()
    client.force_login(world["bonn_editor"])
    assert link not in client.get(url).content.decode()
    client.force_login(world["staff"])
    assert link not in client.get(url).content.decode()
