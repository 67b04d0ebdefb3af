"""The review by a second editor (four-eyes rule) and scheduled publishing: through the task
itself and through the back office's views."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState, Workflow, WorkflowPage

from partnerportal.accounts.tests.factories import UserFactory
from partnerportal.content.models import (
    FormatPage,
    NewsArticle,
    ProgrammePage,
    SecondEditorReviewTask,
    StandardPage,
    review_workflow,
)
from partnerportal.content.services import site_structure_ensure
from partnerportal.notifications.models import Activity

from .helpers import add_page, index


@pytest.fixture
def editors(db):
    return {
        "anna": UserFactory(role="agency_editor", mfa=True, name="Anna"),
        "bert": UserFactory(role="agency_editor", mfa=True, name="Bert"),
        "cleo": UserFactory(role="agency_admin", mfa=True, name="Cleo"),
    }


def _submitted(page, user):
    """Anna's draft submitted for review, as the back office does it."""
    page.save_revision(user=user)
    page.get_workflow().start(page, user)
    page.refresh_from_db()
    return page.current_workflow_task_state.specific


@pytest.mark.django_db
def test_setup_creates_one_review_workflow_for_articles_programmes_and_formats(site):
    site_structure_ensure()  # again: nothing doubles
    workflow = review_workflow()
    assert (
        Workflow.objects.filter(
            workflow_tasks__task__in=SecondEditorReviewTask.objects.all()
        ).count()
        == 1
    )
    assert SecondEditorReviewTask.objects.count() == 1
    task = SecondEditorReviewTask.objects.get()
    assert set(task.groups.values_list("name", flat=True)) == {"agency_admin", "agency_editor"}
    assert WorkflowPage.objects.filter(workflow=workflow).count() == 4  # both lists, de and en
    programme = add_page(site, ProgrammePage(title="P", slug="p"), publish=False)
    format_page = add_page(site, FormatPage(title="F", slug="f"), publish=False)
    imprint = StandardPage.objects.get(slug="impressum", locale__language_code="de")
    assert programme.get_workflow() == workflow and format_page.get_workflow() == workflow
    assert imprint.get_workflow() != workflow  # the legal pages are not under review
    assert imprint.permissions_for_user(UserFactory(role="agency_editor")).can_publish()


@pytest.mark.django_db
def test_the_submitter_cannot_approve_and_a_second_editor_can(site, editors):
    anna, bert = editors["anna"], editors["bert"]
    page = add_page(index(), NewsArticle(title="Neu", slug="neu", teaser="t"), publish=False)
    task_state = _submitted(page, anna)
    task = task_state.task.specific
    assert task.get_actions(page, anna) == []
    assert "approve" in [name for name, _label, _modal in task.get_actions(page, bert)]
    assert not TaskState.objects.reviewable_by(anna).filter(pk=task_state.pk).exists()
    assert TaskState.objects.reviewable_by(bert).filter(pk=task_state.pk).exists()
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, anna, "approve")
    page.refresh_from_db()
    assert not page.live
    task.on_action(task_state, bert, "approve")
    page.refresh_from_db()
    assert page.live
    # Anna hears that her page is published, by Bert.
    told = Activity.objects.get(recipient=anna, event="content.published")
    assert told.actor == bert


@pytest.mark.django_db
def test_whoever_edited_last_cannot_approve_either(site, editors):
    anna, bert, cleo = editors["anna"], editors["bert"], editors["cleo"]
    page = add_page(index(), NewsArticle(title="Neu", slug="neu", teaser="t"), publish=False)
    task_state = _submitted(page, anna)
    page.teaser = "Von Bert verbessert."
    page.save_revision(user=bert)
    task = task_state.task.specific
    assert task.get_actions(page, bert) == []
    # Bert's approval with his own change restarts the review on his revision, for someone else.
    result = task.on_action(task_state, bert, "approve")
    page.refresh_from_db()
    assert not page.live and isinstance(result, TaskState)
    current = page.current_workflow_task_state
    assert current.status == TaskState.STATUS_IN_PROGRESS and current.revision.user == bert
    with pytest.raises(PermissionDenied):
        task.on_action(current, anna, "approve")  # Anna asked for the review
    task.on_action(current, cleo, "approve")
    page.refresh_from_db()
    assert page.live and page.teaser == "Von Bert verbessert."


