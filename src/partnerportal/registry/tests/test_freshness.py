"""Keeping the registry current: what is stale (never confirmed by a municipality, or not for a
year), the two meanings of "confirmed", reminder rounds in batches staff steer, the job."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.core.schedule import job_get
from partnerportal.notifications.models import Activity
from partnerportal.registry.models import Partnership, ReminderRound
from partnerportal.registry.selectors.freshness import (
    Scope,
    municipalities_without_editor,
    partnerships_awaiting_confirmation,
    partnerships_stale,
    reminder_rounds_running,
    stale_summary,
)
from partnerportal.registry.services import freshness as rounds
from partnerportal.registry.services import partnerships as services
from partnerportal.registry.services.freshness import partnerships_remind_stale
from partnerportal.registry.services.partnerships import confirmation_token_read
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

from .test_services_partnerships import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


NOW = timezone.now()
LONG_AGO = NOW - dt.timedelta(days=400)


@pytest.fixture
def stale(world):
    """The world's partnership confirmed by its municipality 400 days ago, a fresh one, an old
    one that no municipality ever confirmed and whose sides have no editor, and a new import
    that nobody confirmed either (stale, whatever its age)."""
    partnership = world["partnership"]
    Partnership.objects.filter(pk=partnership.pk).update(
        municipality_confirmed_at=LONG_AGO, created_at=LONG_AGO
    )
    fresh = PartnershipFactory(
        between=(world["koeln"], ForeignMunicipalityFactory(name="Frisch", iso2="PE")), fresh=True
    )
    orphan = PartnershipFactory(
        between=(
            ForeignMunicipalityFactory(name="Niemand", iso2="PE"),
            ForeignMunicipalityFactory(name="Keiner", iso2="PE"),
        ),
        created_at=NOW - dt.timedelta(days=800),
    )
    imported = PartnershipFactory(
        between=(world["koeln"], ForeignMunicipalityFactory(name="Neu importiert", iso2="PE"))
    )
    return {"partnership": partnership, "fresh": fresh, "orphan": orphan, "imported": imported}


def test_never_confirmed_entries_are_stale_oldest_first(stale):
    rows = list(partnerships_stale(now=NOW))
    assert [p.pk for p in rows] == [
        stale["orphan"].pk,
        stale["partnership"].pk,
        stale["imported"].pk,
    ]
    assert [p.editors_count for p in rows] == [0, 2, 1]
    summary = stale_summary(now=NOW)
    assert (summary.stale, summary.never_confirmed, summary.without_editor) == (3, 2, 1)


def test_the_agencys_check_does_not_make_an_entry_fresh(world, stale):
    imported = stale["imported"]
    services.partnership_check(
        partnership=imported, actor=world["staff"], expected_version=imported.version
    )
    imported.refresh_from_db()
    assert imported.agency_checked_by == world["staff"] and imported.agency_checked_at
    assert imported.municipality_confirmed_at is None
    assert imported in partnerships_stale()
    assert imported.history.latest().history_change_reason == "partnership.agency_checked"


def test_staff_cannot_confirm_for_a_municipality_and_editors_cannot_check(world, stale):
    from django.core.exceptions import PermissionDenied

    imported = stale["imported"]
    with pytest.raises(PermissionDenied):
        services.partnership_confirm_current(
            partnership=imported, actor=world["staff"], expected_version=imported.version
        )
    with pytest.raises(PermissionDenied):
        services.partnership_check(
            partnership=imported, actor=world["editor"], expected_version=imported.version
        )


def test_a_save_by_an_editor_of_either_side_confirms(world, stale):
    imported = stale["imported"]
    services.partnership_update(
        partnership=imported, actor=world["staff"], expected_version=None, description="Staff"
    )
    imported.refresh_from_db()
    assert imported.municipality_confirmed_at is None  # staff saving is not the municipality
    partner_side = stale["partnership"]
    services.partnership_update(
        partnership=partner_side,
        actor=world["partner_editor"],
        expected_version=None,
        description="Gibt es noch",
    )
    partner_side.refresh_from_db()
    assert partner_side.municipality_confirmed_by == world["partner_editor"]
    assert partner_side.municipality_confirmed_at > LONG_AGO
    assert partner_side not in partnerships_stale()


def test_awaiting_confirmation_for_the_work_page(world, stale):
    waiting = list(partnerships_awaiting_confirmation(world["koeln"], now=NOW))
    assert waiting == [stale["partnership"], stale["imported"]]
    assert list(partnerships_awaiting_confirmation(world["other"], now=NOW)) == []


def _round(staff, **kwargs) -> ReminderRound:
    kwargs.setdefault("per_municipality", 20)
    reminder_round = rounds.reminder_round_start(actor=staff, **kwargs)
    ReminderRound.objects.filter(pk=reminder_round.pk).update(
        started_at=NOW - dt.timedelta(hours=1)
    )
    reminder_round.refresh_from_db()
    return reminder_round


def test_nothing_is_sent_without_a_round(world, stale):
    assert partnerships_remind_stale(now=NOW) == 0
    assert mail.outbox == []


def test_reminder_goes_to_each_editor_once_a_month(
    world, stale, django_capture_on_commit_callbacks
):
    _round(world["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        assert partnerships_remind_stale(now=NOW) == 2  # the orphan has nobody to ask
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([world["editor"].email, world["partner_editor"].email])
    message = next(m for m in mail.outbox if m.to == [world["editor"].email])
    html = message.alternatives[0][0]
    assert "noch-aktuell/" in message.body and "noch-aktuell/" in html
    assert "Neu importiert" in message.body  # never confirmed: asked about too
    token = message.body.split("/noch-aktuell/")[1].split("/")[0]
    assert confirmation_token_read(token)[1] == world["editor"].pk
    assert Activity.objects.filter(event="partnership.confirmation_requested").count() == 2
    stale["partnership"].refresh_from_db()
    assert stale["partnership"].last_reminded_at == NOW

    # Within 30 days: nothing again. After them: again.
    assert partnerships_remind_stale(now=NOW + dt.timedelta(days=10)) == 0
    assert partnerships_remind_stale(now=NOW + dt.timedelta(days=31)) == 2


def test_batches_per_municipality_oldest_first_with_progress(world, stale):
    for n in range(5):
        PartnershipFactory(
            between=(world["koeln"], ForeignMunicipalityFactory(name=f"Alt {n}", iso2="PE")),
            created_at=LONG_AGO - dt.timedelta(days=n),
        )
    reminder_round = _round(world["staff"], per_municipality=3)
    assert reminder_round.total == 8
    # Köln has 7 stale entries: 3 per run, the oldest first. Köln–Yarinacocha comes with the
    # first run through its other side, whose editors have room.
    assert partnerships_remind_stale(now=NOW) == 4
    reminded = Partnership.objects.filter(last_reminded_at=NOW)
    assert {p.municipality_b.name for p in reminded} == {"Alt 4", "Alt 3", "Alt 2", "Yarinacocha"}
    [progress] = reminder_rounds_running()
    assert (progress.total, progress.asked) == (8, 4)
    assert partnerships_remind_stale(now=NOW + dt.timedelta(days=1)) == 3
    assert partnerships_remind_stale(now=NOW + dt.timedelta(days=2)) == 0
    [progress] = reminder_rounds_running()
    assert progress.asked == 7  # all that can be asked; the orphan cannot
    before = progress.confirmed_since
    services.partnership_confirm_current(
        partnership=stale["imported"], actor=world["editor"], expected_version=None
    )
    assert reminder_rounds_running()[0].confirmed_since == before + 1


def test_a_round_covers_only_its_land_or_municipality(world, stale):
    bonn = MunicipalityFactory(name="Bonn", state="Nordrhein-Westfalen")
    mainz = MunicipalityFactory(name="Mainz", state="Rheinland-Pfalz")
    UserFactory(municipality=bonn)
    UserFactory(municipality=mainz)
    in_bonn = PartnershipFactory(between=(bonn, ForeignMunicipalityFactory(iso2="PE")))
    in_mainz = PartnershipFactory(between=(mainz, ForeignMunicipalityFactory(iso2="PE")))
    reminder_round = _round(world["staff"], state="Nordrhein-Westfalen")
    expected = set(
        Scope(state="Nordrhein-Westfalen")
        .filter(Partnership.objects.all())
        .values_list("pk", flat=True)
    ) - {stale["fresh"].pk, stale["orphan"].pk}
    assert in_bonn.pk in expected and in_mainz.pk not in expected
    assert reminder_round.total == len(expected)
    partnerships_remind_stale(now=NOW)
    assert set(Partnership.objects.filter(last_reminded_at=NOW).values_list("pk", flat=True)) == (
        expected
    )


def test_an_ended_round_sends_nothing(world, stale):
    reminder_round = _round(world["staff"])
    rounds.reminder_round_end(reminder_round=reminder_round, actor=world["staff"])
    assert partnerships_remind_stale(now=NOW) == 0


def test_municipalities_without_an_editor_are_listed(world, stale):
    lonely = MunicipalityFactory(name="Ohnegleichen")
    PartnershipFactory(between=(lonely, ForeignMunicipalityFactory(iso2="PE")))
    PartnershipFactory(between=(lonely, ForeignMunicipalityFactory(iso2="PE")))
    assert municipalities_without_editor(now=NOW) == [(lonely, 2)]
    assert municipalities_without_editor(now=NOW, scope=Scope(municipality=world["koeln"])) == []


def test_confirming_ends_the_reminders(world, stale):
    _round(world["staff"], municipality=world["koeln"])
    for key in ("partnership", "imported"):
        services.partnership_confirm_current(
            partnership=stale[key], expected_version=stale[key].version, actor=world["editor"]
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
    assert stale["partnership"].municipality_confirmed_by == world["editor"]
    assert stale["partnership"] not in partnerships_stale()


def test_expired_link_is_refused(client, site, world, stale, monkeypatch):
    token = services.confirmation_token_make(partnership=stale["partnership"], user=world["editor"])
    monkeypatch.setattr(services, "CONFIRM_LINK_MAX_AGE", dt.timedelta(seconds=-1))
    client.force_login(world["editor"])
    url = reverse("registry:partnership_confirm_link", args=[token])
    assert client.post(url).status_code == 400
    stale["partnership"].refresh_from_db()
    assert stale["partnership"].municipality_confirmed_at == LONG_AGO


def test_scheduled_daily_and_task_runs(world, stale):
    _round(world["staff"])
    job = job_get("partnerships_remind_stale")
    assert job.interval == dt.timedelta(days=1)
    result = job.task.enqueue()
    assert result.return_value == 2


def test_stale_page_lists_oldest_first_with_figures(client, site, world, stale):
    client.force_login(UserFactory(role="agency_editor", mfa=True))
    text = client.get(reverse("registry:stale_list")).text
    assert text.index("Keiner") < text.index("Yarinacocha") < text.index("Neu importiert")
    assert "Frisch" not in text
    assert "keine Redaktion" in text


def test_stale_page_narrows_to_a_municipality_and_starts_a_round(client, site, world, stale):
    world["koeln"].ags = "05315000"
    world["koeln"].save()
    staff = UserFactory(role="agency_editor", mfa=True)
    client.force_login(staff)
    page = client.get(reverse("registry:stale_list"), {"municipality": "Köln"})
    assert page.status_code == 200
    assert "Keiner" not in page.text and "Neu importiert" in page.text
    response = client.post(
        reverse("registry:reminder_round_start"),
        {"municipality": world["koeln"].pk, "per_municipality": 5},
    )
    assert response.status_code == 302
    reminder_round = ReminderRound.objects.get()
    assert (reminder_round.municipality, reminder_round.per_municipality) == (world["koeln"], 5)
    assert reminder_round.total == 2 and reminder_round.started_by == staff
    page = client.get(reverse("registry:stale_list"))
    assert "0 von 2 gefragt" in page.text
    client.post(reverse("registry:reminder_round_end", args=[reminder_round.pk]))
    reminder_round.refresh_from_db()
    assert reminder_round.ended_at is not None


def test_a_batch_larger_than_allowed_is_refused(client, site, world):
    client.force_login(UserFactory(role="agency_editor", mfa=True))
    client.post(reverse("registry:reminder_round_start"), {"per_municipality": 500})
    assert not ReminderRound.objects.exists()


def test_reminder_queries_do_not_grow_with_the_partnerships(
    world, stale, django_assert_max_num_queries
):
    for n in range(30):
        PartnershipFactory(
            between=(world["koeln"], ForeignMunicipalityFactory(name=f"Alt {n}", iso2="PE")),
            created_at=LONG_AGO,
        )
    _round(world["staff"], per_municipality=50)
    # Per editor and side: the feed entry, its content type and the e-mail task; nothing per
    # partnership beyond the one update.
    with django_assert_max_num_queries(20):
        assert partnerships_remind_stale(now=NOW) == 32


def test_stale_page_query_count(client, site, world, stale, django_assert_max_num_queries):
    for n in range(60):
        PartnershipFactory(
            between=(world["koeln"], ForeignMunicipalityFactory(name=f"Alt {n}", iso2="PE")),
            created_at=LONG_AGO,
        )
    _round(world["staff"])
    client.force_login(UserFactory(role="agency_editor", mfa=True))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("registry:stale_list"))
    assert response.status_code == 200 and "?page=2" in response.text


# --- Provenance: the source by the name people know ------------------------------------------


def test_imported_partnership_names_its_source_in_the_pages_language(client, site, tmp_path):
    from partnerportal.registry.models import ImportRun

    run = ImportRun.objects.create(kind=ImportRun.Kind.TWINNINGS, file_name="twin_cities.csv")
    partnership = PartnershipFactory(import_run=run, import_row=9032)
    with translation.override("en"):
        url = reverse("registry:partnership_detail", args=[partnership.pk])
    english = client.get(url).text
    with translation.override("de"):
        german = client.get(reverse("registry:partnership_detail", args=[partnership.pk])).text
    for text in (english, german):
        assert "https://creativecommons.org/licenses/by-sa/4.0/" in text
        assert "twin_cities.csv" not in text and "9032" not in text  # for staff only
    assert "Lists of twin towns and sister cities" in english and "Source:" in english
    assert "Importiert aus" not in english and "Quelle:" in german
    client.force_login(UserFactory(role="agency_editor", mfa=True))
    staff = client.get(url).text
    assert "twin_cities.csv" in staff and "9032" in staff


def test_badges_tell_the_two_confirmations_apart(client, site, world):
    partnership = PartnershipFactory(fresh=True)
    unconfirmed = PartnershipFactory(agency_checked=True)
    with translation.override("en"):
        text = client.get(reverse("registry:partnership_detail", args=[partnership.pk])).text
    assert "Confirmed current by the municipality:" in text and "Checked by the agency:" not in text
    with translation.override("en"):
        text = client.get(reverse("registry:partnership_detail", args=[unconfirmed.pk])).text
    assert "Not yet confirmed by a municipality" in text and "Checked by the agency:" in text
