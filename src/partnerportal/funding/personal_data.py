"""Funding records in a person's data export (Art. 15 GDPR) and erasure (Art. 17): the provider
"funding", registered with accounts in FundingConfig.ready (ADR 0012).

A funding record is the person's where they wrote the application, took a step in it (formal
check, assessment, decision, payment and change approvals, the final report) or uploaded one of
its documents. Erasure cannot delete these records: applications, decisions, payments and final
reports are bookkeeping the agency must keep (Haushaltsrecht, § 147 AO: ten years). So it
anonymises them instead: the person's name and e-mail addresses are removed from every text of
the records that names them, and the records keep pointing at the anonymised account (which
accounts.services.account_delete strips of name and address). Amounts, dates and states stay."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from partnerportal.accounts.personal_data import PersonalDataProvider

from .models import (
    Application,
    ApplicationDocument,
    ApplicationInvolvement,
    ChangeRequest,
    Decision,
    FinalReport,
    PaymentRequest,
    ReportReceipt,
    Review,
)

KEY = "funding"

#: (model, the foreign keys to the person, the role each means) of the records a person handled.
_ROLES: tuple[tuple[type, dict[str, str]], ...] = (
    (Review, {"formal_check_by": "formal_check", "assessed_by": "assessment"}),
    (Decision, {"drafted_by": "decision_draft", "decided_by": "decision"}),
    (
        PaymentRequest,
        {
            "requested_by": "payment_requested",
            "first_approved_by": "payment_first_approval",
            "released_by": "payment_released",
            "rejected_by": "payment_rejected",
        },
    ),
    (
        ChangeRequest,
        {
            "requested_by": "change_requested",
            "first_approved_by": "change_first_approval",
            "decided_by": "change_decided",
        },
    ),
    (
        FinalReport,
        {"submitted_by": "final_report_submitted", "reviewed_by": "final_report_reviewed"},
    ),
)

#: The texts of funding records that may name a person, per model.
_TEXTS: tuple[tuple[type, tuple[str, ...]], ...] = (
    (Application, ("title", "measure", "goals")),
    (Review, ("formal_check_notes", "assessment")),
    (Decision, ("conditions", "reasons", "letter_body", "letter_summary")),
    (PaymentRequest, ("note",)),
    (ChangeRequest, ("reason",)),
    (FinalReport, ("text", "staff_note")),
    (ApplicationDocument, ("original_name",)),
    (ReportReceipt, ("name",)),
)


def retention_note() -> str:
    return _(
        "Funding applications, decisions, payments and final reports are kept for the legal "
        "retention period of public funding records (ten years). When you delete your account "
        "they are anonymised: your name and e-mail addresses are removed from them, the "
        "amounts and dates stay."
    )


def _roles_of(user) -> dict[int, set[str]]:
    """Application id -> the roles the person had in it."""
    roles: dict[int, set[str]] = {}
    for application_id in Application.objects.filter(created_by=user).values_list("pk", flat=True):
        roles.setdefault(application_id, set()).add("applicant")
    for application_id, kind in ApplicationInvolvement.objects.filter(user=user).values_list(
        "application_id", "kind"
    ):
        roles.setdefault(application_id, set()).add(kind)
    for model, fields in _ROLES:
        query = Q()
        for field in fields:
            query |= Q(**{field: user})
        values = ("application_id", *(f"{field}_id" for field in fields))
        for row in model.objects.filter(query).values_list(*values):
            for field, person in zip(fields, row[1:], strict=True):
                if person == user.pk:
                    roles.setdefault(row[0], set()).add(fields[field])
    for application_id in ApplicationDocument.objects.filter(uploaded_by=user).values_list(
        "application_id", flat=True
    ):
        roles.setdefault(application_id, set()).add("document_uploaded")
    for application_id in ReportReceipt.objects.filter(uploaded_by=user).values_list(
        "report__application_id", flat=True
    ):
        roles.setdefault(application_id, set()).add("receipt_uploaded")
    return roles


def export(user) -> dict:
    """The applications the person wrote or handled, their roles in each and the documents
    they uploaded, with a word on why these records are kept."""
    roles = _roles_of(user)
    applications = Application.objects.filter(pk__in=roles).select_related(
        "instrument", "applicant"
    )
    documents = [
        {
            "application": document.application.reference or document.application_id,
            "document": document.key,
            "file_name": document.original_name,
            "uploaded_at": document.uploaded_at.isoformat(),
        }
        for document in ApplicationDocument.objects.filter(uploaded_by=user).select_related(
            "application"
        )
    ] + [
        {
            "application": receipt.report.application.reference or receipt.report.application_id,
            "document": "receipt",
            "file_name": receipt.name,
            "uploaded_at": receipt.uploaded_at.isoformat(),
        }
        for receipt in ReportReceipt.objects.filter(uploaded_by=user).select_related(
            "report__application"
        )
    ]
    return {
        "note": retention_note(),
        "applications": [
            {
                "id": application.pk,
                "reference": application.reference or "",
                "title": application.title,
                "instrument": application.instrument.name,
                "applicant": application.applicant.name,
                "state": application.state,
                "submitted_at": application.submitted_at.isoformat()
                if application.submitted_at
                else None,
                "roles": sorted(roles[application.pk]),
            }
            for application in applications.order_by("pk")
        ],
        "documents": documents,
    }


def _scrub(text: str, words: list[str], replacement: str) -> str:
    for word in words:
        if word and word.casefold() in text.casefold():
            start = text.casefold().find(word.casefold())
            while start != -1:
                text = text[:start] + replacement + text[start + len(word) :]
                start = text.casefold().find(word.casefold(), start + len(replacement))
    return text


def erase(user, addresses: list[str]) -> None:
    """Remove the person's name and addresses from the texts of the funding records they wrote
    or handled (called inside the account's erasure transaction, before the account loses its
    name). The records themselves stay: legal retention duty."""
    words = sorted(
        {w.strip() for w in [getattr(user, "name", ""), user.email, *addresses] if w and w.strip()},
        key=len,
        reverse=True,  # the longer first: "a@b.de" before "a"
    )
    words = [w for w in words if len(w) >= 3]  # a name of one or two letters is in every text
    if not words:
        return
    application_ids = list(_roles_of(user))
    replacement = _("deleted user")
    for model, fields in _TEXTS:
        query = Q()
        for field in fields:
            for word in words:
                query |= Q(**{f"{field}__icontains": word})
        # The record and, where it keeps one, every earlier version of it in its history table:
        # a name left in a version would survive the erasure.
        tables = [model] + ([model.history.model] if hasattr(model, "history") else [])
        for table in tables:
            if model is Application:
                rows = table.objects.filter(id__in=application_ids)
            elif model is ReportReceipt:
                rows = table.objects.filter(report__application_id__in=application_ids)
            else:
                rows = table.objects.filter(application_id__in=application_ids)
            key = table._meta.pk.name
            for obj in rows.filter(query).only(key, *fields):
                changed = {
                    field: _scrub(getattr(obj, field), words, replacement)
                    for field in fields
                    if getattr(obj, field)
                }
                changed = {k: v for k, v in changed.items() if v != getattr(obj, k)}
                if changed:
                    # update(): a record of the agency's, not a change anyone made (no version)
                    table.objects.filter(**{key: getattr(obj, key)}).update(**changed)


PROVIDER = PersonalDataProvider(key=KEY, export=export, erase=erase, erasure_note=retention_note)
