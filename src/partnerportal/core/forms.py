"""One look for every form (ours and allauth's): KERN UX markup through Django's form renderer."""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext as _


class KernFormRenderer(TemplatesSetting):
    form_template_name = "partnerportal/forms/form.html"
    field_template_name = "partnerportal/forms/field.html"


class VersionField(forms.IntegerField):
    """The version of the record a form was read at (core.concurrency): sent back unchanged, so
    that the service refuses the save when someone saved in between."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)


def form_with_version(form: forms.BaseForm, version: int) -> None:
    """Let a form refused for a conflict carry the current version, so that the person can
    save their kept input again once they have seen what changed."""
    data = form.data.copy()
    data[form.add_prefix("version")] = str(version)
    form.data = data


def error_summary_items(*forms_or_formsets) -> list[dict[str, str]]:
    """What the error summary at the top of a form lists (KERN's error summary): every error of
    the forms and formsets given, in page order, each linked to its field. A formset row's
    fields are named with the row's number, since "Name" alone would not say which one."""
    items: list[dict[str, str]] = []

    def add_form(form, row: int | None = None) -> None:
        for error in form.non_field_errors():
            items.append({"href": "", "text": str(error)})
        for name, errors in form.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS or name not in form.fields:
                continue
            field = form[name]
            if field.is_hidden:
                # A hidden field (the version) cannot be corrected by the person: say it plainly.
                items.extend({"href": "", "text": str(error)} for error in errors)
                continue
            label = str(field.label or name)
            if row is not None:
                label = _("%(label)s (row %(row)s)") % {"label": label, "row": row}
            target = field.id_for_label or field.auto_id or ""
            items.extend(
                {"href": f"#{target}" if target else "", "text": f"{label}: {error}"}
                for error in errors
            )

    for item in forms_or_formsets:
        if item is None:
            continue
        if isinstance(item, forms.BaseFormSet):
            if not item.is_bound:
                continue
            for error in item.non_form_errors():
                items.append({"href": "", "text": str(error)})
            for number, form in enumerate(item.forms, start=1):
                add_form(form, number)
        elif item.is_bound:
            add_form(item)
    return items
