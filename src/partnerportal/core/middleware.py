"""Security middleware: one strict Content Security Policy, a wider one for the back office."""

from csp.constants import SELF, UNSAFE_EVAL, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """Our pages run no inline script; the Wagtail admin still needs inline code, so its paths
    get script and style sources widened there and nowhere else."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(settings.CONTENT_SECURITY_POLICY_ADMIN_PATHS):
            parts.update = {
                **(parts.update or {}),
                "script-src": [SELF, UNSAFE_INLINE, UNSAFE_EVAL],
                "style-src": [SELF, UNSAFE_INLINE],
                "img-src": [SELF, "data:", "blob:"],
            }
        return parts


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, except that the API, the back office and the health check have no language
    prefix: a 404 there is an answer, not a reason to redirect to /de/…"""

    UNPREFIXED = ("/api/", "/admin/", "/healthz", "/static/", "/media/", "/documents/")

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if request.path_info.startswith(self.UNPREFIXED):
            return response
        return super().process_response(request, response)
