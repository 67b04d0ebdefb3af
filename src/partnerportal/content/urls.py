from django.urls import path
from wagtail.views import serve

from . import views

app_name = "content"

urlpatterns = [
    path("", serve, {"path": ""}, name="home"),
    path(
        "beitraege/praxisbeispiel-einreichen/",
        views.practice_example_submit,
        name="practice_example_submit",
    ),
]
