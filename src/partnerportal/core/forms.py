"""One look for every form (ours and allauth's): KERN UX markup through Django's form renderer."""

from django.forms.renderers import TemplatesSetting


class KernFormRenderer(TemplatesSetting):
    form_template_name = "partnerportal/forms/form.html"
    field_template_name = "partnerportal/forms/field.html"
