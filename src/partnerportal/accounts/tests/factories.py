"""factory_boy factories for people, with a trait per role."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from partnerportal.accounts.models import Invitation, Membership, User
from partnerportal.geo.services import country_ensure
from partnerportal.registry.models import Municipality

PASSWORD = "correct-horse-battery-staple"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Musterstadt {n}")
    country = factory.LazyFunction(lambda: country_ensure("DE"))
    ags = factory.Sequence(lambda n: f"{9000000 + n:08d}")


class UserFactory(factory.django.DjangoModelFactory):
    """UserFactory(role="agency_editor"), UserFactory(municipality=m) for a municipal editor."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    language = "de"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

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
        if create and extracted:
            Membership.objects.create(
                user=obj, municipality=extracted, status=Membership.Status.ACTIVE
            )

    @factory.post_generation
    def mfa(obj, create, extracted, **kwargs):
        """mfa=True gives the person a TOTP authenticator; its secret is on obj.totp_secret."""
        if create and extracted:
            from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

            obj.totp_secret = generate_totp_secret()
            TOTP.activate(obj, obj.totp_secret)


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
