"""Hidden means 404 everywhere: every page about a partnership answers 404 to a person who may
not see it (as its public page does), and 403 only to one who may see it but not do this."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.registry.models import Actor, ContactPerson, Partnership

from .test_services_partnerships import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(db):
    world = make_world()
    partnership = world["partnership"]
    Partnership.objects.filter(pk=partnership.pk).update(is_confirmed=False)
    partnership.refresh_from_db()
    actor = Actor.objects.create(
        partnership=partnership, municipality=world["koeln"], name="Verein"
    )
    # A contact who agreed to be public: public on the partnership's page, once it is public.
    contact = ContactPerson.objects.create(
        partnership=partnership,
        municipality=world["koeln"],
        name="Erika Muster",
        visibility=ContactPerson.Visibility.PUBLIC,
    )
    return {**world, "proposal": partnership, "actor": actor, "contact": contact}


def _pages(partnership: Partnership, actor: Actor, contact: ContactPerson) -> list[tuple[str, str]]:
    pk = partnership.pk
    trail = {"app_label": "registry", "model_name": "partnership", "pk": pk}
    record = partnership.history.latest().history_id
    return [
        ("get", reverse("registry:partnership_detail", args=[pk])),
        ("get", reverse("registry:partnership_edit", args=[pk])),
        ("post", reverse("registry:partnership_edit", args=[pk])),
        ("get", reverse("registry:partnership_transition", args=[pk, "pause"])),
        ("post", reverse("registry:partnership_transition", args=[pk, "pause"])),
        ("post", reverse("registry:partnership_confirm_current", args=[pk])),
        ("post", reverse("registry:partnership_proposal_confirm", args=[pk])),
        ("post", reverse("registry:partnership_proposal_reject", args=[pk])),
        ("get", reverse("audit:history", kwargs=trail)),
        ("post", reverse("audit:revert", kwargs={**trail, "history_id": record})),
        (
            "get",
            reverse(
                "audit:history",
                kwargs={"app_label": "registry", "model_name": "actor", "pk": actor.pk},
            ),
        ),
        (
            "get",
            reverse(
                "audit:history",
                kwargs={"app_label": "registry", "model_name": "contactperson", "pk": contact.pk},
            ),
        ),
    ]


@pytest.mark.parametrize("who", ["registered", "other_editor", "reviewer", "expert"])
def test_a_hidden_proposal_answers_404_on_every_page(client, site, proposal, who):
    users = {
        "registered": UserFactory(),
        "other_editor": proposal["other_editor"],
        "reviewer": UserFactory(role="reviewer", mfa=True),
        "expert": UserFactory(role="expert"),
    }
    client.force_login(users[who])
    answers = {
        (method, url): getattr(client, method)(
            url, {"version": proposal["proposal"].version}
        ).status_code
        for method, url in _pages(proposal["proposal"], proposal["actor"], proposal["contact"])
    }
    assert answers == dict.fromkeys(answers, 404)
    assert Partnership.objects.filter(pk=proposal["proposal"].pk, is_confirmed=False).exists()


def test_who_may_see_but_not_act_gets_403(client, site, proposal):
    """The proposing municipality's editor sees the proposal but neither decides it nor reads
    the trail."""
    client.force_login(proposal["editor"])
    partnership = proposal["proposal"]
    pk = partnership.pk
    data = {"version": partnership.version}
    trail = {"app_label": "registry", "model_name": "partnership", "pk": pk}
    assert (
        client.post(reverse("registry:partnership_proposal_confirm", args=[pk]), data).status_code
        == 403
    )
    assert (
        client.post(reverse("registry:partnership_proposal_reject", args=[pk]), data).status_code
        == 403
    )
    assert (
        client.post(reverse("registry:partnership_confirm_current", args=[pk]), data).status_code
        == 403
    )
    assert client.get(reverse("audit:history", kwargs=trail)).status_code == 403
    assert client.get(reverse("registry:partnership_edit", args=[pk])).status_code == 200


def test_a_confirmed_partnership_still_answers_403_to_who_may_not_edit(client, site, proposal):
    partnership = proposal["proposal"]
    Partnership.objects.filter(pk=partnership.pk).update(is_confirmed=True)
    client.force_login(proposal["other_editor"])
    pk = partnership.pk
    assert client.get(reverse("registry:partnership_edit", args=[pk])).status_code == 403
    assert (
        client.get(reverse("registry:partnership_transition", args=[pk, "pause"])).status_code
        == 403
    )
    trail = {"app_label": "registry", "model_name": "partnership", "pk": pk}
    assert client.get(reverse("audit:history", kwargs=trail)).status_code == 403


def test_the_confirmation_link_of_a_partnership_now_hidden_answers_404(client, site, proposal):
    """A link sent while the editor could see the entry; they have since left the municipality."""
    from partnerportal.registry.services.partnerships import confirmation_token_make

    partnership = proposal["proposal"]
    token = confirmation_token_make(partnership=partnership, user=proposal["other_editor"])
    client.force_login(proposal["other_editor"])
    url = reverse("registry:partnership_confirm_link", args=[token])
    assert client.get(url).status_code == 404
