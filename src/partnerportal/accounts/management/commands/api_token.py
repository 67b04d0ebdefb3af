"""`partnerportal api_token EMAIL [--name NAME] [--expires DAYS]`: an API token for a member of
the agency's staff, made by the server's operator (e.g. for an integration set up on the
server). The token is printed alone on the last line, so a script can take it with `tail -n 1`;
everything else comes before it. Refusals (unknown address, not agency staff, bad values) exit
with code 1 and create nothing.

(Wagtail's own `api_tokens`, plural, makes tokens for Wagtail's API v3, which Partnerportal
does not serve; they do not work here.)"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from partnerportal.accounts.models import User
from partnerportal.accounts.services import (
    API_TOKEN_DEFAULT_LIFETIME,
    API_TOKEN_MAX_LIFETIME,
    api_token_create,
)
from partnerportal.core.dates import display_date


class Command(BaseCommand):
    help = (
        "Create an API token for an agency staff member; prints the token alone on the last line "
        "(it is shown only this once)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The staff member's e-mail address.")
        parser.add_argument(
            "--name", default="", help="What the token is for (default: 'Command line')."
        )
        parser.add_argument(
            "--expires",
            type=int,
            default=API_TOKEN_DEFAULT_LIFETIME.days,
            metavar="DAYS",
            help=(
                f"Days until it expires (default {API_TOKEN_DEFAULT_LIFETIME.days}, at most "
                f"{API_TOKEN_MAX_LIFETIME.days})."
            ),
        )

    def handle(self, *args, email: str, name: str, expires: int, **options):
        user = User.objects.filter(email__iexact=email.strip(), anonymised_at__isnull=True).first()
        if user is None:
            raise CommandError(f"No account with the e-mail address {email!r}. Nothing created.")
        if not 1 <= expires <= API_TOKEN_MAX_LIFETIME.days:
            raise CommandError(
                f"--expires must be between 1 and {API_TOKEN_MAX_LIFETIME.days} days. "
                "Nothing created."
            )
        # The service's messages (and the date below) in English, whatever the server's locale.
        with translation.override("en"):
            try:
                token, secret = api_token_create(
                    actor=None,
                    user=user,
                    name=name or "Command line",
                    expires_at=timezone.now() + timedelta(days=expires),
                )
            except (PermissionDenied, ValidationError) as error:
                messages = getattr(error, "messages", None) or [str(error)]
                raise CommandError(" ".join(messages) + " Nothing created.") from error
            expires_on = display_date(token.expires_at)
        self.stdout.write(
            f"Token “{token.name}” for {user.email} created (begins with {token.prefix}, "
            f"expires on {expires_on}); {user.email} is told by e-mail."
        )
        self.stdout.write("Store it now: it is shown only once.")
        self.stdout.write(secret)
