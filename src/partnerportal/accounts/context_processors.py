"""What every page's layout needs from accounts: the roles of the person asking."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .roles import user_roles


def roles(request: HttpRequest) -> dict:
    # A request refused early (a disallowed host, say) has no user yet.
    user = getattr(request, "user", None)
    return {"user_roles": SimpleLazyObject(lambda: user_roles(user))}
