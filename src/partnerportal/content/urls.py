from django.urls import path
from wagtail.views import serve

from .search_views import search

app_name = "content"

urlpatterns = [
    path("", serve, {"path": ""}, name="home"),
    path("suche/", search, name="search"),
]