@pytest.mark.django_db
def test_the_back_office_refuses_the_submitters_approval_and_takes_the_second(
    client, site, editors
):
    anna, bert = editors["anna"], editors["bert"]
    page = add_page(index(), NewsArticle(title="Neu", slug="neu", teaser="t"), publish=False)
    task_state = _submitted(page, anna)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])

    client.force_login(anna)
    html = client.get(edit).content.decode()
    assert 'name="action-publish"' not in html  # no way round the review
    assert 'data-workflow-action-name="approve"' not in html
    response = client.post(url, {"comment": ""})
    # The back office answers a refusal with its dashboard and a message.
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    page.refresh_from_db()
    assert not page.live

    client.force_login(bert)
    assert 'data-workflow-action-name="approve"' in client.get(edit).content.decode()
    response = client.post(url, {"comment": "Gut so."})
    assert response.status_code == 302 and response["Location"] != reverse("wagtailadmin_home")
    page.refresh_from_db()
    assert page.live


@pytest.mark.django_db
def test_a_forged_publish_in_the_back_office_only_saves_a_draft(client, site, editors):
    page = add_page(index(), NewsArticle(title="Neu", slug="neu", teaser="t"), publish=False)
    assert not page.permissions_for_user(editors["anna"]).can_publish()
    imprint = StandardPage.objects.get(slug="impressum", locale__language_code="de")
    assert imprint.permissions_for_user(editors["anna"]).can_publish()  # not under review
    client.force_login(editors["anna"])
    parent = index()
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["content", "newsarticle", parent.pk]),
        {
            "title": "Gleich live?",
            "slug": "gleich-live",
            "date": "2026-11-03",
            "teaser": "t",
            "body": '{"blocks": [], "entityMap": {}}',
            "tags": "",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = NewsArticle.objects.get(slug="gleich-live")
    assert not created.live


@pytest.mark.django_db
def test_the_revision_comparison_shows_the_links_of_an_article(client, site, editors):
    from partnerportal.registry.tests.factories import MunicipalityFactory

    page = add_page(index(), NewsArticle(title="Neu", slug="neu", teaser="t"), publish=False)
    first = page.latest_revision
    page.municipalities = [MunicipalityFactory(name="Köln")]
    page.countries = ["PE"]
    page.tags.add("Wasser")
    second = page.save_revision(user=editors["anna"])
    client.force_login(editors["bert"])
    url = reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, first.pk, second.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Köln" in response.content.decode()


@pytest.mark.django_db
def test_an_approved_page_with_a_future_date_goes_live_when_the_job_runs(site, editors):
    from partnerportal.content import tasks
    from partnerportal.core.schedule import job_get

    anna, bert = editors["anna"], editors["bert"]
    page = add_page(index(), NewsArticle(title="Später", slug="spaeter", teaser="t"), publish=False)
    page.go_live_at = timezone.now() + dt.timedelta(hours=2)
    task_state = _submitted(page, anna)
    task_state.task.specific.on_action(task_state, bert, "approve")
    page.refresh_from_db()
    assert not page.live
    revision = page.latest_revision
    assert revision.approved_go_live_at is not None

    tasks.pages_publish_scheduled.call()  # not yet due
    page.refresh_from_db()
    assert not page.live

    # Two hours later (as far as the revision knows):
    past = timezone.now() - dt.timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    assert job_get("pages_publish_scheduled").interval <= dt.timedelta(minutes=5)
    tasks.pages_publish_scheduled.call()
    page.refresh_from_db()
    assert page.live


@pytest.mark.django_db
def test_an_expired_page_is_unpublished_by_the_job(site):
    from partnerportal.content import tasks

    page = add_page(index(), NewsArticle(title="Befristet", slug="befristet", teaser="t"))
    type(page).objects.filter(pk=page.pk).update(expire_at=timezone.now() - dt.timedelta(minutes=1))
    tasks.pages_publish_scheduled.call()
    page.refresh_from_db()
    assert not page.live and page.expired


@pytest.mark.django_db
def test_a_copy_of_a_reviewed_page_is_a_draft(client, site, editors):
    page = add_page(index(), NewsArticle(title="Alt", slug="alt", teaser="t"))
    client.force_login(editors["anna"])
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {
            "new_title": "Kopie",
            "new_slug": "kopie",
            "new_parent_page": index().pk,
            "publish_copies": "on",
        },
    )
    assert response.status_code == 302
    copy = NewsArticle.objects.get(slug="kopie")
    assert not copy.live
