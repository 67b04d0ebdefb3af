"""The requesters' personal data in the account's export (Art. 15 GDPR) and its erasure
(Art. 17), registered with accounts.personal_data in AdvisoryConfig.ready. A case belongs to a
person by their account or by any of their e-mail addresses (a request sent before they had
an account). Erasure anonymises the case (cases.case_anonymise); its statistics stay."""

from __future__ import annotations

from django.db.models import Q

from partnerportal.accounts.personal_data import PersonalDataProvider

from .cases import case_anonymise
from .models import Case

KEY = "advisory_requests"


def _addresses(user) -> list[str]:
    addresses = {user.email} if getattr(user, "email", "") else set()
    manager = getattr(user, "emailaddress_set", None)
    if manager is not None:
        addresses.update(manager.values_list("email", flat=True))
    return sorted(a for a in addresses if a)


def _cases(user, addresses: list[str]):
    q = Q(requester_user=user)
    for address in addresses:
        q |= Q(requester_email__iexact=address)
    return Case.objects.filter(q).filter(anonymised_at__isnull=True).distinct()


def export(user) -> list[dict]:
    """What the person told us in their requests (not the agency's internal log about them,
    which is the agency's working record; it is named here so the person knows it exists)."""
    rows = []
    for case in _cases(user, _addresses(user)).select_related("municipality", "programme"):
        rows.append(
            {
                "reference": case.reference,
                "opened_at": case.opened_at.isoformat(),
                "state": case.state,
                "name": case.requester_name,
                "email": case.requester_email,
                "phone": case.requester_phone,
                "language": case.language,
                "municipality": str(case.municipality or case.municipality_text),
                "programme": str(case.programme or ""),
                "need": case.need,
                "log_entries": case.notes.count(),
            }
        )
    return rows


def erase(user, addresses: list[str]) -> None:
    for case in _cases(user, sorted(set(addresses) | set(_addresses(user)))):
        case_anonymise(case=case, actor=None)


PROVIDER = PersonalDataProvider(key=KEY, export=export, erase=erase)
