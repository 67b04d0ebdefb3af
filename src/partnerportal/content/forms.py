"""The front-end form with which municipal editors submit a practice example. It parses input
only; content.services.practice_example_submit decides and stores."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from partnerportal.core.uploads import ValidatedFileField

from .services import image_policy


class PracticeExampleForm(forms.Form):
    partnership = forms.TypedChoiceField(label=_("Partnership"), coerce=int, choices=())
    title = forms.CharField(label=_("Title"), max_length=200)
    teaser = forms.CharField(
        label=_("Summary"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences: what was done, where, with what result."),
    )
    body = forms.CharField(
        label=_("What was done"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text; an empty line starts a new paragraph."),
    )
    results = forms.CharField(
        label=_("Results"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    lessons = forms.CharField(
        label=_("What others can learn"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    image = ValidatedFileField(
        label=_("Image"),
        required=False,
        policy=image_policy(),
        help_text=_("A photo or graphic as JPEG or PNG, which you may publish."),
    )
    image_alt = forms.CharField(
        label=_("What the image shows"),
        max_length=250,
        required=False,
        help_text=_("For people who cannot see the image. Required with an image."),
    )

    def __init__(self, *args, partnerships, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The size limit is the setting's at the time of the request, not of the import.
        self.fields["image"].policy = image_policy()
        self.partnerships = {p.pk: p for p in partnerships}
        self.fields["partnership"].choices = [
            (p.pk, f"{p.municipality_a.name} – {p.municipality_b.name}") for p in partnerships
        ]

    def clean(self):
        data = super().clean()
        if data.get("image") and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        return data
