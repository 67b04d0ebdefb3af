"""Print the current one-time code for the demo logins' shared TOTP secret (demo only)."""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from .demo_data import DEMO_TOTP_SECRET


def demo_totp_code(at: float | None = None) -> str:
    counter = int(time.time() if at is None else at) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))


class Command(BaseCommand):
    help = "Print the current 6-digit code for the demo staff logins (demo only)."

    def handle(self, *args, **options):
        remaining = app_settings.TOTP_PERIOD - int(time.time()) % app_settings.TOTP_PERIOD
        self.stdout.write(demo_totp_code())
        self.stderr.write(f"(valid for about {remaining} more seconds)")
