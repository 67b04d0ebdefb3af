from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from partnerportal.registry.models import Municipality

from .models import User


class KernFormMixin:
    """Give every widget the KERN UX input class, so templates stay plain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "kern-form-input__select"
                if isinstance(field.widget, forms.Select)
                else "kern-form-input__input"
            )
            field.widget.attrs.setdefault("class", css)


class ProfileForm(KernFormMixin, forms.ModelForm):
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)

    class Meta:
        model = User
        fields = ["name", "language"]


class MembershipRequestForm(KernFormMixin, forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name"),
        empty_label=_("Please choose"),
    )
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Tell the editors who you are and what you do for the municipality."),
    )


class InvitationForm(KernFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name"),
        empty_label=_("Please choose"),
    )
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=settings.LANGUAGES)


class AccountDeleteForm(KernFormMixin, forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.has_usable_password() or not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password
