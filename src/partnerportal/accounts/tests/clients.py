"""A test client whose force_login stands for a complete login: password and, for a person with
an authenticator, the second factor, recorded in the session as allauth's login records it.

The tests of the doors themselves (tests/test_second_factor_doors.py) use Django's plain client
or the real login pages, which record nothing but what was really passed.
"""

import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from django.test import Client as DjangoClient


class Client(DjangoClient):
    def force_login(self, user, backend=None) -> None:
        super().force_login(user, backend)
        records = [{"method": "password", "at": time.time(), "email": user.email}]
        authenticator = (
            Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).only("pk").first()
        )
        if authenticator is not None:
            records.append(
                {"method": "mfa", "at": time.time(), "id": authenticator.pk, "type": "totp"}
            )
        session = self.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = records
        # allauth ties the records to the user they were made for (see get_authentication_records).
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
