from django.urls import path
from wagtail.views import serve

from . import views
from .feeds import feed_view
from .search_views import search

app_name = "content"

urlpatterns = [
    path("", serve, {"path": ""}, name="home"),
    path(
        "beitraege/praxisbeispiel-einreichen/",
        views.practice_example_submit,
        name="practice_example_submit",
    ),
    *views.urlpatterns,
    path("suche/", search, name="search"),
]

# Feeds: /<lang>/aktuelles/feed/rss/, …/thema/<code>/feed/atom/, …/land/<iso2>/feed/rss/
for feed_format in ("rss", "atom"):
    urlpatterns += [
        path(
            f"aktuelles/feed/{feed_format}/",
            feed_view,
            {"feed_format": feed_format},
            name=f"feed_{feed_format}",
        ),
        path(
            f"aktuelles/thema/<slug:code>/feed/{feed_format}/",
            feed_view,
            {"feed_format": feed_format},
            name=f"theme_feed_{feed_format}",
        ),
        path(
            f"aktuelles/land/<str:iso2>/feed/{feed_format}/",
            feed_view,
            {"feed_format": feed_format},
            name=f"country_feed_{feed_format}",
        ),
    ]
