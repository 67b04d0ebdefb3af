from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone

from partnerportal.accounts import tasks as accounts_tasks
from partnerportal.accounts.models import Invitation
from partnerportal.accounts.tests.factories import InvitationFactory, UserFactory
from partnerportal.core import tasks
from partnerportal.core.schedule import JOBS, job_enqueue, job_get, job_last_run, jobs_due
from partnerportal.notifications import tasks as notifications_tasks
from partnerportal.notifications.events import Event
from partnerportal.notifications.models import Activity
from partnerportal.notifications.services import notify

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("run_scheduled", *args, stdout=out)
    return out.getvalue()


def test_all_jobs_are_due_at_first_and_not_right_after():
    assert jobs_due() == list(JOBS)
    output = run()
    for job in JOBS:
        assert f"Enqueued {job.name}" in output
        assert job_last_run(job) is not None
    assert jobs_due() == []
    assert run() == ""


def test_job_is_due_again_after_its_interval():
    run()
    job = job_get("invitations_purge_unused")
    now = timezone.now()
    assert job not in jobs_due(now=now + job.interval - timedelta(minutes=1))
    assert job in jobs_due(now=now + job.interval + timedelta(seconds=1))


def test_cache_loss_makes_jobs_due_again():
    run()
    cache.clear()
    assert jobs_due() == list(JOBS)


def test_only_runs_just_that_job():
    output = run("--only", "activities_prune")
    assert output.strip() == "Enqueued activities_prune"
    assert job_last_run(job_get("sessions_clear")) is None
    assert run("--only", "activities_prune") == ""
    assert "Enqueued activities_prune" in run("--only", "activities_prune", "--force")


def test_only_unknown_job_is_an_error():
    with pytest.raises(CommandError):
        run("--only", "nope")


def test_list_shows_jobs_and_enqueues_nothing():
    output = run("--list")
    assert [line.split("\t")[0] for line in output.splitlines()] == [job.name for job in JOBS]
    assert "never" in output
    assert "\tdue" in output
    assert all(job_last_run(job) is None for job in JOBS)


def test_locked_job_is_not_enqueued_twice():
    job = job_get("sessions_clear")
    cache.add(f"partnerportal:schedule:lock:{job.name}", "1", timeout=60)
    assert job_enqueue(job=job) is False
    assert job_last_run(job) is None


def test_sessions_clear_deletes_only_expired_sessions():
    expired = SessionStore()
    expired.set_expiry(-10)
    expired.create()
    live = SessionStore()
    live.create()
    assert tasks.sessions_clear.call() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_invitations_purge_unused_deletes_only_long_dead_unaccepted_ones():
    now = timezone.now()
    long_ago = now - accounts_tasks.UNUSED_INVITATION_RETENTION - timedelta(days=1)
    recently = now - timedelta(days=1)
    ran_out = InvitationFactory(expires_at=long_ago)
    revoked = InvitationFactory(revoked_at=long_ago)
    kept = [
        InvitationFactory(),  # open
        InvitationFactory(expires_at=recently),  # staff may still be asked about it
        InvitationFactory(revoked_at=recently),
        InvitationFactory(expires_at=long_ago, accepted_at=long_ago - timedelta(days=1)),
    ]
    assert accounts_tasks.invitations_purge_unused.call() == 2
    remaining = set(Invitation.objects.values_list("pk", flat=True))
    assert remaining == {invitation.pk for invitation in kept}
    assert not remaining & {ran_out.pk, revoked.pk}


def test_activities_prune_deletes_only_old_read_entries():
    me = UserFactory()
    for _ in range(3):
        notify(event=Event.MEMBERSHIP_CONFIRMED, recipients=[me])
    old = timezone.now() - timedelta(days=400)
    ids = list(Activity.objects.values_list("pk", flat=True))
    Activity.objects.filter(pk=ids[0]).update(created_at=old, read_at=old)  # pruned
    Activity.objects.filter(pk=ids[1]).update(created_at=old)  # unread: kept
    Activity.objects.filter(pk=ids[2]).update(read_at=timezone.now())  # recent: kept
    assert notifications_tasks.activities_prune.call() == 1
    assert set(Activity.objects.values_list("pk", flat=True)) == {ids[1], ids[2]}


def test_run_scheduled_runs_the_tasks_inline_in_tests():
    past = timezone.now() - accounts_tasks.UNUSED_INVITATION_RETENTION - timedelta(days=1)
    InvitationFactory(expires_at=past)
    assert "Enqueued invitations_purge_unused" in run("--only", "invitations_purge_unused")
    assert not Invitation.objects.exists()
