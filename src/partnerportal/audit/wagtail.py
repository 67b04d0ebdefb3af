"""Back-office (Wagtail) edit forms that refuse a stale save (core.concurrency, ADR 0005).

A snippet whose model is a VersionedModel uses `edit_handler=versioned_panels([...])` and
`edit_view_class = VersionCheckedEditView`: the form carries the version it was read at, the save
compares and sets it in the same transaction as Wagtail's own save, and a refused save shows what
changed meanwhile (from this app's trail), keeps the person's input and changes nothing."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.snippets.views.snippets import EditView

from partnerportal.core.concurrency import VERSION_FIELD, EditConflict, version_claim
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
            when = date_format(change.when, "SHORT_DATETIME_FORMAT")
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
