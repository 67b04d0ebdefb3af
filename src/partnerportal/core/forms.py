"""One look for every form (ours and allauth's): KERN UX markup through Django's form renderer."""

from django import forms
from django.forms.renderers import TemplatesSetting


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
