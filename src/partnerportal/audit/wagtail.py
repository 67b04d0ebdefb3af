"""Back-office (Wagtail) edit forms that refuse a stale save (core.concurrency, ADR 0005).

A snippet whose model is a VersionedModel uses `edit_handler=versioned_panels([...])` and
`edit_view_class = VersionCheckedEditView`: the form carries the version it was read at, the save
compares and sets it in the same transaction as Wagtail's own save, and a refused save shows what
changed meanwhile (from this app's trail), keeps the person's input and changes nothing."""

from __future__ import annotations

from django.db import models
from django.shortcuts import redirect
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import EditView, InspectView

from partnerportal.core.concurrency import VERSION_FIELD, EditConflict, version_claim
from partnerportal.core.dates import display_datetime
from partnerportal.core.forms import VersionField, form_with_version

from .selectors import changes_since


class VersionedAdminForm(WagtailAdminModelForm):
    version = VersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[VERSION_FIELD].required = True
            self.fields[VERSION_FIELD].initial = getattr(self.instance, VERSION_FIELD)

    def get_field_updates_for_resave(self):
        """A save in the background leaves the page open: its next save is based on the new
        version."""
        updates = list(super().get_field_updates_for_resave())
        updates.append((VERSION_FIELD, str(getattr(self.instance, VERSION_FIELD))))
        return updates


def versioned_panels(panels: list) -> ObjectList:
    return ObjectList(panels, base_form_class=VersionedAdminForm)


class VersionCheckedEditView(EditView):
    template_name = "audit/wagtail/versioned_edit.html"

    def save_instance(self):
        version_claim(self.form.instance, expected_version=self.form.cleaned_data[VERSION_FIELD])
        return super().save_instance()

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except EditConflict as conflict:
            return self._conflict(form, conflict)

    def _conflict(self, form, conflict: EditConflict):
        if conflict.deleted:
            messages.error(self.request, _("This entry has been deleted in the meantime."))
            return redirect(self.get_success_url())
        current = type(self.object)._default_manager.get(pk=self.object.pk)
        for change in changes_since(current, version=conflict.expected_version):
            when = display_datetime(change.when)
            for item in change.changes:
                form.add_error(
                    None,
                    _("%(field)s: “%(before)s” → “%(after)s” (%(who)s, %(when)s)")
                    % {
                        "field": str(item.label)[:1].upper() + str(item.label)[1:],
                        "before": "–" if item.before in (None, "") else item.before,
                        "after": "–" if item.after in (None, "") else item.after,
                        "who": change.who,
                        "when": when,
                    },
                )
        if not form.non_field_errors():
            form.add_error(None, _("(The changes are not in the audit trail.)"))
        form_with_version(form, conflict.current_version)
        self.produced_error_code = "edit_conflict"
        self.produced_error_message = _(
            "Not saved: someone else changed this entry after you opened it. Nothing has been "
            "changed and your entries are kept below. This is what changed in the meantime; "
            "save again to replace it with your entries:"
        )
        return self.form_invalid(form)


class YesNoColumn(Column):
    """A yes/no field in a back-office listing as "Ja"/"Nein" ("Yes"/"No"): Wagtail's own
    BooleanColumn titles its icons "True"/"False", in English on a German page."""

    cell_template_name = "audit/wagtail/yes_no_cell.html"

    def __init__(self, name, **kwargs):
        if kwargs.get("label") is not None:
            kwargs["label"] = capfirst(kwargs["label"])
        super().__init__(name, **kwargs)

    def get_value(self, instance):
        value = super().get_value(instance)
        return None if value is None else bool(value)


class YesNoInspectView(InspectView):
    """The back office's detail view with yes/no fields as "Ja"/"Nein", not "True"/"False"."""

    def get_field_display_value(self, field_name, field):
        if isinstance(field, models.BooleanField):
            value = getattr(self.object, field_name)
            if value is None:
                return "–"
            return _("yes") if value else _("no")
        return super().get_field_display_value(field_name, field)
