"""No lost edits: every form that writes a partnership says which version it was read at, and a
save based on an older version is refused with what changed meanwhile, keeps the person's input
and changes nothing (core.concurrency, ADR 0005)."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from partnerportal.accounts.tests.clients import Client
from partnerportal.registry.models import Partnership, PartnershipStatus, Theme
from partnerportal.registry.services import partnerships as services

from .test_editing_views import edit_data
from .test_services_partnerships import make_world

NOT_SAVED_DE = "Nicht gespeichert"
NOT_SAVED_EN = "Not saved"


def themes(*codes: str) -> list[Theme]:
    return [Theme.objects.get(code=code) for code in codes]


def form_version(response) -> str:
    """The version the page's form was read at, as a browser would send it back."""
    match = re.search(r'name="version"[^>]*value="(\d+)"', response.text)
    assert match, "the form carries no version"
    return match.group(1)


def edit_url(partnership: Partnership) -> str:
    return reverse("registry:partnership_edit", args=[partnership.pk])


@pytest.fixture
def world(db):
    return make_world()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Two people, one partnership --------------------------------------------------------------


def test_two_editors_at_once_the_second_is_refused_with_what_changed(site, world):
    partnership = world["partnership"]
    water, climate = themes("sdg-6", "sdg-13")
    first, second = client_for(world["editor"]), client_for(world["partner_editor"])
    seen_first = form_version(first.get(edit_url(partnership)))
    seen_second = form_version(second.get(edit_url(partnership)))

    response = first.post(
        edit_url(partnership),
        edit_data(partnership, version=seen_first, description="Von Köln", themes=[water.pk]),
    )
    assert response.status_code == 302

    response = second.post(
        edit_url(partnership),
        edit_data(
            partnership, version=seen_second, description="Aus Yarinacocha", themes=[climate.pk]
        ),
    )
    assert response.status_code == 409
    text = response.text
    assert NOT_SAVED_DE in text
    # what changed meanwhile, as people read it: labels, values, who
    assert "Beschreibung" in text and "Von Köln" in text and str(water) in text
    assert world["editor"].display_name in text
    # the person's input is kept in the form, with the current version to save it knowingly
    assert "Aus Yarinacocha" in text
    assert re.search(rf'name="themes"[^>]*value="{climate.pk}"[^>]*checked', text)
    partnership.refresh_from_db()
    assert form_version(response) == str(partnership.version)
    # and nothing changed
    assert partnership.description == "Von Köln"
    assert set(partnership.themes.all()) == {water}


def test_an_older_form_sent_after_a_newer_save_erases_nothing(site, world):
    """The reported case: staff saved a form opened before an editor added a theme."""
    partnership = world["partnership"]
    water, climate = themes("sdg-6", "sdg-13")
    staff = client_for(world["staff"])
    old_form = form_version(staff.get(edit_url(partnership)))

    editor = client_for(world["editor"])
    fresh = form_version(editor.get(edit_url(partnership)))
    response = editor.post(
        edit_url(partnership), edit_data(partnership, version=fresh, themes=[water.pk])
    )
    assert response.status_code == 302
    history = partnership.history.count()

    response = staff.post(
        edit_url(partnership), edit_data(partnership, version=old_form, themes=[climate.pk])
    )
    assert response.status_code == 409
    assert set(partnership.themes.all()) == {water}
    assert partnership.history.count() == history  # nothing written, not even a record


def test_the_refusal_speaks_english_on_english_pages(site, world):
    partnership = world["partnership"]
    client = client_for(world["editor"])
    stale = form_version(client.get(edit_url(partnership)))
    services.partnership_update(
        partnership=partnership,
        actor=world["staff"],
        expected_version=partnership.version,
        description="Neu",
    )
    with translation.override("en"):
        url = edit_url(partnership)
    response = client.post(url, edit_data(partnership, version=stale, description="Mine"))
    assert response.status_code == 409
    assert NOT_SAVED_EN in response.text and "Description" in response.text


