"""factory_boy factories for people, with a trait per role.

    UserFactory(agency_staff=True)      # agency editor with a TOTP authenticator (a full login)
    UserFactory(municipality=koeln)     # municipal editor of Köln (an active membership)
    UserFactory(role="reviewer")        # any role by its group's name

The registry's factories (places, partnerships, review items) are in registry/tests/factories.py;
MunicipalityFactory is imported here too, where the tests of accounts have long found it."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from partnerportal.accounts.models import Invitation, Membership, User
from partnerportal.registry.tests.factories import MunicipalityFactory

__all__ = [
    "PASSWORD",
    "InvitationFactory",
    "MembershipFactory",
    "MunicipalityFactory",
    "UserFactory",
]

PASSWORD = "correct-horse-battery-staple"


def _totp(user) -> None:
    """A TOTP authenticator; its secret is on user.totp_secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user.totp_secret = generate_totp_secret()
    TOTP.activate(user, user.totp_secret)


def _role(user, role: str, totp: bool) -> None:
    user.groups.add(Group.objects.get(name=role))
    if totp:
        _totp(user)


class UserFactory(factory.django.DjangoModelFactory):
    """UserFactory(role="agency_editor"), UserFactory(municipality=m) for a municipal editor;
    the traits name the usual people (agency_staff, agency_admin, reviewer, expert)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    language = "de"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        #: Agency staff must use two-factor authentication: these come with a TOTP authenticator.
        agency_staff = False
        agency_admin = False
        reviewer = False
        expert = False

    # The traits above, after the person is saved (factory_boy's traits cannot reach the
    # post-generation steps role= and mfa= below, a Maybe of the post-generation phase can).
    as_agency_staff = factory.Maybe(
        "agency_staff", factory.PostGeneration(lambda o, *a, **k: _role(o, "agency_editor", True))
    )
    as_agency_admin = factory.Maybe(
        "agency_admin", factory.PostGeneration(lambda o, *a, **k: _role(o, "agency_admin", True))
    )
    as_reviewer = factory.Maybe(
        "reviewer", factory.PostGeneration(lambda o, *a, **k: _role(o, "reviewer", True))
    )
    as_expert = factory.Maybe(
        "expert", factory.PostGeneration(lambda o, *a, **k: _role(o, "expert", False))
    )

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def municipality(obj, create, extracted, **kwargs):
        """UserFactory(municipality=koeln): a municipal editor of Köln (an active membership)."""
        if create and extracted:
            Membership.objects.create(
                user=obj, municipality=extracted, status=Membership.Status.ACTIVE
            )

    @factory.post_generation
    def mfa(obj, create, extracted, **kwargs):
        """mfa=True gives the person a TOTP authenticator; its secret is on obj.totp_secret."""
        if create and extracted:
            _totp(obj)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    status = Membership.Status.ACTIVE

    class Params:
        requested = factory.Trait(status=Membership.Status.REQUESTED)
        ended = factory.Trait(status=Membership.Status.ENDED)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    municipality = factory.SubFactory(MunicipalityFactory)
    invited_by = factory.SubFactory(UserFactory, role="agency_editor")
