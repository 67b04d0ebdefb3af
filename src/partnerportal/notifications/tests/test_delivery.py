"""Every e-mail leaves through the catalogue and a task: a request only queues it (with plain JSON
values), the mail exists once the task runs; notify tells only reachable people; every event is
routed, sent by something, and its templates render in German and English."""

import json
import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from partnerportal.accounts.tests.factories import (
    PASSWORD,
    MunicipalityFactory,
    UserFactory,
)
from partnerportal.notifications.events import ROUTES, Event
from partnerportal.notifications.mail import email_send
from partnerportal.notifications.models import Activity
from partnerportal.notifications.services import email_to_address, notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(settings):
    """A task backend that keeps what is enqueued instead of running it (tests otherwise run
    tasks inline), so that a test sees what a request queued and runs it afterwards."""
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    backend.clear()
    return backend


def _ours(queue) -> list:
    """Our tasks (Wagtail queues its own, e.g. the reference index)."""
    return [r for r in queue.results if r.task.func.__module__.startswith("partnerportal.")]


def _queued(queue) -> list[tuple[str, dict]]:
    return [(result.task.name, result.kwargs) for result in _ours(queue)]


def _run(queue) -> None:
    """What the worker does: each task with the JSON it was stored as."""
    for result in _ours(queue):
        kwargs = json.loads(json.dumps(result.kwargs))
        result.task.call(*result.args, **kwargs)
    queue.clear()


def _json_plain(value) -> bool:
    return json.loads(json.dumps(value)) == value


# --- A request queues, the task sends -------------------------------------------------------


def test_invitation_request_queues_its_mail_and_sends_nothing_itself(
    client, queue, django_capture_on_commit_callbacks
):
    staff = UserFactory(role="agency_editor", mfa=True)
    municipality = MunicipalityFactory(name="Köln")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitation_create"),
            {"email": "neu@example.org", "municipality": municipality.name, "language": "en"},
        )
    assert response.status_code == 302
    assert mail.outbox == []
    [(name, kwargs)] = _queued(queue)
    assert name == "email_deliver"
    assert kwargs["to_email"] == "neu@example.org" and kwargs["template"] == "invitation"
    assert _json_plain(kwargs)
    _run(queue)
    [message] = mail.outbox
    assert message.to == ["neu@example.org"]
    assert "Invitation to edit for Köln" in message.subject
    assert "/en/konto/einladung/" in message.body
    assert re.search(r"valid until \w+\.? \d+, \d{4}", message.body)  # the date, in English


def test_membership_request_queues_the_deciders_mails(
    client, queue, django_capture_on_commit_callbacks
):
    municipality = MunicipalityFactory()
    staff = UserFactory(role="agency_editor", mfa=True)
    person = UserFactory()
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:membership_request"),
            {"municipality": municipality.name, "message": "Hallo"},
        )
    assert mail.outbox == []
    [(name, kwargs)] = _queued(queue)
    assert name == "activity_email_send" and _json_plain(kwargs)
    _run(queue)
    assert [m.to for m in mail.outbox] == [[staff.email]]


def test_account_deletion_queues_the_farewell(client, queue, django_capture_on_commit_callbacks):
    person = UserFactory(email="bye@example.org")
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:account_delete"), {"password": PASSWORD})
    assert mail.outbox == []
    [(name, kwargs)] = _queued(queue)
    assert (name, kwargs["template"]) == ("email_deliver", "account_deleted")
    _run(queue)
    assert [m.to for m in mail.outbox] == [["bye@example.org"]]


def test_password_reset_mail_of_allauth_is_queued_rendered(client, queue, caplog):
    person = UserFactory(email="reset.me@example.org")
    caplog.set_level("DEBUG")
    client.post(reverse("account_reset_password"), {"email": person.email})
    assert mail.outbox == []
    [(name, kwargs)] = _queued(queue)
    assert name == "email_message_deliver"
    assert kwargs["message"]["to"] == ["reset.me@example.org"]
    assert _json_plain(kwargs)
    _run(queue)
    [message] = mail.outbox
    assert message.to == ["reset.me@example.org"]
    assert re.search(r"/password/reset/key/\S+/", message.body)
    assert "reset.me" not in caplog.text  # the logs name the kind of mail, not the person


