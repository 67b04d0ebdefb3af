"""Atlas URLs under /<lang>/atlas/: the map with its data, the statistics and the open-data
downloads of the registry."""

from django.urls import include, path

from .views import map as map_views

app_name = "atlas"

urlpatterns = [
    path("", include(map_views.urlpatterns)),
]