def test_the_service_refuses_a_stale_version_and_writes_nothing(world):
    from partnerportal.core.concurrency import EditConflict

    partnership = world["partnership"]
    seen = partnership.version
    services.partnership_update(
        partnership=partnership, actor=world["editor"], expected_version=seen, description="A"
    )
    stale = Partnership.objects.get(pk=partnership.pk)
    stale.version = seen  # what an old form would say
    with pytest.raises(EditConflict) as raised:
        services.partnership_update(
            partnership=stale, actor=world["staff"], expected_version=seen, description="B"
        )
    assert raised.value.current_version == seen + 1
    partnership.refresh_from_db()
    assert partnership.description == "A" and partnership.version == seen + 1


def test_every_other_save_moves_the_version_on_but_bookkeeping_does_not(world):
    partnership = world["partnership"]
    seen = partnership.version
    partnership.description = "Von einem Skript"
    partnership.save()  # e.g. an import or the shell: a form read before must not win
    assert Partnership.objects.get(pk=partnership.pk).version == seen + 1
    services.partnership_confirm_current(
        partnership=partnership, actor=world["editor"], expected_version=seen + 1
    )
    assert Partnership.objects.get(pk=partnership.pk).version == seen + 1  # content unchanged


# --- The other forms: status, proposals, "still correct" --------------------------------------


def _edit_meanwhile(world, partnership, description="Inzwischen geändert"):
    services.partnership_update(
        partnership=Partnership.objects.get(pk=partnership.pk),
        actor=world["partner_editor"],
        expected_version=None,
        description=description,
    )


def test_status_change_based_on_an_older_version_is_refused(site, world):
    partnership = world["partnership"]
    client = client_for(world["editor"])
    url = reverse("registry:partnership_transition", args=[partnership.pk, "pause"])
    seen = form_version(client.get(url))
    _edit_meanwhile(world, partnership)
    response = client.post(url, {"version": seen, "note": "Pause wegen Wahl"})
    assert response.status_code == 409
    assert "Inzwischen geändert" in response.text and "Pause wegen Wahl" in response.text
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.ACTIVE
    assert not partnership.status_changes.exists()


@pytest.mark.parametrize(
    "url_name,button",
    [("partnership_proposal_confirm", "confirm"), ("partnership_proposal_reject", "reject")],
)
def test_proposal_decision_on_an_older_version_is_refused(site, world, url_name, button):
    partnership = world["partnership"]
    Partnership.objects.filter(pk=partnership.pk).update(is_confirmed=False)
    staff = client_for(world["staff"])
    page = staff.get(reverse("registry:partnership_detail", args=[partnership.pk]))
    seen = form_version(page)
    _edit_meanwhile(world, partnership)
    url = reverse(f"registry:{url_name}", args=[partnership.pk])
    response = staff.post(url, {"version": seen, "reason": "Doppelt"})
    assert response.status_code == 409
    assert NOT_SAVED_DE in response.text and "Inzwischen geändert" in response.text
    partnership.refresh_from_db()  # still there, still a proposal
    assert not partnership.is_confirmed
    # the page offers the same decision for what is there now
    response = staff.post(url, {"version": form_version(response), "reason": "Doppelt"})
    assert response.status_code == 302
    exists = Partnership.objects.filter(pk=partnership.pk, is_confirmed=True).exists()
    assert exists is (button == "confirm")


def test_still_correct_for_an_older_version_is_refused(site, world):
    partnership = world["partnership"]
    client = client_for(world["editor"])
    seen = form_version(client.get(reverse("registry:partnership_detail", args=[partnership.pk])))
    _edit_meanwhile(world, partnership)
    url = reverse("registry:partnership_confirm_current", args=[partnership.pk])
    partnership.refresh_from_db()
    saved_by_partner = partnership.municipality_confirmed_at  # the partner's save confirmed it
    response = client.post(url, {"version": seen})
    assert response.status_code == 409
    partnership.refresh_from_db()
    assert partnership.municipality_confirmed_at == saved_by_partner
    assert partnership.municipality_confirmed_by == world["partner_editor"]


def test_revert_of_a_change_on_an_older_page_is_refused(site, world):
    partnership = world["partnership"]
    _edit_meanwhile(world, partnership, description="Falsch")
    staff = client_for(world["staff"])
    history_url = reverse(
        "audit:history",
        kwargs={"app_label": "registry", "model_name": "partnership", "pk": partnership.pk},
    )
    seen = form_version(staff.get(history_url))
    record = partnership.history.latest()
    _edit_meanwhile(world, partnership, description="Richtig, danach")
    revert_url = reverse(
        "audit:revert",
        kwargs={
            "app_label": "registry",
            "model_name": "partnership",
            "pk": partnership.pk,
            "history_id": record.history_id,
        },
    )
    response = staff.post(revert_url, {"version": seen}, follow=True)
    assert "Nichts wurde rückgängig gemacht" in response.text
    partnership.refresh_from_db()
    assert partnership.description == "Richtig, danach"


