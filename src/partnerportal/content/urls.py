from django.urls import path
from wagtail.views import serve

app_name = "content"

urlpatterns = [
    path("", serve, {"path": ""}, name="home"),
]
