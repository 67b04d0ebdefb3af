"""The imported per-diem rate tables in the Wagtail back office, read-only: staff see which
tables exist, which years each covers and is in force for, and their counts. They change only
through `partnerportal import_per_diem` (a table is data of record: calculations name it).

The programmes' funding instruments: agency administrators and editors create and change them
here; the eligibility rules are checked against funding.eligibility's vocabulary on save, every
save is in the audit trail and refused when someone saved in between (ADR 0005)."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from partnerportal.accounts.roles import MANAGING_ROLES
from partnerportal.audit.services import attribute_change
from partnerportal.core.concurrency import EditConflict, version_claim
from partnerportal.core.forms import VersionField, form_with_version

from .actions import FundingAction
from .eligibility import RULES, rules_validate
from .models import FundingInstrument, LetterTemplate, PerDiemTable
from .permissions import (
    can_edit_letter_templates,
    can_manage_instruments,
    can_view_per_diem_tables,
)
from .selectors import per_diem_tables_in_force


class ReadOnlyTablePolicy(BasePermissionPolicy):
    """View only, for whom funding.permissions allows it; nobody adds, edits or deletes."""

    def user_has_permission(self, user, action):
        return action == "view" and can_view_per_diem_tables(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return (
            get_user_model()
            .objects.filter(
                Q(is_superuser=True) | Q(groups__name__in=MANAGING_ROLES), is_active=True
            )
            .distinct()
        )

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


class InForceColumn(Column):
    """The years for which the table is the one in force."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        in_force = getattr(request, "_per_diem_in_force", None)
        if in_force is None:  # one query per page, not per row
            in_force = per_diem_tables_in_force()
            if request is not None:
                request._per_diem_in_force = in_force
        years = in_force.get(instance.pk, [])
        context["value"] = ", ".join(str(year) for year in years) or "–"
        return context


class PerDiemTableIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("imported_by")


class PerDiemTableViewSet(ModelViewSet):
    model = PerDiemTable
    index_view_class = PerDiemTableIndexView
    icon = "table"
    menu_label = _("Per-diem rates")
    menu_order = 450
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "__str__",
        "first_year",
        "last_year",
        InForceColumn("in_force", label=_("In force for")),
        "row_count",
        "country_count",
        "city_count",
        "imported_by",
    ]
    inspect_view_fields = [
        "source_name",
        "source_sha256",
        "imported_at",
        "imported_by",
        "first_year",
        "last_year",
        "row_count",
        "country_count",
        "city_count",
    ]
    ordering = ["-imported_at", "-pk"]
    list_per_page = 50
    # Create and edit are refused by the policy; a form is still needed to build the views.
    form_fields = ["source_name"]


register_permission_policy(PerDiemTable, ReadOnlyTablePolicy(PerDiemTable))


@hooks.register("register_admin_viewset")
def register_per_diem_tables():
    return PerDiemTableViewSet("per_diem_tables")


# --- Letter templates (funding/decisions.py): administrators and editors write them here -------


class LetterTemplatePolicy(BasePermissionPolicy):
    """Add, change and view for whom funding.permissions allows it; templates are not deleted
    from here (the built-in text would silently take over)."""

    def user_has_permission(self, user, action):
        return action in ("add", "change", "view") and can_edit_letter_templates(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if not {"add", "change", "view"} & set(actions):
            return get_user_model().objects.none()
        return (
            get_user_model()
            .objects.filter(
                Q(is_superuser=True) | Q(groups__name__in=MANAGING_ROLES), is_active=True
            )
            .distinct()
        )

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


class LetterTemplateViewSet(SnippetViewSet):
    model = LetterTemplate
    icon = "doc-full"
    menu_label = _("Letter templates")
    menu_order = 460
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["__str__", "subject", "updated_at"]
    panels = [
        FieldPanel("kind"),
        FieldPanel("language"),
        FieldPanel("subject"),
        FieldPanel("body"),
    ]


register_permission_policy(LetterTemplate, LetterTemplatePolicy(LetterTemplate))
register_snippet(LetterTemplateViewSet)


# --- The programmes' funding instruments (the applicant's side, issue 13) ----------------------


class InstrumentPolicy(BasePermissionPolicy):
    """Agency administrators and editors create and change instruments; nobody deletes one
    (applications name it: set it closed instead)."""

    def user_has_permission(self, user, action):
        return action in ("add", "change", "view") and can_manage_instruments(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if not {"add", "change", "view"} & set(actions):
            return get_user_model().objects.none()
        return (
            get_user_model()
            .objects.filter(
                Q(is_superuser=True) | Q(groups__name__in=MANAGING_ROLES), is_active=True
            )
            .distinct()
        )

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


def _rules_help() -> str:
    return gettext(
        'A list of rules as JSON, e.g. [{"rule": "partnership", "statuses": ["aktiv"]}, '
        '{"rule": "partner_oda"}]. Known rules: %(rules)s (see funding/eligibility.py).'
    ) % {"rules": ", ".join(RULES)}


class RulesField(forms.JSONField):
    """The eligibility rules as JSON, checked against the vocabulary (funding.eligibility)."""

    def validate(self, value):
        super().validate(value)
        problems = rules_validate(value if value is not None else [])
        if problems:
            raise ValidationError(problems)


class InstrumentForm(WagtailAdminModelForm):
    eligibility_rules = RulesField(
        label=_("Eligibility rules"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "class": "monospace"}),
        help_text=lazy(lambda: _rules_help(), str)(),
    )
    version = VersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version

    def clean_eligibility_rules(self):
        return self.cleaned_data.get("eligibility_rules") or []


class InstrumentCreateView(CreateView):
    def save_instance(self):
        attribute_change(
            self.form.instance, actor=self.request.user, action=FundingAction.INSTRUMENT_CREATED
        )
        return super().save_instance()


class InstrumentEditView(EditView):
    """Claims the version the form was read at (ADR 0005) in Wagtail's own transaction."""

    template_name = "funding/wagtail/instrument_edit.html"

    def save_instance(self):
        version_claim(self.form.instance, expected_version=self.form.cleaned_data["version"])
        attribute_change(
            self.form.instance, actor=self.request.user, action=FundingAction.INSTRUMENT_CHANGED
        )
        return super().save_instance()

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except EditConflict as conflict:
            message = _("Someone else saved this instrument in the meantime; nothing was saved.")
            form.add_error(None, message)
            form_with_version(form, conflict.current_version or 1)
            self.produced_error_code = "edit_conflict"
            self.produced_error_message = message
            return self.form_invalid(form)


class FundingInstrumentViewSet(ModelViewSet):
    model = FundingInstrument
    add_view_class = InstrumentCreateView
    edit_view_class = InstrumentEditView
    icon = "doc-full"
    menu_label = _("Funding instruments")
    menu_order = 440
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["name", "programme", "call_mode", "deadline", "is_active"]
    list_filter = ["programme", "is_active"]
    search_fields = ["name", "slug"]
    ordering = ["programme__name", "name"]
    edit_handler = ObjectList(
        [
            FieldPanel(name)
            for name in (
                "programme",
                "name",
                "slug",
                "description",
                "cost_kinds",
                "funding_rate_percent",
                "own_contribution_percent",
                "ceiling_eur",
                "call_mode",
                "deadline",
                "required_documents",
                "eligibility_rules",
                "reference_prefix",
                "is_active",
            )
        ],
        base_form_class=InstrumentForm,
    )


register_permission_policy(FundingInstrument, InstrumentPolicy(FundingInstrument))


@hooks.register("register_admin_viewset")
def register_funding_instruments():
    return FundingInstrumentViewSet("funding_instruments")