# --- Parallel requests ------------------------------------------------------------------------


ATTEMPTS = 20
#: Everyone refused tries again: about n²/2 requests, so fewer people (the machine is small).
ATTEMPTS_UNTIL_SAVED = 8


@pytest.fixture
def parallel_world(transactional_db):
    """A transactional test: the threads' connections see committed data only. A flush before
    it removed what migrations created: the themes, role groups and Wagtail's root page are put
    back."""
    import importlib

    from django.apps import apps
    from wagtail.models import Locale, Page

    from partnerportal.content.services import site_structure_ensure

    for module, create in (
        ("partnerportal.registry.migrations.0002_themes", "create_themes"),
        ("partnerportal.accounts.migrations.0003_role_groups", "create_groups"),
    ):
        getattr(importlib.import_module(module), create)(apps, None)
    if Page.get_first_root_node() is None:  # as tests/browser/conftest.py puts it back
        locale, _created = Locale.objects.get_or_create(language_code="de")
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))

    site_structure_ensure()
    return make_world()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("retry", [False, True], ids=["once", "until-saved"])
def test_parallel_edits_each_adding_a_theme_lose_none(parallel_world, retry):
    """20 people add one theme each at the same moment. Each save lands or is refused; no
    landed theme is lost. With `retry`, whoever is refused reloads the form and saves again,
    as a person would: then every theme is there."""
    world = parallel_world
    people = ATTEMPTS_UNTIL_SAVED if retry else ATTEMPTS
    partnership = world["partnership"]
    pool = list(Theme.objects.order_by("pk")[:people])
    assert len(pool) == people
    editors = [world["editor"], world["partner_editor"]]
    clients = [client_for(editors[i % 2]) for i in range(people)]
    start = threading.Barrier(people)
    outcomes: dict[int, int] = {}
    refusals: list[int] = []
    errors: list[BaseException] = []

    def attempt(i: int) -> None:
        try:
            client = clients[i]
            for round in range(people + 1):
                page = client.get(edit_url(partnership))  # read the form as a browser would
                seen = form_version(page)
                current = re.findall(r'name="themes"[^>]*value="(\d+)"[^>]*checked', page.text)
                if round == 0:
                    start.wait(timeout=60)
                response = client.post(
                    edit_url(partnership),
                    edit_data(partnership, version=seen, themes=[*current, str(pool[i].pk)]),
                )
                outcomes[i] = response.status_code
                if response.status_code == 409:
                    refusals.append(i)
                if response.status_code != 409 or not retry:
                    break
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    landed = {i for i, status in outcomes.items() if status == 302}
    refused = {i for i, status in outcomes.items() if status == 409}
    assert len(landed) + len(refused) == people, outcomes  # each landed or was refused
    assert landed
    if retry:
        assert len(landed) == people
    kept = set(partnership.themes.values_list("pk", flat=True))
    assert {pool[i].pk for i in landed} == kept  # no landed theme is lost
    partnership.refresh_from_db()
    assert partnership.version == 1 + len(landed)
    print(
        f"\n{connection.vendor}, {'until saved' if retry else 'once'}: {people} people, "
        f"{len(landed)} landed, {len(refusals)} refusals, {len(kept)} themes kept"
    )


def test_a_double_submit_does_not_blame_someone_else(site, world):
    """A double click sends the form twice: the second is refused, and the page says the change
    was the person's own (it is saved), not that someone else changed the entry."""
    partnership = world["partnership"]
    client = client_for(world["editor"])
    url = reverse("registry:partnership_transition", args=[partnership.pk, "pause"])
    seen = form_version(client.get(url))
    assert client.post(url, {"version": seen, "note": ""}).status_code == 302
    response = client.post(url, {"version": seen, "note": ""})
    assert response.status_code == 409
    assert "Jemand anderes" not in response.text
    assert "Sie selbst haben diese Partnerschaft" in response.text
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.DORMANT
    assert partnership.status_changes.count() == 1
