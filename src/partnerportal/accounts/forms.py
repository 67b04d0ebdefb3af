from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from partnerportal.core.pickers import PickerField

from .models import User


def municipality_field() -> PickerField:
    """The municipality a membership or invitation is for, typed by name and resolved on the
    server with the registry's own search (a select of all 25,000 made the editors page 1.2 MB).
    The registry registers the "municipality" picker, so accounts needs no import of the
    registry above it (docs/decisions/0006)."""
    return PickerField(
        "municipality",
        label=_("Municipality"),
        help_text=_(
            "Type the name and choose from the list, e.g. “Köln”; or the official "
            "municipality key (AGS)."
        ),
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


class ApiTokenForm(forms.Form):
    """A new API token: what it is for and how long it may live (accounts.services checks both
    again)."""

    LIFETIMES = (
        ("30", _("30 days")),
        ("90", _("90 days")),
        ("365", _("1 year")),
        ("730", _("2 years")),
    )

    name = forms.CharField(
        label=_("What is the token for?"),
        max_length=100,
        help_text=_("E.g. “Event calendar import”: you will recognise the token by this name."),
    )
    lifetime = forms.TypedChoiceField(
        label=_("Valid for"),
        choices=LIFETIMES,
        coerce=int,
        initial="365",
        help_text=_("It stops working after that; you can revoke it earlier at any time."),
    )
