import types

import pytest

from partnerportal.accounts import services


class NotificationRecorder:
    """Stands in for partnerportal.notifications.services: records what accounts asked it to do,
    so these tests hold accounts' side of the contract whatever state that app is in."""

    def __init__(self):
        self.calls: list[dict] = []

    def notify(self, *, event, recipients, actor=None, target=None, context=None):
        self.calls.append(
            {"event": str(event), "recipients": list(recipients), "actor": actor, "target": target}
        )

    def events(self) -> list[str]:
        return [c["event"] for c in self.calls]


#: The real notifications services, for the tests that check the contract with that app itself.
REAL_NOTIFICATION_SERVICES = services.notifications


@pytest.fixture(autouse=True)
def notifications(monkeypatch) -> NotificationRecorder:
    recorder = NotificationRecorder()
    module = types.SimpleNamespace(
        notify=recorder.notify, email_to_address=REAL_NOTIFICATION_SERVICES.email_to_address
    )
    monkeypatch.setattr(services, "notifications", module)
    return recorder


@pytest.fixture
def staff_editor(db):
    from .factories import UserFactory

    return UserFactory(role="agency_editor", mfa=True)
