from django.urls import path
from wagtail.views import serve

from . import views

app_name = "content"

urlpatterns = [
    path("", serve, {"path": ""}, name="home"),
    *views.urlpatterns,
]
