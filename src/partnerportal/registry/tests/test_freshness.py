"""Keeping the registry current: stale entries, reminders at most monthly, the job schedule."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.core.schedule import job_get
from partnerportal.notifications.models import Activity
from partnerportal.registry.models import Partnership
from partnerportal.registry.selectors.freshness import partnerships_stale
from partnerportal.registry.services import partnerships as services
from partnerportal.registry.services.partnerships import (
    confirmation_token_read,
    partnerships_remind_stale,
)
from partnerportal.registry.tests.factories import ForeignMunicipalityFactory, PartnershipFactory

from .test_services_partnerships import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


NOW = timezone.now()
LONG_AGO = NOW - dt.timedelta(days=400)


@pytest.fixture
def stale(world):
    """The world's partnership last confirmed 400 days ago, plus a fresh one and an old
    partnership without any editors."""
    partnership = world["partnership"]
    Partnership.objects.filter(pk=partnership.pk).update(
        last_confirmed_at=LONG_AGO, created_at=LONG_AGO
    )
    fresh = PartnershipFactory(
        between=(world["koeln"], ForeignMunicipalityFactory(name="Frisch", iso2="PE")),
        last_confirmed_at=NOW,
    )
    orphan = PartnershipFactory(
        between=(
            ForeignMunicipalityFactory(name="Niemand", iso2="PE"),
            ForeignMunicipalityFactory(name="Keiner", iso2="PE"),
        ),
        created_at=NOW - dt.timedelta(days=800),
    )
    return {"partnership": partnership, "fresh": fresh, "orphan": orphan}


def test_stale_list_oldest_first_with_editor_counts(stale):
    rows = list(partnerships_stale(now=NOW))
    assert [p.pk for p in rows] == [stale["orphan"].pk, stale["partnership"].pk]
    assert (rows[0].editors_count, rows[1].editors_count) == (0, 2)


def test_reminder_goes_to_each_editor_once_a_month(
    world, stale, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert partnerships_remind_stale(now=NOW) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world["editor"].email, world["partner_editor"].email]
    )
    message = next(m for m in mail.outbox if m.to == [world["editor"].email])
    html = message.alternatives[0][0]
    assert "noch-aktuell/" in message.body and "noch-aktuell/" in html
    token = message.body.split("/noch-aktuell/")[1].split("/")[0]
    assert confirmation_token_read(token) == (stale["partnership"].pk, world["editor"].pk)
    assert Activity.objects.filter(event="partnership.confirmation_requested").count() == 2
    stale["partnership"].refresh_from_db()
    assert stale["partnership"].last_reminded_at == NOW

    # Within 30 days: nothing again. After them: again.
    assert partnerships_remind_stale(now=NOW + dt.timedelta(days=10)) == 0
    assert partnerships_remind_stale(now=NOW + dt.timedelta(days=31)) == 1


def test_confirming_ends_the_reminders(world, stale):
    services.partnership_confirm_current(
        partnership=stale["partnership"],
        expected_version=stale["partnership"].version,
        actor=world["editor"],
    )
    assert partnerships_remind_stale(now=timezone.now()) == 0


def test_link_from_the_email_works_for_the_logged_in_recipient(client, site, world, stale):
    token = services.confirmation_token_make(partnership=stale["partnership"], user=world["editor"])
    url = reverse("registry:partnership_confirm_link", args=[token])
    assert client.get(url).status_code == 302  # to the login page first
    client.force_login(world["editor"])
    assert client.get(url).status_code == 200
    client.post(url, {"version": stale["partnership"].version})
    stale["partnership"].refresh_from_db()
    assert stale["partnership"].last_confirmed_by == world["editor"]
    assert stale["partnership"] not in partnerships_stale()


def test_expired_link_is_refused(client, site, world, stale, monkeypatch):
    token = services.confirmation_token_make(partnership=stale["partnership"], user=world["editor"])
    monkeypatch.setattr(services, "CONFIRM_LINK_MAX_AGE", dt.timedelta(seconds=-1))
    client.force_login(world["editor"])
    url = reverse("registry:partnership_confirm_link", args=[token])
    assert client.post(url).status_code == 400
    stale["partnership"].refresh_from_db()
    assert stale["partnership"].last_confirmed_by is None


def test_scheduled_daily_and_task_runs(world, stale):
    job = job_get("partnerships_remind_stale")
    assert job.interval == dt.timedelta(days=1)
    result = job.task.enqueue()
    assert result.return_value == 1


def test_stale_page_lists_oldest_first(client, site, world, stale):
    client.force_login(UserFactory(role="agency_editor", mfa=True))
    text = client.get(reverse("registry:stale_list")).text
    assert text.index("Keiner") < text.index("Yarinacocha")
    assert "Frisch" not in text


def test_reminder_queries_do_not_grow_with_the_partnerships(
    world, stale, django_assert_max_num_queries
):
    for n in range(30):
        partnership = PartnershipFactory(
            between=(world["koeln"], ForeignMunicipalityFactory(name=f"Alt {n}", iso2="PE"))
        )
        Partnership.objects.filter(pk=partnership.pk).update(created_at=LONG_AGO)
    # Per editor and side: the feed entry, its content type and the e-mail task; nothing per
    # partnership beyond the one update.
    with django_assert_max_num_queries(16):
        assert partnerships_remind_stale(now=NOW) == 31


def test_stale_page_query_count(client, site, world, stale, django_assert_max_num_queries):
    for n in range(60):
        PartnershipFactory(
            between=(world["koeln"], ForeignMunicipalityFactory(name=f"Alt {n}", iso2="PE")),
            created_at=LONG_AGO,
        )
    client.force_login(UserFactory(role="agency_editor", mfa=True))
    with django_assert_max_num_queries(15):
        response = client.get(reverse("registry:stale_list"))
    assert response.status_code == 200 and "?page=2" in response.text
