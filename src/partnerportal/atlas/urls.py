"""Atlas URLs under /<lang>/atlas/: the map with its data, the statistics and the open-data
downloads of the registry, each in a module of its own."""

from django.urls import include, path

from .views import exports, statistics
from .views import map as map_views

app_name = "atlas"

urlpatterns = [
    path("", include(map_views.urlpatterns)),
    path("statistik/", include(statistics.urlpatterns)),
    path("daten/", include(exports.urlpatterns)),
]
