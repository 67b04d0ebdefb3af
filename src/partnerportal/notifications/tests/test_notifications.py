from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from partnerportal.accounts.tests.factories import MunicipalityFactory, UserFactory
from partnerportal.notifications.events import ROUTES, Channel, Event
from partnerportal.notifications.mail import email_send
from partnerportal.notifications.models import Activity
from partnerportal.notifications.services import activities_mark_read, notify

pytestmark = pytest.mark.django_db


def _subject(language: str, target: str) -> str:
    with translation.override(language):
        return gettext("New membership request: %(target)s") % {"target": target}


def test_every_event_has_a_route_and_templates():
    from django.template.loader import get_template

    assert set(ROUTES) == set(Event)
    for route in ROUTES.values():
        for suffix in ("_subject.txt", ".txt", ".html"):
            get_template(f"notifications/email/{route.template}{suffix}")


def test_notify_creates_activities_and_mails_each_recipient_in_their_language(
    django_capture_on_commit_callbacks,
):
    actor = UserFactory(name="Anna Antrag")
    german = UserFactory(language="de")
    english = UserFactory(language="en")
    municipality = MunicipalityFactory(name="Musterhausen")

    with django_capture_on_commit_callbacks(execute=True):
        activities = notify(
            event=Event.MEMBERSHIP_REQUESTED,
            recipients=[german, english, german],
            actor=actor,
            target=municipality,
        )

    assert len(activities) == 2
    assert {a.recipient for a in activities} == {german, english}
    activity = Activity.objects.get(recipient=english)
    assert activity.target == municipality
    assert activity.target_repr == "Musterhausen"
    assert activity.actor == actor
    assert activity.is_unread

    assert len(mail.outbox) == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert by_recipient[english.email].subject == _subject("en", "Musterhausen")
    assert by_recipient[german.email].subject == _subject("de", "Musterhausen")
    message = by_recipient[english.email]
    assert "Anna Antrag" in message.body
    assert "/en/aktivitaet/" in message.body
    assert message.alternatives[0].mimetype == "text/html"
    assert "Musterhausen" in message.alternatives[0].content


def test_text_mail_is_not_html_escaped(django_capture_on_commit_callbacks):
    recipient = UserFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            event=Event.MEMBERSHIP_CONFIRMED,
            recipients=[recipient],
            target=MunicipalityFactory(name="Stadt & Land"),
        )
    (message,) = mail.outbox
    assert "Stadt & Land" in message.subject
    assert "Stadt & Land" in message.body
    assert "Stadt &amp; Land" in message.alternatives[0].content


def test_no_mail_before_commit_and_none_for_feed_only_events(django_capture_on_commit_callbacks):
    recipient = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(event=Event.MEMBERSHIP_DECLINED, recipients=[recipient])
    assert len(callbacks) == 1
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        notify(event=Event.INVITATION_SENT, recipients=[recipient], target=MunicipalityFactory())
    assert mail.outbox == []
    assert Channel.EMAIL not in ROUTES[Event.INVITATION_SENT].channels
    assert Activity.objects.filter(recipient=recipient).count() == 2


def test_email_only_event_is_created_read(django_capture_on_commit_callbacks):
    recipient = UserFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        (activity,) = notify(event=Event.ACCOUNT_DELETED, recipients=[recipient])
    assert not activity.is_unread
    assert len(mail.outbox) == 1


def test_inactive_recipient_gets_no_mail(django_capture_on_commit_callbacks):
    recipient = UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(event=Event.MEMBERSHIP_CONFIRMED, recipients=[recipient])
    assert mail.outbox == []


def test_email_send_renders_under_the_given_language():
    email_send(
        to_email="x@example.org",
        language="en",
        template="membership_requested",
        context={"target": "Ort", "recipient_name": "X"},
    )
    (message,) = mail.outbox
    assert message.subject == _subject("en", "Ort")
    assert message.to == ["x@example.org"]


def test_email_send_logs_no_personal_data(caplog):
    caplog.set_level("DEBUG")
    email_send(
        to_email="secret.person@example.org",
        language="de",
        template="membership_confirmed",
        context={"target": "Ort", "recipient_name": "Geheim Name"},
    )
    assert "secret.person" not in caplog.text
    assert "Geheim" not in caplog.text