def test_sign_up_confirmation_of_allauth_is_queued(client, queue):
    client.post(
        reverse("account_signup"),
        {"email": "new.person@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert mail.outbox == []
    assert [name for name, _ in _queued(queue)] == ["email_message_deliver"]
    _run(queue)
    [message] = mail.outbox
    assert re.search(r"/confirm-email/\S+/", message.body)


def test_an_address_mail_refuses_a_context_the_task_could_not_store():
    with pytest.raises(TypeError):
        email_to_address(
            event=Event.ACCOUNT_DELETED,
            to_email="x@example.org",
            language="de",
            context={"when": timezone.now()},
        )
    with pytest.raises(ValueError):  # a feed-only event has no e-mail to send
        email_to_address(
            event=Event.INVITATION_SENT, to_email="x@example.org", language="de", context={}
        )


# --- Who is told -------------------------------------------------------------------------------


def test_notify_skips_the_actor_and_unreachable_people(django_capture_on_commit_callbacks):
    actor = UserFactory()
    reachable = UserFactory()
    inactive = UserFactory(is_active=False)
    anonymised = UserFactory(anonymised_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        activities = notify(
            event=Event.MEMBERSHIP_REQUESTED,
            recipients=[actor, reachable, inactive, anonymised, None],
            actor=actor,
            target=MunicipalityFactory(),
        )
    assert [a.recipient for a in activities] == [reachable]
    assert set(Activity.objects.values_list("recipient_id", flat=True)) == {reachable.pk}
    assert [m.to for m in mail.outbox] == [[reachable.email]]


# --- The catalogue -------------------------------------------------------------------------------

SAMPLE = {
    "target": "Musterstadt – Lamia",
    "recipient_name": "Erika Muster",
    "actor_name": "Max Beispiel",
    "status": "active",
    "status_label": "aktiv",
    "url": "https://partner.example.org/de/register/partnerschaften/1/",
    "reason": "Doppelt",
    "municipality_name": "Musterstadt",
    "inviter_name": "Max Beispiel",
    "accept_url": "https://partner.example.org/de/konto/einladung/abc/",
    "expires_on": "1. Januar 2027",
    "entries": [],
    "count": 2,
}


def test_every_event_has_a_route():
    assert set(ROUTES) == set(Event)
    assert all(route.channels and route.template for route in ROUTES.values())


@pytest.mark.parametrize("event", list(Event))
def test_every_events_templates_render_in_german_and_english(event):
    from django.template.loader import get_template

    route = ROUTES[event]
    for suffix in ("_subject.txt", ".txt", ".html"):
        get_template(f"notifications/email/{route.template}{suffix}")
    subjects = {}
    for language in ("de", "en"):
        email_send(to_email="x@example.org", language=language, template=route.template,
                   context=SAMPLE)  # fmt: skip
        message = mail.outbox[-1]
        assert message.subject and message.body.strip()
        assert "{{" not in message.body and "{%" not in message.body
        html = message.alternatives[0].content
        assert f'lang="{language}"' in html or "<html" not in html
        subjects[language] = message.subject
    if _words_of_ours(f"notifications/email/{route.template}_subject.txt"):
        assert subjects["de"] != subjects["en"], "the subject is not translated"


def _words_of_ours(template_name: str) -> bool:
    """Whether a template has text of its own besides what it is given: a subject that is only
    what someone wrote (the organisers' message: "{{ event_title }}: {{ subject }}") has nothing
    to translate."""
    from django.template.loader import get_template

    source = get_template(template_name).template.source
    if re.search(r"{%\s*(block)?trans(late)?\b", source):
        return True
    return bool(re.search(r"\w", re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", "", source, flags=re.S)))


#: `from partnerportal.notifications.events import Event as Notice`: an app with an Event of
#: its own (events, advisory) names the catalogue otherwise.
_CATALOGUE_IMPORT = re.compile(
    r"from partnerportal\.notifications\.events import (?:\(([^)]*)\)|([^\n]*))"
)


def _catalogue_names(text: str) -> set[str]:
    names = {"Event"}
    for imported in _CATALOGUE_IMPORT.findall(text):
        names.update(re.findall(r"\bEvent as (\w+)", "".join(imported)))
    return names


@pytest.mark.parametrize("event", list(Event))
def test_every_event_is_sent_by_something(event):
    """An event in the catalogue that no code sends is dead weight (or a forgotten e-mail)."""
    root = Path(__file__).resolve().parents[2]
    name = f"Event.{event.name}"
    for path in root.rglob("*.py"):
        if "tests" in path.parts or path.name == "events.py" or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if f'"{event.value}"' in text or any(
            re.search(rf"\b{alias}\.{event.name}\b", text) for alias in _catalogue_names(text)
        ):
            return
    pytest.fail(f"nothing sends {name}")


def test_mail_other_code_sends_by_itself_is_queued_too(queue, settings):
    """Wagtail's moderation notices (and Django's mail_admins) call Django's mail API inside
    the request; the site's backend queues them (the tests' settings swap in the outbox)."""
    from wagtail.admin.mail import send_mail

    settings.EMAIL_BACKEND = "partnerportal.notifications.backends.QueuedEmailBackend"
    settings.PARTNERPORTAL_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_mail(
        "Seite eingereicht", "Bitte prüfen", ["moderator@example.org"], html_message="<p>x</p>"
    )
    assert mail.outbox == []
    [(name, kwargs)] = _queued(queue)
    assert name == "email_message_deliver" and _json_plain(kwargs)
    _run(queue)
    [message] = mail.outbox
    assert (message.subject, message.to) == ("Seite eingereicht", ["moderator@example.org"])
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.alternatives[0].mimetype == "text/html"


def test_finished_email_tasks_leave_the_task_table():
    """The database worker keeps each task's arguments; for an e-mail they are an address and
    perhaps a link that signs someone in, so they go once the mail is sent."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from partnerportal.notifications import tasks

    now = timezone.now()

    def row(path, status, finished_ago):
        return DBTaskResult.objects.create(
            task_path=path,
            status=status,
            finished_at=now - finished_ago if finished_ago is not None else None,
            args_kwargs={"args": [], "kwargs": {"to_email": "person@example.org"}},
            backend_name="default",
            run_after=now,
        ).pk

    deliver, message = tasks.EMAIL_TASK_PATHS
    sent_long_ago = row(deliver, TaskResultStatus.SUCCESSFUL, timedelta(hours=2))
    allauth_sent = row(message, TaskResultStatus.SUCCESSFUL, timedelta(hours=2))
    failed_long_ago = row(deliver, TaskResultStatus.FAILED, timedelta(days=8))
    kept = {
        row(deliver, TaskResultStatus.SUCCESSFUL, timedelta(minutes=5)),  # just sent
        row(deliver, TaskResultStatus.FAILED, timedelta(days=1)),  # staff may look into it
        row(deliver, TaskResultStatus.READY, None),  # still to be sent
        row("partnerportal.core.tasks.sessions_clear", TaskResultStatus.SUCCESSFUL,
            timedelta(days=30)),  # ids only: not ours to prune
    }  # fmt: skip

    assert tasks.email_tasks_prune.call() == 3
    remaining = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert remaining == kept
    assert not remaining & {sent_long_ago, allauth_sent, failed_long_ago}


def test_mail_sent_through_django_keeps_copies_and_reply_to(mailoutbox, settings):
    """What Django's mail API hands the queueing backend arrives whole when the task sends it."""
    from django.core.mail import EmailMessage

    from partnerportal.notifications.backends import QueuedEmailBackend

    message = EmailMessage(
        "Subject", "Body", to=["a@example.org"], cc=["b@example.org"], bcc=["c@example.org"],
        reply_to=["d@example.org"],
    )  # fmt: skip
    assert QueuedEmailBackend().send_messages([message]) == 1
    [sent] = mailoutbox
    assert (sent.to, sent.cc, sent.bcc, sent.reply_to) == (
        ["a@example.org"],
        ["b@example.org"],
        ["c@example.org"],
        ["d@example.org"],
    )
    with_attachment = EmailMessage("S", "B", to=["a@example.org"])
    with_attachment.attach("a.txt", "x", "text/plain")
    assert QueuedEmailBackend(fail_silently=True).send_messages([with_attachment]) == 0
    with pytest.raises(ValueError):
        QueuedEmailBackend().send_messages([with_attachment])
