"""Forms of the agency's side after submission (review, decision, payments, changes, final
report). They parse input only; the services in funding/ decide."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from partnerportal.core.uploads import ValidatedFileField

from .models import ApplicationState, CostKind, Recommendation
from .reports import RECEIPT_POLICY


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ApplicationFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False)
    programme = forms.TypedChoiceField(
        label=_("Programme"), required=False, coerce=int, empty_value=None
    )
    instrument = forms.TypedChoiceField(
        label=_("Instrument"), required=False, coerce=int, empty_value=None
    )
    deadline = forms.ChoiceField(label=_("Deadline"), required=False)

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("all"))]
        self.fields["state"].choices = everything + [
            (value, label) for value, label in choices["states"] if value != ApplicationState.DRAFT
        ]
        self.fields["programme"].choices = everything + list(choices["programmes"])
        self.fields["instrument"].choices = everything + list(choices["instruments"])
        self.fields["deadline"].choices = (
            everything
            + [("rolling", _("Rolling call"))]
            + [(d.isoformat(), d.strftime("%d.%m.%Y")) for d in choices["deadlines"]]
        )


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ActionForm(VersionForm):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note or reasons"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssessmentForm(VersionForm):
    assessment = forms.CharField(
        label=_("Written assessment"), widget=forms.Textarea(attrs={"rows": 8})
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.choices, widget=forms.RadioSelect
    )


class PlanLineForm(forms.Form):
    #: an empty first choice, so that the blank extra row stays unchanged and is skipped
    kind = forms.ChoiceField(label=_("Kind of cost"), choices=[("", "–"), *CostKind.choices])
    description = forms.CharField(label=_("Description"), max_length=300)
    amount_eur = forms.DecimalField(
        label=_("Amount (EUR)"), min_value=0, max_digits=12, decimal_places=2, localize=True
    )


PlanLineFormSet = forms.formset_factory(PlanLineForm, extra=1, can_delete=True)


def summary_language_choices() -> list[tuple[str, str]]:
    return [("", _("none"))] + [
        (code, _(name)) for code, name in settings.LANGUAGES if code != "de"
    ]


class DecisionDraftForm(VersionForm):
    conditions = forms.CharField(
        label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    reasons = forms.CharField(
        label=_("Reasons (for a rejection)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    report_due_on = forms.DateField(
        label=_("Final report due on"), required=False, widget=DateInput()
    )
    summary_language = forms.ChoiceField(
        label=_("Summary paragraph in the partner's language"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary_language"].choices = summary_language_choices()


class PaymentRequestForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (EUR)"), min_value=0.01, max_digits=12, decimal_places=2, localize=True
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ChangeRequestForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}))
    starts_on = forms.DateField(label=_("New start"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("New end"), required=False, widget=DateInput())
    change_plan = forms.BooleanField(
        label=_("Change the approved cost plan as below"), required=False
    )


class FinalReportForm(VersionForm):
    text = forms.CharField(
        label=_("Factual report"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    receipt = ValidatedFileField(
        label=_("Add a receipt"), required=False, policy=RECEIPT_POLICY,
        help_text=_("PDF, image or office document."),
    )  # fmt: skip

    def __init__(self, *args, statement=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for row in statement:
            line = row.approved
            amount_name, explanation_name = f"actual_{line.pk}", f"explanation_{line.pk}"
            self.fields[amount_name] = forms.DecimalField(
                label=_("Actual (EUR): %(line)s") % {"line": line.description},
                required=False, min_value=0, max_digits=12, decimal_places=2, localize=True,
                initial=row.actual.amount_eur if row.actual else None,
            )  # fmt: skip
            self.fields[explanation_name] = forms.CharField(
                label=_("Explanation of the deviation: %(line)s") % {"line": line.description},
                required=False, widget=forms.Textarea(attrs={"rows": 2}),
                initial=row.explanation,
            )  # fmt: skip
            self.rows.append((row, amount_name, explanation_name))

    def actuals(self) -> dict[int, tuple]:
        data = self.cleaned_data
        return {
            row.approved.pk: (data[amount], data[explanation] or "")
            for row, amount, explanation in self.rows
            if data.get(amount) is not None
        }

    def bound_rows(self):
        return [(row, self[amount], self[explanation]) for row, amount, explanation in self.rows]


class ReportReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the report")), ("send_back", _("Send it back"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the applicant"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
