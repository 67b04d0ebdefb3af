from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve as serve_media
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from partnerportal.api.api import api
from partnerportal.atlas.views.places import place_urlpatterns
from partnerportal.core import sitemaps
from partnerportal.core import views as core_views
from partnerportal.registry import urls as registry_urls

handler400 = "partnerportal.core.views.bad_request"
handler403 = "partnerportal.core.views.permission_denied"
handler404 = "partnerportal.core.views.page_not_found"
handler500 = "partnerportal.core.views.server_error"

urlpatterns = [
    path("healthz", core_views.health, name="health"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap_section"),
    # One way in: the back office's own login and password reset lead to the site's, which ask
    # for the second factor (Wagtail's would sign staff in with a password alone).
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="admin_login_redirect",
    ),
    re_path(
        r"^admin/password_reset/",
        RedirectView.as_view(pattern_name="account_reset_password"),
        name="admin_password_reset_redirect",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", api.urls),
]

urlpatterns += i18n_patterns(
    path("konto/", include("allauth.urls")),
    path("konto/", include("partnerportal.accounts.urls")),
    path("aktivitaet/", include("partnerportal.notifications.urls")),
    path("aenderungen/", include("partnerportal.audit.urls")),
    path("api/", include("partnerportal.api.urls")),
    # The Land and country pages are atlas's, at the registry's addresses and in its namespace.
    path(
        "register/",
        include(([*registry_urls.urlpatterns, *place_urlpatterns], registry_urls.app_name)),
    ),
    path("atlas/", include("partnerportal.atlas.urls")),
    path("veranstaltungen/", include("partnerportal.events.urls")),
    path("foerderung/", include("partnerportal.funding.urls")),
    path("beratung/", include("partnerportal.advisory.urls")),
    path("", include("partnerportal.content.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns.insert(
        0, path("media/<path:path>", serve_media, {"document_root": settings.MEDIA_ROOT})
    )

# allauth answers throttled requests through this handler.
handler429 = "partnerportal.core.views.too_many_requests"
