from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Membership, User


def municipality_field() -> forms.ModelChoiceField:
    """The municipality a membership or invitation is for. The model is the one the membership
    points at, so accounts needs no import of the registry above it (docs/decisions/0006)."""
    municipality_model = Membership._meta.get_field("municipality").related_model
    return forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=municipality_model.objects.order_by("name"),
        empty_label=_("Please choose"),
    )


class ProfileForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)

    class Meta:
        model = User
        fields = ["name", "language"]


class MembershipRequestForm(forms.Form):
    municipality = municipality_field()
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Tell the editors who you are and what you do for the municipality."),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    municipality = municipality_field()
    language = forms.ChoiceField(label=_("Language of the e-mail"), choices=settings.LANGUAGES)


class AccountDeleteForm(forms.Form):
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