def test_feed_shows_only_own_entries_newest_first_with_unread_marked(client):
    me = UserFactory()
    other = UserFactory()
    older = notify(
        event=Event.MEMBERSHIP_CONFIRMED,
        recipients=[me],
        target=MunicipalityFactory(name="Altdorf"),
    )[0]
    Activity.objects.filter(pk=older.pk).update(
        created_at=timezone.now() - timedelta(days=1), read_at=timezone.now()
    )
    notify(
        event=Event.MEMBERSHIP_DECLINED, recipients=[me], target=MunicipalityFactory(name="Neudorf")
    )
    notify(
        event=Event.MEMBERSHIP_CONFIRMED,
        recipients=[other],
        target=MunicipalityFactory(name="Fremdort"),
    )
    client.force_login(me)

    response = client.get(reverse("notifications:feed"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Fremdort" not in html
    assert html.index("Neudorf") < html.index("Altdorf")
    assert html.count("pp-unread") == 1
    assert reverse("notifications:mark_read") in html


def test_feed_requires_login(client):
    assert client.get(reverse("notifications:feed")).status_code == 302


def test_feed_is_paginated(client):
    me = UserFactory()
    notify(event=Event.MEMBERSHIP_CONFIRMED, recipients=[me])
    for _ in range(24):
        notify(event=Event.MEMBERSHIP_CONFIRMED, recipients=[me])
    client.force_login(me)
    response = client.get(reverse("notifications:feed"))
    assert len(response.context["page"].object_list) == 20
    response = client.get(reverse("notifications:feed") + "?page=2")
    assert len(response.context["page"].object_list) == 5


def test_feed_query_count_is_bounded(client, django_assert_max_num_queries):
    me = UserFactory()
    for _ in range(25):
        notify(
            event=Event.MEMBERSHIP_REQUESTED,
            recipients=[me],
            actor=UserFactory(),
            target=MunicipalityFactory(),
        )
    client.force_login(me)
    client.get(reverse("notifications:feed"))  # warm up the session and content types
    # Layout (session, user, roles, site, legal pages) plus three of the feed: count, unread, page.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("notifications:feed"))
    assert response.status_code == 200


def test_mark_read_marks_only_own_entries(client):
    me = UserFactory()
    other = UserFactory()
    notify(event=Event.MEMBERSHIP_CONFIRMED, recipients=[me, other])
    client.force_login(me)

    response = client.post(reverse("notifications:mark_read"))

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:feed")
    assert not Activity.objects.filter(recipient=me).unread().exists()
    assert Activity.objects.filter(recipient=other).unread().count() == 1
    assert client.get(reverse("notifications:mark_read")).status_code == 405


def test_activities_mark_read_returns_count():
    me = UserFactory()
    notify(event=Event.MEMBERSHIP_CONFIRMED, recipients=[me])
    notify(event=Event.MEMBERSHIP_DECLINED, recipients=[me])
    assert activities_mark_read(user=me) == 2
    assert activities_mark_read(user=me) == 0


def test_anonymised_recipient_gets_no_mail(django_capture_on_commit_callbacks):
    recipient = UserFactory()
    # Anonymised between the change and the e-mail task (notify skips the already anonymised).
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(event=Event.MEMBERSHIP_CONFIRMED, recipients=[recipient])
    recipient.anonymised_at = timezone.now()
    recipient.save()
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    from partnerportal.notifications.tasks import activity_email_send

    activity = Activity.objects.get(recipient=recipient)
    assert activity_email_send.call(activity_id=activity.pk) is False


def test_email_deliver_task_sends_with_plain_values():
    from partnerportal.notifications.tasks import email_deliver

    email_deliver.enqueue(
        to_email="gone@example.org", language="en", template="account_deleted", context={}
    )
    (message,) = mail.outbox
    assert message.to == ["gone@example.org"]
    with translation.override("en"):
        assert message.subject == gettext("Your Partnerportal account has been deleted")
