"""What happens when a page's review is approved (settings.WAGTAIL_FINISH_WORKFLOW_ACTION).

Pages under review may not be published directly by anyone (models.ReviewedPagePermissionTester),
so Wagtail's default finishing step, which publishes as the approver and checks that they may
publish, would refuse. The approval by a second editor is the permission: the latest revision is
published as the approver without that check. Imported while wagtail.models loads, so this module
imports nothing of Wagtail's."""


def publish_approved(workflow_state, user=None) -> None:
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
