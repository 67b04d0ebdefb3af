"""The expert profile in the account's DSGVO export and erasure (accounts.personal_data;
registered in AdvisoryConfig.ready). Deployments keep their public facts after an erasure: the
profile they point at no longer says who it was."""

from __future__ import annotations

from django.db import transaction

from partnerportal.accounts.personal_data import PersonalDataProvider

from .models import ExpertProfile


def expert_profile_export(user) -> list[dict]:
    profiles = ExpertProfile.objects.filter(user=user).prefetch_related(
        "fields", "countries", "languages", "deployments", "proposals__need"
    )
    return [
        {
            "name": profile.name,
            "email": profile.email,
            "kind": profile.kind,
            "fields": [theme.code for theme in profile.fields.all()],
            "countries": [country.pk for country in profile.countries.all()],
            "languages": [
                {"language": entry.language, "level": entry.level}
                for entry in profile.languages.all()
            ],
            "available_from": profile.available_from.isoformat()
            if profile.available_from
            else None,
            "available_until": profile.available_until.isoformat()
            if profile.available_until
            else None,
            "availability_note": profile.availability_note,
            "cv": profile.cv,
            "public": {part: profile.is_public(part) for part in ExpertProfile.PUBLIC_PARTS},
            "deployments": [
                {
                    "id": deployment.pk,
                    "partner_municipality": deployment.partner_municipality_id,
                    "starts_on": deployment.starts_on.isoformat(),
                    "ends_on": deployment.ends_on.isoformat(),
                    "state": deployment.state,
                }
                for deployment in profile.deployments.all()
            ],
            "proposals": [
                {"need": proposal.need.title, "state": proposal.state}
                for proposal in profile.proposals.all()
            ],
        }
        for profile in profiles
    ]


def expert_profile_erase(user, addresses: list[str]) -> None:
    from .experts import expert_profile_anonymise

    with transaction.atomic():
        for profile in ExpertProfile.objects.filter(user=user):
            expert_profile_anonymise(profile)
        # A profile staff made without linking the account, under one of the person's addresses.
        for profile in ExpertProfile.objects.filter(
            user__isnull=True, anonymised_at__isnull=True, email__in=[a for a in addresses if a]
        ):
            expert_profile_anonymise(profile)


PROVIDER = PersonalDataProvider(
    key="expert_profiles", export=expert_profile_export, erase=expert_profile_erase
)
